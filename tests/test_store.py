"""The store: ingest, idempotency, crash safety, merging across reports, control, contradictions."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from hadath.cli import app
from hadath.errors import StoreError
from hadath.ingest import InputOptions, ingest
from hadath.resolve import contradictions, control_at, find_place, timelines
from hadath.store import SCHEMA_VERSION, Store, meta_table

from .conftest import EXAMPLES

runner = CliRunner()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def jsonl(folder: Path, name: str, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return p


@pytest.fixture
def store(new_db):
    return Store(new_db())


def test_ingest_is_idempotent(store):
    n = len(list(EXAMPLES.glob("*.ar.txt")))
    first = ingest([str(EXAMPLES)], store)
    assert n >= 4 and first.new == n and first.bad == 0 and first.events_new > 10
    before = store.dump()
    again = ingest([str(EXAMPLES)], store)
    assert (again.new, again.duplicates, again.events_new) == (0, n, 0)
    assert store.dump() == before
    assert store.schema_version() == SCHEMA_VERSION


def test_batched_writes_give_the_same_store_as_one_article_at_a_time(new_db):
    # the writer queues a transaction's events and reports and writes them in one statement
    # per table; an article per transaction writes each at once: the same store either way
    batched, single = Store(new_db("batched")), Store(new_db("single"))
    ingest([str(EXAMPLES)], batched, batch=50)
    ingest([str(EXAMPLES)], single, batch=1)
    a = batched.dump()
    assert a == single.dump() and len(a["reports"]) > 10 and a["claims"] and a["evidence"]


def test_a_writer_rereads_an_event_that_another_writer_merged_into(tmp_path, new_db):
    # a writer keeps the reports of the events it merged into; another writer's report to one
    # of them changes its count, and the first writer reads them again
    texts = [("A", "قتل 5 مدنيين في غارة روسية على مدينة سراقب."),
             ("B", "قتل 7 مدنيين في غارة جوية على مدينة سراقب."),
             ("C", "نفى الجيش الروسي شن غارة على مدينة سراقب.")]
    paths = [jsonl(tmp_path / "in", f"{k}.jsonl", [{"id": k, "source": f"Outlet {k}",
                                                   "date": "2024-12-02", "text": t}])
             for k, t in texts]
    url = new_db("two")
    first, second = Store(url), Store(url)
    ingest([str(paths[0])], first)
    ingest([str(paths[1])], second)
    ingest([str(paths[2])], first)
    one = Store(new_db("one"))
    ingest([str(p) for p in paths], one)
    merged = [e for e in one.query_events() if e["place_name"] == "Saraqib"]
    assert merged and merged[0]["n_reports"] == 3 and first.dump() == one.dump()


def test_a_report_is_stored_once_and_read_whole(store):
    ingest([str(EXAMPLES)], store)
    from sqlalchemy import select

    from hadath.models import Event
    from hadath.store import reports

    with store.engine.connect() as conn:
        raw = conn.execute(select(reports.c.event_id, reports.c.record)).all()
        # claims and evidence live in their tables only, empty fields are not written, and
        # the JSON is UTF-8 text (Arabic is not escaped)
        assert all("claims" not in r and "evidence" not in r and None not in r.values()
                   for _, r in raw)
        text_ = conn.exec_driver_sql("SELECT CAST(record AS TEXT) FROM reports").scalars().all()
        assert any("ال" in t for t in text_) and not any("\\u06" in t for t in text_)
        event_id = next(eid for eid, _ in raw)
        whole = store.event_reports(conn, event_id)
    claimed = {}
    for eid, _ in raw:
        for c in store.event_parts(eid)["claims"]:
            claimed[c["report_id"]] = claimed.get(c["report_id"], 0) + 1
    assert claimed  # the examples have attributed reports
    with store.engine.connect() as conn:
        for eid in {eid for eid, _ in raw}:
            for r in store.event_reports(conn, eid):
                ev = Event.model_validate(r["record"])  # a complete Event again
                assert len(ev.claims) == claimed.get(r["id"], 0) and ev.evidence
    assert whole and all(set(Event.model_fields) <= set(r["record"]) for r in whole)


def test_a_store_of_schema_2_migrates_and_keeps_its_content(new_db):
    # schema 2 kept a copy of each report's claims and evidence in its record
    url = new_db()
    store = Store(url)
    ingest([str(EXAMPLES)], store)
    before = store.dump()
    from sqlalchemy import select

    from hadath.store import (contested, control_periods, control_timelines, day_counts,
                              event_sources, event_summaries, place_counts, reports)

    assert before["contested"] and before["control_timelines"]  # disagreements, timelines
    sources = _sources(store)
    assert sources
    with store.engine.begin() as conn:
        for eid in {r[0] for r in conn.execute(select(reports.c.event_id))}:
            for r in store.event_reports(conn, eid):
                conn.execute(update(reports).where(reports.c.id == r["id"]).values(
                    record=r["record"]))
        # schema 2 had no list of contested events, no counts, no kept timelines and no
        # summaries of the events' reports
        for t in (contested, day_counts, place_counts, control_periods, control_timelines,
                  event_summaries, event_sources):
            conn.execute(t.delete())
        conn.execute(update(meta_table).where(meta_table.c.key == "schema_version")
                     .values(value="2"))
    with store.engine.connect() as conn:
        assert any("claims" in r for r in conn.execute(select(reports.c.record)).scalars())
    store.engine.dispose()
    again = Store(url)
    assert again.schema_version() == SCHEMA_VERSION == 10
    with again.engine.connect() as conn:
        assert not any("claims" in r for r in conn.execute(select(reports.c.record)).scalars())
    assert again.dump() == before and _sources(again) == sources


def test_reports_of_one_event_merge_and_keep_the_range(tmp_path, store):
    path = jsonl(tmp_path / "in", "two.jsonl", [
        {"id": "a", "source": "Outlet A", "date": "2024-12-02",
         "text": "قتل 12 مدنيا في غارة جوية روسية على مدينة سراقب أمس، بحسب المرصد السوري."},
        {"id": "b", "source": "Outlet B", "date": "2024-12-02",
         "text": "قال الدفاع المدني إن غارة جوية روسية على سراقب أمس أسفرت عن مقتل 9 مدنيين."},
    ])
    rep = ingest([str(path)], store)
    assert (rep.events_new, rep.events_merged) == (1, 1)
    ev = store.query_events()[0]
    assert ev["n_reports"] == 2 and ev["n_sources"] == 2
    assert (ev["fatalities"], ev["fatalities_low"], ev["fatalities_high"]) == (9, 9, 12)
    assert ev["first_reported"].isoformat() == "2024-12-02"
    detail = store.event_detail(ev["id"])
    assert {c["outlet"] for c in detail["claims"]} == {"Outlet A", "Outlet B"}


def test_the_cache_fingerprint_changes_with_every_merged_report(tmp_path, store):
    """Views are cached by Store.fingerprint: a report merged into a known event (no new event,
    no new place) must still change it, and a re-ingest that adds nothing must not."""
    first = jsonl(tmp_path / "a", "a.jsonl", [
        {"id": "a", "source": "Outlet A", "date": "2024-12-02",
         "text": "قتل 12 مدنيا في غارة جوية روسية على مدينة سراقب أمس، بحسب المرصد السوري."}])
    second = jsonl(tmp_path / "b", "b.jsonl", [
        {"id": "b", "source": "Outlet B", "date": "2024-12-02",
         "text": "قال الدفاع المدني إن غارة جوية روسية على سراقب أمس أسفرت عن مقتل 9 مدنيين."}])
    ingest([str(first)], store)
    before = store.fingerprint()
    ingest([str(first)], store)
    assert store.fingerprint() == before
    rep = ingest([str(second)], store)
    assert (rep.events_new, rep.events_merged) == (0, 1) and store.fingerprint() != before


def test_different_events_stay_apart(tmp_path, store):
    path = jsonl(tmp_path / "in", "apart.jsonl", [
        {"id": "a", "date": "2024-12-02", "text": "قتل 3 مدنيين في غارة جوية على مدينة سراقب أمس."},
        {"id": "b", "date": "2024-12-02", "text": "اندلعت اشتباكات عنيفة بين الفصائل والجيش السوري في مدينة سراقب أمس."},
        {"id": "c", "date": "2024-12-02", "text": "قتل مدنيان في غارة جوية على مدينة أريحا أمس."},
        {"id": "d", "date": "2024-12-20", "text": "قتل 4 مدنيين في غارة جوية على مدينة سراقب أمس."},
    ])
    rep = ingest([str(path)], store)
    assert rep.events_new == 4 and rep.events_merged == 0


def test_control_timeline_answers_at(tmp_path, store):
    path = jsonl(tmp_path / "in", "control.jsonl", [
        {"id": "1", "date": "2024-11-20", "text": "قال المرصد السوري إن مدينة سراقب لا تزال تحت سيطرة دمشق."},
        {"id": "2", "date": "2024-11-28", "text": "أعلنت هيئة تحرير الشام سيطرتها على مدينة سراقب."},
        {"id": "3", "date": "2024-12-06", "text": "استعاد الجيش السوري السيطرة على مدينة سراقب بعد معارك عنيفة."},
    ])
    ingest([str(path)], store)
    import datetime as dt

    def holder(day):
        found = [p.actor for tl, p in control_at(store, dt.date.fromisoformat(day)) if tl.name == "Saraqib"]
        return found[0] if found else None

    assert holder("2024-11-25") == "Government of Syria"
    assert holder("2024-12-01") == "Hayat Tahrir al-Sham"
    assert holder("2024-12-10") == "Military Forces of Syria"
    tl = find_place(timelines(store), "سراقب")[0]
    assert [p.actor for p in tl.periods] == ["Government of Syria", "Hayat Tahrir al-Sham",
                                             "Military Forces of Syria"]
    assert tl.periods[1].supporting[0]["source"] == "Hayat Tahrir al-Sham"
    res = runner.invoke(app, ["control", "--at", "2024-12-01", "--db", store.url, "--json"])
    assert res.exit_code == 0
    assert {"place": "Saraqib", "actor": "Hayat Tahrir al-Sham"}.items() <= json.loads(
        [x for x in res.stdout.splitlines() if "Saraqib" in x][0]).items()


def test_a_confirm_and_a_deny_from_two_outlets_are_listed(tmp_path, store):
    path = jsonl(tmp_path / "in", "contested.jsonl", [
        {"id": "a", "source": "Outlet A", "date": "2024-12-01",
         "text": "أكد المرصد السوري انسحاب الجيش السوري من مدينة حماة."},
        {"id": "b", "source": "Outlet B", "date": "2024-12-01",
         "text": "نفى الجيش السوري انسحاب قواته من مدينة حماة."},
    ])
    ingest([str(path)], store)
    total, found = contradictions(store)
    assert total == len(found) == 1 and found[0].event["status"] == "contested"
    sides = {s["label"]: s for s in found[0].sides}
    assert sides["asserts"]["claims"][0]["outlet"] == "Outlet A"
    assert sides["denies"]["claims"][0]["source"] == "Military Forces of Syria"
    res = runner.invoke(app, ["claims", "--contested", "--db", store.url])
    assert res.exit_code == 0 and "1 contested events" in res.stdout and "denies" in res.stdout


def test_the_contested_events_the_writer_keeps_are_those_a_full_pass_finds(tmp_path, new_db):
    # reports merging one at a time (the examples, then reports that deny, differ in their
    # toll and blame another actor) give the list a pass over every event would give
    from hadath.resolve.contested import _check

    store = Store(new_db())
    ingest([str(EXAMPLES)], store, batch=1)
    path = jsonl(tmp_path / "in", "more.jsonl", [
        {"id": "a", "source": "Outlet A", "date": "2024-12-01",
         "text": "أكد المرصد السوري انسحاب الجيش السوري من مدينة حماة."},
        {"id": "b", "source": "Outlet B", "date": "2024-12-01",
         "text": "نفى الجيش السوري انسحاب قواته من مدينة حماة."},
        {"id": "c", "source": "Outlet C", "date": "2024-12-02",
         "text": "قتل 3 مدنيين في غارة روسية على مدينة سراقب."},
        {"id": "d", "source": "Outlet D", "date": "2024-12-02",
         "text": "قتل 12 مدنيا في غارة شنتها طائرات النظام السوري على مدينة سراقب."},
    ])
    ingest([str(path)], store, batch=1)
    everything = [found.as_dict() for ev in store.query_events() if (found := _check(store, ev))]
    total, kept = contradictions(store)
    assert total == len(everything) >= 2
    assert sorted(json.dumps(c.as_dict(), sort_keys=True, default=str) for c in kept) == \
        sorted(json.dumps(c, sort_keys=True, default=str) for c in everything)
    kinds = {k for c in kept for k in c.kinds}
    assert "confirmed and denied" in kinds and any(k.startswith("fatalities differ") for k in kinds)
    # one page reads its own events
    total2, page = contradictions(store, limit=1, offset=1)
    assert total2 == total and len(page) == 1 and page[0].event["id"] == kept[1].event["id"]


def test_bad_inputs_are_skipped_counted_and_reported(tmp_path, store):
    folder = tmp_path / "in"
    write(folder, "broken.rss", "<rss><channel><item><title>غير مكتمل")
    write(folder, "empty.html", "<html><body><script>var x=1;</script></body></html>")
    write(folder, "ok.txt", "قتل ثلاثة مدنيين في قصف على مدينة إدلب.")
    jsonl(folder, "mixed.jsonl", [{"id": "1", "text": "قتل مدنيان في قصف على مدينة حلب."}])
    with (folder / "mixed.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{broken json\n" + json.dumps({"id": "3", "body": "no text"}) + "\n")
    rep = ingest([str(folder)], store)
    # the feed (malformed, and its one entry has no text), the page, two JSONL lines
    assert rep.new == 2 and rep.bad == 5
    reasons = " | ".join(p.reason for p in rep.problems)
    assert "malformed feed" in reasons and "no main text" in reasons and "not JSON" in reasons
    res = runner.invoke(app, ["ingest", "--report", "--db", store.url])
    assert res.exit_code == 0 and res.stdout.count("\n") == 5 and "broken.rss" in res.stdout


def test_feeds_and_jsonl_fields(tmp_path, store):
    feed = write(tmp_path, "feed.xml", """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>قصف على إدلب</title><link>https://example.org/1</link>
<pubDate>Sun, 01 Dec 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;قتل خمسة مدنيين في قصف مدفعي على مدينة إدلب أمس.&lt;/p&gt;</description></item>
<item><title>غارة</title><link>https://example.org/2</link>
<pubDate>Mon, 02 Dec 2024 08:00:00 GMT</pubDate>
<description>شنت طائرات حربية غارات على مدينة سراقب.</description></item>
</channel></rss>""")
    ant = jsonl(tmp_path / "in", "ant.jsonl", [{"docno": "X-1", "time": "Sun, 01 Dec 2024 05:19:24 GMT",
                                                "src": "Outlet", "url": "https://example.org/3",
                                                "text": "قتل جندي في هجوم على مدينة الموصل."}])
    rep = ingest([str(feed), str(ant)], store,
                 InputOptions(date_field="time", id_field="docno", source_field="src"))
    assert rep.new == 3
    with store.engine.connect() as conn:
        docs = conn.exec_driver_sql("SELECT url, source, published FROM documents ORDER BY id").all()
    assert [d[0] for d in docs] == ["https://example.org/1", "https://example.org/2", "https://example.org/3"]
    assert docs[0][1] == "Wire" and str(docs[0][2]) == "2024-12-01" and docs[2][1] == "Outlet"
    strike = [e for e in store.query_events() if e["place_name"] == "Idlib"][0]
    assert str(strike["date"]) == "2024-11-30"  # "أمس" in an entry published on 1 December
    # the same URL with different text is another article (issue 13: a live page, a feed link)
    again = jsonl(tmp_path / "in2", "again.jsonl", [{"docno": "X-2", "url": "https://example.org/3",
                                                     "text": "قتل جنديان في هجوم على مدينة الموصل."}])
    assert ingest([str(again)], store, InputOptions(id_field="docno")).new == 1


def test_a_newer_schema_is_refused(new_db):
    url = new_db()
    s = Store(url)
    with s.engine.begin() as conn:
        conn.execute(update(meta_table).where(meta_table.c.key == "schema_version").values(value="99"))
    with pytest.raises(StoreError, match="schema 99"):
        Store(url)


def test_events_command_filters(tmp_path, store):
    ingest([str(EXAMPLES)], store)
    db = store.url
    res = runner.invoke(app, ["events", "--db", db, "--kind", "air_strike", "--json"])
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert rows and all(r["kind"] == "air_strike" for r in rows)
    near = runner.invoke(app, ["events", "--db", db, "--near", "31.35,34.30", "--km", "15", "--json"])
    assert {json.loads(x)["place_name_ar"] for x in near.stdout.splitlines()} == {"خان يونس"}
    place = runner.invoke(app, ["events", "--db", db, "--place", "Basrah", "--json"])
    assert {json.loads(x)["kind"] for x in place.stdout.splitlines()} == {"riot", "arrest"}
    assert runner.invoke(app, ["events", "--db", db, "--near", "north"]).exit_code == 2
    assert runner.invoke(app, ["events", "--db", db, "--kind", "picnic"]).exit_code == 2


ARTICLE = ("قتل {n} مدنيين في قصف مدفعي على بلدة {town} في ريف إدلب الجنوبي، بحسب المرصد السوري. "
           "ونفى الجيش السوري قصف {town}.")
TOWNS = ["كفرنبل", "سراقب", "أريحا", "خان شيخون", "معرة النعمان", "جسر الشغور"]


def make_folder(folder: Path, n: int) -> Path:
    for i in range(n):
        write(folder, f"a{i:04d}_2024-12-{1 + i % 28:02d}.ar.txt",
              ARTICLE.format(n=3 + i % 17, town=TOWNS[i % len(TOWNS)]) + f" (رقم {i})")
    return folder


def hadath_cli() -> list[str]:
    return [sys.executable, "-m", "hadath.cli"]


def test_kill_9_then_rerun_gives_the_same_store(tmp_path, new_db):
    folder = make_folder(tmp_path / "in", 150)
    crashed, clean = new_db("crashed"), new_db("clean")
    watch = Store(crashed)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = hadath_cli() + ["ingest", str(folder), "--batch", "5", "-j", "1", "--db"]
    proc = subprocess.Popen(cmd + [str(crashed)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    committed = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            committed = watch.counts()["documents"]
        except Exception:  # noqa: BLE001 - the store is being written; look again
            continue
        if committed >= 30:
            break
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 30 <= committed < 150
    subprocess.run(cmd + [str(crashed)], env=env, check=True, capture_output=True)
    subprocess.run(cmd + [str(clean)], env=env, check=True, capture_output=True)
    a, b = Store(crashed).dump(), Store(clean).dump()
    assert len(a["documents"]) == 150
    assert a == b


def test_process_pool_gives_the_same_store_as_one_process(tmp_path, new_db):
    folder = make_folder(tmp_path / "in", 24)
    one, two = Store(new_db("one")), Store(new_db("two"))
    ingest([str(folder)], one, jobs=1)
    ingest([str(folder)], two, jobs=2)
    assert one.dump() == two.dump()


def test_two_concurrent_ingests_give_the_same_store_as_one(tmp_path, new_db):
    """Two ingests of the same inputs at once into one store: no article twice, no event
    doubled, nothing lost; the store is the one a single ingest makes."""
    folder = make_folder(tmp_path / "in", 120)
    shared_db, single = new_db("shared"), new_db("single")
    Store(shared_db)  # create the schema before the two writers race
    cmd = hadath_cli() + ["ingest", str(folder), "--batch", "5", "-j", "1", "--db"]
    procs = [subprocess.Popen(cmd + [shared_db], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    news = [int(out.split(": ")[1].split(" new articles")[0]) for out, _ in outs]
    assert sum(news) == 120  # each article stored by exactly one of the two
    subprocess.run(cmd + [single], check=True, capture_output=True)
    a, b = Store(shared_db).dump(), Store(single).dump()
    assert len(a["documents"]) == 120 and a == b


def test_near_queries_use_the_spatial_index(store, backend):
    ingest([str(EXAMPLES)], store)
    from hadath.store import EventFilter

    found = store.query_events(EventFilter(near=(31.35, 34.30), km=15))
    assert {e["place_name_ar"] for e in found} == {"خان يونس"}
    if backend == "postgresql":
        from sqlalchemy import text

        with store.engine.connect() as conn:
            has_postgis = conn.execute(text("SELECT 1 FROM pg_available_extensions "
                                            "WHERE name = 'postgis'")).first() is not None
        assert store.postgis == has_postgis


def test_lists_are_read_newest_first_from_an_index(store, backend):
    # the events list and the map's points come in index order, never sorted per request
    from sqlalchemy import select, text

    from hadath.store import POINT_COLUMNS, events

    ingest([str(EXAMPLES)], store)
    newest = events.c.date.desc().nulls_last()
    queries = [select(events).order_by(newest, events.c.id).limit(100),
               select(*(events.c[c] for c in POINT_COLUMNS)).where(events.c.lat.is_not(None))
               .order_by(newest, events.c.id).limit(50_000)]
    with store.engine.connect() as conn:
        for q in queries:
            sql = str(q.compile(conn, compile_kwargs={"literal_binds": True}))
            if backend == "postgresql":  # a tiny table: make the planner show what it can use
                conn.execute(text("SET enable_seqscan = off"))
                conn.execute(text("SET enable_sort = off"))
                plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
                assert "events_newest" in plan and " Sort " not in f" {plan} ", plan
            else:
                plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
                assert "events_newest" in plan and "TEMP B-TREE" not in plan, plan
    dates = [e["date"] for e in store.query_events()]
    assert dates == sorted(dates, key=lambda d: (d is None, -(d.toordinal() if d else 0)))


def test_one_kind_of_events_is_read_from_the_index_of_its_kind(store, backend):
    # the map's kind filter: its page, its points and its count read that kind's events by
    # the index of kind and order (schema 7), not every event of the store, and unsorted
    from sqlalchemy import event

    from hadath.store import EventFilter

    ingest([str(EXAMPLES)], store)
    f = EventFilter(kind="shelling")
    ran: list[tuple] = []

    def grab(_conn, _cursor, sql, params, *_):
        ran.append((sql, params))

    event.listen(store.engine, "before_cursor_execute", grab)
    page, points, n = store.query_events(f, limit=100), store.points(f), store.count_events(f)
    event.remove(store.engine, "before_cursor_execute", grab)
    assert n == len(page) == len(points) + sum(e["lat"] is None for e in page) > 0
    assert {e["kind"] for e in page} == {"shelling"}
    with store.engine.connect() as conn:
        if backend == "postgresql":  # a tiny table: make the planner show what it can use
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_sort = off")
        for sql, params in ran:
            if backend == "postgresql":
                plan = " ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, params))
                assert "events_kind_newest" in plan and " Sort " not in f" {plan} ", plan
            else:
                plan = " ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
                assert "events_kind_newest" in plan and "TEMP B-TREE" not in plan, plan


def test_the_points_of_a_kind_an_actor_or_an_outlet_are_read_from_one_index_alone(store, backend):
    # the map's 50,000 points of a filter by kind, actor or outlet (schema 10): a range of the
    # index of the kind, of those of the actors or of event_sources, which hold all a point
    # shows; not each event's row read again by its id (0.4-0.5 s at a million events)
    from hadath.store import EventFilter

    ingest([str(EXAMPLES)], store)
    filters = [EventFilter(kind="shelling"), EventFilter(actor="Forces of Isr"),
               EventFilter(source="Observatory")]
    if backend == "postgresql":  # (an index alone is read where the table's pages are all
        with store.engine.connect() as conn:  # visible: VACUUM, as autovacuum does)
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM events")
    for f in filters:
        assert store.points(f), f
        plan = _plans(store, backend, lambda f=f: store.points(f))[-1]  # (after the names')
        if backend == "postgresql":  # (event_sources: a table read in the order of its key)
            reads = [p for p in plan.split("->") if " on events " in f"{p} "]
            assert all("Index Only Scan" in p for p in reads) and "Heap" not in plan, (f, plan)
        else:
            assert "SEARCH events USING INDEX" not in plan and "SCAN events" not in plan, (f, plan)
            assert "PRIMARY KEY" not in plan.replace("event_sources USING PRIMARY KEY", ""), (f, plan)


def _plans(store, backend, run) -> list[str]:
    """The plans of the statements ``run()`` sends to the store (PostgreSQL: with sequential
    scans and sorts priced out, so that a tiny table shows what the planner can use)."""
    from sqlalchemy import event

    ran: list[tuple] = []

    def grab(_conn, _cursor, sql, params, *_):
        ran.append((sql, params))

    event.listen(store.engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(store.engine, "before_cursor_execute", grab)
    plans = []
    with store.engine.connect() as conn:
        if backend == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_sort = off")
        for sql, params in ran:
            explain = "EXPLAIN " if backend == "postgresql" else "EXPLAIN QUERY PLAN "
            plans.append(" ".join(str(r[-1]) for r in conn.exec_driver_sql(explain + sql, params)))
    return plans


def test_a_deep_page_of_claims_is_read_in_the_order_of_an_index(store, backend):
    # the contested events newest first (schema 8): PostgreSQL joined every event to sort them
    ingest([str(EXAMPLES)], store)
    total, rows = store.contested_page(1, 1)
    assert total >= 2 and len(rows) == 1
    page = [p for p in _plans(store, backend, lambda: store.contested_page(1, 1)) if "contested" in p]
    assert any("contested_newest" in p for p in page), page
    assert not any(" Sort " in f" {p} " or "TEMP B-TREE" in p for p in page), page


def test_a_filter_by_part_of_a_name_reads_the_events_by_index(store, backend):
    # not a pass over every event: the names kept are matched, then the events read by index
    from hadath.store import EventFilter

    ingest([str(EXAMPLES)], store)
    filters = [EventFilter(actor="Forces of Isr"), EventFilter(place="Khan Yunis"),
               EventFilter(place="خان يونس"), EventFilter(source="Observatory")]
    for f in filters:
        assert store.count_events(f) > 0, f
        plans = [p for p in _plans(store, backend, lambda f=f: (store.query_events(f, limit=10),
                                                               store.count_events(f)))
                 if "events" in p]
        scans = ("Seq Scan on events", "Parallel Seq Scan on events") if backend == "postgresql" \
            else ("SCAN events",)
        assert plans and not any(s in p for p in plans for s in scans), (f, plans)


def test_the_counts_of_outlets_and_cited_sources_are_kept_by_the_writer(store):
    # the counts the writer keeps are those a pass over the documents and the claims gives
    from collections import Counter

    from sqlalchemy import select

    from hadath.store import claims, documents

    ingest([str(EXAMPLES)], store, batch=2)
    got = store.sources()
    with store.engine.connect() as conn:
        outlets = Counter(r[0] for r in conn.execute(select(documents.c.source)))
        cited = Counter((r[0], r[1]) for r in conn.execute(select(claims.c.source, claims.c.stance)))
    assert {o["name"]: o["articles"] for o in got["outlets"]} == dict(outlets)
    assert {(c["name"], s): n for c in got["cited"] for s, n in c["stances"].items()} == dict(cited)
    assert sum(c["claims"] for c in got["cited"]) == sum(cited.values()) > 0


def test_the_days_of_one_kind_are_the_counts_the_writer_keeps(store):
    # a kind chosen on the map: its events and fatalities per day read from day_counts, the
    # same as counting that kind's events
    from hadath.store import EventFilter

    ingest([str(EXAMPLES)], store, batch=3)
    kinds = {e["kind"] for e in store.query_events()}
    assert len(kinds) >= 5
    for kind in kinds:
        f = EventFilter(kind=kind)
        counted: dict = {}
        for e in store.query_events(f):
            if e["date"] is not None:
                n, dead = counted.get(e["date"], (0, 0))
                counted[e["date"]] = (n + 1, dead + (e["fatalities"] or 0))
        got = store.per_day(f)
        assert [d["date"] for d in got] == sorted(counted), kind
        assert {d["date"]: (d["events"], d["fatalities"]) for d in got} == counted, kind
        assert {d["kind"] for d in got} <= {kind}


def test_a_schema_6_store_gains_the_index_of_each_kind_when_opened_to_be_read(tmp_path):
    from sqlalchemy import text

    path = tmp_path / "s6.db"
    store = Store(path)
    ingest([str(EXAMPLES)], store)
    with store.engine.begin() as conn:
        conn.execute(text("DROP INDEX events_kind_newest"))
        conn.execute(update(meta_table).where(meta_table.c.key == "schema_version").values(value="6"))
    store.engine.dispose()
    reader = Store(path, read_only=True)
    assert reader.schema_version() == SCHEMA_VERSION == 10
    with reader.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' "
                                 "AND name = 'events_kind_newest'")).first() is not None


def test_a_schema_9_store_gains_what_a_point_shows_in_its_indexes_and_event_sources(new_db, backend):
    # schema 9 held a kind's, an actor's and an outlet's order with their date, kind, fatalities
    # and latitude only: upgraded, they hold all a point shows, what a full pass finds
    from sqlalchemy import text

    from hadath.store import EventFilter

    db = new_db()
    store = Store(db)
    ingest([str(EXAMPLES)], store)
    kept = _sources(store)
    f = EventFilter(source="Observatory")
    points = store.points(f)
    with store.engine.begin() as conn:
        for k in ("lon", "family", "status", "place_name", "place_name_ar", "precision",
                  "actor1", "actor2", "n_reports"):
            conn.execute(text(f"ALTER TABLE event_sources DROP COLUMN {k}"))
        for name, cols in (("kind_newest", "kind"), ("actor1", "actor1"), ("actor2", "actor2")):
            conn.execute(text(f"DROP INDEX events_{name}"))
            conn.execute(text(f"CREATE INDEX events_{name} ON events ({cols}, date DESC, id)"))
        conn.execute(update(meta_table).where(meta_table.c.key == "schema_version").values(value="9"))
    store.engine.dispose()
    upgraded = Store(db)
    assert upgraded.schema_version() == SCHEMA_VERSION == 10
    assert _sources(upgraded) == kept and upgraded.points(f) == points and points
    for f, index in ((EventFilter(kind="shelling"), "events_kind_newest"),
                     (EventFilter(actor="Forces"), "events_actor1")):
        plan = _plans(upgraded, backend, lambda f=f: upgraded.points(f))[-1]
        if backend == "sqlite":
            assert f"COVERING INDEX {index}" in plan and "SEARCH events USING INDEX" not in plan, plan
        else:  # (a tiny table: whichever index holds all, read alone)
            reads = [p for p in plan.split("->") if " on events " in f"{p} "]
            assert reads and all("Index Only Scan" in p for p in reads), plan


def test_a_store_of_an_older_schema_opened_to_be_read_is_upgraded_first(tmp_path):
    path = tmp_path / "old.db"
    store = Store(path)
    ingest([str(EXAMPLES)], store)
    with store.engine.begin() as conn:
        conn.execute(update(meta_table).where(meta_table.c.key == "schema_version").values(value="2"))
    store.engine.dispose()
    reader = Store(path, read_only=True)
    assert reader.schema_version() == SCHEMA_VERSION
    total, _ = __import__("hadath.resolve", fromlist=["contradictions"]).contradictions(reader)
    assert total >= 1
    # where it cannot be written, the reader says why rather than failing on a missing table
    with store.engine.begin() as conn:
        conn.execute(update(meta_table).where(meta_table.c.key == "schema_version").values(value="2"))
    store.engine.dispose()
    os.chmod(path, 0o444)
    os.chmod(tmp_path, 0o555)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("running as a user who can write read-only files")
        with pytest.raises(StoreError, match="older hadath"):
            Store(path, read_only=True)
    finally:
        os.chmod(tmp_path, 0o755)
        os.chmod(path, 0o644)


# Reports that merge, deny, withdraw and hold, one article at a time after the examples: a toll
# revised down, a change of hands denied, a withdrawal, a holding, a place taken back.
MORE = [
    {"id": "a", "source": "Outlet A", "date": "2024-12-01",
     "text": "أكد المرصد السوري انسحاب الجيش السوري من مدينة حماة."},
    {"id": "b", "source": "Outlet B", "date": "2024-12-01",
     "text": "نفى الجيش السوري انسحاب قواته من مدينة حماة."},
    {"id": "d", "source": "Outlet D", "date": "2024-12-02",
     "text": "قتل 12 مدنيا في غارة شنتها طائرات النظام السوري على مدينة سراقب."},
    {"id": "c", "source": "Outlet C", "date": "2024-12-02",
     "text": "قتل 3 مدنيين في غارة روسية على مدينة سراقب."},
    {"id": "e", "source": "Outlet E", "date": "2024-11-20",
     "text": "قال المرصد السوري إن مدينة سراقب لا تزال تحت سيطرة دمشق."},
    {"id": "f", "source": "Outlet F", "date": "2024-11-28",
     "text": "أعلنت هيئة تحرير الشام سيطرتها على مدينة سراقب."},
    {"id": "g", "source": "Outlet G", "date": "2024-11-29",
     "text": "نفت وزارة الدفاع السورية سيطرة هيئة تحرير الشام على مدينة سراقب."},
    {"id": "h", "source": "Outlet H", "date": "2024-12-06",
     "text": "استعاد الجيش السوري السيطرة على مدينة سراقب بعد معارك عنيفة."},
    {"id": "i", "source": "Outlet I", "date": "2024-12-07",
     "text": "انسحبت قوات سوريا الديمقراطية من مدينة منبج."},
    {"id": "j", "source": "Outlet J", "date": "2024-12-09",
     "text": "قتل 9 مدنيين في غارة جوية على مدينة معرة النعمان."},
    {"id": "k", "source": "Outlet K", "date": "2024-12-09",
     "text": "قتل 4 مدنيين في غارة جوية على مدينة معرة النعمان أمس."},
    {"id": "l", "source": "Outlet L", "date": "2024-12-10",
     "text": "سيطرت هيئة تحرير الشام على أطراف مدينة حلب."},
    {"id": "m", "source": "Outlet M", "date": "2024-12-10",
     "text": "سيطرت هيئة تحرير الشام على مدينة حلب."},
]


def _kept(store: Store) -> dict:
    """What the views read from the tables the writer keeps."""
    from hadath.serve.views import Views

    v = Views(store)
    days = {d for t in store.timelines_of([r["key"] for r in store.timeline_places()]).values()
            for p in t["periods"] for d in (p["from"], p["until"]) if d}
    return {"per_day": store.per_day(), "range": store.date_range(), "places": store.event_places(),
            "extent": v.meta()["extent"], "timelines": v.places(None, 10_000),
            "control": {d: v.control_at(dt.date.fromisoformat(d)) for d in sorted(days)}}


def test_the_views_the_writer_keeps_are_those_a_full_pass_finds(tmp_path, new_db):
    # the counts per day and per place and the control timelines the writer keeps as reports
    # merge one at a time are those a pass over every event gives, and those the migration to
    # schema 4 finds in a store written without them
    from collections import Counter

    from sqlalchemy import select

    from hadath.resolve.control import held_at, kept_timelines
    from hadath.serve.views import main_extent
    from hadath.store import _v4_views, _v8_event_names, events

    store = Store(new_db())
    ingest([str(EXAMPLES)], store, batch=1)
    ingest([str(jsonl(tmp_path / "in", "more.jsonl", MORE))], store, batch=1)
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(events))]
    kept = _kept(store)
    dated = [r for r in rows if r["date"] is not None and r["kind"] != "territory_held"]
    per_day = Counter((r["date"], r["kind"]) for r in dated)
    assert {(d["date"], d["kind"]): d["events"] for d in kept["per_day"]} == per_day
    assert sum(d["fatalities"] for d in kept["per_day"]) == sum(r["fatalities"] or 0 for r in dated)
    assert kept["range"] == (min(r["date"] for r in rows if r["date"]),
                             max(r["date"] for r in rows if r["date"]))
    located = [r for r in rows if r["lat"] is not None]
    assert {p["key"]: p["events"] for p in kept["places"]} == Counter(
        r["gazetteer_id"] or r["place_name"] for r in located)
    assert kept["extent"] == main_extent(store.locations())
    full = timelines(store)
    assert len(full) >= 3 and {t["key"]: t for t in kept["timelines"]} == {
        k: json.loads(json.dumps(t.as_dict(), default=str)) for k, t in full.items()}
    assert {k: t.as_dict() for k, t in kept_timelines(store).items()} == {
        k: t.as_dict() for k, t in full.items()}  # (what the brief, alerts and the CLI read)
    for day, held in kept["control"].items():
        then = held_at(full, dt.date.fromisoformat(day))
        assert [(c["key"], c["actor"], c["since"]) for c in held] == \
            [(t.key, p.actor, p.as_dict()["from"]) for t, p in then]
    assert any(kept["control"].values())
    before = store.dump()
    assert before["event_names"]
    with store.engine.begin() as conn:  # a store written before schema 4 (and 8), migrated
        _v4_views(conn)
    assert store.dump() == before and _kept(store) == kept
    with store.engine.begin() as conn:
        _v8_event_names(conn)
    assert store.dump() == before
    _assert_sources_are_those_a_full_pass_finds(store)


def _sources(store) -> list[tuple]:
    """The rows of ``event_sources``, in order."""
    from sqlalchemy import select

    from hadath.store import event_sources

    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(event_sources).order_by(
            *event_sources.primary_key.columns))]


def _assert_sources_are_those_a_full_pass_finds(store) -> None:
    """The outlets and cited sources of each event the writer keeps (schema 9) are those the
    migration finds by a pass over the events, their reports and claims, their order that of
    the events' dates."""
    from hadath.store import _newest, _v9_event_sources

    kept = _sources(store)
    assert kept and all(newest == _newest(day) for _, newest, _, day, *_ in kept)
    with store.engine.begin() as conn:
        _v9_event_sources(conn)
    assert _sources(store) == kept


def _scanned(f) -> list:
    """The conditions of a filter by actor, place or source as they were before schema 8: a
    LIKE over every event (the reference the kept names must answer as)."""
    from sqlalchemy import and_, or_, select

    from hadath.models import STATE_KINDS
    from hadath.places import resolve_place
    from hadath.store import _like, claims, documents, events, reports

    conds = [events.c.kind.not_in(tuple(STATE_KINDS))]
    if f.actor:
        like = _like(f.actor)
        conds.append(or_(events.c.actor1.ilike(like, escape="\\"), events.c.actor2.ilike(like, escape="\\"),
                         events.c.actor1_code == f.actor, events.c.actor2_code == f.actor))
    if f.place:
        pq = resolve_place(f.place)
        place = [events.c.gazetteer_id == f.place, events.c.gazetteer_id.in_(pq.gids),
                 events.c.country.in_(pq.countries)]
        place += [and_(events.c.country == c, events.c.admin1 == a) for c, a in pq.admin1]
        place += [events.c.place_name.ilike(_like(n), escape="\\") for n in pq.names]
        place += [events.c.place_name_ar.like(_like(n), escape="\\") for n in pq.names_ar]
        if not pq.resolved:
            place.append(events.c.admin1.ilike(_like(f.place), escape="\\"))
        conds.append(or_(*place))
    if f.source:
        like = _like(f.source)
        conds.append(or_(
            events.c.id.in_(select(reports.c.event_id).join(documents, documents.c.id == reports.c.document_id)
                            .where(documents.c.source.ilike(like, escape="\\"))),
            events.c.id.in_(select(claims.c.event_id).where(claims.c.source.ilike(like, escape="\\")))))
    return select(events.c.id).where(*conds)


@pytest.mark.parametrize("matched", [1000, 1])
def test_a_filter_by_part_of_a_name_finds_what_a_scan_of_every_event_finds(tmp_path, new_db,
                                                                          monkeypatch, matched):
    # a place, an actor or a source by part of its name is matched among the names the writer
    # keeps (schema 8), then read by index: the events a LIKE over every event found before
    # (and still finds where a part matches more than MATCHED_NAMES names)
    from sqlalchemy import select

    from hadath.store import EventFilter, events

    monkeypatch.setattr("hadath.store.MATCHED_NAMES", matched)

    store = Store(new_db())
    ingest([str(EXAMPLES)], store, batch=1)
    ingest([str(jsonl(tmp_path / "in", "more.jsonl", MORE))], store, batch=1)
    with store.engine.connect() as conn:
        rows = [r._mapping for r in conn.execute(select(events))]
        outlets = [s for (s,) in conn.exec_driver_sql("SELECT DISTINCT source FROM documents") if s]
        cited = [s for (s,) in conn.exec_driver_sql("SELECT DISTINCT source FROM claims") if s]

    def parts(names):  # whole, a middle part, in another case; and parts matching nothing
        names = sorted({n for n in names if n})
        return {p for n in names for p in (n, n[1:5], n[2:].upper(), n[:3].lower())} | {"zz%", "_", "%"}

    actors = parts([r["actor1"] for r in rows] + [r["actor2"] for r in rows]) | {
        r["actor1_code"] for r in rows if r["actor1_code"]}
    places = parts([r["place_name"] for r in rows] + [r["place_name_ar"] for r in rows]) | {
        "Aleppo", "حلب", "Idlib", "Gaza", "Syria", "Darfur", "ولاية الخرطوم"} | {
        r["gazetteer_id"] for r in rows if r["gazetteer_id"]}
    filters = [EventFilter(actor=a) for a in sorted(actors)] + [
        EventFilter(place=p) for p in sorted(places)] + [
        EventFilter(source=s) for s in sorted(parts(outlets + cited))] + [
        EventFilter(actor="Forces", place="Syria", kind="air_strike")]
    found = 0
    with store.engine.connect() as conn:
        for f in filters:
            scanned = sorted(conn.execute(_scanned(f).where(
                events.c.kind == f.kind if f.kind else True)).scalars())
            assert sorted(e["id"] for e in store.query_events(f)) == scanned, f
            assert store.count_events(f) == len(scanned), f
            found += bool(scanned)
    assert found > len(filters) / 2  # (most filters match some events, some none)


def test_an_outlet_or_an_actor_read_in_order_answers_as_a_scan_of_every_event(
        tmp_path, new_db):
    # a filter by an outlet (or cited source) or an actor, alone or with a kind or dates, reads
    # ``event_sources`` or the indexes of the actors (schema 9): its count, page (by offset and
    # after a cursor), points and days are those of the events a LIKE over every event finds,
    # in the same order
    import datetime as dt
    from collections import Counter

    from sqlalchemy import select

    from hadath.store import POINT_COLUMNS, EventFilter, events

    store = Store(new_db())
    ingest([str(EXAMPLES)], store, batch=1)
    ingest([str(jsonl(tmp_path / "in", "more.jsonl", MORE))], store, batch=1)
    with store.engine.connect() as conn:
        rows = {r.id: dict(r._mapping) for r in conn.execute(select(events))}
        outlets = {s for (s,) in conn.exec_driver_sql("SELECT source FROM documents") if s}
        cited = {s for (s,) in conn.exec_driver_sql("SELECT source FROM claims") if s}
    actors = {r[c] for r in rows.values() for c in ("actor1", "actor2") if r[c]}
    filters = [EventFilter(source=s) for s in sorted(outlets | cited)] + [
        EventFilter(actor=a) for a in sorted(actors)] + [
        EventFilter(source="a"), EventFilter(actor="Forces"), EventFilter(actor="zz"),
        EventFilter(actor="Forces", kind="air_strike"),
        EventFilter(source="a", since=dt.date(2024, 1, 1), until=dt.date(2025, 6, 30))]
    newest = lambda r: (r["date"] is None, -(r["date"] or dt.date.min).toordinal(), r["id"])  # noqa: E731
    found = 0
    for f in filters:
        assert store._tagged(f) is not None, f
        with store.engine.connect() as conn:
            ids = set(conn.execute(_scanned(f).where(
                events.c.kind == f.kind if f.kind else True,
                events.c.date >= f.since if f.since else True,
                events.c.date <= f.until if f.until else True)).scalars())
        want = sorted((rows[i] for i in ids), key=newest)
        assert store.count_events(f) == len(want), f
        assert [e["id"] for e in store.query_events(f)] == [r["id"] for r in want], f
        assert [e["id"] for e in store.query_events(f, limit=2, offset=1)] == [
            r["id"] for r in want[1:3]], f
        if want:
            after = (want[0]["date"], want[0]["id"])
            assert [e["id"] for e in store.query_events(f, limit=3, after=after)] == [
                r["id"] for r in want[1:4]], f
        assert store.points(f) == [tuple(str(r["date"]) if c == "date" and r["date"] else r[c]
                                         for c in POINT_COLUMNS)
                                   for r in want if r["lat"] is not None], f
        days = Counter((r["date"], r["kind"]) for r in want if r["date"] is not None)
        deaths = Counter()
        for r in want:
            if r["date"] is not None:
                deaths[r["date"], r["kind"]] += r["fatalities"] or 0
        assert [(d["date"], d["kind"], d["events"], d["fatalities"]) for d in store.per_day(f)] \
            == [(*k, n, deaths[k]) for k, n in sorted(days.items())], f
        found += bool(want)
    assert found > len(filters) / 2
    # read otherwise: an actor by a code the events hold, a place, a status
    code = next(r["actor1_code"] for r in rows.values() if r["actor1_code"])
    for f in (EventFilter(actor=code), EventFilter(source="a", place="Syria"),
              EventFilter(actor="Forces", status="single_source")):
        assert store._tagged(f) is None


def test_a_timeline_s_spans_are_the_days_at_answers():
    # the days kept for each period (read by index for /api/control) are those Timeline.at
    # answers it on, whatever the order of the periods' starts and ends
    import random

    from hadath.resolve.control import Period, Timeline

    rng = random.Random(15)
    day0 = dt.date(2024, 1, 1)

    def day():
        return None if rng.random() < 0.15 else day0 + dt.timedelta(days=rng.randrange(30))

    for _ in range(300):
        tl = Timeline("k", "K", None, None, None, None)
        tl.periods = [Period(rng.choice(["A", "B", None]), day(), day())
                      for _ in range(rng.randrange(6))]
        spans = tl.spans()
        for k in range(-2, 33):
            d = day0 + dt.timedelta(days=k)
            at = tl.at(d)
            held = [n for n, first, last in spans
                    if (first is None or first <= d) and (last is None or d <= last)]
            assert held == [n for n, p in enumerate(tl.periods) if p is at and at.actor]


def test_a_new_sqlite_store_has_pages_an_article_fills(tmp_path):
    import sqlite3

    from hadath.store import SQLITE_PAGE, SQLITE_WAL_PAGES, Store

    store = Store(tmp_path / "s.db")
    with store.engine.connect() as conn:  # (a writer checkpoints every 64 MB of WAL)
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == SQLITE_WAL_PAGES
    store.engine.dispose()
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == SQLITE_PAGE


MERGING = [  # reports of one strike and one withdrawal from several outlets (own wording)
    {"id": "a", "source": "Outlet A", "date": "2024-12-02",
     "text": "قتل 5 مدنيين في غارة روسية على مدينة سراقب."},
    {"id": "b", "source": "Outlet B", "date": "2024-12-02",
     "text": "قتل 12 مدنيا في غارة شنتها طائرات النظام السوري على مدينة سراقب."},
    {"id": "c", "source": "Outlet C", "date": "2024-12-03",
     "text": "نفى الجيش الروسي شن غارة على مدينة سراقب."},
    {"id": "d", "source": "Outlet A", "date": "2024-12-03",
     "text": "قال الدفاع المدني إن غارة جوية على سراقب أمس أسفرت عن مقتل 7 مدنيين."},
    {"id": "e", "source": "Outlet B", "date": "2024-12-01",
     "text": "أكد المرصد السوري انسحاب الجيش السوري من مدينة حماة."},
    {"id": "f", "source": None, "date": "2024-12-01",
     "text": "نفى الجيش السوري انسحاب قواته من مدينة حماة."},
]


def _summaries_are_those_of_all_reports(store: Store) -> int:
    """Every event's row and summary are those its reports give merged from scratch; the
    number of events with more than one report."""
    from sqlalchemy import select

    from hadath.models import Event
    from hadath.resolve.merge import summarise
    from hadath.store import event_summaries, events

    merged = 0
    with store.engine.connect() as conn:
        kept = dict(conn.execute(select(event_summaries.c.event_id, event_summaries.c.summary)).all())
        for row in conn.execute(select(events)):
            parts = [(Event.model_validate(r["record"]), r["published"], r["source"],
                      r["document_id"]) for r in store.event_reports(conn, row.id)]
            whole, summary = summarise(row.id, parts)
            assert {k: v for k, v in row._mapping.items() if k != "updated_at"} == whole
            assert kept[row.id] == json.loads(json.dumps(summary, default=str))
            merged += len(parts) > 1
    return merged


def test_merging_against_the_summary_gives_what_all_the_reports_give(tmp_path, new_db):
    # a report merges against its event's row and kept summary, never all its reports read
    # again: each event is the one all its reports give merged from scratch (content guard)
    store = Store(new_db())
    ingest([str(EXAMPLES)], store)
    ingest([str(jsonl(tmp_path / "in", "more.jsonl", MERGING))], store, batch=2)
    assert _summaries_are_those_of_all_reports(store) >= 2
    strike = next(e for e in store.query_events() if e["place_name"] == "Saraqib")
    withdrawal = max((e for e in store.query_events() if e["kind"] == "withdrawal"),
                     key=lambda e: e["n_reports"])
    # (an example reports the strike too)
    assert (strike["n_reports"], strike["n_sources"], strike["status"]) == (5, 4, "contested")
    assert (strike["fatalities"], strike["fatalities_high"]) == (2, 12)
    assert (withdrawal["n_reports"], withdrawal["n_sources"], withdrawal["status"]) == \
        (2, 2, "contested")  # (one report without an outlet)


SHARPER = [  # one strike: near the town, then in it by a named air force, then again
    {"id": "a", "source": "Outlet A", "date": "2024-12-02",
     "text": "قتل 12 مدنيا في غارة جوية قرب مدينة سراقب أمس."},
    {"id": "b", "source": "Outlet B", "date": "2024-12-02",
     "text": "قتل 9 مدنيين في غارة جوية روسية على مدينة سراقب أمس."},
    {"id": "c", "source": "Outlet C", "date": "2024-12-02",
     "text": "قال الدفاع المدني إن غارة جوية روسية على سراقب أمس أسفرت عن مقتل 9 مدنيين."},
]


def test_a_merge_writes_what_changed_of_an_event_and_keeps_its_names(tmp_path, new_db):
    # a report merged into a stored event writes the columns that change (here its actor, and
    # its place made precise), never the others and their indexes: the event is the one its
    # reports give merged from scratch, its names those a count of every event finds, and a
    # filter by the new actor reads it by its index
    from hadath.store import EventFilter, _v8_event_names

    store = Store(new_db())
    updates: list[str] = []
    if store.engine.dialect.name == "sqlite":
        from sqlalchemy import event

        def trace(dbapi_conn, _record):
            dbapi_conn.set_trace_callback(lambda sql: updates.append(sql)
                                          if sql.startswith("UPDATE events") else None)
        event.listen(store.engine, "connect", trace)
        store.engine.dispose()
    for n, row in enumerate(SHARPER):
        ingest([str(jsonl(tmp_path / "in", f"{row['id']}.jsonl", [row]))], store)
        ev, = store.query_events()
        assert ev["n_reports"] == n + 1
    assert (ev["actor1"], ev["place_name"], ev["precision"]) == ("Military Forces of Russia",
                                                                 "Saraqib", 1)
    assert _summaries_are_those_of_all_reports(store) == 1
    before = store.dump()
    assert ("actor", "Military Forces of Russia", 1) in before["event_names"]
    with store.engine.begin() as conn:
        _v8_event_names(conn)
    assert store.dump() == before
    _assert_sources_are_those_a_full_pass_finds(store)
    assert [e["id"] for e in store.query_events(EventFilter(actor="of Russia"))] == [ev["id"]]
    if updates:  # (SQLite: the statements seen) the second merge changed its counts alone
        assert len(updates) == 2 and "actor1=" in updates[0] and "precision=1" in updates[0]
        assert "place_name=" not in updates[0]
        assert updates[1].startswith("UPDATE events SET n_reports=3, n_sources=3, updated_at=")


def test_a_store_of_schema_4_merges_into_events_it_kept_no_summary_of(tmp_path, new_db):
    # schema 4 kept no summaries and found candidates by family and date: after the upgrade
    # a report merges into an old event by summarising its reports once, and the store is the
    # one a writer of schema 5 (and on) makes from the start
    from sqlalchemy import text

    from hadath.store import event_summaries

    url, first, rest = new_db("old"), MERGING[:3] + MERGING[4:5], MERGING[3:4] + MERGING[5:]
    old = Store(url)
    ingest([str(jsonl(tmp_path / "a", "first.jsonl", first))], old)
    with old.engine.begin() as conn:
        conn.execute(event_summaries.delete())
        for name in ("events_merge_cell", "events_merge_gazetteer", "events_merge_name"):
            conn.execute(text(f"DROP INDEX {name}"))
        conn.execute(text("CREATE INDEX events_family_date ON events (family, date)"))
        conn.execute(update(meta_table).where(meta_table.c.key == "schema_version")
                     .values(value="4"))
    old.engine.dispose()
    upgraded = Store(url)
    assert upgraded.schema_version() == SCHEMA_VERSION == 10
    ingest([str(jsonl(tmp_path / "b", "rest.jsonl", rest))], upgraded)
    fresh = Store(new_db("fresh"))
    ingest([str(jsonl(tmp_path / "a", "first.jsonl", first))], fresh)
    ingest([str(jsonl(tmp_path / "b", "rest.jsonl", rest))], fresh)
    assert upgraded.dump() == fresh.dump() and _sources(upgraded) == _sources(fresh)
    assert _summaries_are_those_of_all_reports(upgraded) >= 2


def test_merge_candidates_are_found_by_index(store, backend):
    # the candidates of a report are read by the merge indexes (grid cell, gazetteer entry,
    # name), not by a scan of the events of its family and dates
    import datetime as dt

    from hadath.models import Place
    from hadath.store import _candidates_query, _cells

    place = Place(name="Saraqib", lat=35.86, lon=36.8, precision=1, gazetteer_id="g1")
    lat, lon = _cells(place.lat - 0.23, place.lat + 0.23), _cells(place.lon - 0.28, place.lon + 0.28)
    assert lat == [143, 144] and lon == [146, 147, 148]
    halves = _cells(35.625, 36.125)  # cells 142.5 to 144.5: halves rounded up or to even
    assert halves == [142, 143, 144, 145] and all(
        round(x * 4) in halves and int(x * 4 + 0.5) in halves for x in (35.625, 35.86, 36.125))
    query = _candidates_query(len(lat), len(lon), True, True)
    from sqlalchemy import insert

    from hadath.store import events

    day0 = dt.date(2022, 1, 1)
    with store.engine.begin() as conn:  # events of 5 families over 3 years and 10 degrees
        conn.execute(insert(events), [dict(
            id=f"ev-{k}", kind="k", family=f"family{k % 5}", status="reported", n_reports=1,
            n_sources=1, updated_at=dt.datetime(2024, 1, 1), date=day0 + dt.timedelta(k % 1000),
            lat=30 + k % 97 / 9.7, lon=35 + k % 89 / 8.9, gazetteer_id=f"g{k % 300}",
            place_name=f"p{k % 300}", precision=None if k % 10 == 0 else 1) for k in range(3000)])
        conn.exec_driver_sql("ANALYZE")
    with store.engine.connect() as conn:
        prepared = query._prepared(conn.dialect)
        sql, order = prepared.sql, prepared.keys
        values = {"f": "family1", "lo": dt.date(2023, 1, 1), "hi": dt.date(2023, 1, 3),
                  "doc": 1, "gid": "g1", "pname": "x", "lat_lo": 35.6, "lat_hi": 36.1,
                  "lon_lo": 36.5, "lon_hi": 37.1, **{f"lat{i}": c for i, c in enumerate(lat)},
                  **{f"lon{i}": c for i, c in enumerate(lon)}}
        if backend == "sqlite":
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, tuple(values[k] for k in order)))
        else:  # (on a small table PostgreSQL may prefer the indexes of date and point: the
            # cell's expression is shown to match its index alone)
            plan = " ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, values))
            plan += " ".join(r[0] for r in conn.exec_driver_sql(
                "EXPLAIN SELECT id FROM events WHERE family = 'family1' AND round(lat * 4) "
                "IN (143, 144) AND round(lon * 4) IN (146, 147)"))
        assert query.run(conn, values) == []  # (no event of that day)
    assert "Seq Scan on events" not in plan and "SCAN events" not in plan
    for index in ("events_merge_cell", "events_merge_gazetteer", "events_merge_name"):
        assert index in plan, plan


def test_the_kept_row_counts_are_the_rows_of_each_table(tmp_path, new_db):
    # counts() reads the counts triggers keep on SQLite (schema 6): after ingests, after an
    # event changes kind, after rows are deleted, and as the migration to schema 6 counts them
    # in an older store (PostgreSQL counts)
    from sqlalchemy import func, select

    from hadath.store import COUNTED, _v6_row_counts, events, row_counts, tolls

    def truth(store: Store) -> dict:
        with store.engine.connect() as conn:
            out = {k: conn.execute(select(func.count()).select_from(t)).scalar_one()
                   for k, t in COUNTED.items()}
            held = conn.execute(select(func.count()).select_from(events)
                                .where(events.c.kind == "territory_held")).scalar_one()
            total = conn.execute(select(func.count()).select_from(events)).scalar_one()
        return out | {"holdings": held, "events": total - held}

    store = Store(new_db())
    assert store.counts() == truth(store) == dict.fromkeys(truth(store), 0)
    ingest([str(EXAMPLES)], store, batch=1)
    ingest([str(jsonl(tmp_path / "in", "more.jsonl", MORE))], store, batch=3)
    counts = store.counts()
    assert counts == truth(store) and counts["events"] > 10 and counts["holdings"] >= 1
    with store.engine.begin() as conn:  # an event proper becomes a holding, and back
        eid, kind = conn.execute(select(events.c.id, events.c.kind)
                                 .where(events.c.kind != "territory_held")).first()
        conn.execute(update(events).where(events.c.id == eid).values(kind="territory_held"))
    assert store.counts() == truth(store) and store.counts()["holdings"] == counts["holdings"] + 1
    with store.engine.begin() as conn:
        conn.execute(update(events).where(events.c.id == eid).values(kind=kind))
    assert store.counts() == counts
    with store.engine.begin() as conn:  # a row deleted (hadath deletes none)
        conn.execute(tolls.delete().where(tolls.c.id == select(func.min(tolls.c.id)).scalar_subquery()))
    assert store.counts() == truth(store) and store.counts()["tolls"] == counts["tolls"] - 1
    counts = store.counts()
    with store.engine.begin() as conn:  # a store before schema 6 had no counts
        conn.execute(row_counts.delete())
        _v6_row_counts(conn)
    assert store.counts() == counts


def test_keyset_pages_walk_every_event_once_in_order(store):
    # query_events(after=...) reads on from the last event of a page, undated events last
    from sqlalchemy import select

    from hadath.store import EventFilter, events

    ingest([str(EXAMPLES)], store)
    with store.engine.begin() as conn:  # two undated events
        ids = conn.execute(select(events.c.id).order_by(events.c.id).limit(2)).scalars().all()
        conn.execute(update(events).where(events.c.id.in_(ids)).values(date=None))
    for f in (EventFilter(), EventFilter(kind="air_strike")):
        whole = [e["id"] for e in store.query_events(f)]
        walked, after = [], None
        while page := store.query_events(f, limit=2, after=after):
            walked += [e["id"] for e in page]
            after = (page[-1]["date"], page[-1]["id"])
        assert walked == whole and len(whole) >= 2
    assert [e["date"] for e in store.query_events()][-2:] == [None, None]
