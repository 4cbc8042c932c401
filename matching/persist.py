"""Save and load a fitted MatchEngine as one versioned .npz file, read with ``allow_pickle=False``
so loading never runs arbitrary code.

Version 4 stores everything that grows with the index as arrays: the vocabularies, ids, tags and
code tables are UTF-8 blobs with offsets (a JSON header of 100,000 ids and 500,000 features took
longer to parse than the matrix took to read); the JSON header keeps only the parameters and
sizes. Saving never changes the engine: rows removed since the last compaction are left out of the
file (a compacted copy), nothing else is rebuilt, so a snapshot can be written while the engine
keeps answering queries. Versions 1-3 (everything in the JSON header) still load.
"""

from __future__ import annotations

import json

import numpy as np
import scipy.sparse as sp

from .rules import MetaColumns
from .vectorize import BLOCKS

FORMAT = "essaim-matching"
VERSION = 4  # 2: champion_size and rerank_size in params (champion lists rebuilt at load)
# 3: min_score, lexicon (name and version) and n_fitted; 4: vocabularies, ids, tags as arrays
READABLE = (1, 2, 3, 4)


def _json_array(obj) -> np.ndarray:
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _pack(strings) -> tuple[np.ndarray, np.ndarray]:
    """Strings as (UTF-8 bytes, character offsets): any character is allowed, no separator."""
    strings = list(strings)
    blob = np.frombuffer("".join(strings).encode("utf-8"), dtype=np.uint8)
    offsets = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in strings], out=offsets[1:])
    return blob, offsets


def _unpack(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    text = blob.tobytes().decode("utf-8")
    bounds = offsets.tolist()
    return [text[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _live_rows(engine):
    """(matrix, meta, ids, tags) of the live rows, without changing the engine."""
    index = engine.index_
    matrix = index.main
    if index.n_rows > index.n_main:  # appended rows not merged yet: merged in the copy only
        matrix = sp.csr_matrix(sp.vstack([index.main, index.delta()], format="csr"))
    if not engine.n_dead_:
        return matrix, engine.meta_, engine.ids_, engine.tags_
    keep = np.flatnonzero(engine.meta_["alive"])
    rows = keep.tolist()
    return (matrix[keep], engine.meta_.take(keep), [engine.ids_[r] for r in rows],
            [engine.tags_[r] for r in rows])


def save(engine, path) -> None:
    """Write the live rows of ``engine`` to ``path`` (the engine itself is left as it is)."""
    matrix, meta, ids, tags = _live_rows(engine)
    int_ids = all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in ids)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "params": {**engine.get_params(), "gram_sizes": list(engine.gram_sizes)},
        "id_type": "int" if int_ids else "str",
        "code_columns": list(meta.code_tables),
        "shape": list(matrix.shape),
        "n_fitted": engine.n_fitted_,
        "lexicon_version": engine.lexicon_version_,
    }
    arrays = {f"idf_{b}": engine.idfs_[b] for b in BLOCKS}
    arrays.update({f"meta_{name}": meta[name] for name in meta.arrays})
    for name in ("stem", "gram"):
        arrays[f"vocab_{name}"], arrays[f"vocab_{name}_offsets"] = _pack(engine.vocabs_[name])
    for i, (column, table) in enumerate(meta.code_tables.items()):
        arrays[f"code_{i}"], arrays[f"code_{i}_offsets"] = _pack(table)
    if int_ids:
        arrays["ids"] = np.asarray(ids, dtype=np.int64)
    else:
        arrays["ids"], arrays["ids_offsets"] = _pack(str(i) for i in ids)
    arrays["tags"], arrays["tags_offsets"] = _pack(t for row in tags for t in row)
    arrays["tags_count"] = np.asarray([len(row) for row in tags], dtype=np.int32)
    with open(path, "wb") as fh:
        np.savez(fh, header=_json_array(header), data=matrix.data, indices=matrix.indices,
                 indptr=matrix.indptr, **arrays)


def _read_v4(z, header) -> dict:
    """Vocabularies, ids, tags and code tables of a version 4 file."""
    if header["id_type"] == "int":
        ids = z["ids"].tolist()
    else:
        ids = _unpack(z["ids"], z["ids_offsets"])
    flat = _unpack(z["tags"], z["tags_offsets"])
    ends = np.cumsum(z["tags_count"]).tolist()
    starts = [0] + ends[:-1]
    return {
        "vocab_stem": _unpack(z["vocab_stem"], z["vocab_stem_offsets"]),
        "vocab_gram": _unpack(z["vocab_gram"], z["vocab_gram_offsets"]),
        "ids": ids,
        "tags": [tuple(flat[a:b]) for a, b in zip(starts, ends)],
        "code_tables": {c: _unpack(z[f"code_{i}"], z[f"code_{i}_offsets"])
                        for i, c in enumerate(header["code_columns"])},
    }


def load(cls, path):
    """Rebuild an engine saved by ``save``; ValueError on another format or version."""
    with np.load(path, allow_pickle=False) as z:
        header = json.loads(bytes(z["header"]).decode("utf-8"))
        if header.get("format") != FORMAT or header.get("version") not in READABLE:
            raise ValueError(f"{path}: not a {FORMAT} file of version {READABLE}")
        stored = _read_v4(z, header) if header["version"] >= 4 else header
        params = header["params"]
        params["gram_sizes"] = tuple(params["gram_sizes"])
        if header["version"] < 3:
            # files written before the floor and the lexicon keep their old behaviour
            params.update(min_score=0.0, lexicon=None)
        engine = cls(**params)
        engine.vocabs_ = {
            "stem": {f: i for i, f in enumerate(stored["vocab_stem"])},
            "gram": {f: i for i, f in enumerate(stored["vocab_gram"])},
        }
        engine.vocabs_["tag"] = engine.vocabs_["stem"]
        engine.idfs_ = {b: z[f"idf_{b}"] for b in BLOCKS}
        matrix = sp.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(header["shape"]))
        meta = MetaColumns()
        meta.code_tables = {c: {v: i for i, v in enumerate(t)} for c, t in stored["code_tables"].items()}
        meta.arrays = {name: z[f"meta_{name}"].copy() for name in MetaColumns._empty(0)}
        meta.size = len(stored["ids"])
    from .index import SparseIndex
    from .vectorize import block_offsets

    engine.offsets_ = block_offsets(engine.vocabs_)
    # the champion lists are a deterministic function of the rows: rebuilt, not stored
    engine.index_ = SparseIndex(matrix, engine.merge_every, engine.champion_size)
    engine.meta_ = meta
    engine.ids_ = list(stored["ids"])
    engine.tags_ = [tuple(t) for t in stored["tags"]]
    engine.row_of_ = {i: r for r, i in enumerate(engine.ids_)}
    engine.n_dead_ = 0
    engine.n_fitted_ = header.get("n_fitted", len(engine.ids_))
    engine.lexicon_version_ = header.get("lexicon_version")
    return engine
