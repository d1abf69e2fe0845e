"""Issue 13: defaults that tell the truth: every matching event unless --limit, and JSON Lines
fields detected (and said) rather than silently missed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from hadath.cli import app
from hadath.ingest import InputOptions, ingest
from hadath.records import read_date
from hadath.store import Store, events

from .conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    """The examples' events and 250 copies of one of them: more than a table shows."""
    db = tmp_path_factory.mktemp("big") / "big.db"
    store = Store(db)
    ingest([str(EXAMPLES)], store, InputOptions(), jobs=1)
    row = store.query_events(limit=1)[0]
    with store.transaction() as conn:
        for k in range(250):
            conn.execute(events.insert(), {**row, "id": f"ev-copy-{k:04d}"})
    return db


def test_defaults_events_json_writes_every_matching_event(big_store):
    total = Store(big_store).counts()["events"]
    assert total > 260
    res = runner.invoke(app, ["events", "--db", str(big_store), "--json"])
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert len(lines) == total
    dates = [json.loads(x)["date"] for x in lines]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True) and dates[:len(known)] == known  # newest first
    limited = runner.invoke(app, ["events", "--db", str(big_store), "--json", "--limit", "7"])
    assert len(limited.stdout.splitlines()) == 7


def test_defaults_table_says_how_many_are_shown(big_store):
    total = Store(big_store).counts()["events"]
    res = runner.invoke(app, ["events", "--db", str(big_store)])
    assert res.exit_code == 0 and f"200 of {total} events shown" in res.stdout
    few = runner.invoke(app, ["events", "--db", str(big_store), "--kind", "riot"])
    assert " of " not in few.stdout.splitlines()[0]


def test_defaults_export_writes_every_matching_event_unless_limit(big_store, tmp_path):
    total = Store(big_store).counts()["events"]
    out = tmp_path / "all.jsonl"
    res = runner.invoke(app, ["export", "-f", "jsonl", "--db", str(big_store), "-o", str(out)])
    assert res.exit_code == 0 and len(out.read_text(encoding="utf-8").splitlines()) == total
    res = runner.invoke(app, ["export", "-f", "acled-csv", "--db", str(big_store), "--limit", "5"])
    assert len(res.stdout.strip().splitlines()) == 1 + 5


@pytest.mark.parametrize("value,day,fmt", [
    ("Sun, 01 Dec 2024 05:19:24 GMT", "2024-12-01", "RFC 2822"),
    ("Mon, 19 Feb 2018 00:16:11 +0400", "2018-02-19", "RFC 2822"),
    ("2024-12-01T23:30:00+03:00", "2024-12-01", "ISO 8601"),
    ("2024-12-01T05:00:00Z", "2024-12-01", "ISO 8601"),
    ("2024-12-01", "2024-12-01", "ISO 8601"),
    ("2024/12/01", "2024-12-01", "YYYY/MM/DD"),
    ("2024/12/01 08:00", "2024-12-01", "YYYY/MM/DD"),
    ("01/12/2024", "2024-12-01", "DD/MM/YYYY"),
    ("20241201", "2024-12-01", "YYYYMMDD"),
    (1733029200, "2024-12-01", "epoch seconds"),
    ("1733029200", "2024-12-01", "epoch seconds"),
    (1733029200000, "2024-12-01", "epoch milliseconds"),
    (1733029200.5, "2024-12-01", "epoch seconds"),
])
def test_defaults_date_formats_are_read(value, day, fmt):
    assert read_date(value) == (dt.date.fromisoformat(day), fmt)


@pytest.mark.parametrize("value", ["yesterday", "0001-01-01", "9999-12-31", "32/13/2024", True, [],
                                   {"a": 1}, 10**400, float("inf"), float("nan"), -5, "2024-13-45",
                                   "1" * 5000], ids=lambda v: repr(v)[:24])
def test_defaults_unreadable_dates_are_none(value):
    assert read_date(value) == (None, "")


def test_defaults_ingest_detects_field_names_and_says_which(tmp_path):
    rows = [
        {"docno": "A-1", "time": "Sun, 01 Dec 2024 05:19:24 GMT", "src": "Outlet A",
         "link": "https://example.org/1", "headline": "عنوان", "body": "قتل مدني في قصف على مدينة حلب أمس."},
        {"docno": "A-2", "time": "Mon, 02 Dec 2024 05:19:24 GMT", "src": "Outlet A",
         "link": "https://example.org/2", "body": "قتل مدنيان في قصف على مدينة إدلب أمس."},
        {"docno": "A-3", "time": "the day before", "src": "Outlet A",
         "body": "قتل ثلاثة مدنيين في قصف على مدينة حماة أمس."},
    ]
    path = tmp_path / "ant.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    res = runner.invoke(app, ["ingest", str(path), "--db", str(db), "-j", "1"])
    assert res.exit_code == 0, res.output
    assert ("text from 'body'; date from 'time' (RFC 2822); id from 'docno'; url from 'link'; "
            "title from 'headline'; source from 'src'") in res.output
    assert "1 date value could not be read (e.g. 'the day before')" in res.output
    store = Store(db)
    with store.engine.connect() as conn:
        docs = conn.exec_driver_sql(
            "SELECT doc_key, published, url, title, source FROM documents ORDER BY id").all()
    assert [(d[0], str(d[1]), d[2], d[4]) for d in docs] == [
        ("A-1", "2024-12-01", "https://example.org/1", "Outlet A"),
        ("A-2", "2024-12-02", "https://example.org/2", "Outlet A"),
        ("A-3", "None", None, "Outlet A")]
    assert docs[0][3] == "عنوان"
    dated = [e for e in store.query_events() if e["place_name"] == "Aleppo"]
    assert str(dated[0]["date"]) == "2024-11-30"  # "أمس" against the detected date


@pytest.mark.parametrize("name,value", [("published", "2024-12-01T10:00:00Z"),
                                        ("pubDate", "Sun, 01 Dec 2024 10:00:00 +0000"),
                                        ("datetime", "2024/12/01 10:00"),
                                        ("created_at", 1733047200), ("created_at", 1733047200000)])
def test_defaults_common_date_field_names(tmp_path, name, value):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "قتل مدني في قصف على مدينة حلب.", name: value},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    store = Store(tmp_path / "s.db")
    rep = ingest([str(path)], store, InputOptions(), jobs=1)
    assert rep.new == 1 and f"date from {name!r}" in rep.notes[0].text
    assert str(store.query_events()[0]["date"]) == "2024-12-01"


def test_defaults_extract_jsonl_says_which_fields(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"content": "قتل مدني في قصف على مدينة حلب أمس.",
                                "published": "2024-12-01"}, ensure_ascii=False) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["extract", "--jsonl", str(path)])
    assert res.exit_code == 0
    assert "text from 'content'; date from 'published' (ISO 8601)" in res.output
    ev = json.loads(res.stdout.splitlines()[0])
    assert ev["date"] == "2024-11-30"
    given = runner.invoke(app, ["extract", "--jsonl", str(path), "--date-field", "nope"])
    assert "date from 'nope' (as given)" in given.output
