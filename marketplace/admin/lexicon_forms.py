"""Forms of the acronym dictionary proposals (the service checks duplicates and markup)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from marketplace.core.forms import CleanText

KIND_LABELS = {"sigle": _l("Sigle"), "abreviation": _l("Abréviation"), "synonyme": _l("Synonyme")}


class LexiconProposalForm(FlaskForm):
    term = StringField(_l("Sigle ou terme"), validators=[CleanText(), Length(max=80)])
    expansion = StringField(_l("Développement"), validators=[CleanText(), Length(max=300)])
    # Checked by the service, with a French message (no English WTForms "Not a valid choice").
    kind = SelectField(_l("Type"), default="sigle", validate_choice=False, choices=list(KIND_LABELS.items()))
    domain = StringField(_l("Domaine (facultatif)"), validators=[CleanText(), Length(max=80)])
    source = StringField(_l("Source (facultatif)"), validators=[CleanText(), Length(max=200)])
    comment = TextAreaField(_l("Commentaire (facultatif)"), validators=[CleanText(), Length(max=2000)])

    def fields(self) -> dict:
        return {name: getattr(self, name).data for name in ("term", "expansion", "kind", "domain", "source", "comment")}


class LexiconDecisionForm(FlaskForm):
    reason = TextAreaField(_l("Motif (obligatoire pour refuser)"), validators=[CleanText(), Length(max=2000)])
    accept = SubmitField(_l("Accepter"))
    refuse = SubmitField(_l("Refuser"))
