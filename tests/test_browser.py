"""The pages in a real browser: Debian's headless chromium driven by selenium over a live
`hadath serve` (uvicorn) on a store built from the bundled examples.

Skipped, with the reason, where chromium or chromedriver is missing, unless
HADATH_REQUIRE_BROWSER=1 (set by .ci/run, which installs them): then a missing browser fails.
Screenshots of each page are written to test-output/screenshots/.
"""

from __future__ import annotations

import os
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
    _need_browser()
    import uvicorn

    from hadath.serve import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(served_db), host="127.0.0.1", port=port,
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
    assert js(browser, "return document.querySelectorAll('.leaflet-overlay-pane path').length") > 50
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
