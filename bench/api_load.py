"""How every /api/* endpoint answers on a large store (issue 15): first and later requests.

Starts `hadath serve` on --db (a store built by bench/synth_store.py, or any store), then for
each endpoint: the first request (cold caches), --repeat sequential requests (p50, p99), and
--clients concurrent clients for --seconds (requests, p50, p99); the time the server took to
answer at all (it builds what the map opens with before it listens) and its peak memory.

    python bench/api_load.py --db /tmp/synth_100k.db
    python bench/api_load.py --db /tmp/synth_1m.db --clients 16 --seconds 60

Writes bench/results/api_load_<name>.json (name: --name, else the store's file name).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import urlopen

from common import peak_rss_mb, write_result

ENDPOINTS = ["/api/meta", "/api/points", "/api/stats", "/api/events?limit=100",
             "/api/labels", "/api/places?limit=100", "/api/control?at={day}",
             "/api/claims?limit=50", "/api/sources", "/api/actors", "/api/changes"]
# what the map asks once a filter is chosen, and deeper pages (--filtered: first and later
# requests only)
FILTERED = ["/api/points?kind=air_strike", "/api/stats?kind=air_strike",
            "/api/events?kind=air_strike&limit=100", "/api/events?limit=100&offset=100000",
            "/api/claims?limit=50&offset=5000", "/api/changes?after={back}", "/api/places?q=Aleppo",
            "/api/events/{event}", "/api/points?place=Aleppo", "/api/events?actor=ISIS&limit=100",
            # what the map asks for a place, an actor (Houthis: a tenth of the synthetic
            # events) or an outlet (france24: a fifth) by part of its name, and a page of each
            "/api/stats?place=Aleppo", "/api/events?place=Aleppo&limit=100",
            "/api/points?actor=Houthi", "/api/stats?actor=Houthi", "/api/events?actor=Houthi&limit=100",
            "/api/points?source=france24", "/api/stats?source=france24",
            "/api/events?source=france24&limit=100"]


def _get(url: str) -> float:
    t = time.perf_counter()
    with urlopen(url, timeout=600) as r:
        r.read()
    return time.perf_counter() - t


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(1000 * values[min(len(values) - 1, int(q * len(values)))], 1)


def _concurrent(url: str, clients: int, seconds: float) -> dict:
    times: list[float] = []
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < end:
            dt_ = _get(url)
            with lock:
                times.append(dt_)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"requests": len(times), "p50_ms": _pct(times, 0.5), "p99_ms": _pct(times, 0.99)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--name")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--clients", type=int, default=0, help="concurrent clients (0: skip)")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--only", help="the endpoints whose path holds one of these words (comma-separated)")
    ap.add_argument("--filtered", action="store_true", help="also time FILTERED (no concurrent clients)")
    args = ap.parse_args()
    hadath = str(Path(sys.executable).parent / "hadath")
    log = tempfile.TemporaryFile()  # (a pipe nobody reads would stop the server once full)
    server = subprocess.Popen([hadath, "serve", "--db", args.db, "--port", str(args.port)],
                              stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{args.port}"
    name = args.name or Path(args.db).stem
    started = time.perf_counter()
    try:
        for _ in range(1200):
            try:
                urlopen(base + "/api/config", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            log.seek(0)
            sys.exit("the server did not start: " + log.read().decode(errors="replace")[-2000:])
        ready = time.perf_counter() - started  # (hadath serve builds what the map opens with first)
        out: dict = {}
        res = {"db": args.db, "store_mb": round(os.path.getsize(args.db) / 2**20, 1)
               if os.path.exists(args.db) else None, "server_ready_s": round(ready, 1),
               "endpoints": out, "clients": args.clients, "seconds": args.seconds,
               "load_average_before": os.getloadavg()}
        t = time.perf_counter()
        with urlopen(base + "/api/meta", timeout=600) as r:  # (its first request: timed too)
            day = json.loads(r.read()).get("latest_day") or ""
        meta_first = time.perf_counter() - t
        with urlopen(base + "/api/changes", timeout=600) as r:
            back = max(0, json.loads(r.read())["counter"] - 1000)  # (1,000 reports ago)
        with urlopen(base + "/api/events?limit=1", timeout=600) as r:
            event = json.loads(r.read())["items"][0]["id"]
        words = args.only.split(",") if args.only else [""]
        todo = [(e, True) for e in ENDPOINTS if any(w in e for w in words)]
        todo += [(e, False) for e in FILTERED if args.filtered]  # (False: no concurrent clients)
        for template, loaded in todo:
            ep = template.format(day=day, back=back, event=event)
            first = meta_first if ep == "/api/meta" else _get(base + ep)
            later = [_get(base + ep) for _ in range(args.repeat)]
            row = {"first_ms": round(1000 * first, 1), "p50_ms": _pct(later, 0.5),
                   "p99_ms": _pct(later, 0.99)}
            if args.clients and loaded:
                row["concurrent"] = _concurrent(base + ep, args.clients, args.seconds)
            row["server_peak_mb"] = res["server_peak_mb"] = peak_rss_mb(server.pid)  # (so far)
            out[ep] = row
            path = write_result(f"api_load_{name}", res)  # (after each: a run cut short keeps its figures)
            print(f"{ep:28} first {row['first_ms']:>9.1f} ms  later p50 {row['p50_ms']:>8.1f} ms"
                  f"  p99 {row['p99_ms']:>8.1f} ms  {row.get('concurrent', '')}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps({"server_ready_s": round(ready, 1), "server_peak_mb": res["server_peak_mb"]}),
          "->", path)


if __name__ == "__main__":
    main()
