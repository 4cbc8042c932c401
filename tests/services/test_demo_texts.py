"""The demo's texts: coherent profiles, varied wording, distinct titles, jargon against plain words.

Pure tests over the plan (no database): what a reader of the demo notices first, and what made
the lexical scores of the old demo meaningless (template sentences in hundreds of items).
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from marketplace.demo.collectivities import PLACES, place_key
from marketplace.demo.generator import build_plan, profiles
from marketplace.demo.paraphrases import PARAPHRASE_PAIRS
from marketplace.demo.phrases import NEED_ANGLES, OFFER_ANGLES
from marketplace.demo.showcase import SHOWCASE_NEEDS, SHOWCASE_OFFERS
from marketplace.demo.skills import CATALOGUE
from marketplace.demo.writing import gendered
from matching.text import tokens

# "A handful of items" (issue 12 §5): above these, a sentence or a run of words is a template.
MAX_ITEMS_SHARING_A_SENTENCE = 6
MAX_ITEMS_SHARING_EIGHT_WORDS = 8
PLACE = {place_key(p): p for p in PLACES}
ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]")  # PAPI, VRD, EGalim: two capitals or more


@pytest.fixture(scope="module")
def plan():
    return build_plan()


def _sentences(text: str) -> set[str]:
    return {s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()}


def _shingles(text: str, size: int = 8) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def _family(title: str):
    """The skill family and domain of a generated title (a base title, maybe with an angle)."""
    for domain, skills in CATALOGUE.items():
        for family in skills.families:
            bases = list(family.offers) + [t if isinstance(t, str) else t[1] for t in family.needs]
            for base in bases:
                if title == base or any(title == base + angle for angle in OFFER_ANGLES + NEED_ANGLES):
                    return domain, family
    return None, None


def test_no_sentence_and_no_run_of_eight_words_repeats_beyond_a_handful(plan):
    items = plan.offers + plan.needs
    sentences, shingles = Counter(), Counter()
    for item in items:
        sentences.update(_sentences(item.description))
        shingles.update(_shingles(item.description))
    sentence, count = sentences.most_common(1)[0]
    assert count <= MAX_ITEMS_SHARING_A_SENTENCE, (sentence, count)
    run, count = shingles.most_common(1)[0]
    assert count <= MAX_ITEMS_SHARING_EIGHT_WORDS, (run, count)


def test_the_measure_catches_a_template_sentence(plan):
    # The check above fails on the old demo's habit: one sentence pasted into many items.
    pasted = [item.description + " Intervention à distance par visioconférence, avec partage de documents."
              for item in plan.offers[:MAX_ITEMS_SHARING_A_SENTENCE + 1]]
    counts = Counter(s for text in pasted for s in _sentences(text))
    assert max(counts.values()) > MAX_ITEMS_SHARING_A_SENTENCE


def test_titles_are_distinct(plan):
    for items in (plan.offers, plan.needs):
        titles = Counter(item.title for item in items)
        assert titles.most_common(1)[0][1] == 1, titles.most_common(3)


def test_every_generated_listing_fits_its_collectivity_and_its_author(plan):
    written = {o.title for o in SHOWCASE_OFFERS} | {o.title for _n, o in PARAPHRASE_PAIRS}
    written |= {n.title for n in SHOWCASE_NEEDS} | {n.title for n, _o in PARAPHRASE_PAIRS}
    domains_of_agent: dict[str, set[str]] = {}
    for item in plan.offers + plan.needs:
        if item.title in written:
            continue
        domain, family = _family(item.title)
        assert family is not None, item.title
        kind = item.collectivity[0]
        assert item.domain == domain and kind in family.kinds, (item.title, kind)
        assert set(item.tags) <= set(family.tags)
        if item in plan.offers:
            domains_of_agent.setdefault(item.owner_email, set()).add(domain)
            # The job named in the text is one of the domain's jobs that practises this family.
            jobs = [gendered(job, feminine) for index, job in enumerate(CATALOGUE[domain].jobs)
                    if family.practised_by(index) for feminine in (False, True)]
            assert any(job.lower() in item.description.lower() for job in jobs), item.description
    # One agent, one trade: no procurement lawyer offering CAF coordination.
    assert all(len(domains) == 1 for domains in domains_of_agent.values())


@pytest.mark.parametrize("words, kinds", [
    ("routes communales", {"commune"}), ("secrétaire de mairie", {"commune"}),
    ("communes membres", {"epci", "groupement"}), ("lycées", {"region", "statut_particulier"}),
    ("collèges", {"departement"}), ("PCAET", {"epci"}),
])
def test_words_of_one_kind_of_collectivity_stay_there(plan, words, kinds):
    for item in plan.offers + plan.needs:
        if words in item.title + " " + item.description:
            assert item.collectivity[0] in kinds, (words, item.collectivity, item.title)


def test_every_kind_has_jobs_and_asks(plan):
    for kind in ("commune", "epci", "departement", "region", "statut_particulier", "groupement"):
        assert profiles(kind), kind
    for skills in CATALOGUE.values():
        for family in skills.families:
            for kind in family.kinds:
                assert family.asks_for(kind) and family.need_titles(kind), (family.offers[0], kind)


def test_agents_write_acronyms_the_way_they_use_them(plan):
    texts = [item.title + " " + item.description for item in plan.offers + plan.needs]
    for acronym in ("PAT", "RIFSEEP", "DCE", "GEMAPI", "ABS", "ZAN", "RGPD", "PLUi", "FEDER", "CCAS"):
        bare = [t for t in texts if re.search(rf"\b{acronym}\b", t)]
        assert len(bare) >= 3, acronym
    joined = " ".join(texts)
    for phrase in ("notre PAT", "refonte du RIFSEEP", "DCE pour la restauration scolaire"):
        assert phrase.lower() in joined.lower(), phrase


def test_needs_in_plain_words_whose_best_offer_speaks_jargon(plan):
    assert len(PARAPHRASE_PAIRS) >= 12
    needs, offers = {n.title for n in plan.needs}, {o.title for o in plan.offers}
    for need, offer in PARAPHRASE_PAIRS:
        assert need.title in needs and offer.title in offers
        assert need.place != offer.place and need.domain == offer.domain
        asked = set(tokens(need.title + " " + need.description))
        offered = set(tokens(offer.title + " " + offer.description))
        # At most a few shared words: the answer uses the trade's words, the need has no acronym.
        assert len(asked & offered) <= 3, (need.title, asked & offered)
        assert not re.search(ACRONYM, need.title + need.description), need.title


def test_the_six_showcase_needs_sit_in_the_coordinator_territory_with_three_answers():
    assert len({need.domain for need in SHOWCASE_NEEDS}) == 6
    for need in SHOWCASE_NEEDS:
        assert set(PLACE[need.place].regions) & {"53"}
        answers = [o for o in SHOWCASE_OFFERS if set(o.tags) & set(need.tags)]
        assert len(answers) >= 3 and all(o.place != need.place for o in answers), need.key
