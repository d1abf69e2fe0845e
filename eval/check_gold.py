"""Check gold files against docs/coding.md: fields, kinds, offsets inside the article's text.

    python eval/check_gold.py eval/gold/*.jsonl
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from goldtool import articles

KINDS = {"air_strike", "shelling", "armed_clash", "attack", "explosion", "killing", "abduction",
         "arrest", "territory_control", "withdrawal", "displacement", "road_closure", "protest",
         "riot", "agreement"}
STATUS = {"reported", "claimed", "confirmed", "denied", "contested"}


def problems(g: dict, text: str) -> list[str]:
    out = []
    for key in ("docno", "split", "events"):
        if key not in g:
            out.append(f"missing {key}")
    spans = [s for e in g.get("events", []) for s in e.get("evidence", [])] + g.get("background", [])
    for s in spans:
        if not (isinstance(s, list) and len(s) == 2 and 0 <= s[0] < s[1] <= len(text)):
            out.append(f"bad span {s} (text has {len(text)} chars)")
    for i, e in enumerate(g.get("events", [])):
        if e.get("kind") not in KINDS:
            out.append(f"event {i}: kind {e.get('kind')!r}")
        if e.get("status") not in STATUS:
            out.append(f"event {i}: status {e.get('status')!r}")
        if not e.get("evidence"):
            out.append(f"event {i}: no evidence")
        for a in ("actor1", "actor2"):
            v = e.get(a)
            if v is not None and not (isinstance(v, dict) and "en" in v):
                out.append(f"event {i}: {a} must be null or {{en, ar}}")
        p = e.get("place")
        if p is not None and not (isinstance(p, dict) and ("ar" in p or "en" in p)
                                  and "radius_km" in p):
            out.append(f"event {i}: place needs ar/en and radius_km")
        f = e.get("fatalities")
        if f is not None and not (isinstance(f, int) and f >= 0):
            out.append(f"event {i}: fatalities {f!r}")
        try:
            if e.get("date"):
                dt.date.fromisoformat(e["date"])
        except ValueError:
            out.append(f"event {i}: date {e.get('date')!r}")
    return out


def main(paths: list[str]) -> int:
    gold = [json.loads(line) for p in paths for line in open(p, encoding="utf-8") if line.strip()]
    want = {g["docno"] for g in gold}
    texts = {d["docno"]: d["text"] for d in articles() if d["docno"] in want}
    bad = 0
    for g in gold:
        ps = problems(g, texts.get(g["docno"], "")) if g["docno"] in texts else ["unknown docno"]
        for p in ps:
            print(f"{g['docno']}: {p}")
        bad += bool(ps)
    print(f"{len(gold)} articles, {sum(len(g['events']) for g in gold)} events, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
