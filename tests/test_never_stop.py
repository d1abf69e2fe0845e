"""Issue 13: one article never stops an ingest; numbers and dates are clamped to sane ranges."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hadath import extract
from hadath.cli import app
from hadath.ingest import InputOptions, ingest
from hadath.store import Store

runner = CliRunner()

GOOD = ["قتل ثلاثة مدنيين في قصف مدفعي على مدينة إدلب أمس.",
        "شنت طائرات حربية روسية غارات على مدينة سراقب أمس وقتل خمسة مدنيين.",
        "اندلعت اشتباكات عنيفة بين الفصائل والجيش السوري في مدينة حماة أمس."]

# Texts and dates that once stopped a whole ingest with a traceback.
CLAMPED = {
    "superscript digit": ("قتل ² مدنيين في غارة على حلب", dt.date(2024, 12, 1)),
    "superscript five": ("قتل ⁵ مدنيين في غارة على حلب", dt.date(2024, 12, 1)),
    "circled digit": ("قتل ① مدنيين في غارة على حلب", dt.date(2024, 12, 1)),
    "subscript digit": ("قتل ₅ مدنيين في غارة على حلب", dt.date(2024, 12, 1)),
    "yesterday at 0001-01-01": ("قصف الطيران أمس مدينة حلب", dt.date(1, 1, 1)),
    "last year at 0001-01-01": ("قصف الطيران العام الماضي مدينة حلب", dt.date(1, 1, 1)),
    "last month at 0001-01-01": ("قصف الطيران الشهر الماضي مدينة حلب", dt.date(1, 1, 1)),
    "last week at 0001-01-03": ("قصف الطيران الأسبوع الماضي مدينة حلب", dt.date(1, 1, 3)),
    "Sunday at 0001-01-01": ("قصف الطيران يوم الأحد مدينة حلب", dt.date(1, 1, 1)),
    "tomorrow at 9999-12-31": ("قصف الطيران غدا مدينة حلب", dt.date(9999, 12, 31)),
    "next Sunday at 9999-12-31": ("قصف الطيران الأحد المقبل مدينة حلب", dt.date(9999, 12, 31)),
    "999999999 days ago": ("قصف الطيران منذ 999999999 ايام مدينة حلب", dt.date(2024, 12, 1)),
    "400 digits before million": ("قتل " + "9" * 400 + " مليون مدني في حلب", dt.date(2024, 12, 1)),
    "toll of 2**63": ("ارتفع عدد القتلى إلى 9223372036854775808 قتيلا في حلب", dt.date(2024, 12, 1)),
    "deaths of 2**63": ("قتل 9223372036854775808 مدنيين في غارة على حلب", dt.date(2024, 12, 1)),
    "5000 digits": ("قتل " + "9" * 5000 + " مدنيين في حلب", dt.date(2024, 12, 1)),
}


@pytest.mark.parametrize("name", list(CLAMPED))
def test_numbers_and_dates_are_clamped_to_sane_ranges(name):
    text, date = CLAMPED[name]
    article = extract(text, date=date)
    for ev in article.events:
        assert ev.fatalities is None or 0 <= ev.fatalities <= 10_000_000
    for toll in article.tolls:
        assert 0 <= toll.value <= 10_000_000


def test_numbers_and_dates_are_clamped_the_ordinary_ones_still_read():
    a = extract("قتل ٥ مدنيين في غارة على حلب منذ ثلاثة ايام", date=dt.date(2024, 12, 4))
    assert [(e.fatalities, e.date) for e in a.events] == [(5, dt.date(2024, 12, 1))]
    from hadath.text import find_numbers, normalize, tokenize
    # the number still reads (no single event is given it: that many deaths is a toll)
    assert [n.value for n in find_numbers(tokenize(normalize("قتل 2.5 مليون شخص").text))] == [2_500_000]


def test_geocode_does_not_die_on_odd_digits():
    for text in ("قتل ² مدنيين في حلب", "قصف ① على إدلب ⁵", "قتل " + "9" * 400 + " مليون في حلب"):
        res = runner.invoke(app, ["geocode", text, "--json"])
        assert res.exit_code == 0, res.output
        assert "Traceback" not in res.output


def _jsonl(path: Path, rows: list, raw: list[str] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + list(raw)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_one_article_never_stops_an_ingest_duplicate_event_ids(tmp_path):
    dup = tmp_path / "dup.txt"
    dup.write_text("سيطر الجيش السوري على بلدتي سقبا وكفر بطنا. وقال المرصد إن قوات النظام "
                   "سيطرت على بلدتي سقبا وكفر بطنا.", encoding="utf-8")
    db = tmp_path / "dup.db"
    for _ in range(2):  # and a re-run does not die at the same article either
        res = runner.invoke(app, ["ingest", str(dup), "--db", str(db), "--date", "2018-03-17", "-j", "1"])
        assert res.exit_code == 0, res.output
    counts = Store(db).counts()
    assert counts["documents"] == 1 and counts["events"] >= 1 and counts["errors"] == 0


def test_one_article_never_stops_an_ingest_hostile_lines_beside_good_files(tmp_path, new_db):
    folder = tmp_path / "in"
    folder.mkdir()
    for k, text in enumerate(GOOD):
        (folder / f"good{k}_2024-12-0{k + 1}.txt").write_text(text, encoding="utf-8")
    rows = [{"id": name, "text": text, "date": date.isoformat()} for name, (text, date) in CLAMPED.items()]
    raw = ['{"id": "surrogate", "text": "قتل 5 مدنيين في غارة على حلب \\ud800", "date": "2024-12-01"}',
           '{"id": "nul", "text": "قتل 6 مدنيين في \\u0000 غارة على حلب", "date": "2024-12-01"}',
           "[" * 100_000 + "]" * 100_000,
           '{"id": 1' + "0" * 5000 + ', "text": "قتل مدني في حلب"}']
    _jsonl(folder / "hostile.jsonl", rows, raw)
    db = new_db("hostile")  # on PostgreSQL too, which refuses NUL in text
    res = runner.invoke(app, ["ingest", str(folder), "--db", db, "-j", "1", "--batch", "3"])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    store = Store(db)
    with store.engine.connect() as conn:
        origins = [r[0] for r in conn.exec_driver_sql("SELECT origin FROM documents")]
    assert sum("good" in o for o in origins) == 3
    assert len(origins) == 3 + len(CLAMPED) + 2  # every line that is an article is stored
    reasons = " | ".join(e["reason"] for e in store.errors())
    assert "nested too deep" in reasons and "digits" in reasons


def test_one_article_never_stops_an_ingest_extraction_or_storage_failure(tmp_path, monkeypatch):
    """Whatever an article's extraction or storing raises, it is a bad input with its reason."""
    import sys

    import hadath.resolve as resolve_pkg

    extract_pkg = sys.modules["hadath.extract"]

    real_extract, real_attach = extract_pkg.extract, resolve_pkg.attach

    def flaky_extract(text, **kw):
        if "حماة" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real_extract(text, **kw)

    def flaky_attach(store, conn, ev, *a, **kw):
        if ev.place is not None and ev.place.name == "Saraqib":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real_attach(store, conn, ev, *a, **kw)

    monkeypatch.setattr(extract_pkg, "extract", flaky_extract)
    monkeypatch.setattr(resolve_pkg, "attach", flaky_attach)
    path = _jsonl(tmp_path / "a.jsonl", [{"id": str(k), "text": f"{t} (رقم {k})", "date": "2024-12-02"}
                                          for k, t in enumerate(GOOD * 2)])
    store = Store(tmp_path / "s.db")
    rep = ingest([str(path)], store, InputOptions(), jobs=1, batch=10)
    assert rep.new == 2 and rep.bad == 4
    reasons = sorted(p.reason for p in rep.problems)
    assert reasons[0].startswith("cannot be stored (OverflowError")
    assert reasons[-1].startswith("extraction failed (RecursionError")
    counts = store.counts()
    assert counts["documents"] == 2 and counts["errors"] == 4
    assert {e["place_name"] for e in store.query_events()} == {"Idlib"}
