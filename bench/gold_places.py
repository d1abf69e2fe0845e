"""Place resolution on the hand-coded gold (eval/gold, docs/coding.md), apart from events.

For every gold event with a point, the gold article is geocoded (every place mention of every
sentence, as ``hadath geocode`` shows them) and the place counts as found when some mention
resolves within the gold radius of the gold point (precision 1-4 only: a country is no
point). Reports the share found, and the share of gold articles' resolved mentions (precision
1-2) that lie within 50 km of some gold place of their article (a rough check that resolved
villages are in the story's area). Dev split unless told otherwise.

Usage: python bench/gold_places.py [--split dev] [--name gold_places] [--show]
"""

from __future__ import annotations

import argparse

from common import ROOT, shared, write_result

from hadath.extract.geocode import geocode
from hadath.geo import distance_km
from hadath.gold import read_articles, read_gold

ANT = ("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--name", default="gold_places")
    ap.add_argument("--show", action="store_true", help="print the gold places not found")
    args = ap.parse_args()
    gold = read_gold(ROOT / "eval" / "gold", args.split)
    texts = read_articles(shared(*ANT), {g.docno for g in gold})
    places = found = mentions = near = 0
    for art in gold:
        text = (texts.get(art.docno) or {}).get("text") or ""
        points = [e["place"] for e in art.events
                  if e.get("place") and e["place"].get("lat") is not None]
        if not text or not points:
            continue
        resolved = [m for m in geocode(text) if m.lat is not None and (m.precision or 9) <= 4]
        for p in points:
            radius = float(p.get("radius_km") or 10)
            places += 1
            if any(distance_km(m.lat, m.lon, p["lat"], p["lon"]) <= radius for m in resolved):
                found += 1
            elif args.show:
                print(f"not found: {art.docno} {p.get('en') or p.get('ar')} "
                      f"(r {radius:g} km); mentions: {[m.name for m in resolved][:8]}")
        for m in resolved:
            if (m.precision or 9) <= 2:
                mentions += 1
                near += any(distance_km(m.lat, m.lon, p["lat"], p["lon"]) <= 50 for p in points)
    res = {"split": args.split, "gold_places": places, "found_within_radius": found,
           "share_found": round(found / places, 4) if places else None,
           "resolved_mentions_p1_2": mentions,
           "share_within_50km_of_a_gold_place": round(near / mentions, 4) if mentions else None}
    path = write_result(args.name, res)
    print(f"{args.split}: {found}/{places} gold places found within their radius "
          f"({res['share_found']:.1%}); {near}/{mentions} precise mentions within 50 km of a gold "
          f"place of their article")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
