"""The gazetteer store, its importers, Arabic ↔ Latin linking and `hadath geocode`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from hadath.cli import app
from hadath.errors import GazetteerError
from hadath.extract.geocode import geocode
from hadath.geo import Gazetteer, GazetteerStore, ImportReport
from hadath.geo.store import CsvColumns, csv_rows, geonames_rows
from hadath.geo.translit import arabic_keys, latin_keys, similarity

runner = CliRunner()


@pytest.mark.parametrize("arabic, latin", [
    ("كفرنبل", "Kafr Nabl"), ("كفرنبل", "Kafranbel"), ("معرة النعمان", "Ma`arrat an Nu`man"),
    ("خان شيخون", "Khan Shaykhun"), ("الزهراء", "Az Zahra"), ("حماة", "Hamah"),
    ("دير الزور", "Deir ez-Zor"), ("الرقة", "Ar Raqqah"), ("جسر الشغور", "Jisr ash-Shughur"),
    ("الغوطة", "Ghouta"), ("أعزاز", "I`zaz"), ("كويرس", "Kuweires"), ("الشيخ مقصود", "Sheikh Maqsoud"),
])
def test_transliterations_share_a_skeleton(arabic, latin):
    assert set(arabic_keys(arabic)) & set(latin_keys(latin))


def test_different_names_do_not():
    assert not set(arabic_keys("سراقب")) & set(latin_keys("Saraqeb Tahtani Deir"))
    assert similarity("كفرنبل", "Kafr Nabl") > similarity("كفرنبل", "Kafr Nubul Kabir")


def geonames_line(gid, name, alts, lat, lon, fclass="P", code="PPL", cc="SY", pop=0):
    return "\t".join([str(gid), name, name, alts, str(lat), str(lon), fclass, code, cc, "", "12",
                      "", "", "", str(pop), "", "300", "Asia/Damascus", "2024-01-01"])


@pytest.fixture
def dump(tmp_path):
    path = tmp_path / "SY.txt"
    path.write_text("\n".join([
        geonames_line(9100001, "Tell Zaytun", "Tall Zaytoun,Tel Zeitoun", 35.70, 36.60),
        geonames_line(9100002, "Deir Sunbul", "دير سنبل,Dayr Sunbul", 35.55, 36.45),
        "9100003\tshort row",
        geonames_line(9100004, "Somewhere", "", "north", 36.6),
        geonames_line(9100005, "Wadi X", "", 35.1, 36.1, fclass="H", code="STM"),
        geonames_line(9100006, "Qaid Airbase", "", 35.3, 36.9, fclass="S", code="AIRB"),
    ]) + "\n", encoding="utf-8")
    return path


def test_geonames_import_is_idempotent_and_reports_bad_rows(tmp_path, dump):
    store = GazetteerStore(tmp_path / "g.sqlite")
    base = store.count()
    first = store.upsert(geonames_rows(dump, r := ImportReport()), r)
    assert (first.added, first.skipped, len(first.bad)) == (3, 1, 2)
    assert [line for line, _ in first.bad] == [3, 4]
    second = store.upsert(geonames_rows(dump, r2 := ImportReport()), r2)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
    assert store.count() == base + 3
    assert store.get("gn:9100006").feature == "military_base"


def test_an_arabic_mention_finds_a_latin_only_place(tmp_path, dump):
    store = GazetteerStore(tmp_path / "g.sqlite")
    store.upsert(geonames_rows(dump, r := ImportReport()), r)
    gaz = Gazetteer(store)
    hits = gaz.latin("تل زيتون")
    assert hits and hits[0].place.gid == "gn:9100001"
    found = geocode("قصف على قرية تل زيتون في ريف إدلب", gazetteer=gaz)
    village = [m for m in found if m.gazetteer_id == "gn:9100001"][0]
    assert village.via == "latin" and village.precision == 1
    assert (village.start, village.end) == (13, 21)


def test_csv_import_maps_columns_and_refuses_unknown_ones(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("pcode,name_en,name_ar,lat,lon\nP1,Tall Mukhtalaq,تل مختلق,35.2,36.9\n"
                    "P2,No Coordinates,,,\n", encoding="utf-8")
    cols = CsvColumns(name="name_en", lat="lat", lon="lon", name_ar="name_ar", id="pcode",
                      default_country="SY")
    rows = list(csv_rows(path, cols, report := ImportReport()))
    assert [r.gid for r in rows] == ["csv:places:P1"] and rows[0].names_ar == ("تل مختلق",)
    assert report.bad and report.bad[0][0] == 3
    with pytest.raises(GazetteerError, match="no column 'nom'"):
        list(csv_rows(path, CsvColumns(name="nom", lat="lat", lon="lon"), ImportReport()))


def test_import_commands(tmp_path, dump):
    store = str(tmp_path / "cli.sqlite")
    res = runner.invoke(app, ["gazetteer", "import", "geonames", str(dump), "--gazetteer", store])
    assert res.exit_code == 0 and "3 places added" in res.stdout and "2 bad rows" in res.stdout
    assert "bad row" in res.stderr and ":3:" in res.stderr
    again = runner.invoke(app, ["gazetteer", "import", "geonames", str(dump), "--gazetteer", store])
    assert "0 places added" in again.stdout and "3 unchanged" in again.stdout
    info = runner.invoke(app, ["gazetteer", "info", "--gazetteer", store])
    assert "GeoNames SY.txt" in info.stdout


@pytest.mark.parametrize("content, message", [
    (b"", "empty"), (b"\x00\x01\x02binary", "binary"),
])
def test_import_refuses_bad_files(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    res = runner.invoke(app, ["gazetteer", "import", "geonames", str(bad), "--gazetteer",
                              str(tmp_path / "s.sqlite")])
    assert res.exit_code == 11 and message in res.stderr
    missing = runner.invoke(app, ["gazetteer", "import", "csv", str(tmp_path / "none.csv"),
                                  "--name-col", "n", "--lat-col", "a", "--lon-col", "b"])
    assert missing.exit_code == 11 and "no such file" in missing.stderr


def test_geocode_json_lines_from_stdin():
    res = runner.invoke(app, ["geocode", "-", "--json"],
                        input="غارة على بلدة خناصر جنوب حلب\nقصف قرب سراقب\n")
    assert res.exit_code == 0
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert {r["line"] for r in rows} == {1, 2}
    khanasir = [r for r in rows if r["mention"] == "خناصر"][0]
    assert khanasir["precision"] == 1 and khanasir["candidates"][0]["name"] == "Khanasir"
    assert {"mention", "start", "end", "name", "name_ar", "lat", "lon", "precision",
            "gazetteer_id", "candidates"} <= set(khanasir)
    saraqib = [r for r in rows if r["mention"] == "سراقب"][0]
    assert saraqib["precision"] == 2 and "near" in " ".join(saraqib["why"])


def test_geocode_keeps_unknown_names_as_text_and_roads_without_points():
    found = geocode("نزح سكان قرية زعبلطة المجهولة. وأغلقت السلطات طريق حلب دمشق الدولي.")
    unknown = [m for m in found if "زعبلطة" in m.mention][0]
    assert unknown.precision is None and unknown.lat is None and unknown.via == "none"
    road = [m for m in found if m.feature == "road"][0]
    assert road.precision == 5 and road.lat is None


def test_geocode_refuses_text_without_arabic():
    res = runner.invoke(app, ["geocode", "no Arabic here"])
    assert res.exit_code == 7


def test_a_clitic_b_does_not_invite_a_latin_only_village(tmp_path):
    """"واعدة بزراعات بديلة" is "with crops", whatever village a transliteration fits; the same
    letters after a feature word name the village."""
    path = tmp_path / "SY.txt"
    path.write_text("\n".join([
        geonames_line(9100001, "Tell Zaytun", "Tall Zaytoun", 35.70, 36.60),
        geonames_line(9100007, "Zaraat", "", 35.72, 36.62)]) + "\n", encoding="utf-8")
    store = GazetteerStore(tmp_path / "g.sqlite")
    store.upsert(geonames_rows(path, r := ImportReport()), r)
    gaz = Gazetteer(store)
    words = geocode("قصف على قرية تل زيتون في ريف إدلب، والحكومة واعدة بزراعات بديلة", gazetteer=gaz)
    assert not [m for m in words if "زراعات" in m.mention]
    named = geocode("قصف على قرية تل زيتون في ريف إدلب، ثم على قرية زراعات", gazetteer=gaz)
    assert [m.via for m in named if m.gazetteer_id == "gn:9100007"] == ["latin"]
