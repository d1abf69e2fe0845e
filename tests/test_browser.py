"""The pages in a real browser: Debian's headless chromium driven by selenium over a live
`hadath serve` (uvicorn) on a store built from the bundled examples.

Skipped, with the reason, where chromium or chromedriver is missing, unless
HADATH_REQUIRE_BROWSER=1 (set by .ci/run, which installs them): then a missing browser fails.
Screenshots of each page are written to test-output/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from .conftest import HOSTILE, ROOT

SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = next((p for p in (os.environ.get("HADATH_CHROMIUM"), shutil.which("chromium"),
                             shutil.which("chromium-browser"), shutil.which("google-chrome")) if p), None)
DRIVER = os.environ.get("HADATH_CHROMEDRIVER") or shutil.which("chromedriver")


def _need_browser() -> None:
    if CHROMIUM and DRIVER:
        return
    reason = "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("HADATH_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(served_db):
    """A live server on a free port over the example store."""
    yield from _live(served_db)


@pytest.fixture(scope="module")
def regional_server(regional_db):
    """A live server over a store as real ones are: many events in one region, one placed
    across the world and one dated years ahead (see conftest.regional_db)."""
    yield from _live(regional_db)


def _live(db):
    _need_browser()
    import uvicorn

    from hadath.serve import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--disable-extensions", "--no-first-run",
                "--disable-background-networking", "--lang=en-US"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def open_page(driver, url: str, ready: str = "ready") -> None:
    """Load a page and wait until its script says it is done."""
    driver.get(url)
    wait_ready(driver, ready)


def wait_ready(driver, ready: str = "ready") -> None:
    url = driver.current_url
    deadline = time.time() + 30
    while time.time() < deadline:
        if driver.execute_script(f"return document.body && document.body.dataset.{ready}"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{url} never became {ready}")


def js(driver, script: str):
    return driver.execute_script(script)


def no_errors(driver) -> None:
    """Nothing failed in the page's console, and nothing was fetched from another site."""
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    foreign = js(driver, "return performance.getEntriesByType('resource').map(e => e.name)"
                         ".filter(n => !n.startsWith(location.origin))")
    assert foreign == [], foreign


def test_map_shows_markers_and_replays_control(server, browser, served_db):
    from hadath.store import Store

    located = [e for e in Store(served_db).query_events() if e["lat"] is not None]
    open_page(browser, server + "/", "readyMs")
    assert js(browser, "return document.body.dataset.events") == str(len(located))
    # every event is on the map: clustered counts plus single markers make the total
    count = ("return [...document.querySelectorAll('.marker-cluster span')]"
             ".reduce((n, s) => n + Number(s.textContent), 0)"
             " + document.querySelectorAll('path.ev').length")
    deadline = time.time() + 5
    while js(browser, count) != len(located) and time.time() < deadline:
        time.sleep(0.1)  # clusters settle after the zoom to the events
    assert js(browser, count) == len(located)
    # the Kafranbel shelling: a marker of the shelling colour, whose popup leads to its page
    shelling = next(e for e in located if e["kind"] == "shelling" and e["place_name"] == "Kafranbel")
    assert js(browser, f"return hadath.showEvent('{shelling['id']}')")
    deadline = time.time() + 5
    while not browser.find_elements("css selector", ".leaflet-popup-content a") and time.time() < deadline:
        time.sleep(0.1)
    marker = browser.find_element("css selector", "path.ev-shelling")
    assert marker.get_attribute("fill") == "#e67e22"
    popup = browser.find_element("css selector", ".leaflet-popup-content")
    assert "Kafranbel" in popup.text and "shelling" in popup.text
    browser.save_screenshot(str(SHOTS / "map-popup.png"))
    popup.find_element("css selector", "a[href^='/event/']").click()
    deadline = time.time() + 10
    while "/event/" not in browser.current_url and time.time() < deadline:
        time.sleep(0.05)
    wait_ready(browser)
    assert browser.current_url.endswith("/event/" + shelling["id"])
    assert browser.find_elements("css selector", "mark.evidence")
    open_page(browser, server + "/", "readyMs")
    assert js(browser, "return document.querySelectorAll('#chart').length") == 1
    assert "events" in browser.find_element("id", "summary").text
    # outlines drawn from the shipped base map
    assert js(browser, "return document.querySelectorAll('.leaflet-basemap-pane path').length") > 50
    browser.save_screenshot(str(SHOTS / "map.png"))

    def move_to(day: str) -> list[str]:
        js(browser, f"const s = document.getElementById('control-day');"
                    f"s.value = String(hadath.dayNumber('{day}'));"
                    "s.dispatchEvent(new Event('input'));")
        assert js(browser, "return document.body.dataset.controlDay") == day
        return [li.text for li in browser.find_elements("css selector", "#control-list li")]

    before = move_to("2024-06-08")
    assert before == ["No place with a known holder on this day."]
    june = move_to("2024-06-10")
    assert any("El Fasher" in t and "RSF" in t for t in june) and not any("Hamah" in t for t in june)
    december = move_to("2024-12-05")
    assert any("Hamah" in t and "Hayat Tahrir al-Sham" in t for t in december)
    assert js(browser, "return document.querySelectorAll('.control-marker').length") == len(december)
    # the Arabic name is isolated right-to-left beside the English one
    assert js(browser, "return [...document.querySelectorAll('#control-list bdi.ar')]"
                       ".every(b => b.dir === 'rtl' && getComputedStyle(b).direction === 'rtl')")
    browser.save_screenshot(str(SHOTS / "map-control.png"))
    no_errors(browser)


def test_filters_narrow_the_map(server, browser):
    open_page(browser, server + "/?kind=air_strike", "readyMs")
    n = int(js(browser, "return document.body.dataset.events"))
    assert 1 <= n < 10
    assert js(browser, "return document.getElementById('f-kind').value") == "air_strike"


def test_event_page_highlights_the_evidence(server, browser):
    import json
    from urllib.request import urlopen

    page = json.load(urlopen(server + "/api/events?kind=shelling&place=Kafranbel"))
    ev = page["items"][0]
    detail = json.load(urlopen(f"{server}/api/events/{ev['id']}"))
    open_page(browser, f"{server}/event/{ev['id']}")
    marks = browser.find_elements("css selector", ".article mark.evidence")
    assert marks
    evidence = [e["text"] for e in detail["evidence"]]
    for m in marks:
        assert any(m.text.strip() in e for e in evidence), m.text
    highlighted = js(browser, "return getComputedStyle(document.querySelector('mark.evidence'))"
                              ".backgroundColor")
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent")
    stances = [r.get_attribute("data-stance") for r in browser.find_elements("css selector", "#stances tbody tr")]
    assert "denies" in stances
    assert js(browser, "return getComputedStyle(document.querySelector('.article .text')).direction") == "rtl"
    browser.save_screenshot(str(SHOTS / "event.png"))
    no_errors(browser)


def test_claims_and_place_pages(server, browser):
    import json
    from urllib.request import urlopen

    total = json.load(urlopen(server + "/api/claims"))["total"]
    open_page(browser, server + "/claims")
    cards = browser.find_elements("css selector", ".contested-card")
    assert len(cards) == total >= 2
    assert browser.find_elements("css selector", ".side.denies .claim-item")
    browser.save_screenshot(str(SHOTS / "claims.png"))
    no_errors(browser)
    hama = json.load(urlopen(server + "/api/places?q=Hamah"))[0]
    open_page(browser, f"{server}/place/{hama['key']}")
    assert js(browser, "return !!Chart.getChart('control-chart')")
    actors = [r.get_attribute("data-actor") for r in browser.find_elements("css selector", ".periods tbody tr")]
    assert "Hayat Tahrir al-Sham" in actors
    assert browser.find_elements("css selector", "#events tbody tr")
    browser.save_screenshot(str(SHOTS / "place.png"))
    no_errors(browser)


def test_markup_in_an_article_is_shown_as_text(server, browser):
    import json
    from urllib.request import quote, urlopen

    page = json.load(urlopen(server + "/api/events?source=" + quote(HOSTILE["source"])))
    open_page(browser, f"{server}/event/{page['items'][0]['id']}")
    time.sleep(0.3)
    assert js(browser, "return window.__xss") is None  # no handler, no script ran
    assert js(browser, "return document.querySelectorAll('main script, main img').length") == 0
    text = " ".join(e.text for e in browser.find_elements("css selector", ".article"))
    assert "<script>window.__xss=2</script>" in text and '<img src=x onerror="window.__xss=4">' in text
    assert HOSTILE["title"] in text and HOSTILE["source"] in text
    hrefs = js(browser, "return [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert not any(h and h.lower().startswith("javascript:") for h in hrefs)
    browser.save_screenshot(str(SHOTS / "markup.png"))
    # and on the map, where the popup shows the outlet's name
    open_page(browser, server + "/?source=" + quote(HOSTILE["source"]), "readyMs")
    assert js(browser, "return window.__xss") is None
    assert Path(SHOTS / "markup.png").exists()


# --- issue 13: the map on a real store ---------------------------------------------------------

def _view(driver) -> dict:
    return js(driver, "const b = hadath.map.getBounds(); return {south: b.getSouth(), west: b.getWest(),"
                      " north: b.getNorth(), east: b.getEast(), zoom: hadath.map.getZoom()}")


def test_map_opens_on_the_extent_of_the_events_and_the_latest_day(regional_server, browser):
    from .conftest import REGION_DAYS

    # the Syrian towns: Dar'a, Manbij, Latakia and Deir ez-Zor at the edges
    box = {"south": 32.61, "north": 36.53, "west": 35.79, "east": 40.15}
    open_page(browser, regional_server + "/", "readyMs")
    view = _view(browser)
    # framed on the Syrian towns: all of them in view, the map not much wider than they are
    assert view["south"] <= box["south"] and view["north"] >= box["north"]
    assert view["west"] <= box["west"] and view["east"] >= box["east"]
    assert view["east"] - view["west"] < 4 * (box["east"] - box["west"])
    assert view["zoom"] >= 6
    # ... not on the whole world: the event in Sydney is out of view
    assert not view["south"] <= -33.87 <= view["north"]
    # the control picture and its slider on the latest day with events, not in 2031
    assert js(browser, "return document.body.dataset.controlDay") == REGION_DAYS[-1]
    assert js(browser, "return hadath.dayString(Number(document.getElementById('control-day').max))") == REGION_DAYS[-1]
    browser.save_screenshot(str(SHOTS / "map-regional.png"))
    no_errors(browser)


LABELS = ("return [...document.querySelectorAll('.place-label')].map(e => {"
          " const r = e.getBoundingClientRect();"
          " return {text: e.innerText, ar: (e.querySelector('.ar') || {}).textContent || '',"
          " en: (e.querySelector('.en') || {}).textContent || '',"
          " box: [r.left, r.top, r.right, r.bottom]}; })")


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _settle(driver, seconds: float = 0.3) -> list[dict]:
    """Let a zoom or a pan end, and the clusters and the names be drawn again: the names, once
    two looks ``seconds`` apart find the same."""
    before, deadline = None, time.time() + 10
    while time.time() < deadline:
        time.sleep(seconds)
        now = js(driver, LABELS)
        if now == before:
            return now
        before = now
    raise AssertionError("the place names never settled")


def test_map_draws_place_labels_offline(regional_server, browser):
    open_page(browser, regional_server + "/", "readyMs")
    labels = _settle(browser)
    names = {lb["en"] for lb in labels}
    # the capitals: of the country and of the governorates, in Arabic and in English
    assert {"Damascus", "Aleppo", "Homs", "Hamah", "Ar Raqqah", "Deir ez-Zor"} <= names
    assert any(lb["ar"] == "دمشق" for lb in labels)
    assert int(js(browser, "return document.body.dataset.labels")) == len(labels)
    # drawn where they fit: no two overlap, all inside the map
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not _overlap(a["box"], b["box"]), (a["text"], b["text"])
    mbox = js(browser, "const r = document.getElementById('map').getBoundingClientRect();"
                       "return [r.left, r.top, r.right, r.bottom]")
    assert all(mbox[0] <= lb["box"][0] and lb["box"][2] <= mbox[2] + 1 for lb in labels)
    # a place with events that is no capital is named once zoomed in where its name fits
    js(browser, "hadath.map.setView([35.8645, 36.8059], 11, {animate: false})")
    near = _settle(browser)
    assert any(lb["en"] == "Saraqib" and lb["ar"] == "سراقب" for lb in near)
    for i, a in enumerate(near):
        for b in near[i + 1:]:
            assert not _overlap(a["box"], b["box"]), (a["text"], b["text"])
    # zoomed out to the region, fewer names fit than the places known
    js(browser, "hadath.map.setView([34.8, 38.0], 5, {animate: false})")
    far = _settle(browser)
    assert 0 < len(far) < len(js(browser, "return hadath.state.labels.filter(l => "
                                          "hadath.map.getBounds().contains([l.lat, l.lon]))"))
    # the Arabic names are drawn with Arabic glyphs (fonts-noto-core), not boxes: the name
    # rendered in the label's own font differs from as many unassigned code points
    drawn = js(browser, """
      const e = document.querySelector('.place-label .ar'), font = getComputedStyle(e).font;
      function pixels(text) {
        const c = document.createElement('canvas'); c.width = 200; c.height = 40;
        const g = c.getContext('2d'); g.font = font; g.fillStyle = '#000'; g.fillText(text, 5, 28);
        return Array.from(g.getImageData(0, 0, 200, 40).data.filter((_, i) => i % 4 === 3));
      }
      const text = e.textContent, real = pixels(text), tofu = pixels('\u0378'.repeat(text.length));
      return {ink: real.filter(a => a > 0).length, same: real.every((a, i) => a === tofu[i]),
              width: e.getBoundingClientRect().width, font};
    """)
    assert drawn["ink"] > 20 and not drawn["same"], drawn
    assert "Noto Sans Arabic" in drawn["font"]
    browser.save_screenshot(str(SHOTS / "map-labels.png"))
    no_errors(browser)


def test_control_square_does_not_hide_the_count_of_the_cluster_beneath(server, browser):
    open_page(browser, server + "/", "readyMs")
    js(browser, "const s = document.getElementById('control-day');"
                "s.value = String(hadath.dayNumber('2024-12-05')); s.dispatchEvent(new Event('input'));")
    # Hama: three events (a cluster) and a control square, at one point
    for zoom in (9, 5, 7, 12):
        js(browser, f"hadath.map.setView([35.13179, 36.75783], {zoom}, {{animate: false}})")
        _settle(browser)
        squares = js(browser, "return [...document.querySelectorAll('.control-marker')].map(e => {"
                              " const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
        counts = js(browser, "const m = document.getElementById('map').getBoundingClientRect();"
                             "return [...document.querySelectorAll('.marker-cluster span')].map(e => {"
                             " const r = e.getBoundingClientRect();"
                             " return {n: e.textContent, box: [r.left, r.top, r.right, r.bottom]}; })"
                             ".filter(c => c.box[0] >= m.left && c.box[2] <= m.right"
                             " && c.box[1] >= m.top && c.box[3] <= m.bottom)")  # those in view
        assert squares and counts
        for c in counts:
            if zoom == 9:  # the square of the place beside its own cluster
                for sq in squares:
                    assert not _overlap(c["box"], sq), (c, sq)
            # and at any zoom, what is on top at the middle of a count is the cluster itself
            x, y = (c["box"][0] + c["box"][2]) / 2, (c["box"][1] + c["box"][3]) / 2
            assert js(browser, f"return !!document.elementFromPoint({x}, {y}).closest('.marker-cluster')"), (zoom, c)
        # a square stays clear of a count at its own point
        clear = js(browser, """
          const m = document.getElementById('map').getBoundingClientRect();
          return hadath.controlLayer.getLayers().every(k => {
            const p = hadath.map.latLngToContainerPoint(k.getLatLng()), r = k.getElement().getBoundingClientRect();
            const x = m.left + p.x, y = m.top + p.y;   // the count: about 20 by 14 pixels about the point
            return r.right <= x - 10 || r.left >= x + 10 || r.bottom <= y - 7 || r.top >= y + 7; })""")
        assert clear, zoom
        # and no place name is drawn over a square, a cluster or a marker
        labels = js(browser, LABELS)
        marks = js(browser, "return [...document.querySelectorAll('.control-marker, .marker-cluster, path.ev')]"
                            ".map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
        assert labels
        for lb in labels:
            for m in marks:
                assert not _overlap(lb["box"], m), (zoom, lb, m)
        if zoom == 9:
            browser.save_screenshot(str(SHOTS / "map-control-square.png"))


def test_a_count_zooms_in_on_its_events_or_lists_those_at_one_point(server, browser):
    open_page(browser, server + "/", "readyMs")
    click = ("const m = hadath.state.markers.group.getLayers().filter(l => l.hadathCount)"
             ".find(l => hadath.map.getBounds().contains(l.getLatLng()));"
             "m.fire('click'); return Number(m.getElement().textContent);")
    # a count of events at several points: a click zooms in on them
    js(browser, "hadath.map.setView([34.8, 38.0], 5, {animate: false})")
    _settle(browser)
    assert js(browser, click) >= 2
    deadline = time.time() + 5
    while js(browser, "return hadath.map.getZoom()") <= 5 and time.time() < deadline:
        time.sleep(0.1)
    assert js(browser, "return hadath.map.getZoom()") > 5
    # Hama's three events share one point: however far in, a click lists them
    js(browser, "hadath.map.setView([35.13179, 36.75783], 18, {animate: false})")
    _settle(browser)
    assert js(browser, click) == 3
    listed = ("const p = document.querySelector('.leaflet-popup-content');"
              "return p && {text: p.textContent, links: [...p.querySelectorAll("
              "'ul.event-list a[href^=\"/event/\"]')].map(a => a.getAttribute('href'))}")
    deadline = time.time() + 5
    while not (js(browser, listed) or {}).get("links") and time.time() < deadline:
        time.sleep(0.1)
    got = js(browser, listed)
    assert "3 events here" in got["text"]
    assert len(got["links"]) == len(set(got["links"])) == 3
    no_errors(browser)


def test_place_chart_ticks_do_not_repeat_or_overlap(server, browser):
    import json
    from urllib.request import urlopen

    for q in ("Hamah", "El Fasher"):
        key = json.load(urlopen(server + "/api/places?q=" + q.replace(" ", "%20")))[0]["key"]
        for width in (1400, 700):
            browser.set_window_size(width, 900)
            open_page(browser, f"{server}/place/{key}")
            ticks = js(browser, """
              const s = Chart.getChart('control-chart').scales.x, g = s.ctx;
              g.save(); g.font = Chart.helpers.toFont(s.options.ticks.font).string;
              const out = s.ticks.map((t, i) => ({label: String(t.label), x: s.getPixelForTick(i),
                                                  w: g.measureText(String(t.label)).width}));
              g.restore(); return {ticks: out, rotation: s.labelRotation};""")
            labels = [t["label"] for t in ticks["ticks"]]
            assert len(labels) >= 2 and len(set(labels)) == len(labels), labels
            assert ticks["rotation"] == 0
            for a, b in zip(ticks["ticks"], ticks["ticks"][1:], strict=False):
                assert b["x"] - a["x"] >= (a["w"] + b["w"]) / 2 + 4, (a, b)
    browser.set_window_size(1400, 900)
    browser.save_screenshot(str(SHOTS / "place-ticks.png"))


def test_fatalities_total_says_it_sums_reported_figures(server, browser):
    open_page(browser, server + "/", "readyMs")
    summary = browser.find_element("id", "summary").text
    assert re.search(r"fatalities reported for them sum to \d", summary), summary
    assert "reported fatalities" not in summary


@pytest.fixture(scope="module")
def ant_db(tmp_path_factory):
    """The first 300 ANT articles (../shared), ingested as a new user would: no field named."""
    import gzip

    from typer.testing import CliRunner

    from hadath.cli import app as cli

    from .conftest import shared_file

    _need_browser()
    source = shared_file("data", "ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    folder = tmp_path_factory.mktemp("ant")
    path = folder / "ant.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for _, line in zip(range(300), src, strict=False):
            out.write(line)
    db = folder / "ant.db"
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(db), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "date from 'time' (RFC 2822)" in result.stderr
    return db


def test_new_user_trial_on_ant_articles(ant_db, browser):
    import json
    from urllib.request import urlopen

    from typer.testing import CliRunner

    from hadath.cli import app as cli
    from hadath.store import Store

    store = Store(ant_db, read_only=True)
    total = store.count_events()
    # every event written by `hadath events --json`, and dated (from the articles' `time`)
    out = CliRunner().invoke(cli, ["events", "--json", "--db", str(ant_db)]).stdout
    assert len(out.splitlines()) == total > 100
    assert sum(1 for line in out.splitlines() if json.loads(line)["date"]) == total
    for server in _live(ant_db):
        meta = json.load(urlopen(server + "/api/meta"))
        box = meta["extent"]
        open_page(browser, server + "/", "readyMs")
        labels = _settle(browser)
        view = _view(browser)
        # framed on the events: their trimmed extent (no wider than a region) in view, not the
        # whole world around it
        assert box["north"] - box["south"] <= 60 and box["east"] - box["west"] <= 90
        assert view["south"] <= box["south"] and view["north"] >= box["north"]
        assert view["west"] <= box["west"] and view["east"] >= box["east"]
        # the map is fitted on one side of the box (the other side follows the window's shape):
        # that side is no more than about twice the box's
        assert (view["east"] - view["west"] < 2 * (box["east"] - box["west"]) + 20
                or view["north"] - view["south"] < 2 * (box["north"] - box["south"]) + 15), (view, box)
        assert view["zoom"] > 3
        assert int(js(browser, "return document.body.dataset.events")) == box["inside"] + box["outside"]
        # dated: the control picture and the chart on the days of the articles
        assert js(browser, "return document.body.dataset.controlDay") == meta["latest_day"]
        assert meta["latest_day"] <= max(str(d) for d in store.publication_days())
        # named places, in both scripts
        assert len(labels) >= 10 and any(lb["ar"] for lb in labels) and any(lb["en"] for lb in labels)
        browser.save_screenshot(str(SHOTS / "map-ant.png"))
        no_errors(browser)


def test_event_markers_are_drawn_above_the_outlines(server, browser):
    """Outlines fetched after the events were drawn must not cover them (their land fill hid
    the single markers of Gaza on a fresh install)."""
    open_page(browser, server + "/", "readyMs")
    js(browser, "hadath.map.setView([31.4, 34.4], 8, {animate: false})")  # Gaza: single markers
    _settle(browser)
    hidden = js(browser, """
      const m = document.getElementById('map').getBoundingClientRect();
      return [...document.querySelectorAll('path.ev')].map(e => {
        const r = e.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
        if (x < m.left || x > m.right || y < m.top || y > m.bottom) return null;
        return document.elementFromPoint(x, y) === e ? null : [x, y];
      }).filter(Boolean);""")
    assert js(browser, "return document.querySelectorAll('path.ev').length") >= 1
    assert hidden == []
    assert js(browser, "return document.querySelectorAll('.leaflet-basemap-pane path').length") > 50
