"""Ingest the whole ANT corpus into a fresh SQLite store, then ingest it again.

Runs `hadath ingest` on ../shared/data/ant_corpus_arabic_news (17k articles) with all cores,
and reports wall time, articles/s, peak memory (the ingest process and its workers), events
stored and reports merged, then re-ingests and checks that nothing is added.
Aim: under 90 s on a 2-core machine, peak memory under 1 GB.

Usage: python bench/ant_ingest.py [--jobs N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import shared, write_result


def run(cmd: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - t, proc.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", type=Path, help="keep the store here")
    args = ap.parse_args()
    src = shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    tmp = Path(tempfile.mkdtemp())
    db = args.keep or tmp / "ant.db"
    if db.exists():
        db.unlink()
    hadath = shutil.which("hadath") or str(Path(sys.executable).parent / "hadath")
    cmd = [hadath, "ingest", str(src), "--db", str(db), "--jobs", str(args.jobs),
           "--text-field", "text", "--date-field", "time", "--id-field", "docno",
           "--source-field", "src", "--batch", "200"]
    wall, out = run(cmd)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    again_wall, again = run(cmd)
    from hadath.store import Store

    counts = Store(db).counts()
    nums = [int(x.replace(",", "")) for x in re.findall(r"([\d,]+) (?:inputs|new articles|new events|reports merged)", out)]
    nums_again = [int(x) for x in re.findall(r"(\d+) new articles", again)]
    res = {"articles_read": nums[0], "new_articles": nums[1], "jobs": args.jobs,
           "wall_seconds": round(wall, 1), "articles_per_second": round(nums[0] / wall, 1),
           "peak_memory_mb_per_process": round(peak_mb), "events_stored": counts["events"],
           "reports": counts["reports"], "reports_merged": counts["reports"] - counts["events"],
           "tolls": counts["tolls"], "store_mb": round(db.stat().st_size / 2**20, 1),
           "reingest_seconds": round(again_wall, 1), "reingest_new_articles": nums_again[0],
           "summary": out}
    path = write_result("ant_ingest", res)
    print(out)
    print(f"{res['articles_read']} articles in {wall:.1f} s with {args.jobs} processes "
          f"({res['articles_per_second']} articles/s), peak memory {res['peak_memory_mb_per_process']} MB "
          f"per process; {res['events_stored']} events from {res['reports']} reports "
          f"({res['reports_merged']} merged); re-ingest: {res['reingest_new_articles']} new in "
          f"{again_wall:.1f} s")
    print(f"written to {path}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
