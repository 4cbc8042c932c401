"""Forms of the practices library. Messages are French first, through Babel."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import CleanText, FloatField, IdSelectField, IntegerField, TagsField, parse_id, parse_int
from marketplace.models.practices import CONTENT_FIELDS
from marketplace.core.taxonomy import DOMAINS

SHEET_STATUS_LABELS = {"draft": _l("Brouillon"), "published": _l("Publiée"), "archived": _l("Archivée")}
REUSE_STAGE_LABELS = {"inspired": _l("Je m'en inspire"), "implemented": _l("Mis en place")}
SORT_LABELS = {"spread": _l("Les plus essaimées"), "recent": _l("Les plus récentes"),
               "title": _l("Par titre"), "relevance": _l("Les plus pertinentes")}
PROSE = [Optional(), CleanText(), Length(max=20_000, message=_l("Ce texte fait au plus 20 000 caractères."))]


def optional_int(value):
    """An id from a select, or None when nothing was chosen (no error: the service says what is missing)."""
    return parse_id(value)


def _prose(label, description=""):
    return TextAreaField(label, validators=PROSE, description=description, render_kw={"rows": 6})


class SheetForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Donnez un titre à la fiche.")), CleanText(),
                                                  Length(max=200, message=_l("Le titre fait au plus 200 caractères."))])
    summary = _prose(_l("Résumé"))
    problem = _prose(_l("Le problème résolu"))
    actions = _prose(_l("Ce qui a été fait"))
    results = _prose(_l("Les résultats"))
    costs = _prose(_l("Les coûts"))
    days = FloatField(_l("Jours de travail consacrés"), validators=[
        Optional(), NumberRange(0, 10_000, message=_l("Indiquez un nombre de jours entre 0 et 10 000."))],
        render_kw={"inputmode": "decimal"})
    contacts = _prose(_l("Contacts"))
    collectivity_id = IdSelectField(_l("Collectivité où la pratique a été menée"))
    collectivity_query = StringField(
        _l("Ou une autre collectivité"), validators=[Optional(), CleanText(), Length(max=20)],
        description=_l("Code INSEE de la commune ou SIREN du groupement."))
    domain = SelectField(_l("Domaine"), choices=list(DOMAINS.items()),
                         validators=[InputRequired(_l("Choisissez un domaine dans la liste."))])
    tags = TagsField(_l("Mots-clés (séparés par des virgules)"))
    status = SelectField(_l("Statut"), choices=list(SHEET_STATUS_LABELS.items()), default="draft")
    comment = StringField(_l("Résumé de vos modifications"), validators=[
        Optional(), CleanText(), Length(max=300, message=_l("Le résumé fait au plus 300 caractères."))])
    base_revision = HiddenField()

    def __init__(self, *args, collectivities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.collectivity_id.choices = [(c.id, c.name) for c in collectivities]

    def sheet_data(self) -> dict:
        data = {name: getattr(self, name).data for name in CONTENT_FIELDS}
        data["status"] = self.status.data
        data["collectivity_query"] = self.collectivity_query.data
        return data

    def base_number(self) -> int:
        return base_number(self.base_revision)


class FileForm(FlaskForm):
    file = FileField(_l("Fichier"), validators=[FileRequired(_l("Choisissez un fichier."))])
    title = StringField(_l("Titre du document"), validators=[Optional(), CleanText(), Length(max=200)])


class LinkForm(FlaskForm):
    url = StringField(_l("Adresse web"), validators=[
        DataRequired(_l("Indiquez une adresse web.")),
        URL(require_tld=True, message=_l("Indiquez une adresse web commençant par http:// ou https://."))])
    link_title = StringField(_l("Titre du lien"), validators=[
        DataRequired(_l("Donnez un titre au lien.")), CleanText(), Length(max=200)])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Votre commentaire"), validators=[
        DataRequired(_l("Écrivez votre commentaire.")), CleanText(),
        Length(max=5000, message=_l("Un commentaire fait au plus 5000 caractères."))],
        render_kw={"rows": 4})


class ReuseForm(FlaskForm):
    collectivity_id = IdSelectField(_l("Collectivité"))
    stage = RadioField(_l("Où en êtes-vous ?"), choices=list(REUSE_STAGE_LABELS.items()), default="inspired",
                       validators=[InputRequired(_l("Choisissez « je m'en inspire » ou « mis en place »."))])


def base_number(field) -> int:
    """The revision number an edit started from; -1 (always stale) when missing or damaged."""
    value = parse_int(field.data, 0)
    return -1 if value is None else value


class TargetForm(FlaskForm):
    """A button posting a follow, unfollow, revert, withdraw or delete (carries the CSRF token)."""

    kind = HiddenField(validators=[CleanText(), Length(max=40)])
    key = HiddenField(validators=[CleanText(), Length(max=40)])
    item_id = IntegerField(validators=[Optional()])
    base_revision = HiddenField()

    def base_number(self) -> int:
        return base_number(self.base_revision)


class CollectionForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Donnez un titre à la collection.")),
                                                  CleanText(), Length(max=200)])
    description = TextAreaField(_l("Présentation"), validators=PROSE, render_kw={"rows": 4})


class CollectionItemForm(FlaskForm):
    target = SelectField(_l("Fiche ou ressource à ajouter"), validate_choice=False)
    note = StringField(_l("Note (facultative)"), validators=[Optional(), CleanText(), Length(max=300)])

    def ids(self) -> dict:
        kind, _sep, value = (self.target.data or "").partition(":")
        value = parse_id(value) or 0
        return {"sheet_id": value if kind == "sheet" else None,
                "attachment_id": value if kind == "attachment" else None}
