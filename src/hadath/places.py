"""What a place filter (``--place``, the API's ``place``) means: the query resolved through the
gazetteer and the countries, in either script and by any of a place's names, so that
``--place حلب`` and ``--place Aleppo`` give the same events, and a country or a governorate
gives the events of the places inside it.

A query names gazetteer entries (every entry with that name, Arabic or Latin: the city of
Aleppo and the governorate of Aleppo) and countries. The filter then matches events placed at
one of those entries, events inside a named governorate (its admin1), events in a named
country, and events whose place name holds one of the entries' names (either script).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from .text.normalize import normalize_key

_AREAS = frozenset({"city", "town", "village", "neighbourhood", "admin1", "admin2", "admin3", "camp"})
_PREFIXES = ("محافظة ", "محافظه ", "مدينة ", "مدينه ", "ريف ")


@dataclass(frozen=True)
class PlaceQuery:
    """A place filter resolved: the entries, governorates and countries it names, and the
    names (both scripts) an event's place name may hold."""

    query: str
    gids: tuple[str, ...] = ()
    admin1: tuple[tuple[str, str], ...] = ()  # (country name, admin1 name)
    countries: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # Latin names (matched without case)
    names_ar: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return bool(self.gids or self.countries)


@dataclass(frozen=True)
class _Entry:
    gid: str
    name: str
    name_ar: str | None
    feature: str
    country: str | None
    admin1: str | None


_BY_NAME = ("SELECT DISTINCT p.gid, p.name, p.name_ar, p.feature, p.country, p.admin1 FROM names n "
            "JOIN places p ON p.gid = n.gid WHERE n.key = ? AND n.script = ? LIMIT 50")
_DB_LOCK = threading.Lock()
_DBS: dict[int, tuple] = {}


def _dbs(gaz) -> tuple:
    """(a gazetteer of the built-in places alone, a connection to the user's store or None)
    that any thread may use under _DB_LOCK: the web app answers from a pool of threads, and
    a user store's own connection is its thread's (the built-in file is read-only)."""
    found = _DBS.get(id(gaz))
    if found is None:
        from .geo import Gazetteer

        builtin = Gazetteer(builtin=gaz.builtin) if gaz.builtin is not None else None
        user = None
        if gaz.user is not None:
            path = gaz.user.path
            if path != ":memory:" and Path(path).is_file():
                user = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro",
                                       uri=True, check_same_thread=False)
            else:  # a store in memory: copied (from the thread that owns it)
                user = sqlite3.connect(":memory:", check_same_thread=False)
                gaz.user.db.backup(user)
        found = _DBS[id(gaz)] = (builtin, user)
    return found


def _entries(gaz, form: str) -> list[_Entry]:
    """The places whose own name (either script, spelling variants aside) is ``form``."""
    from .geo.search import _fold, lookup

    builtin, user = _dbs(gaz)
    out: list[_Entry] = []
    if builtin is not None:
        for h in lookup(builtin, form, limit=50):
            if h.how == "arabic" or (h.how == "latin" and _fold(h.name) == _fold(form)):
                p = h.place
                out.append(_Entry(p.gid, p.name, p.name_ar or None, p.feature, p.country or None,
                                  p.admin1 or None))
    if user is not None:
        for key, script in ((normalize_key(form), "ar"), (form.lower(), "latin")):
            out += [_Entry(*row) for row in user.execute(_BY_NAME, (key, script))]
    return out


@lru_cache(maxsize=1024)
def resolve_place(query: str) -> PlaceQuery:
    """The meaning of a place filter (see the module's doc)."""
    from .geo import default_gazetteer
    from .lexicon import default_lexicon

    q = " ".join(query.split())
    if not q or len(q) > 200:
        return PlaceQuery(q)
    lex = default_lexicon()
    forms = {q} | {q[len(p):] for p in _PREFIXES if q.startswith(p)}
    # the entries of any of these names, then those of their own names in the other script,
    # until none is added: حلب and Aleppo reach the same entries
    found: dict[str, _Entry] = {}
    todo, tried = set(forms), set()
    with _DB_LOCK:
        gaz = default_gazetteer()
        for _ in range(3):
            for form in todo - tried:
                for entry in _entries(gaz, form):
                    if len(found) < 50:
                        found.setdefault(entry.gid, entry)
            tried |= todo
            todo = {n for r in found.values() for n in (r.name, r.name_ar) if n} - tried
            if not todo:
                break
    rows = list(found.values())
    countries = [c.name for c in _countries(lex, forms)]
    admin1 = []
    for r in rows:
        if r.feature == "admin1":
            country = lex.country(r.country)
            admin1.append((country.name if country else r.country, r.admin1 or r.name))
    # names an unlocated event's place may hold: those of the towns and areas named (not of a
    # base or landmark that happens to have the name among its others), or the query itself
    areas = [r for r in rows if r.feature in _AREAS]
    names = {r.name for r in areas} | ({q} if not rows and not countries and not _arabic(q) else set())
    names_ar = {r.name_ar for r in areas if r.name_ar} | (
        {q} if not rows and not countries and _arabic(q) else set())
    return PlaceQuery(q, tuple(r.gid for r in rows), tuple(dict.fromkeys(admin1)),
                      tuple(dict.fromkeys(countries)), tuple(sorted(names)), tuple(sorted(names_ar)))


def _countries(lex, forms: set[str]) -> list:
    out = []
    keys = {normalize_key(f) for f in forms} | {f.lower() for f in forms}
    seen = set()
    for c in lex.countries.values():
        if id(c) in seen:
            continue
        seen.add(id(c))
        if {c.name.lower(), c.iso2.lower(), c.iso3.lower()} & keys or _arabic_names(c.name) & keys:
            out.append(c)
    return out


@lru_cache(maxsize=1)
def _country_names() -> dict[str, frozenset[str]]:
    """Each country's Arabic names (normalised), from countries.tsv."""
    from .lexicon import read_table

    return {row["name"]: frozenset(normalize_key(n) for n in row["names"].split("|") if n)
            for row in read_table("countries.tsv")}


def _arabic_names(name: str) -> frozenset[str]:
    return _country_names().get(name, frozenset())


def _arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


# GeoNames feature codes of the seats of government: a country's capital, a first-level
# division's (a governorate's, a province's).
CAPITALS = {"PPLC": "country", "PPLA": "admin1"}


def capitals() -> list[dict]:
    """The gazetteer's country and governorate capitals with a point: their names, point, rank
    (``country`` or ``admin1``) and population, country capitals first, then by population."""
    from .geo import default_gazetteer

    marks = ",".join("?" * len(CAPITALS))
    rows = []
    with _DB_LOCK:
        builtin, user = _dbs(default_gazetteer())
        for db in (builtin.builtin.db if builtin else None, user):
            if db is not None:
                rows += db.execute(
                    f"SELECT gid, name, name_ar, lat, lon, feature_code, population FROM places "
                    f"WHERE feature_code IN ({marks}) AND lat IS NOT NULL AND lon IS NOT NULL",
                    tuple(CAPITALS)).fetchall()
    rows = list({r[0]: r for r in rows}.values())
    out = [{"key": gid, "name": name, "name_ar": name_ar or None, "lat": lat, "lon": lon,
            "rank": CAPITALS[code], "population": population or 0}
           for gid, name, name_ar, lat, lon, code, population in rows]
    return sorted(out, key=lambda c: (c["rank"] != "country", -c["population"], c["name"]))


def gazetteer_names(gids: list[str]) -> dict[str, tuple[str, str | None]]:
    """The gazetteer's own (Latin, Arabic) names of the places ``gids`` that it holds."""
    from .geo import default_gazetteer

    out: dict[str, tuple[str, str | None]] = {}
    with _DB_LOCK:
        builtin, user = _dbs(default_gazetteer())
        for db in (builtin.builtin.db if builtin else None, user):  # the user's place wins
            if db is None:
                continue
            for k in range(0, len(gids), 500):
                chunk = gids[k:k + 500]
                for gid, name, name_ar in db.execute(
                        f"SELECT gid, name, name_ar FROM places WHERE gid IN ({','.join('?' * len(chunk))})",
                        chunk):
                    out[gid] = (name, name_ar or None)
    return out
