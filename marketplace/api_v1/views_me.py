"""The token holder's endpoints of /api/v1/me/: their offers and needs (read, create, update,
change status), the suggestions they may see and their pairings. `read` tokens may GET; changes
need a `write` token. Changes call the listing services the pages call."""
from __future__ import annotations

from flask import g, url_for

from marketplace.api_v1 import schemas
from marketplace.api_v1.services import own
from marketplace.api_v1.views_common import bp, envelope, token_required
from marketplace.listings.services import allowed_moves
from marketplace.models import Need, SkillOffer
from marketplace.pairings.services.access import parties_of

SECURED = {"security": [{"jeton": []}], "tags": ["Mes données (jeton)"]}
OfferPage = schemas.page_of(schemas.OfferSchema, "OfferPage")
NeedPage = schemas.page_of(schemas.NeedSchema, "NeedPage")
SuggestionPage = schemas.page_of(schemas.SuggestionSchema, "SuggestionPage")
PairingPage = schemas.page_of(schemas.PairingSchema, "PairingPage")

EXTRA = {"offers": ("days_per_month", "available_from", "available_until", "max_distance_km"),
         "needs": ("estimated_days", "start_date", "deadline")}


def _listing(kind_name: str, item) -> dict:
    data = {name: getattr(item, name) for name in ("id", "status", "title", "description", "domain", "modality",
                                                   "collectivity_id", "published_at", "created_at", "updated_at")}
    data.update({name: getattr(item, name) for name in EXTRA[kind_name]})
    data["tags"] = list(item.tags or [])
    data["allowed_moves"] = list(allowed_moves(item))
    data["url"] = url_for(f"{kind_name}.detail", item_id=item.id, _external=True)
    return data


def _listing_routes(kind_name: str, label: str, page_schema, item_schema, input_schema, patch_class) -> None:
    """The five routes of one kind (offers or needs), documented in French."""
    base = f"/me/{'offres' if kind_name == 'offers' else 'besoins'}"
    patch_schema = patch_class(partial=True)

    def list_items(page: int, per_page: int):
        result = own.own_items(kind_name, g.api_user, page, per_page)
        return envelope(result, [_listing(kind_name, item) for item in result.items])

    def create_item(data: dict):
        return _listing(kind_name, own.create(kind_name, g.api_user, data)), 201

    def get_item(item_id: int):
        return _listing(kind_name, own.get_own(kind_name, g.api_user, item_id))

    def update_item(data: dict, item_id: int):
        return _listing(kind_name, own.update(kind_name, g.api_user, item_id, data))

    def move_item(data: dict, item_id: int):
        return _listing(kind_name, own.change_status(kind_name, g.api_user, item_id, data["status"]))

    list_items.__doc__ = f"Mes {label}\n\nTous statuts, les dernières modifiées d'abord."
    create_item.__doc__ = (f"Créer : {label}\n\nUn brouillon, ou publié si `publish` est vrai (mêmes règles que "
                           "sur le site : rôle dans la collectivité, adresse vérifiée...).")
    get_item.__doc__ = f"Lire : {label}"
    update_item.__doc__ = f"Modifier : {label}\n\nSeuls les champs envoyés changent."
    move_item.__doc__ = (f"Changer le statut : {label}\n\nPublier, mettre en pause, archiver, clore... "
                         "`allowed_moves` donne les statuts possibles.")
    for view in (list_items, create_item, get_item, update_item, move_item):
        view.__name__ = f"{kind_name}_{view.__name__}"

    def add(rule: str, method: str, view, scope: str, *decorators) -> None:
        # The token is checked before the input: an anonymous caller learns nothing of the schema.
        for decorator in reversed(decorators):
            view = decorator(view)
        bp.route(rule, methods=[method], endpoint=view.__name__)(bp.doc(**SECURED)(token_required(scope)(view)))

    add(base, "GET", list_items, "read",
        bp.arguments(schemas.PageQuery, location="query", as_kwargs=True), bp.response(200, page_schema))
    add(base, "POST", create_item, "write", bp.arguments(input_schema), bp.response(201, item_schema))
    add(f"{base}/<int:item_id>", "GET", get_item, "read", bp.response(200, item_schema))
    add(f"{base}/<int:item_id>", "PATCH", update_item, "write", bp.arguments(patch_schema),
        bp.response(200, item_schema))
    add(f"{base}/<int:item_id>/statut", "POST", move_item, "write", bp.arguments(schemas.StatusInput),
        bp.response(200, item_schema))


_listing_routes("offers", "offres de compétences", OfferPage, schemas.OfferSchema, schemas.OfferInput,
                schemas.OfferPatch)
_listing_routes("needs", "besoins", NeedPage, schemas.NeedSchema, schemas.NeedInput, schemas.NeedPatch)


@bp.get("/me/suggestions")
@bp.doc(**SECURED)
@token_required("read")
@bp.arguments(schemas.SuggestionQuery, location="query", as_kwargs=True)
@bp.response(200, SuggestionPage)
def suggestions(page: int, per_page: int, offer_id: int | None = None, need_id: int | None = None):
    """Les suggestions que je peux voir

    Sur mes offres, mes besoins et les besoins des collectivités dont je suis référent ; les
    meilleures d'abord. Filtrables par `offer_id` ou `need_id`.
    """
    result = own.visible_suggestions(g.api_user, page, per_page, offer_id, need_id)
    offers = own.titles(SkillOffer, [s.offer_id for s in result.items])
    needs = own.titles(Need, [s.need_id for s in result.items])
    return envelope(result, [{
        "id": s.id, "offer": {"id": s.offer_id, "title": offers.get(s.offer_id, "")},
        "need": {"id": s.need_id, "title": needs.get(s.need_id, "")},
        "score": round(s.score, 3), "reasons": s.reasons or {}, "updated_at": s.updated_at,
    } for s in result.items])


@bp.get("/me/rapprochements")
@bp.doc(**SECURED)
@token_required("read")
@bp.arguments(schemas.PageQuery, location="query", as_kwargs=True)
@bp.response(200, PairingPage)
def pairings(page: int, per_page: int):
    """Mes rapprochements et leur état

    Ceux où je suis partie (agent, employeur ou collectivité d'accueil), les plus récents d'abord,
    avec les consentements donnés et l'état de la mise à disposition.
    """
    user = g.api_user
    result = own.own_pairings(user, page, per_page)
    return envelope(result, [{
        "id": p.id, "status": p.status, "decided_at": p.decided_at,
        "offer": {"id": p.offer.id, "title": p.offer.title}, "need": {"id": p.need.id, "title": p.need.title},
        "parties": parties_of(user, p),
        "consents": [{"party": c.party, "decision": c.decision, "decided_at": c.decided_at} for c in p.consents],
        "engagement_status": p.engagement.status if p.engagement is not None else None,
        "url": url_for("pairings.detail", pairing_id=p.id, _external=True),
    } for p in result.items])
