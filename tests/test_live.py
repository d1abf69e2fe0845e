"""The site follows the store live (/api/changes, the map's "new since you opened this page"
counter and new markers) and shows the morning brief (/brief); the brief as HTML and PDF
(hadath brief), its PDF opened with pdftoppm."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from urllib.request import urlopen

import pytest
from typer.testing import CliRunner

from hadath.brief import Area, Period, build, period_of, render_html
from hadath.cli import app
from hadath.ingest import ingest
from hadath.store import Store

from .conftest import EXAMPLES, SHARED
from .test_browser import SHOTS, _need_browser, browser, js, no_errors, open_page  # noqa: F401

NEW = ("قصفت قوات النظام السوري بلدة كفرتخاريم غرب إدلب صباح اليوم، ما أدى إلى مقتل 6 مدنيين، "
       "بحسب المرصد السوري لحقوق الإنسان.")


def _add(store: Store, tmp_path, text: str, name: str = "live") -> None:
    f = tmp_path / f"{name}.jsonl"
    f.write_text(json.dumps({"id": name, "text": text, "date": "2024-12-05", "source": "وكالة الاختبار",
                             "url": f"https://news.example/{name}"}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    assert ingest([str(f)], store).new == 1


@pytest.fixture(scope="module")
def example_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    db = folder / "examples.db"
    inputs = [str(EXAMPLES)] + ([str(SHARED / "examples")] if (SHARED / "examples").is_dir() else [])
    ingest(inputs, Store(db))
    return db


def test_changes_endpoint_counts_new_and_updated_events(tmp_path):
    from fastapi.testclient import TestClient

    from hadath.serve import create_app

    db = tmp_path / "s.db"
    store = Store(db)
    ingest([str(EXAMPLES)], store)
    client = TestClient(create_app(db))
    first = client.get("/api/changes").json()
    assert first["counter"] > 0 and first["new"] == 0 and first["rows"] == []
    assert client.get("/api/changes", params={"after": first["counter"]}).json()["new"] == 0
    _add(store, tmp_path, NEW)
    got = client.get("/api/changes", params={"after": first["counter"]}).json()
    assert got["counter"] > first["counter"] and got["new"] == 1 and got["updated"] == 0
    row = dict(zip(got["fields"], got["rows"][0], strict=True))
    assert row["kind"] == "shelling" and row["fatalities"] == 6
    # the filters of /api/points apply
    assert client.get("/api/changes", params={"after": first["counter"], "kind": "air_strike"}).json()["new"] == 0
    assert client.get("/api/changes", params={"after": first["counter"], "place": "Kafr Takharim"}).json()["new"] == 1
    assert client.get("/api/changes", params={"after": -1}).status_code == 400


def test_changes_read_the_reports_after_the_counter_by_index(example_db):
    # what changed is read by the reports' primary key and their event's index, never by a
    # pass over every report of the store (SQLite's plan of each statement says SEARCH)
    from sqlalchemy import event

    from hadath.changes import changes

    store = Store(example_db)
    ran: list[tuple] = []

    def grab(_conn, _cursor, sql, params, *_):
        ran.append((sql, params))

    event.listen(store.engine, "before_cursor_execute", grab)
    now = changes(store, None)["counter"]
    assert changes(store, now - 30)["new"] >= 1
    event.remove(store.engine, "before_cursor_execute", grab)
    plans = []
    with store.engine.connect() as conn:
        for sql, params in ran:
            if "FROM reports" in sql:
                plans += [r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert plans and not [p for p in plans if p.startswith("SCAN")], plans


def test_brief_of_a_day_of_the_examples_as_html_and_pdf(example_db, tmp_path):
    if not (SHARED / "examples").is_dir():
        pytest.skip(f"{SHARED / 'examples'} is not here: the day briefed is that of its Aleppo "
                    "report (set HADATH_SHARED to the shared folder)")
    store = Store(example_db, read_only=True)
    brief = build(store, Period(dt.date(2024, 12, 1), dt.date(2024, 12, 1)))
    assert brief.events and brief.control and brief.seconds < 10
    holders = {(c["timeline"].name, c["period"].actor) for c in brief.control}
    assert ("Aleppo", "Hayat Tahrir al-Sham") in holders
    page = render_html(brief, "http://127.0.0.1:8000")
    assert page.count('href="http://127.0.0.1:8000/event/ev-') >= len(brief.control) + len(brief.top())
    assert '<blockquote dir="rtl" lang="ar">' in page and "<svg" in page and "<script" not in page
    assert "دوار الباسل" in page or "حلب" in page  # Arabic quoted as is
    area = build(store, Period(dt.date(2024, 12, 1), dt.date(2024, 12, 5)), Area("Hama"))
    assert area.events and all("Ham" in (e["admin1"] or "") or "Ham" in (e["place_name"] or "")
                               for e in area.events)
    assert period_of(store) == Period(dt.date(2024, 12, 5), dt.date(2024, 12, 5))
    assert period_of(store, since="2024-12-02") == Period(dt.date(2024, 12, 2), dt.date(2024, 12, 5))
    assert period_of(store, since="48h", today=dt.date(2024, 12, 5)).start == dt.date(2024, 12, 3)

    runner = CliRunner()
    out = tmp_path / "brief.html"
    res = runner.invoke(app, ["brief", "--date", "2024-12-01", "-o", str(out), "--db", str(example_db)])
    assert res.exit_code == 0, res.output
    assert "Morning brief: Sunday 01 December 2024" in out.read_text(encoding="utf-8")
    res = runner.invoke(app, ["brief", "--date", "2024-12-01", "--since", "1d", "-o", str(out),
                              "--db", str(example_db)])
    assert res.exit_code == 19 and "[H090]" in res.output
    res = runner.invoke(app, ["brief", "--bbox", "1,2", "-o", str(out), "--db", str(example_db)])
    assert res.exit_code == 19

    if not shutil.which("pdftoppm"):
        if os.environ.get("HADATH_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftoppm is not installed (apt-get install poppler-utils)")
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    _need_browser()
    pdf = tmp_path / "brief.pdf"
    res = runner.invoke(app, ["brief", "--date", "2024-12-01", "-o", str(pdf), "--db", str(example_db)])
    assert res.exit_code == 0, res.output
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True,
                   timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 5000 for p in pages)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Arabic" in fonts  # the Arabic is set in an Arabic font, embedded


def test_brief_of_a_day_of_the_ant_corpus(tmp_path):
    """A day of the ANT corpus (its articles of that day ingested), as HTML."""
    import gzip

    src = SHARED / "data" / "ant_corpus_arabic_news" / "ant_v2.1_middleeast_international.jsonl.gz"
    if not src.exists():
        pytest.skip(f"{src} is not here (../shared is only present where the project data is)")
    lines = []
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            lines.append(line)
            if len(lines) >= 400:
                break
    part = tmp_path / "ant_part.jsonl"
    part.write_text("".join(lines), encoding="utf-8")
    store = Store(tmp_path / "ant.db")
    ingest([str(part)], store)
    per_day = store.per_day()
    busiest = max({d["date"] for d in per_day}, key=lambda day: sum(d["events"] for d in per_day if d["date"] == day))
    brief = build(store, Period(busiest, busiest))
    page = render_html(brief)
    assert brief.events and "<svg" in page and "/event/ev-" in page
    if shutil.which("pdftoppm") and shutil.which("chromium"):
        from hadath.brief import print_pdf

        pdf = tmp_path / "ant.pdf"
        print_pdf(page, pdf)
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "ant")], check=True,
                       timeout=60)
        assert list(tmp_path.glob("ant-*.png"))


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A live server (polling every second) over a store of its own, to be written to."""
    _need_browser()
    import uvicorn

    from hadath.serve import create_app

    folder = tmp_path_factory.mktemp("liveserver")
    db = folder / "live.db"
    ingest([str(EXAMPLES)], Store(db))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(db, poll_seconds=1), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield f"http://127.0.0.1:{port}", db, folder
    srv.should_exit = True
    thread.join(10)


def test_map_counts_and_draws_new_events_without_reload(live_server, browser):  # noqa: F811
    url, db, folder = live_server
    open_page(browser, url + "/", "readyMs")
    before = int(js(browser, "return document.body.dataset.events"))
    assert js(browser, "return document.getElementById('live').hidden")
    js(browser, "window.__notReloaded = true")
    _add(Store(db), folder, NEW)
    deadline = time.time() + 15
    while js(browser, "return document.body.dataset.liveNew") != "1" and time.time() < deadline:
        time.sleep(0.2)
    assert js(browser, "return document.body.dataset.liveNew") == "1"
    badge = browser.find_element("id", "live")
    assert badge.is_displayed() and badge.text == "1 new event since you opened this page"
    assert js(browser, "return window.__notReloaded") is True  # the page was not reloaded
    assert js(browser, "return document.body.dataset.events") == str(before)
    shelling = json.load(urlopen(url + "/api/events?place=Kafr%20Takharim"))["items"][0]
    assert js(browser, f"return hadath.showEvent('{shelling['id']}')")  # its marker is on the map
    deadline = time.time() + 5
    while not browser.find_elements("css selector", "path.ev-new") and time.time() < deadline:
        time.sleep(0.1)
    assert browser.find_elements("css selector", "path.ev-new")
    browser.save_screenshot(str(SHOTS / "map-live.png"))
    no_errors(browser)


def test_brief_page_for_a_chosen_day(live_server, browser):  # noqa: F811
    url, _, _ = live_server
    browser.get(url + "/brief?date=2024-12-05")
    assert "Morning brief: Thursday 05 December 2024" in browser.find_element("css selector", "h1").text
    assert browser.find_elements("css selector", "svg.map circle")
    links = [a.get_attribute("href") for a in browser.find_elements("css selector", "table a[href*='/event/']")]
    assert links and all(h.startswith(url + "/event/ev-") for h in links)
    assert js(browser, "return [...document.querySelectorAll('blockquote')].every("
                       "b => getComputedStyle(b).direction === 'rtl')")
    # the form picks another day
    field = browser.find_element("css selector", "form.pick input[name=date]")
    js(browser, "document.querySelector('form.pick input[name=date]').value = '2024-12-03'")
    field.submit()
    deadline = time.time() + 10
    while "date=2024-12-03" not in browser.current_url and time.time() < deadline:
        time.sleep(0.1)
    assert "Tuesday 03 December 2024" in browser.find_element("css selector", "h1").text
    browser.save_screenshot(str(SHOTS / "brief.png"))
    no_errors(browser)
    first = browser.find_element("css selector", "table a[href*='/event/']")
    first.click()
    deadline = time.time() + 10
    while "/event/" not in browser.current_url and time.time() < deadline:
        time.sleep(0.05)
    assert "/event/ev-" in browser.current_url
