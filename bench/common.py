"""Helpers shared by the benchmarks: where the shared data is, and writing results."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HADATH_SHARED", ROOT.parent / "shared"))
RESULTS = ROOT / "bench" / "results"


def shared(*parts: str) -> Path:
    """A path under ../shared/data, or exit with a clear reason when it is absent."""
    path = SHARED.joinpath("data", *parts)
    if not path.exists():
        sys.exit(f"skipped: {path} is not here (set HADATH_SHARED to the shared folder)")
    return path


ANT = ("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")


def ant_articles(limit: int = 0):
    """The ANT corpus line by line (up to ``limit``; 0: all): (line number from 0, the record,
    its publication day or None), with progress on stderr every 2,000 lines."""
    import datetime as dt
    import gzip
    from email.utils import parsedate_to_datetime

    with gzip.open(shared(*ANT), "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if limit and k >= limit:
                return
            a = json.loads(line)
            try:
                day: dt.date | None = parsedate_to_datetime(a.get("time") or "").date()
            except (TypeError, ValueError):
                day = None
            if k % 2000 == 0:
                print(f"extracted {k} articles", file=sys.stderr)
            yield k, a, day


def machine() -> dict:
    return {"python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "system": platform.system()}


def commit() -> str | None:
    """The commit the benchmark ran (with "+changes" where the tree differs from it)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if dirty else "")


def write_result(name: str, data: dict) -> Path:
    data.setdefault("commit", commit())
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({**data, "machine": machine(), "load_average": os.getloadavg()},
                               ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """The peak resident memory of a process (Linux: VmHWM), in MB; None elsewhere."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None
