"""Event family and actor agreement on the UniversalPetrarch Arabic gold sentences.

Reads ../shared/data/upetr_arabic_gsr/{assault,protest}.jsonl (gold PLOVER category and
CAMEO-style source/target codes; Iraq, Lebanon and others, 2006-08) and reports:

- the share of ASSAULT sentences that yield a violent event (armed_clash, air_strike, shelling,
  explosion, attack, killing, abduction), and of PROTEST sentences that yield a protest or riot;
- wrong family: ASSAULT sentences that yield a protest/riot, PROTEST sentences that yield any
  violent event (even beside a protest);
- actor agreement: among sentences whose gold source has a country, the share where an event's
  actor1 or actor2 code starts with that country (and actor1 alone);
- the same family figures for a keyword-regex baseline.

Usage: python bench/gsr_events.py [--show-misses]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time

from common import shared, write_result

from hadath import extract
from hadath.models import VIOLENT_KINDS

PROTEST_KINDS = {"protest", "riot"}
# The baseline the issue cites: one regex per family over the raw sentence.
VIOLENT_RE = re.compile(r"قتل|مقتل|قتلى|قتيل|هجوم|هاجم|انفجار|تفجير|فجر|اغتيال|اغتال|خطف|اختطاف|"
                        r"غارة|قصف|اشتباك|معارك|اطلاق النار|إطلاق النار|قذيف|صاروخ|عبوة|مفخخ|انتحاري|"
                        r"اعتداء|اعتدى|ضرب|تعذيب|جرح|إصابة|اصابة")
PROTEST_RE = re.compile(r"تظاهر|مظاهر|احتج|اعتصام|اعتصم|مسيرة|اضراب|إضراب|شغب|هتاف|شعارات|تجمهر|انتفاضة")


def load(name: str) -> list[dict]:
    with shared("upetr_arabic_gsr", f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def country(code: str | None) -> str | None:
    if not code or code.startswith("---") or len(code) < 3:
        return None
    return code[:3]


def run(show_misses: bool) -> dict:
    data = {"assault": load("assault"), "protest": load("protest")}
    out: dict = {}
    started = time.perf_counter()
    actor_total = actor_any = actor_first = 0
    for family, rows in data.items():
        hit = wrong = base_hit = base_wrong = background = 0
        for row in rows:
            date = dt.datetime.strptime(row["date"], "%Y%m%d").date() if row.get("date") else None
            art = extract(row["text"], date=date)
            # recognition of the event's family, whether placed or not and whether news or a
            # sentence about the past (these sentences come without their article)
            found = art.events + art.unplaced + art.background
            background += bool(art.background) and not (art.events or art.unplaced)
            kinds = {e.kind for e in found}
            violent, protest = bool(kinds & VIOLENT_KINDS), bool(kinds & PROTEST_KINDS)
            ok, bad = (violent, protest) if family == "assault" else (protest, violent)
            hit += ok
            wrong += bad
            rv, rp = bool(VIOLENT_RE.search(row["text"])), bool(PROTEST_RE.search(row["text"]))
            base_hit += rv if family == "assault" else rp
            base_wrong += rp if family == "assault" else rv
            if show_misses and (not ok or bad):
                print(f"[{family} {'miss' if not ok else 'wrong'}] {sorted(kinds)} {row['text'][:160]}",
                      file=sys.stderr)
            gold = country(row["events"][0]["source"])
            if gold:
                actor_total += 1
                codes = [(e.actor1_code or "", e.actor2_code or "") for e in found]
                actor_any += any(gold in (c1[:3], c2[:3]) for c1, c2 in codes)
                actor_first += any(gold == c1[:3] for c1, _ in codes)
        n = len(rows)
        out[family] = {"sentences": n, "hit": hit, "hit_share": round(hit / n, 4),
                       "wrong_family": wrong, "wrong_share": round(wrong / n, 4),
                       "baseline_hit_share": round(base_hit / n, 4),
                       "baseline_wrong_share": round(base_wrong / n, 4),
                       "only_background": background,
                       "only_background_share": round(background / n, 4)}
    out["actor_country"] = {
        "sentences_with_gold_source_country": actor_total,
        "any_actor_matches": actor_any, "any_actor_share": round(actor_any / actor_total, 4),
        "actor1_matches": actor_first, "actor1_share": round(actor_first / actor_total, 4)}
    out["seconds"] = round(time.perf_counter() - started, 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-misses", action="store_true", help="print each miss to stderr")
    res = run(ap.parse_args().show_misses)
    path = write_result("gsr_events", res)
    a, p, c = res["assault"], res["protest"], res["actor_country"]
    print(f"ASSAULT  -> violent event: {a['hit_share']:.1%} ({a['hit']}/{a['sentences']}), "
          f"protest/riot (wrong family): {a['wrong_share']:.1%}   "
          f"[regex baseline {a['baseline_hit_share']:.1%}, wrong {a['baseline_wrong_share']:.1%}]")
    print(f"PROTEST  -> protest or riot: {p['hit_share']:.1%} ({p['hit']}/{p['sentences']}), "
          f"violent (wrong family): {p['wrong_share']:.1%}   "
          f"[regex baseline {p['baseline_hit_share']:.1%}, wrong {p['baseline_wrong_share']:.1%}]")
    print(f"actor country: any actor {c['any_actor_share']:.1%}, actor1 {c['actor1_share']:.1%} "
          f"of {c['sentences_with_gold_source_country']} sentences with a gold source country")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
