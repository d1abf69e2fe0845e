"""One `hadath watch` round over 50 local feeds with 20 new items each (1,000 articles).

Local web servers on 127.0.0.1 (one per "host": a host is a scheme, name and port, so N
servers stand for N sites) serve RSS feeds and article pages written for the tests
(tests/feeds.py). The watcher runs as `hadath watch --once` in its own process; the
benchmark reports its wall time and peak memory (ru_maxrss of the child), then a second
round, in which every feed answers 304 Not Modified.

Run twice: all feeds on one host (one request at a time: the polite worst case) and spread
over --hosts hosts (requests to different hosts in parallel).

Usage: python bench/watch_round.py [--feeds 50] [--items 20] [--hosts 10] [--jobs 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, write_result

sys.path.insert(0, str(ROOT))

from tests.feeds import Site, publish, serve  # noqa: E402


def child_peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def one(feeds: int, items: int, hosts: int, jobs: int) -> dict:
    sites = [Site() for _ in range(hosts)]
    servers = [serve(s) for s in sites]
    day = dt.date(2024, 12, 3)
    urls = []
    for k in range(feeds):
        site = sites[k % hosts]
        # each feed's items are of another day (two days apart): reports of one event merge
        # only within a feed, as across real outlets on one day
        publish(site, f"/feed{k}.xml", 10_000 * k, items, day + dt.timedelta(days=2 * k), prefix=f"/f{k}")
        urls.append(site.url(f"/feed{k}.xml"))
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "sources.txt"
        listing.write_text("\n".join(f"{u}\tfeed {i}\tar" for i, u in enumerate(urls)) + "\n", encoding="utf-8")
        db = str(Path(tmp) / "bench.db")
        cmd = [sys.executable, "-m", "hadath.cli", "watch", str(listing), "--once", "--db", db,
               "--jobs", str(jobs)]
        t = time.perf_counter()
        first = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t
        peak = child_peak_mb()
        if first.returncode:
            sys.exit(first.stderr[-2000:])
        t = time.perf_counter()
        second = subprocess.run(cmd, capture_output=True, text=True)
        wall2 = time.perf_counter() - t
        from hadath.store import Store

        counts = Store(db, read_only=True).counts()
    for s in servers:
        s.shutdown()
        s.server_close()
    line = next((ln for ln in first.stderr.splitlines() if "round 1:" in ln), first.stderr[-300:])
    line2 = next((ln for ln in second.stderr.splitlines() if "round 1:" in ln), second.stderr[-300:])
    requests = sum(len(s.log) for s in sites)
    return {"feeds": feeds, "items_per_feed": items, "hosts": hosts, "jobs": jobs,
            "wall_seconds": round(wall, 2), "articles_per_second": round(counts["documents"] / wall, 1),
            "peak_memory_mb": peak, "articles_stored": counts["documents"], "events": counts["events"],
            "requests": requests, "second_round_seconds": round(wall2, 2),
            "round": line.strip(), "second_round": line2.strip()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    runs = [one(args.feeds, args.items, 1, args.jobs), one(args.feeds, args.items, args.hosts, args.jobs)]
    for r in runs:
        print(f"{r['feeds']} feeds x {r['items_per_feed']} items on {r['hosts']} host(s): "
              f"{r['wall_seconds']} s ({r['articles_per_second']} articles/s), peak {r['peak_memory_mb']} MB, "
              f"{r['articles_stored']} stored; second round {r['second_round_seconds']} s")
    path = write_result("watch_round", {"runs": runs})
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
