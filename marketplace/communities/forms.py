"""Forms of the communities. Messages are French first, through Babel; the services check again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.core.forms import CleanText
from marketplace.core.taxonomy import DOMAINS


class FrenchDateTimeField(DateTimeLocalField):
    """A date and time typed in the browser; a malformed value gets a French message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Indiquez une date et une heure valides (ex. : 14/03/2027 à 10:00).")) from None


def _length(n: int):
    return Length(max=n, message=_l("Ce texte fait au plus %(n)s caractères.", n=n))


class CommunityForm(FlaskForm):
    name = StringField(_l("Nom de la communauté"), validators=[
        DataRequired(_l("Donnez un nom à la communauté.")), CleanText(), _length(120)])
    domain = SelectField(_l("Domaine"), choices=[("", _l("— Thème libre —"))] + list(DOMAINS.items()),
                         validate_choice=False)
    theme = StringField(_l("Thème (si aucun domaine ne convient, ou pour préciser)"),
                        validators=[Optional(), CleanText(), _length(120)])
    departements = StringField(_l("Départements (codes séparés par des virgules, facultatif)"),
                               validators=[Optional(), CleanText(), _length(200)],
                               description=_l("Ex. : 69, 2A, 971"))
    regions = StringField(_l("Régions (codes séparés par des virgules, facultatif)"),
                          validators=[Optional(), CleanText(), _length(100)], description=_l("Ex. : 84"))
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(_l("Décrivez la communauté : à qui elle s'adresse, ce qu'on y partage.")), CleanText(),
        _length(10_000)], render_kw={"rows": 6})
    is_open = BooleanField(_l("Adhésion libre (décochez pour valider chaque demande)"), default=True)

    def community_data(self) -> dict:
        return {name: self[name].data for name in
                ("name", "domain", "theme", "departements", "regions", "description", "is_open")}


class JoinForm(FlaskForm):
    message = TextAreaField(_l("Message aux modérateurs (facultatif)"),
                            validators=[Optional(), CleanText(), _length(500)], render_kw={"rows": 3})


class ThreadForm(FlaskForm):
    title = StringField(_l("Titre de la discussion"), validators=[
        DataRequired(_l("Donnez un titre à la discussion.")), CleanText(), _length(200)])
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Écrivez votre message.")), CleanText(), _length(10_000)], render_kw={"rows": 8})


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Votre réponse"), validators=[
        DataRequired(_l("Écrivez votre message.")), CleanText(), _length(10_000)], render_kw={"rows": 5})


class ReasonForm(FlaskForm):
    """Moderation acts and reports: a reason is always given."""

    reason = StringField(_l("Raison"), validators=[
        DataRequired(_l("Indiquez la raison.")), CleanText(), _length(500)])


class DecisionForm(FlaskForm):
    reason = StringField(_l("Raison (facultatif)"), validators=[Optional(), CleanText(), _length(500)])


class FileForm(FlaskForm):
    file = FileField(_l("Fichier"), validators=[FileRequired(_l("Choisissez un fichier."))])
    title = StringField(_l("Titre (facultatif)"), validators=[Optional(), CleanText(), _length(200)])


class LinkForm(FlaskForm):
    url = StringField(_l("Adresse du lien"), validators=[
        DataRequired(_l("Indiquez une adresse web commençant par http:// ou https://.")), CleanText(),
        _length(1000)])
    title = StringField(_l("Titre du lien"), validators=[
        DataRequired(_l("Donnez un titre au lien.")), CleanText(), _length(200)])


class SheetForm(FlaskForm):
    sheet_id = StringField(_l("Numéro de la fiche pratique"), validators=[
        DataRequired(_l("Indiquez le numéro d'une fiche pratique (ex. : 12).")), _length(12)])


class MeetingForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Donnez un titre à la réunion.")), CleanText(),
                                                  _length(200)])
    starts_at = FrenchDateTimeField(
        _l("Date et heure (heure de Paris)"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired(_l("Indiquez une date et une heure valides (ex. : 14/03/2027 à 10:00)."))])
    place = StringField(_l("Lieu"), validators=[Optional(), CleanText(), _length(300)])
    video_url = StringField(_l("Lien de visioconférence"), validators=[Optional(), CleanText(), _length(1000)])
    agenda = TextAreaField(_l("Ordre du jour"), validators=[Optional(), CleanText(), _length(20_000)],
                           render_kw={"rows": 6})

    def meeting_data(self) -> dict:
        return {name: self[name].data for name in ("title", "starts_at", "place", "video_url", "agenda")}


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Compte rendu"), validators=[
        DataRequired(_l("Écrivez le compte rendu.")), CleanText(), _length(20_000)], render_kw={"rows": 10})


class FollowForm(FlaskForm):
    """A button: follow or stop following (the value travels in the URL)."""


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Rechercher dans les discussions"), validators=[Optional(), _length(200)])
