"""Hard eligibility rules (`where`) over the indexed documents' meta, stored column-wise.

Indexed documents' meta keys read here (all optional):
``collectivity`` (official code, e.g. commune INSEE code or SIREN), ``epci`` (SIREN),
``modality`` ("remote" | "on_site" | "both", French aliases accepted),
``days_available`` (number), ``lat``/``lon`` (degrees), ``max_distance_km`` (how far the
offer's agent travels for on-site work). Other keys are kept by the caller, not here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np

from .types import RuleFailure

UNKNOWN, REMOTE, ON_SITE, BOTH = 0, 1, 2, 3
_MODALITIES = {
    "remote": REMOTE, "distanciel": REMOTE, "a_distance": REMOTE, "à distance": REMOTE,
    "on_site": ON_SITE, "onsite": ON_SITE, "presentiel": ON_SITE, "présentiel": ON_SITE,
    "sur_place": ON_SITE, "both": BOTH, "hybrid": BOTH, "hybride": BOTH, "mixte": BOTH,
    "les_deux": BOTH, "mixed": BOTH, "any": BOTH, "in_person": ON_SITE, "on-site": ON_SITE,
}
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * np.pi / 180.0


def modality_code(value) -> int:
    """Integer code of a modality name (None -> UNKNOWN); ValueError on an unknown name."""
    if value is None or value == "":
        return UNKNOWN
    try:
        return _MODALITIES[str(value).strip().lower()]
    except KeyError:
        raise ValueError(f"unknown modality {value!r}; expected one of {sorted(_MODALITIES)}") from None


def _float(value) -> float:
    return float("nan") if value is None or value == "" else float(value)


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


class MetaColumns:
    """Column-wise meta of the indexed rows, with amortised appends and an ``alive`` mask."""

    FLOATS = ("days", "lat", "lon", "max_km")
    CODES = ("collectivity", "epci")

    def __init__(self):
        self.size = 0
        self.code_tables = {c: {} for c in self.CODES}
        self.arrays = self._empty(16)

    @classmethod
    def _empty(cls, capacity):
        arrays = {c: np.full(capacity, -1, dtype=np.int32) for c in cls.CODES}
        arrays.update({c: np.full(capacity, np.nan, dtype=np.float64) for c in cls.FLOATS})
        arrays["modality"] = np.zeros(capacity, dtype=np.int8)
        arrays["alive"] = np.zeros(capacity, dtype=bool)
        return arrays

    def __getitem__(self, name) -> np.ndarray:
        return self.arrays[name][: self.size]

    def _code(self, column, value) -> int:
        if value is None or value == "":
            return -1
        table = self.code_tables[column]
        return table.setdefault(str(value), len(table))

    def lookup(self, column, value) -> int:
        """Code of a value, -2 when never seen (matches no row)."""
        if value is None:
            return -2
        return self.code_tables[column].get(str(value), -2)

    def append(self, metas) -> None:
        """Append one row per meta dict (rows become alive)."""
        metas = list(metas)
        need = self.size + len(metas)
        capacity = len(self.arrays["alive"])
        if need > capacity:
            grown = self._empty(max(need, 2 * capacity))
            for name, arr in self.arrays.items():
                grown[name][: self.size] = arr[: self.size]
            self.arrays = grown
        rows = {
            "collectivity": [self._code("collectivity", m.get("collectivity")) for m in metas],
            "epci": [self._code("epci", m.get("epci")) for m in metas],
            "modality": [modality_code(m.get("modality")) for m in metas],
            "days": [_float(m.get("days_available")) for m in metas],
            "lat": [_float(m.get("lat")) for m in metas],
            "lon": [_float(m.get("lon")) for m in metas],
            "max_km": [_float(m.get("max_distance_km")) for m in metas],
        }
        sl = slice(self.size, need)
        for name, values in rows.items():
            self.arrays[name][sl] = values
        self.arrays["alive"][sl] = True
        self.size = need

    PACKED = ("collectivity", "epci", "modality", "days", "lat", "lon", "max_km")

    def packed(self) -> np.ndarray:
        """The rule fields of every row side by side, (rows x `PACKED` + cos(lat)) float64, so that the
        compiled kernel reads one cache line per row it checks instead of seven.

        Built on first use and extended with the rows appended since: rows never change once
        appended (removal only clears ``alive``, which is not in it; compaction makes a new
        object)."""
        width = len(self.PACKED) + 1
        buf, n = self.__dict__.get("_packed", (np.empty((0, width)), 0))
        if n < self.size:
            if self.size > len(buf):
                grown = _cache_line_rows(max(self.size, 2 * len(buf)), width)
                grown[:n] = buf[:n]
                buf = grown
            for j, name in enumerate(self.PACKED):
                buf[n : self.size, j] = self.arrays[name][n : self.size]
            # and the cosine of the latitude, for a cheap longitude bound of the distance
            buf[n : self.size, -1] = np.cos(np.radians(self.arrays["lat"][n : self.size]))
            n = self.size
            self.__dict__["_packed"] = (buf, n)
        return buf[:n]

    def take(self, rows: np.ndarray) -> "MetaColumns":
        """A compacted copy with only ``rows`` (code tables kept)."""
        out = MetaColumns()
        out.code_tables = {c: dict(t) for c, t in self.code_tables.items()}
        out.arrays = {name: arr[: self.size][rows].copy() for name, arr in self.arrays.items()}
        out.size = len(rows)
        return out


def _cache_line_rows(n: int, width: int) -> np.ndarray:
    """An empty (n, width) float64 array starting on a 64-byte boundary: with width 8, each
    row is one cache line (numpy aligns to 16 bytes, so most rows would straddle two)."""
    raw = np.empty(n * width + 8, dtype=np.float64)
    skip = (-raw.ctypes.data % 64) // 8
    return raw[skip : skip + n * width].reshape(n, width)


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
