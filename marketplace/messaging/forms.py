"""Forms of the messaging. Messages are French first, through Babel; the services check again."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.core.forms import CleanText
from marketplace.messaging.services.conversations import BODY_MAX
from marketplace.messaging.services.reports import COMMENT_MAX, DECISION_REASON_MAX, DECISIONS, REASONS


def _length(n: int):
    return Length(max=n, message=_l("Ce texte fait au plus %(n)s caractères.", n=n))


class MessageForm(FlaskForm):
    token = HiddenField()
    body = TextAreaField(_l("Votre message"), validators=[
        InputRequired(_l("Écrivez votre message.")), CleanText(), _length(BODY_MAX)], render_kw={"rows": 6})
    file = FileField(_l("Joindre un fichier (facultatif)"), description=_l(
        "PDF, image, document bureautique ou texte, 10 Mo au plus. Seuls vous deux pourrez le télécharger."))

    def fresh(self) -> "MessageForm":
        """A new token per page shown: the same form sent twice adds one message."""
        if not self.token.data:
            self.token.data = secrets.token_hex(16)
        return self


class ReportForm(FlaskForm):
    reason = RadioField(_l("Motif du signalement"), choices=list(REASONS.items()),
                        validators=[InputRequired(_l("Choisissez un motif."))])
    comment = TextAreaField(_l("Précisez ce qui pose problème (facultatif)"),
                            validators=[Optional(), CleanText(), _length(COMMENT_MAX)], render_kw={"rows": 4})


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Décision"), choices=list(DECISIONS.items()),
                          validators=[InputRequired(_l("Choisissez une décision."))])
    reason = StringField(_l("Raison (gardée dans le journal)"), validators=[
        InputRequired(_l("Indiquez la raison : elle est gardée dans le journal.")), CleanText(),
        _length(DECISION_REASON_MAX)])
