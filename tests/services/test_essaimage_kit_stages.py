"""Stages of spreading, computed from the reuses: every threshold tested at its boundary."""
from __future__ import annotations

import pytest

from marketplace.essaimage.services import stages
from marketplace.practices.services import essaimage
from tests.fixtures.practices.helpers import make_sheet


@pytest.mark.parametrize("collectivities, departements, regions, expected", [
    (1, 1, 1, "local"),
    (1, 5, 4, "local"),            # one large collectivity alone does not spread
    (2, 1, 1, "several"),
    (2, 3, 3, "several"),          # 3 régions but 2 collectivities: still "several"
    (3, 1, 1, "departemental"),
    (3, 2, 2, "departemental"),    # 2 départements: one short of régional
    (3, 3, 1, "regional"),
    (4, 3, 2, "regional"),         # 2 régions: one short of national
    (3, 3, 3, "national"),
    (3, 1, 3, "national"),
])
def test_stage_thresholds(collectivities, departements, regions, expected):
    assert stages.stage_of(collectivities, departements, regions) == expected


def _rep(make_user, place):
    return make_user(roles=[("representative", place)])


def test_stage_moves_with_each_declared_reuse(app, make_user, make_collectivity):
    lyon = make_collectivity("Lyon", departements=("69",), regions=("84",))
    villeurbanne = make_collectivity("Villeurbanne", departements=("69",), regions=("84",))
    grenoble = make_collectivity("Grenoble", departements=("38",), regions=("84",))
    annecy = make_collectivity("Annecy", departements=("74",), regions=("84",))
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    lille = make_collectivity("Lille", departements=("59",), regions=("32",))
    sheet = make_sheet(make_user(roles=[("agent", lyon)]), lyon)
    assert stages.reach_of(sheet).stage == "local"

    seen = []
    for place in (villeurbanne, grenoble, annecy, rennes, lille):
        essaimage.declare_reuse(sheet, _rep(make_user, place), place.id, "inspired")
        seen.append(stages.reach_of(sheet).stage)
    # Villeurbanne: 2 collectivities; Grenoble: 3 in 2 départements; Annecy: 3rd département;
    # Rennes: 2 régions only; Lille: the 3rd région.
    assert seen == ["several", "departemental", "regional", "regional", "national"]
    reach = stages.reach_of(sheet)
    assert (len(reach.collectivities), reach.departements, reach.regions) == (
        6, {"69", "38", "74", "35", "59"}, {"84", "53", "32"})

    essaimage.withdraw_reuse(sheet, _rep(make_user, lille), lille.id)
    assert stages.reach_of(sheet).stage == "regional"


def test_an_epci_over_several_departements_counts_each(app, make_user, make_collectivity):
    origin = make_collectivity("Commune", departements=("01",), regions=("84",))
    epci = make_collectivity("CC des deux rives", kind="epci", code="200000172",
                             departements=("01", "38", "73"), regions=("84",))
    other = make_collectivity("Chambéry", departements=("73",), regions=("84",))
    sheet = make_sheet(make_user(roles=[("agent", origin)]), origin)
    essaimage.declare_reuse(sheet, _rep(make_user, epci), epci.id, "implemented")
    assert stages.reach_of(sheet).stage == "several"  # 3 départements, but 2 collectivities
    essaimage.declare_reuse(sheet, _rep(make_user, other), other.id, "inspired")
    assert stages.reach_of(sheet).stage == "regional"


def test_bulk_reaches_match_single_ones(app, make_user, make_collectivity):
    lyon = make_collectivity("Lyon", departements=("69",), regions=("84",))
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    author = make_user(roles=[("agent", lyon)])
    first, second = make_sheet(author, lyon), make_sheet(author, lyon, title="Autre")
    essaimage.declare_reuse(first, _rep(make_user, rennes), rennes.id, "inspired")
    everything = stages.reaches()
    assert everything[first.id] == stages.reach_of(first)
    assert everything[second.id] == stages.reach_of(second)
    assert (everything[first.id].stage, everything[second.id].stage) == ("several", "local")
