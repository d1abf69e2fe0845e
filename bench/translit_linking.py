"""Arabic → Latin linking on data no one here wrote.

Takes the GeoNames cities500 rows for Syria that carry an Arabic alternate name
(../shared/data/syria_gazetteer, about 290), builds a gazetteer from their Latin names only, and
queries it with each Arabic name alone (no context). A query is right when the top candidate is
within 5 km of the row's own coordinates. Reports top-1 and top-3 accuracy. Aim: top-1 ≥ 90%.

Usage: python bench/translit_linking.py [--show-misses]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import shared, write_result

from hadath.geo import Gazetteer, GazetteerStore, distance_km
from hadath.geo.store import PlaceRow
from hadath.geo.translit import is_arabic


def rows() -> list[dict]:
    out = []
    path = shared("syria_gazetteer", "geonames_cities500_SY_IQ_LB_JO_TR.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) < 19 or f[8] != "SY":
            continue
        alts = [a for a in f[3].split(",") if a]
        arabic = [a for a in alts if is_arabic(a) and all("\u0621" <= c <= "\u064a" or c == " " for c in a)]
        latin = [a for a in [f[1], f[2], *alts] if a and not is_arabic(a) and all(ord(c) < 0x250 for c in a)]
        if arabic:
            out.append({"id": f[0], "lat": float(f[4]), "lon": float(f[5]), "arabic": arabic,
                        "latin": list(dict.fromkeys(latin)), "pop": int(f[14] or 0), "name": f[2]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    data = rows()
    with tempfile.TemporaryDirectory() as tmp:
        store = GazetteerStore(Path(tmp) / "latin.sqlite")
        store.db.execute("DELETE FROM places")  # only the Latin names of these rows
        store.upsert(PlaceRow(gid=f"t:{r['id']}", name=r["name"], lat=r["lat"], lon=r["lon"],
                              feature="town", country="SY", names_en=tuple(r["latin"]),
                              population=r["pop"]) for r in data)
        gaz = Gazetteer(store, builtin=False)  # these rows only, not the built-in places
        top1 = top3 = 0
        for r in data:
            query = r["arabic"][0]
            hits = gaz.latin(query)
            # ties in fit are broken by population, as the resolver does without context
            hits.sort(key=lambda h: (-round(h.score), -h.place.population))
            ok = [distance_km(h.place.lat, h.place.lon, r["lat"], r["lon"]) <= 5 for h in hits[:3]]
            top1 += bool(ok[:1] and ok[0])
            top3 += any(ok)
            if args.show_misses and not (ok[:1] and ok[0]):
                print(f"miss: {query} -> {[(h.place.name, round(h.score)) for h in hits[:3]]} "
                      f"(want {r['name']})", file=sys.stderr)
        store.close()
    n = len(data)
    res = {"queries": n, "top1": top1, "top1_share": round(top1 / n, 4), "top3": top3,
           "top3_share": round(top3 / n, 4), "radius_km": 5}
    path = write_result("translit_linking", res)
    print(f"Arabic → Latin-only gazetteer, {n} Syrian GeoNames places: top-1 within 5 km "
          f"{res['top1_share']:.1%} ({top1}/{n}), top-3 {res['top3_share']:.1%}")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
