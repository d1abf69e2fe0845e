"""The built-in places, compiled into one read-only SQLite file that opens in milliseconds.

The package's place tables (``gazetteer.tsv``, ``places_curated.tsv``, ``places_ucdp.tsv``,
``places_wof.tsv.gz``, ``places_areas.tsv``) are the source; ``scripts/build_gazetteer_db.py``
compiles them into ``data/gazetteer.sqlite.gz`` (decompressed once into the user's cache
folder at the first start, in about 0.2 s): one row per place (names joined by ``|``), the Arabic names indexed by
the core of their first word (with the joined and split spellings of كفر، دير، تل، عين...), and
the consonant skeletons of the Latin names. Nothing is parsed at start: the extractor loads the
set of first-word cores, and reads places from the file when a text names them.

When the compiled file does not match the tables (a table was edited, or ``HADATH_LEXICON_PATH``
adds rows to one), the tables are compiled once into the cache folder instead (about ten
seconds), named by their digest, and reused by later starts.
"""

from __future__ import annotations

import gzip
import hashlib
import marshal
import os
import re
import shutil
import sqlite3
import statistics
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import GazetteerError, LexiconError
from ..lexicon import table_rows
from ..text.normalize import normalize_key
from ..text.tokens import analyses
from .store import PlaceRow, place_row
from .translit import arabic_keys, is_arabic, latin_keys, similarity

FORMAT = 7  # bump when the compiled layout or the way names are indexed changes
SOURCE_TABLES = ("gazetteer.tsv", "places_curated.tsv", "places_ucdp.tsv", "places_wof.tsv.gz",
                 "places_areas.tsv", "countries.tsv")
DB_NAME = "gazetteer.sqlite"
PACKAGED_NAME = "gazetteer.sqlite.gz"
ADMIN_FILL_KM = 12.0  # a place without a region takes that of a WOF record this close
MIN_NAME = 3  # normalised letters (spaces aside) an Arabic name needs to be matched in text
# First words written joined to the next or apart from it: كفرنبل / كفر نبل, تلرفعت / تل رفعت.
JOINABLE = tuple(normalize_key(w) for w in (
    "كفر", "دير", "تل", "عين", "بيت", "خربة", "أبو", "ام", "رأس", "بني", "عرب"))
COLUMNS = ("gid", "name", "name_ar", "names_ar", "names_en", "lat", "lon", "feature",
           "feature_code", "country", "admin1", "admin2", "population", "source")
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, gid TEXT NOT NULL UNIQUE, name TEXT NOT NULL, name_ar TEXT,
    names_ar TEXT, names_en TEXT, lat REAL, lon REAL, feature TEXT NOT NULL, feature_code TEXT,
    country TEXT, admin1 TEXT, admin2 TEXT, population INTEGER, source TEXT);
CREATE TABLE arabic (core TEXT NOT NULL, phrase TEXT NOT NULL, id INTEGER NOT NULL,
    words TEXT NOT NULL, defs TEXT NOT NULL, need TEXT NOT NULL,
    PRIMARY KEY (core, phrase, id)) WITHOUT ROWID;
CREATE TABLE skel (skel TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (skel, id)) WITHOUT ROWID;
"""
_SELECT = ("SELECT p.id, p.gid, p.name, p.lat, p.lon, p.feature, p.country, p.admin1, p.admin2, "
           "p.name_ar, p.names_ar, p.names_en, p.population, p.feature_code, p.source FROM places p ")


# --- the source tables ---------------------------------------------------------------------------

def _table_texts(name: str) -> list[tuple[str, bytes]]:
    """The built-in table's bytes, then those of same-named tables on HADATH_LEXICON_PATH."""
    out = []
    builtin = resources.files("hadath") / "data" / name
    if builtin.is_file():
        out.append((str(builtin), builtin.read_bytes()))
    for d in os.environ.get("HADATH_LEXICON_PATH", "").split(os.pathsep):
        p = Path(d) / name if d else None
        if p is not None and p.is_file():
            out.append((str(p), p.read_bytes()))
    return out


def read_place_table(name: str) -> Iterator[dict[str, str]]:
    """Rows of a place table (plain or gzipped TSV, comment lines start with #)."""
    for path, data in _table_texts(name):
        yield from table_rows(path, (gzip.decompress(data) if name.endswith(".gz") else data
                                     ).decode("utf-8"))


def source_digest() -> str:
    """A digest of the place tables (built-in and user-added) and of the compiled layout."""
    digest = hashlib.sha1(f"{FORMAT}".encode())
    for table in SOURCE_TABLES:
        for _, data in _table_texts(table):
            digest.update(data)
    return digest.hexdigest()


def source_rows() -> list[PlaceRow]:
    """Every built-in place, with the names WOF adds to places already shipped, and the
    regions of places_areas.tsv at the median point of their member places."""
    rows: dict[str, PlaceRow] = {}
    extra: list[dict[str, str]] = []
    areas: list[dict[str, str]] = []
    for table in SOURCE_TABLES[:-1]:
        for r in read_place_table(table):
            if r.get("same_as"):
                extra.append(r)
            elif "members" in r:
                areas.append(r)
            elif r["gid"] not in rows:
                rows[r["gid"]] = place_row(r)
    for r in areas:
        if r["gid"] not in rows:
            rows[r["gid"]] = _area(r, rows)
    for r in extra:
        base = rows.get(r["same_as"])
        if base is None:
            continue
        new = _names_to_add(base, r)
        # the names and the WOF id only: a shipped row keeps its own admin areas, named as its
        # source names them (the export's ACLED admin names come from there)
        rows[base.gid] = replace(
            base, names_ar=base.names_ar + new, name_ar=base.name_ar or (new[0] if new else ""),
            source=f"{base.source}; {r['gid']}")
    _capital_names(rows)
    return _fill_regions(list(rows.values()))


def _capital_names(rows: dict[str, PlaceRow]) -> None:
    """Each capital (PPLC) takes the spelling countries.tsv gives its name as the news writes
    it (كابول where GeoNames has كابل), when it is a spelling of that place's own names (the
    seat a country's government is named by may be another town: رام الله، تل أبيب)."""
    capitals = {r.country: r for r in rows.values() if r.feature_code == "PPLC"}
    for c in read_place_table("countries.tsv"):
        base = capitals.get(c["iso2"])
        new = _names_to_add(base, {"names_ar": c.get("capital") or ""}) if base else ()
        if new:
            rows[base.gid] = replace(base, names_ar=base.names_ar + new)


def _names_to_add(base: PlaceRow, r: dict[str, str]) -> tuple[str, ...]:
    """The Arabic names of a WOF record that a shipped place takes. Only those that fit: a
    name must be a spelling of one the place has (the same consonant skeleton and article), or
    fit one of its Latin names by transliteration, the article agreeing ("Al Khalis" is
    الخالص, never خليج). A WOF record's other names, even those of a record of the same
    GeoNames place, are often its neighbours' or stray words ("الإطار" is not a name of Tyre)."""
    have = {normalize_key(n) for n in base.names_ar}
    names = [n for n in r["names_ar"].split("|") if n and normalize_key(n) not in have]
    if not names:
        return ()
    # the same consonants and the same article ("الصور" is not a spelling of صور)
    skeletons = {(k, _definite(n)) for n in base.names_ar for k in arabic_keys(n)}
    latin = [n for n in (base.name, *base.names_en) if n and not is_arabic(n)]
    return tuple(n for n in names
                 if any((k, _definite(n)) in skeletons for k in arabic_keys(n))
                 or any(similarity(n, x) >= 60 and _definite(n) == _latin_definite(x)
                        for x in latin))


_LATIN_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "adh", "ath"})


def _latin_definite(name: str) -> bool:
    """A Latin name written with the Arabic article: "Al Khalis", "Ad-Dana", "Ar Raqqah"."""
    first = name.replace("-", " ").replace("’", "'").split()[0].lower() if name.split() else ""
    return first in _LATIN_ARTICLES


def _definite(name: str) -> bool:
    return normalize_key(name).startswith("ال")


_FILLED = frozenset({"city", "town", "village", "neighbourhood", "landmark", "airport",
                     "military_base", "camp"})


def _fill_regions(rows: list[PlaceRow]) -> list[PlaceRow]:
    """A place without a region (a WOF record, a GeoNames town) takes the region of the
    nearest WOF record of its country that has one, within ADMIN_FILL_KM; then each region
    is written one way in every record (see ``one_spelling``)."""
    grid: dict[tuple[int, int], list[PlaceRow]] = {}
    for r in rows:
        if r.gid.startswith("wof:") and r.admin1 and r.lat is not None:
            grid.setdefault((int(r.lat * 10), int(r.lon * 10)), []).append(r)
    out = []
    for r in rows:
        if r.admin1 or r.feature not in _FILLED or r.lat is None:
            out.append(r)
            continue
        ci, cj = int(r.lat * 10), int(r.lon * 10)
        near = [(abs(o.lat - r.lat) + abs(o.lon - r.lon), o) for di in (-1, 0, 1)
                for dj in (-1, 0, 1) for o in grid.get((ci + di, cj + dj), ())
                if o.country == r.country]
        near = [x for x in near if x[0] * 111 <= ADMIN_FILL_KM]
        out.append(replace(r, admin1=min(near, key=lambda x: x[0])[1].admin1) if near else r)
    return one_spelling(out)


def one_spelling(rows: list[PlaceRow]) -> list[PlaceRow]:
    """Each region written one way: the sources spell one governorate differently (OpenSyria's
    "Raqqa", WOF's "Ar-Raqqah", "Al Ḩudaydah" and "Al Hudaydah"), and places are compared by
    their region; the spelling most records of the country use wins."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows:
        if r.admin1:
            spellings = counts.setdefault((r.country, region_key(r.admin1)), {})
            spellings[r.admin1] = spellings.get(r.admin1, 0) + 1
    best = {k: max(v, key=lambda s: (v[s], s)) for k, v in counts.items()}
    return [r if not r.admin1 or best[(r.country, region_key(r.admin1))] == r.admin1
            else replace(r, admin1=best[(r.country, region_key(r.admin1))]) for r in rows]


def region_key(name: str) -> str:
    """A region's name folded for comparison: Latin letters without marks, article or final h
    ("Ar-Raqqah" and "Raqqa" are both "raqqa")."""
    folded = unicodedata.normalize("NFKD", name.lower())
    words = re.findall(r"[a-z]+", "".join(ch for ch in folded if ch not in "'`’ʿʾ"))
    if len(words) > 1 and words[0] in _LATIN_ARTICLES:
        words = words[1:]
    key = "".join(words)
    return key[:-1] if key.endswith("ah") else key


def _area(r: dict[str, str], rows: dict[str, PlaceRow]) -> PlaceRow:
    """A region of places_areas.tsv, at the median point of its member places."""
    members = [rows[g] for g in r["members"].split("|") if g in rows and rows[g].lat is not None]
    if not members:
        raise LexiconError(f"places_areas.tsv: {r['gid']} has no member place in the gazetteer")
    return PlaceRow(
        gid=r["gid"], name=r["name"], lat=round(statistics.median(m.lat for m in members), 5),
        lon=round(statistics.median(m.lon for m in members), 5), feature="area",
        country=r["country"], admin1=r["admin1"], name_ar=r["name_ar"],
        names_ar=tuple(n for n in r["names_ar"].split("|") if n),
        names_en=tuple(n for n in r["names_en"].split("|") if n),
        feature_code=f"AREA{r['precision']}" + ("B" if r.get("bare") == "area" else ""),
        source=f"hadath areas (median of {len(members)} places)")


# --- names as the text matcher sees them -----------------------------------------------------------

def name_variants(name: str) -> list[str]:
    """The normalised phrases a name is matched by: itself, and the joined or split spelling of
    a leading كفر، دير، تل، عين، بيت، خربة، أبو، ام، رأس (كفر نبل / كفرنبل)."""
    key = normalize_key(name)
    if len(key.replace(" ", "")) < MIN_NAME or not is_arabic(key):
        return []
    out = [key]
    words = key.split(" ")
    if len(words) >= 2 and words[0] in JOINABLE and not words[1].startswith("ال"):
        out.append(" ".join([words[0] + words[1], *words[2:]]))
    elif len(words) == 1:
        for head in JOINABLE:
            rest = key[len(head):]
            if key.startswith(head) and len(rest) >= 3 and not rest.startswith("ال"):
                out.append(f"{head} {rest}")
                break
    return out


_SETTLEMENT_WORDS = frozenset(normalize_key(w) for w in ("قرية", "بلدة", "مدينة", "عزبة", "نجع"))


def place_phrases(r: PlaceRow) -> dict[str, str]:
    """The phrases a place is matched by in text, each with what it needs before it in the
    text ("" or "feature"): the variants of each Arabic name; and, for a village whose name
    starts with قرية/بلدة/مدينة ("قرية الزمان"), the name without that word, which counts only
    after a feature word of the text (the rest of such a name is often a plain word)."""
    out: dict[str, str] = {}
    for name in (r.name_ar, *r.names_ar):
        if not name:
            continue
        for v in name_variants(name):
            head, _, rest = v.partition(" ")
            if rest and head in _SETTLEMENT_WORDS and r.feature in ("village", "town", "city"):
                for w in name_variants(rest):
                    out.setdefault(w, "feature")
            else:
                out[v] = ""
    return out


def first_core(phrase: str) -> str:
    """The index key of a normalised phrase: its first word as the text matcher reads it."""
    w = phrase.split(" ", 1)[0]
    return analyses(w)[0].stem if len(w) > 2 else w


def parse_name(phrase: str) -> tuple[list[str], str]:
    """The words of a normalised name as the text matcher reads them (as
    :func:`hadath.lexicon.parse_pattern` does with ``strict_article``): each word's core, and
    whether it has the article ("1", "0", or "-" for a word too short to tell)."""
    cores, defs = [], []
    for w in phrase.split(" "):
        if len(w) > 2:
            a = analyses(w)[0]
            cores.append(a.stem)
            defs.append("1" if a.definite else "0")
        else:
            cores.append(w)
            defs.append("-")
    return cores, "".join(defs)


def latin_names(r: PlaceRow) -> list[str]:
    """The Latin names that Arabic text may reach a place by, through transliteration: all of
    them for a place without an Arabic name; for a WOF village that has one (which the Arabic
    index finds), only its main name."""
    names = [n for n in dict.fromkeys((r.name, *r.names_en)) if n and not is_arabic(n)]
    if r.gid.startswith("wof:") and r.names_ar:
        return names[:1]
    return names


# --- compiling ----------------------------------------------------------------------------------

def compile_db(path: str | Path, rows: Iterable[PlaceRow], digest: str) -> int:
    """Write the compiled gazetteer for ``rows`` to ``path`` (replaced if it exists)."""
    path = Path(path)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    cores: set[str] = set()
    all_skels: set[str] = set()
    n = 0
    with db:
        for n, r in enumerate(rows, 1):
            db.execute("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
                n, r.gid, r.name, r.name_ar, "|".join(r.names_ar), "|".join(r.names_en),
                r.lat, r.lon, r.feature, r.feature_code, r.country, r.admin1, r.admin2,
                r.population, r.source))
            for phrase, need in place_phrases(r).items():
                core = first_core(phrase)
                cores.add(core)
                words, defs = parse_name(phrase)
                db.execute("INSERT OR IGNORE INTO arabic VALUES (?,?,?,?,?,?)",
                           (core, phrase, n, " ".join(words), defs, need))
            skels = {k for name in latin_names(r) for k in latin_keys(name)}
            all_skels |= skels
            db.executemany("INSERT OR IGNORE INTO skel VALUES (?,?)", [(k, n) for k in skels])
        db.execute("INSERT INTO meta VALUES ('digest', ?)", (digest,))
        db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        db.execute("INSERT INTO meta VALUES ('cores', ?)", (marshal.dumps(sorted(cores)),))
        db.execute("INSERT INTO meta VALUES ('skeletons', ?)", (marshal.dumps(sorted(all_skels)),))
    db.execute("VACUUM")
    db.close()
    os.replace(tmp, path)
    return n


# --- reading ----------------------------------------------------------------------------------

class BuiltinStore:
    """The compiled built-in places (read-only). Reads places by id, gid, Arabic phrase core
    and Latin skeleton; rows are cached once read."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.db = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro&immutable=1", uri=True,
                                      check_same_thread=False)
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"{path}: not a compiled gazetteer ({exc})") from None
        self.digest = str(meta.get("digest", ""))
        self.cores: frozenset[str] = frozenset(marshal.loads(meta["cores"]))
        self.skeletons: frozenset[str] = frozenset(marshal.loads(meta["skeletons"]))
        self._by_id: dict[int, PlaceRow] = {}

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM places").fetchone()[0]

    def counts_by_source(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for (source,) in self.db.execute("SELECT source FROM places"):
            out[source.split(";")[0].split(" geonames:")[0]] = out.get(
                source.split(";")[0].split(" geonames:")[0], 0) + 1
        return out

    def _make(self, r: tuple) -> PlaceRow:
        row = PlaceRow(r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", r[8] or "",
                       r[9] or "", tuple(n for n in (r[10] or "").split("|") if n),
                       tuple(n for n in (r[11] or "").split("|") if n), r[12] or 0, r[13] or "",
                       r[14] or "")
        self._by_id[r[0]] = row
        return row

    def by_ids(self, ids: Iterable[int]) -> dict[int, PlaceRow]:
        ids = list(dict.fromkeys(ids))
        out = {i: self._by_id[i] for i in ids if i in self._by_id}
        missing = [i for i in ids if i not in out]
        for k in range(0, len(missing), 500):
            chunk = missing[k:k + 500]
            for r in self.db.execute(_SELECT + f"WHERE p.id IN ({','.join('?' * len(chunk))})",
                                     chunk):
                out[r[0]] = self._make(r)
        return out

    def get(self, gid: str) -> PlaceRow | None:
        r = self.db.execute(_SELECT + "WHERE p.gid = ?", (gid,)).fetchone()
        return self._by_id.get(r[0]) or self._make(r) if r else None

    def phrases(self, core: str) -> list[tuple[str, str, str, int, str]]:
        """(normalised phrase, word cores, their articles, place id, what it needs before it)
        for every Arabic name whose first word has ``core`` (places are read with
        :meth:`by_ids` when needed)."""
        if core not in self.cores:
            return []
        return self.db.execute("SELECT phrase, words, defs, id, need FROM arabic WHERE core = ?",
                               (core,)).fetchall()

    def by_skeleton(self, keys: Iterable[str]) -> list[tuple[PlaceRow, str]]:
        """Places with a Latin name whose skeleton is one of ``keys``: (place, that name)."""
        keys = [k for k in dict.fromkeys(keys) if k in self.skeletons]
        if not keys:
            return []
        ids = [i for (i,) in self.db.execute(
            f"SELECT DISTINCT id FROM skel WHERE skel IN ({','.join('?' * len(keys))})", keys)]
        wanted = set(keys)
        out = []
        for row in self.by_ids(ids).values():
            for name in latin_names(row):
                if not wanted.isdisjoint(latin_keys(name)):
                    out.append((row, name))
        return out

    def _rows(self, where: str, args: tuple) -> list[PlaceRow]:
        """Places selected by a SQL condition on ``p`` (the columns of PlaceRow)."""
        return [self._by_id.get(r[0]) or self._make(r) for r in
                self.db.execute(_SELECT + where, args)]

    def all_names(self) -> Iterator[tuple[int, str, str]]:
        """(id, name, script) for every name of every place: for fuzzy search."""
        for i, name, name_ar, names_ar, names_en in self.db.execute(
                "SELECT id, name, name_ar, names_ar, names_en FROM places"):
            for n in dict.fromkeys([name_ar, *(names_ar or "").split("|")]):
                if n:
                    yield i, n, "ar"
            for n in dict.fromkeys([name, *(names_en or "").split("|")]):
                if n and not is_arabic(n):
                    yield i, n, "latin"

    def close(self) -> None:
        self.db.close()


def packaged_path() -> Path:
    """The compiled built-in places as the package ships them (gzipped)."""
    return Path(str(resources.files("hadath") / "data" / PACKAGED_NAME))


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hadath"


def _unpack(packaged: Path, target: Path) -> None:
    """Decompress the packaged file to ``target`` (through a temporary file, so that two
    processes starting at once never see half a file)."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    with gzip.open(packaged, "rb") as src, tmp.open("wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)
    os.replace(tmp, target)


def _forget_old(folder: Path, keep: Path, days: float = 7.0) -> None:
    """Remove the compiled places of other versions unused for ``days``."""
    import time

    for old in folder.glob("places-*.sqlite"):
        try:
            if old != keep and time.time() - old.stat().st_atime > days * 86400:
                old.unlink()
        except OSError:
            continue


def _usable(path: Path, digest: str) -> BuiltinStore | None:
    try:
        store = BuiltinStore(path)
    except GazetteerError:
        return None
    if store.digest == digest:
        return store
    store.close()
    return None


@lru_cache(maxsize=4)
def _open_for(digest: str) -> BuiltinStore:
    packaged = packaged_path()
    for folder in (cache_dir(), None):
        try:
            if folder is None:  # no writable cache: a temporary folder, for this process
                import tempfile

                folder = Path(tempfile.mkdtemp(prefix="hadath-"))
            target = folder / f"places-{digest[:16]}.sqlite"
            if target.is_file():
                store = _usable(target, digest)
                if store is not None:
                    return store
            folder.mkdir(parents=True, exist_ok=True)
            _forget_old(folder, target)
            if packaged.is_file():
                _unpack(packaged, target)  # the first start after an install: ~0.2 s
                store = _usable(target, digest)
                if store is not None:
                    return store
            # the place tables differ from what was compiled (edited, or HADATH_LEXICON_PATH
            # adds rows): compile them once, for this digest
            compile_db(target, source_rows(), digest)
            return BuiltinStore(target)
        except (OSError, sqlite3.Error):
            continue
    raise GazetteerError("the built-in places could not be opened or compiled")


def open_builtin() -> BuiltinStore:
    """The compiled built-in places: the packaged file (decompressed once into the cache
    folder) when it matches the place tables, else the tables compiled once into that folder."""
    return _open_for(source_digest())
