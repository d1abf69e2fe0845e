"""Build src/hadath/data/places_wof.tsv.gz: the village layer, from Who's On First.

Reads ../shared/data/wof_gazetteer/wof_XX.tsv.gz (Who's On First localities, neighbourhoods and
campuses of Syria, Iraq, Yemen, Libya, Sudan, Lebanon and Palestine, with their Arabic names;
CC0, with GeoNames parts under CC BY 4.0; see that folder's README and NOTICE).

Only facts are kept: names (Arabic and a few Latin ones), coordinates, the region and county
they belong to, the GeoNames feature code, and each record's WOF id (``wof:...``) and GeoNames
id. A record that is already shipped (the same GeoNames id as a ``gn:`` row, or a shared
Arabic name or consonant skeleton within DEDUP_KM of a row of gazetteer.tsv,
places_curated.tsv or places_ucdp.tsv) is written with ``same_as`` set to that row's id: the
gazetteer compiler then adds its Arabic names (and WOF id) to that row instead of a second
place. Records that repeat one another (same name within DUPLICATE_KM) are kept once.

Also written: the regions (admin1) and counties (admin2) the records name, for the countries
whose admin areas the gazetteer lacks (all but Syria, whose governorates, districts and
subdistricts come from OpenSyria), each at the median point of its places, so that "محافظة
الحديدة" or "مديرية التحيتا" has a point and an area to rank the villages named with it.

    python scripts/build_wof_places.py [--shared ../shared/data]

then compile the gazetteer (python scripts/build_gazetteer_db.py) and, as the names changed,
the list of names that are common words (python scripts/build_place_commonwords.py).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hadath.geo.translit import latin_keys  # noqa: E402
from hadath.text.normalize import normalize_key  # noqa: E402

DATA = ROOT / "src" / "hadath" / "data"
OUT = DATA / "places_wof.tsv.gz"
COUNTRIES = ("SY", "IQ", "YE", "LY", "SD", "LB", "PS")
COLUMNS = ["gid", "name", "name_ar", "names_ar", "names_en", "lat", "lon", "feature",
           "feature_code", "country", "admin1", "admin1_code", "admin2", "population", "source",
           "same_as"]
DEDUP_KM = 4.0  # a shipped row with the same name this close is the same place
DUPLICATE_KM = 2.0  # WOF records of one name this close are one place
MAX_LATIN = 4
ARABIC_NAME = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u0670 ]+$")
# WOF's Syrian region names to the governorate names the rest of the gazetteer uses.
SY_ADMIN1 = {"Aleppo": "Aleppo", "Hasaka (Al Haksa)": "Al-Hasakah", "Lattakia": "Latakia",
             "Idlib": "Idlib", "Homs (Hims)": "Homs", "Hamah": "Hama", "Tartus": "Tartus",
             "Rif Dimashq": "Rif Dimashq", "Ar Raqqah": "Ar-Raqqah", "Days Az Zawr": "Deir ez-Zor",
             "Dar`a": "Daraa", "As Suwayda'": "As-Suwayda", "Quneitra": "Quneitra",
             "Damascus": "Damascus"}
# Words that open an admin area's Arabic name and are not part of the name itself.
ADMIN_WORDS = ("مديرية", "منطقة", "قضاء", "ناحية", "محافظة", "ولاية", "مقاطعة", "محلية")
CITY_CODES = {"PPLC", "PPLA"}
TOWN_CODES = {"PPLA2", "PPLA3"}


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


def clean(s: str) -> str:
    """Strip the bidi marks and stray quotes some WOF names carry."""
    s = re.sub("[\u200e\u200f\u202a-\u202e\u061c\"]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def arabic_name(s: str) -> str:
    """An Arabic name as written, or "" when it is not plain Arabic letters. A detached article
    ("ال حصيدة", from machine transliteration) is joined again."""
    s = clean(re.sub("[\u064b-\u065f\u0640]", "", s))
    s = re.sub(r"(^| )ال (?=\S)", r"\1ال", s)
    if not s or not ARABIC_NAME.match(s) or len(normalize_key(s).replace(" ", "")) < 2:
        return ""
    return s


def latin_name(s: str) -> str:
    s = clean(s)
    if not s or not all(ord(c) < 0x250 or c in "ʿʾ‘’" for c in s) or not re.search("[A-Za-z]{2}", s):
        return ""
    if re.fullmatch(r"[A-Z0-9]{3,4}", s):
        return ""  # an airport code (IATA/ICAO)
    return s


def split_admin(value: str) -> tuple[str, str]:
    """("Sa`dah", "صعدة") from "Sa`dah/صعدة"; the Arabic part may be missing."""
    value = clean(value)
    if not value:
        return "", ""
    parts = value.split("/")
    en = parts[0].strip()
    ar = next((arabic_name(p) for p in parts[1:] if arabic_name(p)), "")
    return en, ar


def feature_of(feature: str, name_en: str, name_ar: str) -> tuple[str, str]:
    parts = feature.split(":")
    kind = parts[0]
    code = parts[1] if len(parts) > 1 else ""
    if kind == "neighbourhood":
        return "neighbourhood", code or "PPLX"
    if kind == "localadmin":
        return "admin3", code or "ADM3"
    if kind == "campus":
        base = re.search(r"air ?base|military|قاعدة", f"{name_en} {name_ar}", re.I)
        return ("military_base", "AIRB") if base else ("airport", "AIRP")
    if code in CITY_CODES:
        return "city", code
    if code in TOWN_CODES:
        return "town", code
    return "village", code


def read_wof(path: Path, country: str) -> list[dict]:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in reader:
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except (TypeError, ValueError):
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
                continue
            alts = [a for a in (r["alt_names"] or "").split("|") if a.strip()]
            ar = [n for n in dict.fromkeys(arabic_name(x) for x in [r["name_ar"], *alts]) if n]
            en = [n for n in dict.fromkeys(latin_name(x) for x in [r["name_en"], *alts]) if n]
            if not ar and not en:
                continue
            feature, code = feature_of(r["feature"], r["name_en"], r["name_ar"])
            a1_en, a1_ar = split_admin(r["admin1"])
            a2_en, a2_ar = split_admin(r["admin2"])
            if country == "SY":
                a1_en = SY_ADMIN1.get(a1_en, a1_en)
            gn = re.search(r"geonames:(\d+)", r["source"])
            rows.append({
                "gid": clean(r["id"]), "name": en[0] if en else ar[0],
                "name_ar": ar[0] if ar else "", "names_ar": "|".join(ar),
                "names_en": "|".join(en[:MAX_LATIN]), "lat": f"{lat:.5f}", "lon": f"{lon:.5f}",
                "feature": feature, "feature_code": code + (":not_current" if "not_current" in
                                                            r["feature"] else ""),
                "country": country, "admin1": a1_en, "admin1_code": a1_ar, "admin2": a2_en,
                "admin2_ar": a2_ar, "population": "0",
                "source": "WOF" + (f" geonames:{gn.group(1)}" if gn else ""), "same_as": "",
                "_gn": gn.group(1) if gn else "", "_pt": (lat, lon)})
    return rows


def name_keys(row: dict) -> set[str]:
    """Keys that say two rows carry the same name: normalised Arabic names, Latin skeletons."""
    keys = {"ar:" + normalize_key(n).replace(" ", "") for n in row["names_ar"].split("|") if n}
    keys |= {"sk:" + k for n in row["names_en"].split("|")[:MAX_LATIN] if n for k in latin_keys(n)
             if len(k) >= 3}
    return keys


class Grid:
    """Rows bucketed by a 0.1-degree grid for near-neighbour queries."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[set[str], tuple[float, float], str]]] = defaultdict(list)

    def add(self, keys: set[str], pt: tuple[float, float], gid: str) -> None:
        self.cells[(int(pt[0] * 10), int(pt[1] * 10))].append((keys, pt, gid))

    def find(self, keys: set[str], pt: tuple[float, float], km: float) -> str | None:
        ci, cj = int(pt[0] * 10), int(pt[1] * 10)
        best = None
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for ks, p, gid in self.cells.get((ci + di, cj + dj), ()):
                    if ks & keys:
                        d = distance_km(pt, p)
                        if d <= km and (best is None or d < best[0]):
                            best = (d, gid)
        return best[1] if best else None


def shipped_rows() -> tuple[Grid, set[str]]:
    grid, gn_ids = Grid(), set()
    for table in ("gazetteer.tsv", "places_curated.tsv", "places_ucdp.tsv"):
        with (DATA / table).open(encoding="utf-8") as fh:
            reader = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t",
                                    quoting=csv.QUOTE_NONE)
            for r in reader:
                if r["country"] not in COUNTRIES + ("IL", "JO", "TR") or not r["lat"]:
                    continue
                if r["feature"] in ("road", "admin1", "admin2", "admin3", "area"):
                    continue
                if r["gid"].startswith("gn:"):
                    gn_ids.add(r["gid"][3:])
                grid.add(name_keys(r), (float(r["lat"]), float(r["lon"])), r["gid"])
    return grid, gn_ids


def admin_areas(rows: list[dict]) -> list[dict]:
    """Regions and counties named by the records, at the median point of their places."""
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if r["country"] == "SY" or r["feature"] not in ("village", "town", "city"):
            continue
        if r["admin1"]:
            groups[(r["country"], "admin1", r["admin1"])].append(r)
            if r["admin2"]:
                groups[(r["country"], "admin2", r["admin1"] + "|" + r["admin2"])].append(r)
    out = []
    for (country, level, key), members in sorted(groups.items()):
        if len(members) < 3:
            continue
        en = key.split("|")[-1]
        arabic = {m["admin1_code"] if level == "admin1" else m["admin2_ar"] for m in members} - {""}
        names_ar = []
        for a in sorted(arabic):
            bare = a
            for w in ADMIN_WORDS:
                if bare.startswith(w + " "):
                    bare = bare[len(w) + 1:]
            names_ar += [bare] if bare == a else [bare, a]
        names_ar = list(dict.fromkeys(n for n in names_ar if n))
        lat = statistics.median(m["_pt"][0] for m in members)
        lon = statistics.median(m["_pt"][1] for m in members)
        slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
        out.append({
            "gid": f"wofadm:{country}:{slug}", "name": en, "name_ar": names_ar[0] if names_ar else "",
            "names_ar": "|".join(names_ar), "names_en": en, "lat": f"{lat:.5f}",
            "lon": f"{lon:.5f}", "feature": level, "feature_code": "ADM1" if level == "admin1"
            else "ADM2", "country": country, "admin1": members[0]["admin1"],
            "admin1_code": members[0]["admin1_code"],
            "admin2": en if level == "admin2" else "", "population": "0",
            "source": f"WOF {level} (median point of {len(members)} places)", "same_as": ""})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    folder = args.shared / "wof_gazetteer"
    if not folder.is_dir():
        sys.exit(f"{folder} not found")
    shipped, gn_ids = shipped_rows()
    out: list[dict] = []
    counts: dict[str, list[int]] = {}
    for country in COUNTRIES:
        path = folder / f"wof_{country}.tsv.gz"
        if not path.is_file():
            print(f"{path} not found: skipped", file=sys.stderr)
            continue
        rows = read_wof(path, country)
        own = Grid()
        kept = merged = dropped = 0
        # GeoNames-backed and Arabic-named records first: they are the better copy of a place
        for r in sorted(rows, key=lambda r: (not r["_gn"], not r["names_ar"], r["gid"])):
            keys = name_keys(r)
            same = f"gn:{r['_gn']}" if r["_gn"] in gn_ids else shipped.find(keys, r["_pt"], DEDUP_KM)
            if same:
                if r["names_ar"]:  # only worth a row when it brings Arabic names
                    r["same_as"] = same
                    out.append(r)
                    merged += 1
                else:
                    dropped += 1
                continue
            if own.find(keys, r["_pt"], DUPLICATE_KM):
                dropped += 1
                continue
            own.add(keys, r["_pt"], r["gid"])
            out.append(r)
            kept += 1
        counts[country] = [len(rows), kept, merged, dropped]
    areas = admin_areas([r for r in out if not r["same_as"]])
    out += areas
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", newline="", compresslevel=9) as fh:
        fh.write("# Built by scripts/build_wof_places.py from Who's On First (CC0, with GeoNames "
                 "CC BY 4.0 parts; see NOTICE). same_as: a shipped place this record adds names to.\n")
        w = csv.DictWriter(fh, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\", extrasaction="ignore")
        w.writeheader()
        w.writerows(sorted(out, key=lambda r: r["gid"]))
    for c, (n, kept, merged, dropped) in counts.items():
        print(f"{c}: {n} records, {kept} new places, {merged} add names to shipped places, "
              f"{dropped} duplicates left out", file=sys.stderr)
    print(f"{len(areas)} admin areas; wrote {len(out)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
