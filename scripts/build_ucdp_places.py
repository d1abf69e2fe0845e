"""Build src/hadath/data/places_ucdp.tsv: Syrian villages, towns, suburbs, camps, bases and
landmarks with UCDP GED coordinates, from ../shared/data/ucdp_ged_syria_2016_2019/
derived_unique_locations.csv (UCDP GED 19.1, CC BY 4.0; see NOTICE).

Only facts are kept: each place's English name(s) as UCDP writes them, its coordinates, the
governorate and district, and the feature the name says (village, town, suburb, camp...).
Places already in gazetteer.tsv or places_curated.tsv (the same consonant skeleton within 3 km)
are left out. Arabic text reaches these English-only names through hadath's transliteration
matcher (hadath.geo.translit).

    python scripts/build_ucdp_places.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hadath.geo.translit import latin_keys  # noqa: E402

OUT = ROOT / "src" / "hadath" / "data" / "places_ucdp.tsv"
COLUMNS = ["gid", "name", "name_ar", "names_ar", "names_en", "lat", "lon", "feature",
           "feature_code", "country", "admin1", "admin1_code", "admin2", "population", "source",
           "coord_source"]
SUFFIX_FEATURE = {
    "village": "village", "town": "town", "city": "city", "suburb": "neighbourhood",
    "camp": "camp", "base": "military_base", "airbase": "military_base", "airport": "airport",
    "brigade": "military_base", "checkpoint": "landmark", "dam": "landmark", "plant": "landmark",
    "station": "landmark", "complex": "landmark", "field": "landmark", "fields": "landmark",
    "area": "area", "mountain": "area", "hill": "landmark", "farm": "landmark",
    "farms": "landmark", "reservoir": "landmark", "locality": "village",
}
# UCDP governorate names to the names the rest of the gazetteer uses.
ADMIN1 = {"Al Hasakah": "Al-Hasakah", "Latakia": "Latakia", "Quneitra": "Quneitra",
          "Ar Raqqah": "Ar-Raqqah", "As Suwayda": "As-Suwayda", "Daraa": "Daraa",
          "Deir ez Zor": "Deir ez-Zor", "Rif Dimashq": "Rif Dimashq", "Aleppo": "Aleppo",
          "Hamah": "Hama", "Homs": "Homs", "Idlib": "Idlib", "Damascus": "Damascus",
          "Tartus": "Tartus"}
DESCRIPTIVE = re.compile(r"\b(in|near|outside|between|of the|countryside|road|compund|compound)\b", re.I)


def split_names(where: str) -> tuple[list[str], str]:
    """English names and feature of a UCDP location ("Abu Rasin/Zarkan town")."""
    words = where.split()
    feature = SUFFIX_FEATURE.get(words[-1].lower().strip("()"), "") if words else ""
    # "Kafr Sajnah town" is named Kafr Sajnah; "Tabqa Military Airbase" is named as a whole
    keep_whole = feature in ("military_base", "airport", "landmark")
    body = where if keep_whole or not feature else " ".join(words[:-1])
    names = []
    for part in re.split(r"/|\(|\)", body):
        part = part.strip(" ,-")
        if part and len(part) > 2:
            names.append(part)
    return names, feature or "village"


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


def existing(data: Path) -> list[tuple[set[str], tuple[float, float]]]:
    out = []
    for table in ("gazetteer.tsv", "places_curated.tsv"):
        with (data / table).open(encoding="utf-8") as fh:
            rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t",
                                  quoting=csv.QUOTE_NONE)
            for r in rows:
                if r["country"] != "SY":
                    continue
                keys = {k for n in r["names_en"].split("|") if n for k in latin_keys(n)}
                out.append((keys, (float(r["lat"]), float(r["lon"]))))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args(argv)
    src = args.shared / "ucdp_ged_syria_2016_2019" / "derived_unique_locations.csv"
    if not src.is_file():
        sys.exit(f"{src} not found")
    known = existing(ROOT / "src" / "hadath" / "data")
    rows: dict[tuple[str, str, str], dict] = {}
    with src.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["where_prec"] not in ("1", "2") or DESCRIPTIVE.search(r["where_coordinates"]):
                continue
            names, feature = split_names(r["where_coordinates"])
            if not names:
                continue
            lat, lon = float(r["latitude"]), float(r["longitude"])
            keys = {k for n in names for k in latin_keys(n)}
            if any(keys & ks and distance_km((lat, lon), pt) < 3 for ks, pt in known):
                continue
            key = (names[0], f"{lat:.4f}", f"{lon:.4f}")
            if key in rows:
                continue
            admin1 = ADMIN1.get(r["adm_1"].replace(" Governorate", "").strip(), r["adm_1"])
            slug = re.sub(r"[^a-z0-9]+", "-", names[0].lower()).strip("-")
            rows[key] = {
                "gid": f"ucdp:{slug}:{lat:.4f}:{lon:.4f}", "name": names[0], "name_ar": "",
                "names_ar": "", "names_en": "|".join(names), "lat": f"{lat:.6f}",
                "lon": f"{lon:.6f}", "feature": feature, "feature_code": "",
                "country": "SY", "admin1": admin1, "admin1_code": "",
                "admin2": r["adm_2"].replace(" district", "").strip(), "population": "0",
                "source": "UCDP GED 19.1 locations",
                "coord_source": f"UCDP GED: {r['where_coordinates']} (where_prec {r['where_prec']})"}
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Built by scripts/build_ucdp_places.py from UCDP GED 19.1 Syria locations "
                 "(CC BY 4.0; see NOTICE). English names only: Arabic text reaches them by "
                 "transliteration.\n")
        w = csv.DictWriter(fh, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\")
        w.writeheader()
        w.writerows(sorted(rows.values(), key=lambda r: r["gid"]))
    print(f"wrote {len(rows)} places to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
