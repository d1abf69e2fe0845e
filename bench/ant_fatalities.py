"""Reported fatalities on a store of the first 2,000 ANT articles, against what the gold implies.

Ingests the first 2,000 lines of the ANT corpus with `hadath ingest` (the issue's command), reads
every event back with `hadath events --json`, and reports:

- the map's total of reported fatalities, and the 10 events with the most (doc id, kind, place,
  offsets: no article text is copied here);
- events whose fatalities exceed every number their own evidence sentences state (should be 0);
- the total the hand-coded gold implies for such a sample: the gold's mean fatalities per article
  in each stratum (a violent word in the headline or not, as eval/goldtool.py samples them),
  times the number of the 2,000 articles in that stratum.

Usage: python bench/ant_fatalities.py [--lines 2000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, shared, write_result

sys.path.insert(0, str(ROOT / "eval"))
from goldtool import VIOLENT  # noqa: E402

from hadath.gold import read_gold  # noqa: E402
from hadath.text import find_numbers, normalize, tokenize  # noqa: E402


def gold_rate() -> dict[bool, float]:
    """Mean gold fatalities per article, by whether the headline has a violent word."""
    gold = read_gold(ROOT / "eval" / "gold")
    titles = {}
    src = shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    want = {g.docno for g in gold}
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["docno"] in want:
                titles[d["docno"]] = d.get("title") or ""
    sums: dict[bool, list[int]] = {True: [], False: []}
    for g in gold:
        total = sum(e.get("fatalities") or 0 for e in g.events)
        sums[bool(re.search(VIOLENT, titles[g.docno]))].append(total)
    return {k: sum(v) / len(v) for k, v in sums.items() if v}


_DEATH_WORD = re.compile(r"قتل|مقتل|قتيل|مصرع|حتف|استشهد|وفاة|أودى|اودى")


def stated_max(texts: list[str]) -> int:
    """The largest number the evidence sentences state (digits or number words); a death word
    with a singular or dual noun ("قتل جندي", "مقتل شخصين") states up to two."""
    best = 2 if any(_DEATH_WORD.search(t) for t in texts) else 0
    for t in texts:
        for n in find_numbers(tokenize(normalize(t).text)):
            best = max(best, n.value)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=2000)
    args = ap.parse_args()
    src = shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    tmp = Path(tempfile.mkdtemp())
    sample = tmp / "ant.jsonl"
    violent = 0
    with gzip.open(src, "rt", encoding="utf-8") as fh, sample.open("w", encoding="utf-8") as out:
        for k, line in enumerate(fh):
            if k >= args.lines:
                break
            out.write(line)
            violent += bool(re.search(VIOLENT, json.loads(line).get("title") or ""))
    hadath = shutil.which("hadath") or str(Path(sys.executable).parent / "hadath")
    db = tmp / "ant.db"
    t0 = time.perf_counter()
    subprocess.run([hadath, "ingest", str(sample), "--db", str(db), "--text-field", "text",
                    "--date-field", "time", "--id-field", "docno", "--url-field", "url",
                    "--title-field", "title", "--source-field", "src"], check=True,
                   capture_output=True)
    ingest_s = time.perf_counter() - t0
    out = subprocess.run([hadath, "events", "--json", "--limit", "1000000", "--db", str(db)],
                         check=True, capture_output=True, text=True).stdout
    events = [json.loads(x) for x in out.splitlines() if x.strip()]
    from hadath.store import Store

    store = Store(db)
    with_f = [e for e in events if e.get("fatalities")]
    for e in with_f:
        e.update(store.event_parts(e["id"]))
    total = sum(e["fatalities"] for e in with_f)
    over = [e for e in with_f
            if e["fatalities"] > stated_max([s["text"] for s in e.get("evidence", [])])]
    rate = gold_rate()
    expected = violent * rate.get(True, 0) + (args.lines - violent) * rate.get(False, 0)
    top = sorted(with_f, key=lambda e: -e["fatalities"])[:10]
    res = {
        "articles": args.lines, "ingest_seconds": round(ingest_s, 1), "events": len(events),
        "events_with_fatalities": len(with_f), "reported_fatalities_total": total,
        "events_over_their_text": len(over),
        "gold_mean_per_article": {"violent_headline": round(rate.get(True, 0), 2),
                                  "other": round(rate.get(False, 0), 2)},
        "articles_by_stratum": {"violent_headline": violent, "other": args.lines - violent},
        "expected_total_from_gold": round(expected),
        "ratio_to_expected": round(total / expected, 2) if expected else None,
        "largest": [{"fatalities": e["fatalities"], "kind": e["kind"],
                     "place": e.get("place_name"), "date": e.get("date"),
                     "documents": sorted({(store.document(r["document_id"]) or {}).get("doc_key")
                                          for r in e.get("reports", [])} - {None})[:3],
                     "evidence_offsets": [[s["start"], s["end"]] for s in e.get("evidence", [])][:2],
                     "over_its_text": e in over}
                    for e in top],
    }
    path = write_result("ant_fatalities", res)
    print(json.dumps({k: v for k, v in res.items() if k != "largest"}, ensure_ascii=False))
    for e in res["largest"]:
        print(e)
    print("->", path)


if __name__ == "__main__":
    main()
