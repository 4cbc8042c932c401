"""The .npz layout `matching.persist` wrote up to version 3 (everything but the matrix, idf and
meta columns in a JSON header), kept here to check that such files still load."""
from __future__ import annotations

import json

import numpy as np

from matching.vectorize import BLOCKS


def _json_array(obj) -> np.ndarray:
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def save_v3(engine, path, version: int = 3, **header_changes) -> None:
    """Write `engine` as version 3 (or, with `version`, an older one) did."""
    engine.compact()
    matrix = engine.index_.matrix()
    header = {
        "format": "essaim-matching",
        "version": version,
        "params": {**engine.get_params(), "gram_sizes": list(engine.gram_sizes)},
        "vocab_stem": list(engine.vocabs_["stem"]),
        "vocab_gram": list(engine.vocabs_["gram"]),
        "ids": engine.ids_,
        "tags": [list(t) for t in engine.tags_],
        "code_tables": {c: list(t) for c, t in engine.meta_.code_tables.items()},
        "shape": list(matrix.shape),
        "n_fitted": engine.n_fitted_,
        "lexicon_version": engine.lexicon_version_,
        **header_changes,
    }
    if version < 3:
        for key in ("min_score", "lexicon"):
            header["params"].pop(key)
    arrays = {f"idf_{b}": engine.idfs_[b] for b in BLOCKS}
    arrays.update({f"meta_{name}": engine.meta_[name] for name in engine.meta_.arrays})
    with open(path, "wb") as fh:
        np.savez(fh, header=_json_array(header), data=matrix.data, indices=matrix.indices,
                 indptr=matrix.indptr, **arrays)
