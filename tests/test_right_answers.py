"""Issue 13: right answers: evaluation windows, what a UCDP or ACLED export holds, and a
control picture that keeps a place apart from the area around it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from hadath.cli import app
from hadath.errors import ExportError
from hadath.evaluate import evaluate, read_reference
from hadath.export import export
from hadath.ingest import InputOptions, ingest
from hadath.store import Store

from .conftest import EXAMPLES

runner = CliRunner()


def _jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def _reference(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "latitude", "longitude", "date_start", "date_end", "best",
                    "type_of_violence", "country"])
        w.writerows(rows)
    return path


@pytest.fixture
def two_days(tmp_path):
    """Articles published on 1 and 20 December 2024 (nothing between)."""
    store = Store(tmp_path / "s.db")
    ingest([str(_jsonl(tmp_path / "a.jsonl", [
        {"id": "1", "date": "2024-12-01", "text": "قتل خمسة مدنيين في قصف مدفعي على مدينة سراقب أمس."},
        {"id": "2", "date": "2024-12-20", "text": "قتل ثلاثة مدنيين في غارة جوية على مدينة معرة النعمان."},
    ]))], store, InputOptions(), jobs=1)
    return store, tmp_path


def test_right_answers_evaluate_compares_publication_days_and_the_day_before(two_days):
    store, tmp_path = two_days
    ref = _reference(tmp_path / "ged.csv", [
        [1, 35.8645, 36.8059, "2024-11-30", "2024-11-30", 5, 1, "Syria"],  # Saraqib, the day before
        [2, 35.6436, 36.6714, "2024-12-20", "2024-12-20", 3, 1, "Syria"],  # Maarrat, on the day
        [3, 33.5, 36.3, "2024-12-10", "2024-12-10", 4, 1, "Syria"],        # a day no article covers
        [4, 33.5, 36.3, "2024-12-05", "2024-12-15", 4, 1, "Syria"],        # ... nor these
        [5, 33.5, 36.3, "2024-12-19", "2024-12-19", 4, 1, "Syria"],        # the day before the 20th
    ])
    res = evaluate(store, read_reference(ref, "ucdp"), km=25, days=1)
    assert res["reference_events"] == 3 and res["days_compared"] == 4
    assert res["overall"]["recall"] == round(2 / 3, 4) and res["overall"]["precision"] == 1.0
    cli = runner.invoke(app, ["evaluate", "--reference", str(ref), "--format", "ucdp", "--db",
                              store.url])
    assert cli.exit_code == 0 and "3 reference events of the 4 days the articles cover" in cli.stdout


def test_right_answers_evaluate_no_overlap_is_a_clear_error(two_days):
    store, tmp_path = two_days
    ref = _reference(tmp_path / "ged.csv", [[1, 35.8645, 36.8059, "2019-03-01", "2019-03-01", 5, 1, "Syria"]])
    with pytest.raises(ExportError, match="nothing to compare: the reference spans 2019-03-01"):
        evaluate(store, read_reference(ref, "ucdp"))
    cli = runner.invoke(app, ["evaluate", "--reference", str(ref), "--format", "ucdp", "--db", store.url])
    assert cli.exit_code == 13 and "no day is in both" in cli.output
    cli = runner.invoke(app, ["evaluate", "--reference", str(ref), "--format", "ucdp", "--db", store.url,
                              "--since", "2024-12-05", "--until", "2024-12-06"])
    assert cli.exit_code == 13


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("ex") / "ex.db")
    ingest([str(EXAMPLES)], store, InputOptions(), jobs=1)
    return store


def test_right_answers_ucdp_csv_holds_organised_violence_with_deaths(examples_store):
    buf = io.StringIO()
    rep = export(examples_store, "ucdp-csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    kinds = {e["id"]: e["kind"] for e in examples_store.query_events()}
    assert rows and all(kinds[r["id"]] in ("air_strike", "shelling", "explosion", "armed_clash",
                                           "attack", "killing", "abduction") for r in rows)
    assert all(int(r["best"]) >= 1 for r in rows)
    assert rep.rows + sum(rep.not_ucdp.values()) == len(kinds)
    assert rep.not_ucdp["arrest"] >= 1 and rep.not_ucdp["territory_control"] >= 1
    everything = io.StringIO()
    assert export(examples_store, "ucdp-csv", everything, all_kinds=True).rows == len(kinds)
    res = runner.invoke(app, ["export", "-f", "ucdp-csv", "--db", examples_store.url])
    assert res.exit_code == 0 and "not organised violence with a death" in res.stderr
    assert "--all-kinds keeps them" in res.stderr


def test_right_answers_acled_admin_areas_from_the_gazetteer(examples_store, monkeypatch):
    import hadath.export as ex
    from hadath.geo.store import PlaceRow

    buf = io.StringIO()
    export(examples_store, "acled-csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    syria = [r for r in rows if r["country"] == "Syria" and r["geo_precision"] == "1"]
    assert syria and all(r["admin1"] for r in syria)
    assert any(r["admin2"] for r in syria)  # a district named like its seat (Hama, Idlib)
    # another country's admin areas, as a gazetteer with them (GeoNames ADM1) would hold
    basra = PlaceRow("x:basra", "Basra", 30.5, 47.8, "admin1", "IQ", "Basra", "", "البصرة",
                     ("البصرة",), ("Basra", "Basrah Governorate"))
    far = PlaceRow("x:ninawa", "Ninawa", 36.3, 43.1, "admin1", "IQ", "Ninawa", "", "نينوى")
    # Basra's own region, recorded for it (from the villages around it) in the built-in places
    iraq = [r for r in rows if r["country"] == "Iraq"]
    assert iraq and {r["admin1"] for r in iraq} == {"Al-Basrah"}
    # a place without a recorded region takes the nearest admin1 the gazetteer holds
    monkeypatch.setattr(ex, "_admin_rows", lambda: {"IQ": {"admin1": [basra, far]}})
    ev = {"gazetteer_id": None, "admin1": None, "lat": 30.51, "lon": 47.78, "precision": 1,
          "country": "Iraq"}
    assert ex.admin_areas(ev) == ("Basra", "")


def test_right_answers_control_keeps_the_area_around_apart(tmp_path):
    store = Store(tmp_path / "c.db")
    ingest([str(_jsonl(tmp_path / "c.jsonl", [
        {"id": "1", "date": "2024-12-01", "source": "A",
         "text": "سيطرت هيئة تحرير الشام على مدينة حلب. وقال المرصد إن أجزاء من جنوب حلب لا تزال تحت سيطرة دمشق."},
        {"id": "2", "date": "2024-12-01", "source": "B",
         "text": "سيطرت هيئة تحرير الشام على المناطق المحيطة بمدينة حماة."},
    ]))], store, InputOptions(), jobs=1)
    res = runner.invoke(app, ["control", "--at", "2024-12-01", "--db", store.url, "--json"])
    held = [json.loads(x) for x in res.stdout.splitlines()]
    aleppo = {h["scope"]: h["actor"] for h in held if h["place"] == "Aleppo"}
    assert aleppo == {"place": "Hayat Tahrir al-Sham", "around": "Government of Syria"}
    hama = [h for h in held if h["place"] == "Hamah"]
    assert [(h["scope"], h["label"]) for h in hama] == [("around", "the area around or parts of حماة Hamah")]
    table = runner.invoke(app, ["control", "--at", "2024-12-01", "--db", store.url]).stdout
    assert "the area around or parts of حماة Hamah" in table
    res = runner.invoke(app, ["control", "حلب", "--db", store.url])
    titles = [line.strip() for line in res.stdout.splitlines() if line.strip().endswith("]")
              and "│" not in line]
    assert titles == ["حلب Aleppo [gn:170063]", "the area around or parts of حلب Aleppo [gn:170063~2]"]
    api = __import__("hadath.serve", fromlist=["create_app"]).create_app(store)
    from fastapi.testclient import TestClient

    rows = TestClient(api).get("/api/control?at=2024-12-01").json()
    assert {(r["place"], r["scope"]) for r in rows} >= {("Aleppo", "place"), ("Aleppo", "around")}
