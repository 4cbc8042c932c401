"""The "sens proche" reason as coordinators read it in their queue, and in the JSON feed of a need."""
from __future__ import annotations

import pytest

from marketplace.core.extensions import db
from marketplace.models import Suggestion
from matching import Reasons
from tests.workers import factories


@pytest.fixture
def pair(make_collectivity, make_user, matching_index_dir):
    lyon, bron = make_collectivity("Lyon"), make_collectivity("Bron")
    people = {"author": make_user(roles=[("representative", lyon)]), "agent": make_user(roles=[("agent", bron)]),
              "coordinator": make_user(roles=[("coordinator", {"departements": ["69"]})]),
              "stranger": make_user(roles=[("representative", bron)])}
    offer = factories.offer(people["agent"], bron, subject=0)
    need = factories.need(people["author"], lyon, subject=0)
    reasons = Reasons(tags=("urbanisme",), meaning=("recruter un agent <script>x</script>", "embauche de personnel"))
    people["suggestion"] = Suggestion(offer_id=offer.id, need_id=need.id, score=0.4, reasons=reasons.to_dict())
    db.session.add(people["suggestion"])
    db.session.commit()
    people["need"] = need
    return people


def test_coordinator_reads_the_two_phrases_escaped(client, login, pair):
    login(pair["coordinator"])
    page = client.get(f"/coordination/suggestions/{pair['suggestion'].id}").get_data(as_text=True)
    assert "sens proche : « recruter un agent &lt;script&gt;x&lt;/script&gt; » et « embauche de personnel »" in page
    assert "<script>x</script>" not in page


def test_feed_carries_the_phrases_only_for_those_who_may_see_it(client, login, pair):
    url = f"/notifications/suggestions/besoins/{pair['need'].id}.json"
    login(pair["author"])
    response = client.get(url)
    assert response.status_code == 200
    [row] = response.get_json()["suggestions"]
    assert row["reasons"]["meaning_text"].startswith("sens proche : « recruter un agent")
    client.client.delete_cookie("session")
    login(pair["stranger"])
    assert client.get(url).status_code == 404
