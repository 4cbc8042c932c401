"""Hard eligibility rules (`where`) over the indexed documents' meta (`meta.MetaColumns`).

Indexed documents' meta keys read here (all optional):
``collectivity`` (official code, e.g. commune INSEE code or SIREN), ``epci`` (SIREN),
``modality`` ("remote" | "on_site" | "both", French aliases accepted),
``days_available`` (number), ``lat``/``lon`` (degrees), ``max_distance_km`` (how far the
offer's agent travels for on-site work). Other keys are kept by the caller, not here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np

from .meta import BOTH, ON_SITE, REMOTE, UNKNOWN, MetaColumns, modality_code  # noqa: F401 (re-exported)
from .types import RuleFailure

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * np.pi / 180.0


@dataclass(frozen=True)
class Rules:
    """What an indexed document must satisfy to be returned (every field optional).

    - ``exclude_collectivity``: never return documents whose meta ``collectivity`` equals it.
    - ``exclude_epci``: never return documents whose meta ``epci`` equals it.
    - ``modality``: the asker's modality; "remote" keeps remote/both/unset documents,
      "on_site" keeps on_site/both/unset ones, "both" keeps all.
    - ``min_days``: keep documents with ``days_available >= min_days`` (unset days fail).
    - ``lat``/``lon``: the asker's place. When the work would be on site (the document
      is "on_site", or it is "both"/unset and ``modality`` is "on_site") and both sides
      have coordinates, the distance must be within the document's ``max_distance_km``
      (if set) and within ``max_distance_km`` here (if set).
    """

    exclude_collectivity: str | None = None
    exclude_epci: str | None = None
    modality: str | None = None
    min_days: float | None = None
    lat: float | None = None
    lon: float | None = None
    max_distance_km: float | None = None

    def __post_init__(self):
        modality_code(self.modality)
        if (self.lat is None) != (self.lon is None):
            raise ValueError("where: give both lat and lon, or neither")

    @classmethod
    def coerce(cls, where) -> "Rules | None":
        """Accept None, a Rules or a dict with Rules' field names."""
        if where is None or isinstance(where, Rules):
            return where
        if isinstance(where, dict):
            allowed = {f.name for f in fields(cls)}
            unknown = set(where) - allowed
            if unknown:
                raise TypeError(f"unknown where keys {sorted(unknown)}; allowed: {sorted(allowed)}")
            return cls(**where)
        raise TypeError(f"where must be None, a dict or Rules, not {type(where).__name__}")

    def to_dict(self) -> dict:
        """Plain dict of the set fields."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def rules_per_query(where, n: int) -> list[Rules | None]:
    """One rule set per query from ``where``: None, one rule set for all (a dict or
    ``Rules``), or a sequence with one rule set (or None) per query."""
    if where is None or isinstance(where, (dict, Rules)):
        return [Rules.coerce(where)] * n
    where = list(where)
    if len(where) != n:
        raise ValueError(f"where has {len(where)} rule sets for {n} documents")
    return [Rules.coerce(w) for w in where]


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km, vectorised over numpy arrays."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=np.float64)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


MODALITY_NAMES = {UNKNOWN: None, REMOTE: "remote", ON_SITE: "on_site", BOTH: "both"}
RULE_NAMES = ("collectivity", "epci", "modality", "days", "distance")


def _distances(cols: MetaColumns, rows: np.ndarray, rules: Rules, ok: np.ndarray):
    """(positions in ``rows``, distances in km, accepted limits in km) of the rows where the
    distance rule applies: the work would be on site and both sides have coordinates."""
    mod = cols["modality"][rows]
    wanted = modality_code(rules.modality)
    on_site = (mod == ON_SITE) | ((mod != REMOTE) & (wanted == ON_SITE))
    idx = np.flatnonzero(ok & on_site & ~np.isnan(cols["lat"][rows]))
    r = rows[idx]
    dist = haversine_km(rules.lat, rules.lon, cols["lat"][r], cols["lon"][r])
    limit = cols["max_km"][r]
    limit = np.where(np.isnan(limit), np.inf, limit)
    if rules.max_distance_km is not None:
        limit = np.minimum(limit, rules.max_distance_km)
    return idx, dist, limit


def checks(cols: MetaColumns, rows: np.ndarray, rules: Rules | None, with_distance: bool = True) -> dict[str, np.ndarray]:
    """Per hard rule that ``rules`` sets, a boolean mask over ``rows``: True where the row passes.

    One implementation for filtering (`eligible`) and for telling why a row was excluded
    (`failures`).
    """
    out: dict[str, np.ndarray] = {}
    if rules is None:
        return out
    if rules.exclude_collectivity is not None:
        out["collectivity"] = cols["collectivity"][rows] != cols.lookup("collectivity", rules.exclude_collectivity)
    if rules.exclude_epci is not None:
        out["epci"] = cols["epci"][rows] != cols.lookup("epci", rules.exclude_epci)
    wanted = modality_code(rules.modality)
    if wanted in (REMOTE, ON_SITE):
        mod = cols["modality"][rows]
        out["modality"] = (mod == wanted) | (mod == BOTH) | (mod == UNKNOWN)
    if rules.min_days is not None:
        out["days"] = cols["days"][rows] >= rules.min_days
    if rules.lat is not None and with_distance:
        # distance is only checked where the modality allows on-site work at all
        passes = out.get("modality", np.ones(len(rows), dtype=bool))
        ok = np.ones(len(rows), dtype=bool)
        at = np.flatnonzero(passes)
        ok[at] = _within_reach(cols, rows[at], rules)
        out["distance"] = ok
    return out


def _within_reach(cols: MetaColumns, rows: np.ndarray, rules: Rules) -> np.ndarray:
    """Mask over ``rows``: True where the distance rule passes or does not apply.

    Same outcome as comparing every haversine distance of `_distances` with its limit, but
    the latitudes alone give a lower bound of the distance (the meridian arc), which rules
    out most far rows with one subtraction: the trigonometry runs only on the others.
    """
    lat = cols["lat"][rows]
    mod = cols["modality"][rows]
    on_site = (mod == ON_SITE) | ((mod != REMOTE) & (modality_code(rules.modality) == ON_SITE))
    limit = cols["max_km"][rows]
    limit = np.where(np.isnan(limit), np.inf, limit)
    if rules.max_distance_km is not None:
        limit = np.minimum(limit, rules.max_distance_km)
    applies = on_site & ~np.isnan(lat) & (limit < np.inf)
    # the great-circle distance is at least the meridian arc between the two latitudes
    # (the margin keeps the bound below the haversine despite rounding)
    far = applies & (np.abs(lat - rules.lat) * (KM_PER_DEGREE * (1 - 1e-9)) > limit)
    ok = ~far
    near = np.flatnonzero(applies & ~far)
    dist = haversine_km(rules.lat, rules.lon, lat[near], cols["lon"][rows[near]])
    ok[near[dist > limit[near]]] = False
    return ok


def eligible(cols: MetaColumns, rows: np.ndarray, rules: Rules | None) -> np.ndarray:
    """Boolean mask over ``rows``: alive and satisfying ``rules``.

    The cheap rules (codes, modality, days) run first over all ``rows``; the distance only
    over the rows that pass them.
    """
    ok = cols["alive"][rows].copy()
    if rules is None:
        return ok
    for mask in checks(cols, rows, rules, with_distance=False).values():
        ok &= mask
    if rules.lat is not None:
        live = np.flatnonzero(ok)
        ok[live] = _within_reach(cols, rows[live], rules)
    return ok


def kernel_rules(cols: MetaColumns, rules: Rules | None) -> tuple:
    """The meta columns and the rules as the plain arrays that `kernels.search_main` reads:
    (alive, packed meta, modality_ok, params); see `kernels._search` for their layout."""
    wanted = modality_code(rules.modality) if rules is not None else UNKNOWN
    modality_ok = np.ones(4, dtype=np.bool_)
    if wanted in (REMOTE, ON_SITE):
        modality_ok[:] = False
        modality_ok[[wanted, BOTH, UNKNOWN]] = True
    no_rule = -3  # matches no code (unset codes are -1, unseen ones -2)
    coll_x = epci_x = no_rule
    min_days = qlat = qlon = float("nan")
    max_dist = float("inf")
    if rules is not None:
        if rules.exclude_collectivity is not None:
            coll_x = cols.lookup("collectivity", rules.exclude_collectivity)
        if rules.exclude_epci is not None:
            epci_x = cols.lookup("epci", rules.exclude_epci)
        if rules.min_days is not None:
            min_days = float(rules.min_days)
        if rules.lat is not None:
            qlat, qlon = float(rules.lat), float(rules.lon)
            if rules.max_distance_km is not None:
                max_dist = float(rules.max_distance_km)
    params = np.array([coll_x, epci_x, min_days, wanted, qlat, qlon, max_dist], dtype=np.float64)
    return cols["alive"], cols.packed(), modality_ok, params


def _number(x) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 1)


def failures(cols: MetaColumns, rows: np.ndarray, rules: Rules | None) -> list[tuple[RuleFailure, ...]]:
    """For each of ``rows``, the hard rules it fails, with the values involved (pure data:
    wording for people is the caller's job). Empty tuples for rows that pass."""
    rows = np.asarray(rows, dtype=np.int64)
    masks = checks(cols, rows, rules)
    out: list[list[RuleFailure]] = [[] for _ in range(len(rows))]
    if rules is None:
        return [()] * len(rows)
    for i in np.flatnonzero(~masks.get("collectivity", np.ones(len(rows), bool))).tolist():
        out[i].append(RuleFailure("collectivity", rules.exclude_collectivity, None))
    for i in np.flatnonzero(~masks.get("epci", np.ones(len(rows), bool))).tolist():
        out[i].append(RuleFailure("epci", rules.exclude_epci, None))
    wanted = MODALITY_NAMES[modality_code(rules.modality)]
    for i in np.flatnonzero(~masks.get("modality", np.ones(len(rows), bool))).tolist():
        out[i].append(RuleFailure("modality", MODALITY_NAMES[int(cols["modality"][rows[i]])], wanted))
    for i in np.flatnonzero(~masks.get("days", np.ones(len(rows), bool))).tolist():
        out[i].append(RuleFailure("days", _number(cols["days"][rows[i]]), rules.min_days))
    if "distance" in masks:
        idx, dist, limit = _distances(cols, rows, rules, masks.get("modality", np.ones(len(rows), bool)))
        for j in np.flatnonzero(dist > limit).tolist():
            out[idx[j]].append(RuleFailure("distance", _number(dist[j]), _number(limit[j])))
    return [tuple(f) for f in out]
