"""Forms of the essaimage kit: the readiness checklist and the filters of the /essaimage/ list."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from marketplace.core.forms import CleanText, parse_int
from marketplace.essaimage.services.kit import READINESS_THRESHOLDS
from marketplace.essaimage.services.readiness import ITEM_LABELS, STATUS_LABELS
from marketplace.essaimage.services.stages import STAGE_LABELS
from marketplace.models.essaimage import READINESS_COMMENT_MAX, READINESS_ITEMS


class ChecklistForm(FlaskForm):
    """One status (radio buttons) and one comment per item: fields status_<item>, comment_<item>."""

    def entries(self) -> dict[str, dict]:
        return {item: {"status": self[f"status_{item}"].data, "comment": self[f"comment_{item}"].data or ""}
                for item in READINESS_ITEMS}

    def fill(self, checklist: list[dict]) -> None:
        for row in checklist:
            self[f"status_{row['item']}"].data = row["status"]
            self[f"comment_{row['item']}"].data = row["comment"]


# Checked here rather than by WTForms' own choice check, whose message is in English.
_CHOOSE_STATUS = _l("Choisissez « À faire », « En partie » ou « Prêt ».")
for _item in READINESS_ITEMS:
    setattr(ChecklistForm, f"status_{_item}", RadioField(
        ITEM_LABELS[_item], choices=list(STATUS_LABELS.items()), default="todo", validate_choice=False,
        validators=[InputRequired(_CHOOSE_STATUS), AnyOf(list(STATUS_LABELS), message=_CHOOSE_STATUS)]))
    setattr(ChecklistForm, f"comment_{_item}", TextAreaField(
        _l("Commentaire"), render_kw={"rows": 3, "maxlength": READINESS_COMMENT_MAX},
        validators=[Optional(), CleanText(), Length(max=READINESS_COMMENT_MAX, message=_l(
            "Le commentaire fait au plus %(n)s caractères.", n=READINESS_COMMENT_MAX))]))


class KitFilterForm(FlaskForm):
    """The filters of the list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    etape = SelectField(_l("Étape d'essaimage"), validate_choice=False, validators=[
        Optional(), AnyOf(list(STAGE_LABELS), message=_l("Choisissez une étape dans la liste."))],
        choices=[("", _l("Toutes les étapes"))] + list(STAGE_LABELS.items()))
    preparation = SelectField(_l("Préparation au moins égale à"), validate_choice=False, validators=[
        Optional(), AnyOf([str(t) for t in READINESS_THRESHOLDS], message=_l("Choisissez un seuil dans la liste."))],
        choices=[("", _l("Peu importe"))] + [(str(t), f"{t} %") for t in READINESS_THRESHOLDS])

    def stage(self) -> str | None:
        return self.etape.data or None

    def min_score(self) -> int | None:
        return parse_int(self.preparation.data, 0, 100)  # None for empty or anything but a score
