"""The indexed documents' meta, stored column-wise: what the hard rules (`rules`) read.

Meta keys read here (all optional): ``collectivity`` (official code, e.g. commune INSEE code or
SIREN), ``epci`` (SIREN), ``modality`` ("remote" | "on_site" | "both", French aliases accepted),
``days_available`` (number), ``lat``/``lon`` (degrees), ``max_distance_km`` (how far the offer's
agent travels for on-site work). Other keys are kept by the caller, not here.
"""

from __future__ import annotations

import numpy as np

UNKNOWN, REMOTE, ON_SITE, BOTH = 0, 1, 2, 3
_MODALITIES = {
    "remote": REMOTE, "distanciel": REMOTE, "a_distance": REMOTE, "à distance": REMOTE,
    "on_site": ON_SITE, "onsite": ON_SITE, "presentiel": ON_SITE, "présentiel": ON_SITE,
    "sur_place": ON_SITE, "both": BOTH, "hybrid": BOTH, "hybride": BOTH, "mixte": BOTH,
    "les_deux": BOTH, "mixed": BOTH, "any": BOTH, "in_person": ON_SITE, "on-site": ON_SITE,
}
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
