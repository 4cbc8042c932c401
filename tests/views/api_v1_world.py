"""Shared data for the /api/v1/ tests: the pairing world, a published practice sheet with a reuse,
and tokens created through the token service."""
from __future__ import annotations

from marketplace.api_v1.services import tokens
from marketplace.core.extensions import db
from marketplace.models import PracticeReuse, PracticeSheet
from tests import pairing_world


def build(make_collectivity, make_user) -> dict:
    w = pairing_world.build(make_collectivity, make_user)
    sheet = PracticeSheet(title="Cantine bio en régie", summary="Passer à 50 % de bio", domain="alimentation_durable",
                          collectivity=w["host"], created_by_id=w["representative"].id, status="published",
                          tags=["cantine"])
    draft = PracticeSheet(title="Brouillon secret", summary="", domain="culture", collectivity=w["host"],
                          created_by_id=w["representative"].id, status="draft", tags=[])
    db.session.add_all([sheet, draft])
    db.session.flush()
    db.session.add(PracticeReuse(sheet_id=sheet.id, collectivity_id=w["lille"].id, declared_by_id=w["other_rep"].id))
    db.session.commit()
    w["sheet"], w["draft_sheet"] = sheet, draft
    return w


def token_for(user, scope="write") -> str:
    _token, secret = tokens.create_token(user, f"outil {scope}", scope)
    return secret


def bearer(secret: str, **headers) -> dict:
    return {"Authorization": f"Bearer {secret}", **headers}
