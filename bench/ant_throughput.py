"""Throughput of `hadath extract --jsonl` on the whole ANT corpus, on one core.

Runs the command as a user would (ids from `docno`, dates from the RSS `time` field), pinned to
one CPU where `taskset` exists, and reports wall time, CPU seconds (user + system of the
command), articles/s, characters/s, peak memory, events and tolls; with ``--repeat N`` the
median of N runs. Aim: the whole file (17k articles, 27M characters) in under 60 s; issue 15
asks for at most 58.7 CPU-s (1.6x fewer than 93.9). Time it alone: ``flock /tmp/bench.lock``.

Usage: python bench/ant_throughput.py [--limit N] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import shared, write_result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--repeat", type=int, default=1, help="runs; the median is reported")
    args = ap.parse_args()
    src = shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    articles = chars = 0
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            if args.limit and articles >= args.limit:
                break
            articles += 1
            chars += len(json.loads(line).get("text") or "")
    path = src
    if args.limit:
        tmp = Path(tempfile.mkdtemp()) / "ant_head.jsonl"
        with gzip.open(src, "rt", encoding="utf-8") as fh, tmp.open("w", encoding="utf-8") as out:
            for k, line in enumerate(fh):
                if k >= args.limit:
                    break
                out.write(line)
        path = tmp
    hadath = shutil.which("hadath") or str(Path(sys.executable).parent / "hadath")
    cmd = [hadath, "extract", "--jsonl", str(path), "--id-field", "docno", "--date-field", "time"]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    out_path = Path(tempfile.mkdtemp()) / "events.jsonl"
    walls, cpus = [], []
    for _ in range(max(1, args.repeat)):
        wall, cpu, summary = _run(cmd, out_path)
        walls.append(wall)
        cpus.append(cpu)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    events = tolls = 0
    with out_path.open() as fh:
        for line in fh:
            if line.startswith('{"toll"'):
                tolls += 1
            else:
                events += 1
    res = {"articles": articles, "characters": chars, "wall_seconds": round(wall, 2),
           "cpu_seconds": round(cpu, 2), "cpu_seconds_runs": [round(c, 2) for c in cpus],
           "articles_per_second": round(articles / wall, 1),
           "characters_per_second": round(chars / wall), "peak_memory_mb": round(peak_mb),
           "events": events, "tolls": tolls, "one_core": "taskset" in cmd[0],
           "summary": summary}
    path = write_result("ant_throughput" + (f"_{args.limit}" if args.limit else ""), res)
    print(f"{articles} articles, {chars:,} characters in {wall:.1f} s ({cpu:.1f} CPU-s) on one core: "
          f"{res['articles_per_second']} articles/s, {res['characters_per_second']:,} chars/s, "
          f"peak {res['peak_memory_mb']} MB; {events} events, {tolls} tolls")
    print(f"written to {path}")


def _run(cmd: list[str], out_path: Path) -> tuple[float, float, str]:
    """One run of ``cmd`` with stdout to ``out_path``: wall seconds, CPU seconds (user and
    system), and the command's closing line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with out_path.open("w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True, env=os.environ)
    wall = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"hadath failed ({proc.returncode}): {proc.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stderr.strip().splitlines()[-1]


if __name__ == "__main__":
    main()
