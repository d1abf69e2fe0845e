"""How fast the map page loads over a store of 10,000 events.

Builds a store from the first articles of the ANT corpus (../shared/data), adding chunks until it
holds at least --events merged events, starts `hadath serve` on it, and loads the map page in
Debian's headless chromium (selenium) --runs times with the browser cache disabled. "Loaded" is
the moment the page's script has drawn every marker into its clusters, the timeline chart, the
base map and the control picture (``document.body.dataset.readyMs``, milliseconds since the
navigation started). Also times the API calls the page makes, from Python.

Aim: under 1 s with 10,000 events.

Usage: python bench/serve_load.py [--events 10000] [--runs 5] [--keep PATH_OR_URL]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from common import peak_rss_mb, shared, write_result


def build_store(db: Path, target: int, chunk: int = 1500) -> dict:
    from hadath.ingest import InputOptions, ingest
    from hadath.store import Store

    store = Store(db)
    src = shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    opts = InputOptions(text_field="text", date_field="time", id_field="docno", source_field="src")
    tmp = Path(tempfile.mkdtemp())
    articles = 0
    t = time.perf_counter()
    with gzip.open(src, "rt", encoding="utf-8") as f:
        while store.counts()["events"] < target:
            lines = [line for _, line in zip(range(chunk), f, strict=False)]
            if not lines:
                break
            part = tmp / f"part{articles}.jsonl"
            part.write_text("".join(lines), encoding="utf-8")
            ingest([str(part)], store, opts, jobs=os.cpu_count() or 1, batch=200)
            articles += len(lines)
    shutil.rmtree(tmp)
    return {"articles_read": articles, "build_s": round(time.perf_counter() - t, 1), **store.counts()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--disable-background-networking"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)


# where the page's time goes: its own marks (ms since the navigation started), and each API
# call's end and transferred size
MARKS = ("return Object.fromEntries(performance.getEntriesByType('mark')"
         ".filter(m => m.name.startsWith('hadath:')).map(m => [m.name.slice(7), Math.round(m.startTime)]))")
REQUESTS = ("return Object.fromEntries(performance.getEntriesByType('resource')"
            ".filter(e => e.name.includes('/api/')).map(e => [new URL(e.name).pathname,"
            " {end_ms: Math.round(e.responseEnd), bytes: e.transferSize}]))")


def load_once(driver, url: str) -> dict:
    driver.get(url)
    deadline = time.time() + 60
    while time.time() < deadline:
        ready = driver.execute_script("return document.body && document.body.dataset.readyMs")
        if ready:
            nav = driver.execute_script(
                "const n = performance.getEntriesByType('navigation')[0];"
                "return {dcl: n.domContentLoadedEventEnd, bytes: performance.getEntriesByType('resource')"
                ".reduce((s, e) => s + (e.transferSize || 0), n.transferSize || 0)}")
            return {"ready_ms": int(ready), "dom_ms": round(nav["dcl"]), "bytes": nav["bytes"],
                    "markers": int(driver.execute_script("return document.body.dataset.events")),
                    "marks": driver.execute_script(MARKS), "requests": driver.execute_script(REQUESTS)}
        time.sleep(0.02)
    raise SystemExit("the page never finished loading")


def time_api(url: str, runs: int) -> dict:
    out = {}
    for path in ("/api/meta", "/api/points", "/api/stats", "/api/places", "/api/actors",
                 "/api/sources", "/api/events?limit=100"):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            with urlopen(url + path) as r:
                size = len(r.read())
            times.append((time.perf_counter() - t) * 1000)
        out[path] = {"median_ms": round(statistics.median(times), 1), "bytes": size}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", help="build (or reuse) the store here (a database URL: reused)")
    ap.add_argument("--name", help="write bench/results/serve_load_NAME.json")
    args = ap.parse_args()
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        sys.exit("skipped: chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
    db = args.keep or str(Path(tempfile.mkdtemp()) / "serve.db")
    built = {"reused": True}
    if "://" not in db and not Path(db).exists():
        built = build_store(Path(db), args.events)
    from hadath.store import Store

    counts = Store(db).counts()
    print(f"store: {counts['events']:,} events from {counts['documents']:,} articles", flush=True)
    port = free_port()
    hadath = shutil.which("hadath") or str(Path(sys.executable).parent / "hadath")
    server = subprocess.Popen([hadath, "serve", "--db", str(db), "--port", str(port)],
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 600  # (a large store's answers are built before it listens)
        while True:
            try:
                urlopen(url + "/api/meta", timeout=5)
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit("the server did not start")
                time.sleep(0.2)
        driver = browser()
        try:
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
            first = load_once(driver, url + "/")  # the server's first view builds its caches
            runs = [load_once(driver, url + "/") for _ in range(args.runs)]
        finally:
            driver.quit()
        api = time_api(url, args.runs)
        server_mb = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    ready = [r["ready_ms"] for r in runs]
    result = {
        "store": counts, "build": built, "first_load": first, "runs": runs,
        "ready_ms_median": statistics.median(ready), "ready_ms_max": max(ready),
        "markers": runs[0]["markers"], "api": api, "aim_ms": 1000, "server_peak_mb": server_mb,
    }
    name = args.name or ("" if args.events == 10_000 else str(args.events))
    path = write_result(f"serve_load_{name}" if name else "serve_load", result)
    print(json.dumps({k: result[k] for k in ("ready_ms_median", "ready_ms_max", "markers",
                                              "server_peak_mb")}))
    print(f"first load {first['ready_ms']} ms; wrote {path}")


if __name__ == "__main__":
    main()
