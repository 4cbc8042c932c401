"""core/phrases.py: translations and numbers looked up once per page give exactly what Flask-Babel
and Jinja's i18n extension give, in either language, escaped the same way."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale, gettext, ngettext

from marketplace.core import taxonomy
from marketplace.core.phrases import Phrases
from marketplace.core.templating import number

TEXTS = ["Suggestions à examiner", "Pertinence %(score)s", "Demandé par la collectivité d'accueil",
         "un texte que le catalogue ne connaît pas"]
TEMPLATE = ("{{ _('Pertinence %(score)s', score=s) }}|{{ _(\"Demandé par la collectivité d'accueil\") }}|"
            "{{ ngettext('%(num)s suggestion', '%(num)s suggestions', n) }}|{{ gettext('Choisir') }}|"
            "{{ x|number }}|{{ x|number(1) }}|{% trans %}Choisir{% endtrans %}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_same_texts_and_numbers_as_flask_babel(app, language):
    with app.test_request_context(), force_locale(language):
        say = Phrases()
        for msgid in TEXTS:
            for _twice in range(2):  # the second one comes from the page's memory
                assert say.gettext(msgid, score="0,5") == gettext(msgid, score="0,5")
        assert say.gettext("Pertinence %(score)s", score="0,7") == gettext("Pertinence %(score)s", score="0,7")
        for n in (0, 1, 2, 5):
            assert (say.ngettext("%(num)s suggestion", "%(num)s suggestions", n)
                    == ngettext("%(num)s suggestion", "%(num)s suggestions", n))
        for value in (0.5, 2, 2.0, 1234.567, Decimal("2.50"), 0.125, None):
            for digits in (0, 1, 2):
                assert say.number(value, digits) == say.number(value, digits) == number(value, digits)
        for key in ("remote", "hybrid", "not-a-key", None):
            assert say.label(taxonomy.MODALITIES, key) == taxonomy.label(taxonomy.MODALITIES, key)
    assert Phrases().number(2.5) == number(2.5)  # outside force_locale: the default language


@pytest.mark.parametrize("language", ["fr", "en"])
def test_templates_render_as_with_the_i18n_extension(app, language):
    """render_template_string goes through the context processor (the page's Phrases); the
    environment's own render does not (the i18n extension's callables): the same HTML."""
    values = {"s": "<b>0,5</b>", "n": 3, "x": 1234.5}
    with app.test_request_context(), force_locale(language):
        mine = render_template_string(TEMPLATE, **values)
        extension = app.jinja_env.from_string(TEMPLATE).render(**values)
    assert mine == extension and "&lt;b&gt;" in mine and "<b>" not in mine
    assert ("1 234,5" if language == "fr" else "1,234.5") in mine.replace("\u202f", " ").replace("\xa0", " ")


def test_a_rendering_takes_the_language_current_when_it_starts(app):
    with app.test_request_context():
        with force_locale("en"):
            english = render_template_string("{{ _('Suggestions à examiner') }}")
        french = render_template_string("{{ _('Suggestions à examiner') }}")
    assert french == "Suggestions à examiner" and english != french and english == "Suggestions to review"
