"""Save and load a fitted MatchEngine as one versioned .npz file: arrays plus a JSON
header, read with ``allow_pickle=False`` so loading never runs arbitrary code."""

from __future__ import annotations

import json

import numpy as np
import scipy.sparse as sp

from .rules import MetaColumns
from .vectorize import BLOCKS

FORMAT = "essaim-matching"
VERSION = 3  # 2: champion_size and rerank_size in params (champion lists rebuilt at load)
# 3: min_score, lexicon (name and version) and n_fitted
READABLE = (1, 2, 3)


def _json_array(obj) -> np.ndarray:
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def save(engine, path) -> None:
    """Write ``engine`` (merged and compacted first) to ``path``."""
    engine.compact()
    matrix = engine.index_.matrix()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "params": {**engine.get_params(), "gram_sizes": list(engine.gram_sizes)},
        "vocab_stem": list(engine.vocabs_["stem"]),
        "vocab_gram": list(engine.vocabs_["gram"]),
        "ids": engine.ids_,
        "tags": [list(t) for t in engine.tags_],
        "code_tables": {c: list(t) for c, t in engine.meta_.code_tables.items()},
        "shape": list(matrix.shape),
        "n_fitted": engine.n_fitted_,
        "lexicon_version": engine.lexicon_version_,
    }
    arrays = {f"idf_{b}": engine.idfs_[b] for b in BLOCKS}
    arrays.update({f"meta_{name}": engine.meta_[name] for name in engine.meta_.arrays})
    with open(path, "wb") as fh:
        np.savez(
            fh,
            header=_json_array(header),
            data=matrix.data,
            indices=matrix.indices,
            indptr=matrix.indptr,
            **arrays,
        )


def load(cls, path):
    """Rebuild an engine saved by ``save``; ValueError on another format or version."""
    with np.load(path, allow_pickle=False) as z:
        header = json.loads(bytes(z["header"]).decode("utf-8"))
        if header.get("format") != FORMAT or header.get("version") not in READABLE:
            raise ValueError(f"{path}: not a {FORMAT} file of version {READABLE}")
        params = header["params"]
        params["gram_sizes"] = tuple(params["gram_sizes"])
        if header["version"] < 3:
            # files written before the floor and the lexicon keep their old behaviour
            params.update(min_score=0.0, lexicon=None)
        engine = cls(**params)
        engine.vocabs_ = {
            "stem": {f: i for i, f in enumerate(header["vocab_stem"])},
            "gram": {f: i for i, f in enumerate(header["vocab_gram"])},
        }
        engine.vocabs_["tag"] = engine.vocabs_["stem"]
        engine.idfs_ = {b: z[f"idf_{b}"] for b in BLOCKS}
        matrix = sp.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(header["shape"]))
        meta = MetaColumns()
        meta.code_tables = {c: {v: i for i, v in enumerate(t)} for c, t in header["code_tables"].items()}
        meta.arrays = {name: z[f"meta_{name}"].copy() for name in MetaColumns._empty(0)}
        meta.size = len(header["ids"])
    from .index import SparseIndex
    from .vectorize import block_offsets

    engine.offsets_ = block_offsets(engine.vocabs_)
    # the champion lists are a deterministic function of the rows: rebuilt, not stored
    engine.index_ = SparseIndex(matrix, engine.merge_every, engine.champion_size)
    engine.meta_ = meta
    engine.ids_ = list(header["ids"])
    engine.tags_ = [tuple(t) for t in header["tags"]]
    engine.row_of_ = {i: r for r, i in enumerate(engine.ids_)}
    engine.n_dead_ = 0
    engine.n_fitted_ = header.get("n_fitted", len(engine.ids_))
    engine.lexicon_version_ = header.get("lexicon_version")
    return engine
