"""Export formats, the JSON Lines round trip, and `hadath evaluate`."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from hadath.cli import app
from hadath.errors import ExportError
from hadath.evaluate import evaluate, read_reference
from hadath.export import ACLED_COLUMNS, UCDP_COLUMNS, export, import_events
from hadath.ingest import ingest
from hadath.store import Store

from .conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "s.db"
    store = Store(path)
    ingest([str(EXAMPLES)], store)
    return store, str(path)


def test_acled_csv_loads_in_pandas_with_acled_columns(filled, tmp_path):
    _, db = filled
    out = tmp_path / "acled.csv"
    res = runner.invoke(app, ["export", "--format", "acled-csv", "--db", db, "-o", str(out), "--bom"])
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM for spreadsheet software
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert list(df.columns) == ACLED_COLUMNS
    assert len(df) > 10
    assert set(df.geo_precision.dropna()) <= {1, 2, 3}
    assert set(df.time_precision) <= {1, 2, 3}
    assert set(df.inter1) <= set(range(9))
    strike = df[df.sub_event_type == "Air/drone strike"].iloc[0]
    assert "غارة" in strike.notes and "status:" in strike.notes  # Arabic intact
    assert "hadath_kind=air_strike" in strike.tags
    contested = df[df.tags.str.contains("status=contested")]
    assert len(contested) >= 1


def validate_geojson(doc: dict) -> None:
    """RFC 7946: a FeatureCollection of Features with geometry and properties members,
    positions as [longitude, latitude] within range."""
    assert doc["type"] == "FeatureCollection" and isinstance(doc["features"], list)
    assert "crs" not in doc
    for f in doc["features"]:
        assert f["type"] == "Feature"
        assert set(f) >= {"type", "geometry", "properties"}
        g = f["geometry"]
        assert g["type"] == "Point" and len(g["coordinates"]) == 2
        lon, lat = g["coordinates"]
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(f["properties"], dict)
        # the point is the place's, longitude first
        assert (lat, lon) == (round(f["properties"]["lat"], 6), round(f["properties"]["lon"], 6))


def test_geojson_is_valid_and_counts_what_it_leaves_out(filled, tmp_path):
    _, db = filled
    out = tmp_path / "e.geojson"
    res = runner.invoke(app, ["export", "--format", "geojson", "--db", db, "-o", str(out)])
    assert res.exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_geojson(doc)
    left_out = int(res.stderr.split("; ")[1].split()[0])
    store = Store(db)
    assert len(doc["features"]) + left_out == store.counts()["events"]
    syria = [f for f in doc["features"] if f["properties"]["country"] == "Syria"]
    assert all(35 < f["geometry"]["coordinates"][0] < 43 for f in syria)  # longitude first


def test_jsonl_round_trip_gives_identical_events(filled, tmp_path):
    store, _ = filled
    first = io.StringIO()
    export(store, "jsonl", first)
    other = Store(tmp_path / "other.db")
    added, known, bad = import_events(other, iter(first.getvalue().splitlines()), "x")
    assert (added, known, bad) == (store.counts()["events"], 0, [])
    second = io.StringIO()
    export(other, "jsonl", second)
    assert first.getvalue() == second.getvalue()
    strip = {"ingested_at", "updated_at", "origin"}
    for table in ("events", "claims", "evidence"):
        assert len(store.dump()[table]) == len(other.dump()[table])
    again = import_events(other, iter(first.getvalue().splitlines()), "x")
    assert again[0] == 0 and again[1] == added  # nothing added twice
    assert strip  # timestamps are the only columns allowed to differ


def test_ingest_events_command_and_bad_lines(filled, tmp_path):
    store, _ = filled
    buf = io.StringIO()
    export(store, "jsonl", buf)
    f = tmp_path / "events.jsonl"
    f.write_text(buf.getvalue() + "{not json\n", encoding="utf-8")
    res = runner.invoke(app, ["ingest", "--events", str(f), "--db", str(tmp_path / "n.db")])
    assert res.exit_code == 0 and "1 bad lines" in res.stdout


def test_ucdp_csv(filled):
    store, _ = filled
    buf = io.StringIO()
    export(store, "ucdp-csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0]) == UCDP_COLUMNS
    strike = [r for r in rows if r["where_coordinates"].startswith("Kh")][0]
    assert strike["best"] == "7" and strike["where_prec"] == "1"


def test_export_errors(filled, tmp_path):
    _, db = filled
    res = runner.invoke(app, ["export", "--format", "kml", "--db", db])
    assert res.exit_code == 2 and "acled-csv" in res.output
    res = runner.invoke(app, ["export", "--format", "jsonl", "--db", db, "-o", "/proc/no/such/dir/x.jsonl"])
    assert res.exit_code == 13 and "cannot write" in res.stderr
    from hadath.store import Store

    Store(tmp_path / "empty.db")  # an empty store (a missing one is exit 12: no store there)
    res = runner.invoke(app, ["export", "--format", "geojson", "--db", str(tmp_path / "empty.db")])
    assert res.exit_code == 13 and "no events" in res.stderr


def test_evaluate_against_a_reference(filled, tmp_path):
    store, db = filled
    ref = tmp_path / "ged.csv.gz"
    header = ["id", "latitude", "longitude", "date_start", "date_end", "best", "type_of_violence", "country"]
    rows = [
        [1, 35.6138, 36.5645, "2024-12-03", "2024-12-03", 5, 1, "Syria"],   # Kafranbel shelling
        [2, 35.8645, 36.8059, "2024-12-02", "2024-12-02", 2, 1, "Syria"],   # Saraqib strike
        [3, 33.5, 36.3, "2024-12-02", "2024-12-02", 4, 1, "Syria"],         # Damascus: not in the store
    ]
    with gzip.open(ref, "wt", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    res = evaluate(store, read_reference(ref, "ucdp"), km=25, days=1)
    o = res["overall"]
    assert res["reference_events"] == 3 and o["recall"] == round(2 / 3, 4)
    assert 0 < o["precision"] <= 1 and o["median_km"] < 25
    assert res["per_kind"]["shelling"]["fatality_agreement"] == 1.0
    cli = runner.invoke(app, ["evaluate", "--reference", str(ref), "--format", "ucdp", "--db", db,
                              "--json", "--baseline"])
    assert cli.exit_code == 0
    both = json.loads(cli.stdout)
    assert both[1]["baseline"] == "governorate centroid"


def test_evaluate_errors(filled, tmp_path):
    _, db = filled
    bad = tmp_path / "ref.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    res = runner.invoke(app, ["evaluate", "--reference", str(bad), "--format", "acled", "--db", db])
    assert res.exit_code == 13 and "no column event_date" in res.stderr
    with pytest.raises(ExportError, match="unknown reference format"):
        read_reference(bad, "gdelt")


def test_evaluate_against_gold_coded_by_hand(tmp_path):
    """hadath evaluate --gold: a found event, a missed one, a false positive, by the rules of
    docs/coding.md (texts written for the test)."""
    import json as _json

    from hadath.cli import app as _app

    texts = {
        "a1": "قصفت طائرات روسية مدينة إدلب أمس ما أسفر عن مقتل 5 مدنيين.",
        "a2": "اندلعت اشتباكات بين قوات النظام السوري وهيئة تحرير الشام في بلدة خان شيخون.",
        "a3": "التقى وزير الخارجية نظيره في مدينة عمان لبحث العلاقات الثنائية.",
    }
    arts = tmp_path / "articles.jsonl"
    arts.write_text("".join(_json.dumps({"docno": k, "text": v}, ensure_ascii=False) + "\n"
                            for k, v in texts.items()), encoding="utf-8")
    idlib = {"ar": "إدلب", "en": "Idlib", "lat": 35.93, "lon": 36.63, "radius_km": 15}
    far = {"ar": "درعا", "en": "Daraa", "lat": 32.62, "lon": 36.10, "radius_km": 10}
    gold = [
        {"docno": "a1", "split": "dev", "pub_date": "2018-06-10", "events": [
            {"kind": "air_strike", "actor1": {"en": "Military Forces of Russia", "ar": "روسية"},
             "actor2": {"en": "Civilians", "ar": "مدنيين"}, "place": idlib,
             "date": "2018-06-09", "fatalities": 5, "status": "reported", "evidence": [[0, 60]]}]},
        {"docno": "a2", "split": "dev", "pub_date": "2018-06-10", "events": [
            {"kind": "armed_clash", "actor1": None, "actor2": None, "place": far,
             "date": "2018-06-10", "fatalities": 0, "status": "reported", "evidence": [[0, 70]]}]},
        {"docno": "a3", "split": "test", "pub_date": "2018-06-10", "events": []},
    ]
    gfile = tmp_path / "gold.jsonl"
    gfile.write_text("".join(_json.dumps(g, ensure_ascii=False) + "\n" for g in gold),
                     encoding="utf-8")
    res = runner.invoke(_app, ["evaluate", "--gold", str(gfile), "--articles", str(arts),
                               "--json"])
    assert res.exit_code == 0, res.output
    out = _json.loads(res.output)
    assert out["articles"] == 3 and out["gold_events"] == 2
    assert out["family"]["recall"] == 0.5  # the strike found, the clash placed at Khan Shaykhun
    assert out["attributes"]["fatalities"] == 1.0 and out["attributes"]["date"] == 1.0
    assert out["false_positives"]["wrong place"] == 1
    assert out["no_event_articles"] == {"articles": 1, "silent": 1}
    dev = runner.invoke(_app, ["evaluate", "--gold", str(gfile), "--articles", str(arts),
                               "--split", "test", "--json"])
    assert _json.loads(dev.output)["articles"] == 1
    table = runner.invoke(_app, ["evaluate", "--gold", str(gfile), "--articles", str(arts)])
    assert "by family" in table.output and "false positives by cause" in table.output
    missing = runner.invoke(_app, ["evaluate", "--gold", str(gfile)])
    assert missing.exit_code == 13 and "--articles" in missing.output
