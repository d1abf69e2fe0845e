"""The gazetteer store: SQLite tables of places and their names, and importers that grow it.

A store holds the places a user imports, on top of the built-in places (which live in their
own compiled file, :mod:`.builtin`): ``hadath gazetteer import geonames FILE`` (a GeoNames dump:
``SY.txt``, ``allCountries.txt``) and ``hadath gazetteer import csv FILE`` (an OCHA/HDX list or
a user's own). A place imported with the id of a built-in place replaces it. Imports are idempotent: a place keeps its id (``gn:`` plus
the GeoNames id, or ``csv:`` plus the file's id column), so importing a file twice changes
nothing. Every name is stored with a normalised key (Arabic) and consonant-skeleton keys (both
scripts) for Arabic ↔ Latin linking.

Without a store file (``--gazetteer``, ``HADATH_GAZETTEER``, or the default
``~/.local/share/hadath/gazetteer.sqlite``) only the built-in places are used.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GazetteerError
from ..lexicon import read_table
from ..text.normalize import normalize_key
from .translit import arabic_keys, is_arabic, latin_keys

SCHEMA_VERSION = 2  # 2: the built-in places are no longer copied into a user's store
# Bounds of an imported row: longer names are not place names (and would multiply the
# transliteration keys), a population above this is not one.
MAX_NAME = 200
MAX_POPULATION = 10_000_000_000
BUILTIN_TABLES = ("gazetteer.tsv", "places_curated.tsv", "places_ucdp.tsv")
# The sources of the places that version 1 copied into every store (removed on opening).
SEEDED_SOURCES = ("GeoNames cities500", "GeoNames cities15000", "OpenSyria admin1",
                  "OpenSyria admin2", "OpenSyria admin3", "hadath curated",
                  "UCDP GED 19.1 locations")
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS places (
    gid TEXT PRIMARY KEY, name TEXT NOT NULL, name_ar TEXT, lat REAL, lon REAL,
    feature TEXT NOT NULL, feature_code TEXT, country TEXT, admin1 TEXT, admin2 TEXT,
    population INTEGER DEFAULT 0, source TEXT, line TEXT);
CREATE TABLE IF NOT EXISTS names (
    gid TEXT NOT NULL REFERENCES places(gid) ON DELETE CASCADE, name TEXT NOT NULL,
    script TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (gid, name));
CREATE TABLE IF NOT EXISTS skeletons (
    gid TEXT NOT NULL REFERENCES places(gid) ON DELETE CASCADE, skel TEXT NOT NULL,
    name TEXT NOT NULL, PRIMARY KEY (gid, skel, name));
CREATE INDEX IF NOT EXISTS skeletons_skel ON skeletons(skel);
CREATE INDEX IF NOT EXISTS names_key ON names(key);
"""
# Feature classes: populated places, neighbourhoods, admin areas, airports and bases, camps,
# roads, landmarks, wider areas.
FEATURES = ("city", "town", "village", "neighbourhood", "admin1", "admin2", "admin3", "airport",
            "military_base", "camp", "road", "landmark", "area")
GEONAMES_FEATURES = {
    "ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "ADM4": "admin3", "ADMD": "admin3",
    "PPLX": "neighbourhood", "AIRP": "airport", "AIRF": "airport", "AIRB": "military_base",
    "AIRH": "airport", "MILB": "military_base", "INSM": "military_base", "CMPRF": "camp",
    "CMP": "camp", "RD": "road", "RDJCT": "landmark", "RDCR": "landmark", "BDG": "landmark",
    "DAM": "landmark", "PRN": "landmark", "SQR": "landmark", "HSP": "landmark", "MSQE": "landmark",
    "CRSSNG": "landmark", "PSTB": "landmark", "AREA": "area", "RGN": "area", "MT": "area",
}


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """One place of the store, with its Arabic and Latin names."""

    gid: str
    name: str
    lat: float | None
    lon: float | None
    feature: str
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    name_ar: str = ""
    names_ar: tuple[str, ...] = ()
    names_en: tuple[str, ...] = ()
    population: int = 0
    feature_code: str = ""
    source: str = ""

    def fingerprint(self) -> str:
        return hashlib.sha1(repr(self).encode()).hexdigest()


@dataclass
class ImportReport:
    """What an import did: rows read, places added, updated, unchanged, and bad rows."""

    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows of a kind the gazetteer does not keep (streams, hotels...)
    bad: list[tuple[int, str]] = field(default_factory=list)


def default_path() -> Path:
    """Where the user's store lives unless --gazetteer or HADATH_GAZETTEER says otherwise."""
    env = os.environ.get("HADATH_GAZETTEER")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hadath" / "gazetteer.sqlite"


class GazetteerStore:
    """A SQLite gazetteer of imported places (a file, or ``:memory:``)."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"{self.path}: not a gazetteer store ({exc})") from None
        self._drop_seeded()

    # --- reading ------------------------------------------------------------------------------

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM places").fetchone()[0]

    def counts_by_source(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT source, count(*) FROM places GROUP BY source"))

    def get(self, gid: str) -> PlaceRow | None:
        rows = self._rows("WHERE p.gid = ?", (gid,))
        return rows[0] if rows else None

    def with_arabic_names(self) -> Iterator[PlaceRow]:
        """Places that have at least one Arabic name (for matching running text)."""
        yield from self._rows("WHERE p.gid IN (SELECT DISTINCT gid FROM names WHERE script = 'ar')", ())

    def by_skeleton(self, keys: Iterable[str]) -> list[tuple[PlaceRow, str]]:
        """Places with a name whose skeleton is one of ``keys``: (place, that name)."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        hits = self.db.execute(f"SELECT DISTINCT gid, name FROM skeletons WHERE skel IN ({marks})",
                               keys).fetchall()
        rows = {r.gid: r for r in self._rows(
            f"WHERE p.gid IN (SELECT gid FROM skeletons WHERE skel IN ({marks}))", tuple(keys))}
        return [(rows[gid], name) for gid, name in hits if gid in rows]

    def _rows(self, where: str, args: tuple) -> list[PlaceRow]:
        places = self.db.execute(
            "SELECT p.gid, p.name, p.lat, p.lon, p.feature, p.country, p.admin1, p.admin2, "
            f"p.name_ar, p.population, p.feature_code, p.source FROM places p {where}",
            args).fetchall()
        if not places:
            return []
        names: dict[str, tuple[list[str], list[str]]] = {r[0]: ([], []) for r in places}
        gids = list(names)
        for k in range(0, len(gids), 500):
            chunk = gids[k:k + 500]
            for gid, name, script in self.db.execute(
                    f"SELECT gid, name, script FROM names WHERE gid IN ({','.join('?' * len(chunk))})",
                    chunk):
                names[gid][0 if script == "ar" else 1].append(name)
        return [PlaceRow(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6] or "", r[7] or "",
                         r[8] or "", tuple(names[r[0]][0]), tuple(names[r[0]][1]), r[9] or 0,
                         r[10] or "", r[11] or "") for r in places]

    # --- writing ------------------------------------------------------------------------------

    def upsert(self, rows: Iterable[PlaceRow], report: ImportReport | None = None) -> ImportReport:
        """Add or replace places by id; unchanged places are left alone."""
        report = report or ImportReport()
        if self.count() == 0:
            with self.db:  # an empty store: no old rows to compare with
                for row in rows:
                    self._insert(row, row.fingerprint())
                    report.added += 1
            return report
        with self.db:
            for row in rows:
                old = self.db.execute("SELECT line FROM places WHERE gid = ?", (row.gid,)).fetchone()
                fp = row.fingerprint()
                if old and old[0] == fp:
                    report.unchanged += 1
                    continue
                if old:
                    self.db.execute("DELETE FROM places WHERE gid = ?", (row.gid,))
                    report.updated += 1
                else:
                    report.added += 1
                self._insert(row, fp)
        return report

    def _insert(self, row: PlaceRow, fp: str) -> None:
        self.db.execute(
            "INSERT INTO places (gid, name, name_ar, lat, lon, feature, feature_code, country, "
            "admin1, admin2, population, source, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (row.gid, row.name, row.name_ar, row.lat, row.lon, row.feature, row.feature_code,
             row.country, row.admin1, row.admin2, row.population, row.source, fp))
        names = [(n, "ar") for n in row.names_ar] + [(n, "latin") for n in row.names_en]
        if row.name_ar and row.name_ar not in row.names_ar:
            names.append((row.name_ar, "ar"))
        if row.name not in row.names_en:
            names.append((row.name, "latin"))
        for name, script in dict(names).items():
            key = normalize_key(name) if script == "ar" else name.lower()
            self.db.execute("INSERT OR IGNORE INTO names VALUES (?,?,?,?)", (row.gid, name, script, key))
            keys = arabic_keys(name) if script == "ar" else latin_keys(name)
            self.db.executemany("INSERT OR IGNORE INTO skeletons VALUES (?,?,?)",
                                [(row.gid, k, name) for k in keys])

    def _drop_seeded(self) -> None:
        """A store written by version 1 holds a copy of the built-in places of its day: drop
        it (the built-in places now come from the package, current)."""
        if self.db.execute("SELECT 1 FROM meta WHERE key = 'builtin'").fetchone() is None:
            return
        marks = ",".join("?" * len(SEEDED_SOURCES))
        with self.db:
            self.db.execute(f"DELETE FROM places WHERE source IN ({marks})", SEEDED_SOURCES)
            self.db.execute("DELETE FROM meta WHERE key = 'builtin'")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def close(self) -> None:
        self.db.close()


def builtin_rows() -> Iterator[PlaceRow]:
    """The places of the package's plain TSV tables (and any same-named user tables); the
    complete built-in set, WOF villages included, is :func:`hadath.geo.builtin.source_rows`."""
    for table in BUILTIN_TABLES:
        for r in read_table(table):
            yield place_row(r)


def place_row(r: dict[str, str]) -> PlaceRow:
    """A place from a row of a place table (names joined by |, empty coordinates as None)."""
    return PlaceRow(
        gid=r["gid"], name=r["name"], lat=_float(r["lat"]), lon=_float(r["lon"]),
        feature=r["feature"], country=r["country"], admin1=r["admin1"],
        admin2=r.get("admin2", ""), name_ar=r["name_ar"],
        names_ar=tuple(n for n in r["names_ar"].split("|") if n),
        names_en=tuple(n for n in r["names_en"].split("|") if n),
        population=int(r["population"] or 0), feature_code=r["feature_code"],
        source=r["source"])


def _float(v: str) -> float | None:
    return float(v) if v not in ("", None) else None


# --- importers -------------------------------------------------------------------------------------

Progress = Callable[[int], None]


def _lines(path: Path, progress: Progress | None) -> Iterator[tuple[int, str]]:
    """Lines of a UTF-8 file with their numbers, reporting bytes read to ``progress``."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if progress is not None:
                progress(len(raw))
            try:
                yield lineno, raw.decode("utf-8-sig" if lineno == 1 else "utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                yield lineno, "\x00not utf-8"


def geonames_rows(path: Path, report: ImportReport, progress: Progress | None = None
                  ) -> Iterator[PlaceRow]:
    """Places of a GeoNames dump (19 tab-separated columns); bad rows go to ``report.bad``."""
    for lineno, line in _lines(path, progress):
        if not line.strip() or line.startswith("#"):
            continue
        report.read += 1
        f = line.split("\t")
        if line.startswith("\x00"):
            report.bad.append((lineno, "not UTF-8 text"))
            continue
        if len(f) != 19:
            report.bad.append((lineno, f"{len(f)} columns, a GeoNames row has 19"))
            continue
        try:
            lat, lon = float(f[4]), float(f[5])
            pop = int(f[14] or 0)
        except ValueError:
            report.bad.append((lineno, "latitude, longitude or population is not a number"))
            continue
        if not 0 <= pop <= MAX_POPULATION or len(f[1]) > MAX_NAME or len(f[2]) > MAX_NAME:
            report.bad.append((lineno, "population out of range" if len(f[1]) <= MAX_NAME and
                               len(f[2]) <= MAX_NAME else f"a name over {MAX_NAME} characters"))
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            report.bad.append((lineno, "coordinates out of range"))
            continue
        if not f[0].isdigit() or not f[1].strip():
            report.bad.append((lineno, "no geonameid or no name"))
            continue
        feature = _geonames_feature(f[6], f[7], pop)
        if feature is None:
            report.skipped += 1
            continue
        alts = [a for a in f[3].split(",") if a.strip() and len(a) <= MAX_NAME]
        yield PlaceRow(
            gid=f"gn:{f[0]}", name=f[2] or f[1], lat=lat, lon=lon, feature=feature,
            country=f[8], admin1=f[10], admin2=f[11],
            names_ar=tuple(dict.fromkeys(a for a in alts if is_arabic(a))),
            names_en=tuple(dict.fromkeys([f[1], f[2]] + [a for a in alts if _latin(a)])),
            population=pop, feature_code=f[7], source=f"GeoNames {path.name}")


def _latin(name: str) -> bool:
    return bool(name) and all(ord(c) < 0x250 for c in name)


def _geonames_feature(fclass: str, code: str, pop: int) -> str | None:
    if code in GEONAMES_FEATURES:
        return GEONAMES_FEATURES[code]
    if fclass == "P":
        return "city" if code in ("PPLC", "PPLA") or pop >= 100_000 else (
            "town" if code == "PPLA2" or pop >= 10_000 else "village")
    return None


@dataclass(frozen=True)
class CsvColumns:
    """Which columns of a CSV hold what (names as in its header)."""

    name: str
    lat: str
    lon: str
    name_ar: str | None = None
    alt_names: str | None = None
    id: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature: str | None = None
    population: str | None = None
    default_country: str = ""
    default_feature: str = "village"


def csv_rows(path: Path, cols: CsvColumns, report: ImportReport, progress: Progress | None = None,
             delimiter: str | None = None) -> Iterator[PlaceRow]:
    """Places of a CSV/TSV list (OCHA/HDX or a user's own), mapped by ``cols``."""
    text_lines = (line for _, line in _lines(path, progress))
    first = next(text_lines, "")
    if not first.strip():
        raise GazetteerError(f"{path}: the file is empty")
    if "\x00" in first:
        raise GazetteerError(f"{path}: not UTF-8 text")
    delim = delimiter or ("\t" if first.count("\t") > first.count(",") else (
        ";" if first.count(";") > first.count(",") else ","))
    reader = csv.DictReader(_chain([first], text_lines), delimiter=delim)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise GazetteerError(f"{path}: not a CSV table with a header ({exc})") from None
    wanted = [c for c in (cols.name, cols.lat, cols.lon, cols.name_ar, cols.alt_names, cols.id,
                          cols.country, cols.admin1, cols.admin2, cols.feature, cols.population) if c]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise GazetteerError(f"{path}: no column {', '.join(map(repr, missing))} "
                             f"(the header has {', '.join(header)})")
    stem = normalize_key(path.stem).replace(" ", "_")
    for k, rec in enumerate(_records(reader, report), 2):
        report.read += 1
        try:
            lat, lon = float(rec[cols.lat]), float(rec[cols.lon])
        except (TypeError, ValueError):
            report.bad.append((k, f"latitude/longitude not a number: {rec.get(cols.lat)!r}, "
                                  f"{rec.get(cols.lon)!r}"))
            continue
        name = (rec.get(cols.name) or "").strip()
        if not name or not (-90 <= lat <= 90 and -180 <= lon <= 180) or len(name) > MAX_NAME:
            report.bad.append((k, "no name" if not name else "coordinates out of range"
                               if len(name) <= MAX_NAME else f"a name over {MAX_NAME} characters"))
            continue
        alts = [a.strip() for a in (rec.get(cols.alt_names) or "").replace(";", "|").split("|")
                if cols.alt_names and a.strip() and len(a.strip()) <= MAX_NAME]
        arabic = [n for n in [rec.get(cols.name_ar) or "", name, *alts] if n and is_arabic(n)]
        latin = [n for n in [name, *alts] if n and not is_arabic(n)]
        feature = (rec.get(cols.feature) or cols.default_feature).strip().lower() if cols.feature \
            else cols.default_feature
        if feature not in FEATURES:
            report.bad.append((k, f"unknown feature {feature!r} (one of {', '.join(FEATURES)})"))
            continue
        ident = (rec.get(cols.id) or "").strip() if cols.id else f"{name}:{lat:.5f}:{lon:.5f}"
        try:
            pop = float(rec.get(cols.population) or 0) if cols.population else 0
        except ValueError:
            pop = 0
        if not 0 <= pop <= MAX_POPULATION:  # also inf and nan
            report.bad.append((k, f"population out of range: {str(rec.get(cols.population))[:30]!r}"))
            continue
        pop = int(pop)
        yield PlaceRow(
            gid=f"csv:{stem}:{ident}", name=latin[0] if latin else name, lat=lat, lon=lon,
            feature=feature, country=(rec.get(cols.country) or cols.default_country) if cols.country
            else cols.default_country, admin1=rec.get(cols.admin1) or "" if cols.admin1 else "",
            admin2=rec.get(cols.admin2) or "" if cols.admin2 else "",
            name_ar=arabic[0] if arabic else "", names_ar=tuple(dict.fromkeys(arabic)),
            names_en=tuple(dict.fromkeys(latin)), population=pop, source=f"CSV {path.name}")


def _records(reader: csv.DictReader, report: ImportReport) -> Iterator[dict]:
    """The reader's records; an unreadable rest (an unterminated quote runs on past the field
    limit) is one bad row, reported, and the end of the file."""
    try:
        yield from reader
    except csv.Error as exc:
        report.bad.append((reader.line_num + 1, f"unreadable from here on ({exc}; an unterminated "
                                            "quote?): the rest of the file is skipped"))


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def check_file(path: Path) -> None:
    """Refuse a missing, empty or binary file before an import starts."""
    if not path.is_file():
        raise GazetteerError(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise GazetteerError(f"{path}: the file is empty")
    if b"\x00" in head:
        raise GazetteerError(f"{path}: this is a binary file, not a text gazetteer")
