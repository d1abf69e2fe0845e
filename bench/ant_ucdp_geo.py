"""Where hadath places events, measured against UCDP GED (Syria, 2018).

Extracts the ANT articles flagged as about Syria (../shared/data/ant_corpus_arabic_news, Feb-Aug
2018 here), keeps the events hadath places in Syria at precision 1-2, and for each finds the
nearest UCDP GED event (../shared/data/ucdp_ged_syria_2016_2019) whose dates overlap the same
or an adjacent day. Reports the share within 25 km and the median distance, for hadath's
points and for a baseline that puts the same events at their governorate's centroid.

Usage: python bench/ant_ucdp_geo.py [--km 25] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import statistics
import time
from collections import defaultdict

from common import shared, write_result

from hadath import extract
from hadath.geo import default_gazetteer, distance_km
from hadath.ingest import parse_date


def ucdp_by_day() -> dict[dt.date, list[tuple[float, float]]]:
    """UCDP events (lat, lon) indexed by every day they cover."""
    days: dict[dt.date, list[tuple[float, float]]] = defaultdict(list)
    with gzip.open(shared("ucdp_ged_syria_2016_2019", "ged191_syria_2016-01-01_2019-11-30.csv.gz"),
                   "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            start = dt.date.fromisoformat(r["date_start"][:10])
            end = dt.date.fromisoformat(r["date_end"][:10])
            if end.year < 2018 or start.year > 2018 or (end - start).days > 7:
                continue
            point = (float(r["latitude"]), float(r["longitude"]))
            d = start
            while d <= end:
                days[d].append(point)
                d += dt.timedelta(days=1)
    return days


def governorate_centroids() -> dict[str, tuple[float, float]]:
    gaz = default_gazetteer()
    rows = gaz.store._rows("WHERE p.feature = 'admin1' AND p.country = 'SY'", ())
    return {r.admin1 or r.name: (r.lat, r.lon) for r in rows}


def nearest(point: tuple[float, float], day: dt.date, days) -> float:
    cands = [p for k in (-1, 0, 1) for p in days.get(day + dt.timedelta(days=k), [])]
    return min((distance_km(point[0], point[1], p[0], p[1]) for p in cands), default=float("inf"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--km", type=float, default=25.0)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    days = ucdp_by_day()
    govs = governorate_centroids()
    started = time.perf_counter()
    articles = events_total = 0
    ours, base, kinds = [], [], defaultdict(int)
    with gzip.open(shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz"),
                   "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if not row.get("mentions_syria") or not row.get("text"):
                continue
            date = parse_date(row.get("time"))
            if date is None or date.year != 2018:
                continue
            articles += 1
            if args.limit and articles > args.limit:
                break
            for ev in extract(row["text"], date=date, doc_id=row["docno"]).events:
                events_total += 1
                p = ev.place
                if p is None or p.lat is None or p.country != "Syria" or p.precision > 2 or ev.date is None:
                    continue
                kinds[ev.kind] += 1
                ours.append(nearest((p.lat, p.lon), ev.date, days))
                centroid = govs.get(p.admin1 or "") or min(
                    govs.values(), key=lambda c: distance_km(c[0], c[1], p.lat, p.lon))
                base.append(nearest(centroid, ev.date, days))
    n = len(ours)

    def summary(ds: list[float]) -> dict:
        within = sum(d <= args.km for d in ds)
        finite = [d for d in ds if d != float("inf")]
        return {"within_km": within, "share_within_km": round(within / n, 4) if n else 0,
                "median_km": round(statistics.median(finite), 1) if finite else None}

    res = {"articles": articles, "events": events_total, "events_precision_1_2_in_syria": n,
           "km": args.km, "hadath": summary(ours), "governorate_centroid_baseline": summary(base),
           "kinds": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
           "seconds": round(time.perf_counter() - started, 1)}
    h, b = res["hadath"], res["governorate_centroid_baseline"]
    res["ratio"] = round(h["share_within_km"] / b["share_within_km"], 2) if b["share_within_km"] else None
    path = write_result("ant_ucdp_geo", res)
    print(f"{articles} Syria articles, {events_total} events, {n} placed in Syria at precision 1-2")
    print(f"within {args.km:g} km of a UCDP event (same or adjacent day): hadath {h['share_within_km']:.1%} "
          f"(median {h['median_km']} km), governorate centroid {b['share_within_km']:.1%} "
          f"(median {b['median_km']} km), ratio {res['ratio']}")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
