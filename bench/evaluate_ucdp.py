"""`hadath evaluate` on real data: the 2018 ANT articles about Syria against UCDP GED.

Ingests the Syria-flagged ANT articles of 2018 (../shared/data/ant_corpus_arabic_news; Feb-Aug
here) into a fresh store with `hadath ingest`, then runs `hadath evaluate --format ucdp`
against ../shared/data/ucdp_ged_syria_2016_2019 for the same months (the command restricts both
sides to the dates they share), for all located events and for those at precision 1-2, each
with the baseline that puts every event at its governorate's centroid.

Usage: python bench/evaluate_ucdp.py [--km 25] [--days 1]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import shared, write_result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--km", type=float, default=25.0)
    ap.add_argument("--days", type=int, default=1)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    src = shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    ged = shared("ucdp_ged_syria_2016_2019", "ged191_syria_2016-01-01_2019-11-30.csv.gz")
    subset = tmp / "ant_syria_2018.jsonl"
    n = 0
    with gzip.open(src, "rt", encoding="utf-8") as fh, subset.open("w", encoding="utf-8") as out:
        for line in fh:
            row = json.loads(line)
            if row.get("mentions_syria") and row["docno"].split("-")[-1].startswith("2018"):
                out.write(line)
                n += 1
    hadath = shutil.which("hadath") or str(Path(sys.executable).parent / "hadath")
    db = tmp / "syria.db"
    ingest = subprocess.run([hadath, "ingest", str(subset), "--db", str(db), "--date-field", "time",
                             "--id-field", "docno", "--source-field", "src"],
                            capture_output=True, text=True, check=True)
    results = {}
    for label, extra in (("all located events", []), ("precision 1-2", ["--max-precision", "2"])):
        proc = subprocess.run([hadath, "evaluate", "--reference", str(ged), "--format", "ucdp",
                               "--km", str(args.km), "--days", str(args.days), "--baseline",
                               "--json", "--db", str(db), *extra],
                              capture_output=True, text=True, check=True)
        ours, base = json.loads(proc.stdout)
        results[label] = {"hadath": ours, "baseline": base}
        o, b = ours["overall"], base["overall"]
        print(f"{label}: {o['events']} events vs {ours['reference_events']} UCDP events "
              f"({ours['from']} to {ours['until']}): precision {o['precision']:.1%}, recall "
              f"{o['recall']:.1%}, median {o['median_km']} km, fatality agreement "
              f"{o['fatality_agreement']:.1%} of {o['fatality_pairs']}; baseline precision "
              f"{b['precision']:.1%}, recall {b['recall']:.1%}, median {b['median_km']} km")
    path = write_result("evaluate_ucdp", {"articles": n, "ingest": ingest.stdout.strip(),
                                           "km": args.km, "days": args.days, **results})
    print(f"written to {path}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
