"""Looking a name up in the gazetteer: a bare name's best candidates, and a fuzzy search for an
analyst checking a name (``hadath geocode NAME``, ``hadath gazetteer search QUERY``)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..text.normalize import normalize_key
from .builtin import first_core, name_variants
from .gazetteer import Gazetteer
from .store import PlaceRow
from .translit import is_arabic, latin_keys

# How a place's importance orders candidates of equal fit.
_FEATURE_RANK = {"admin1": 3.0, "city": 3.0, "area": 2.5, "admin2": 2.5, "airport": 2.0,
                 "military_base": 2.0, "town": 2.0, "camp": 1.5, "admin3": 1.5, "village": 1.0,
                 "neighbourhood": 0.8, "landmark": 0.8, "road": 0.5}


@dataclass(frozen=True, slots=True)
class NameHit:
    """A place that fits a name: the place, the name of it that fits, how (``arabic``,
    ``latin``, ``transliteration`` or ``fuzzy``) and a score (higher is better)."""

    place: PlaceRow
    name: str
    how: str
    score: float

    region: str = ""  # the place's region, or that of the nearest WOF village (for display)

    def as_dict(self) -> dict:
        p = self.place
        return {"gazetteer_id": p.gid, "name": p.name, "name_ar": p.name_ar or None,
                "matched": self.name, "how": self.how, "score": round(self.score, 1),
                "feature": p.feature, "country": p.country or None,
                "admin1": p.admin1 or self.region or None, "admin2": p.admin2 or None,
                "lat": p.lat, "lon": p.lon, "population": p.population or None,
                "source": p.source}


def _fold(text: str) -> str:
    """A Latin name without accents, apostrophes and case ("Ma`arrat an Nu`man" →
    "maarrat an numan")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(ch for ch in text if ch.isalnum() or ch.isspace() or ch == "-")
    return " ".join(text.lower().replace("-", " ").split())


def _rank(place: PlaceRow) -> float:
    import math

    return _FEATURE_RANK.get(place.feature, 0.5) + 0.3 * math.log10(place.population + 1)


def lookup(gaz: Gazetteer, name: str, country: str | None = None, limit: int = 5
           ) -> list[NameHit]:
    """The places a bare name may be, best first: places with that exact name (Arabic,
    spelling variants such as كفر نبل / كفرنبل included, or Latin, accents and case aside),
    then places whose Latin name fits an Arabic name by transliteration. Among places of one
    name, larger places come first. ``country`` (ISO2) keeps that country's places only."""
    name = name.strip()
    if not name:
        return []
    hits: dict[str, NameHit] = {}

    def add(place: PlaceRow, matched: str, how: str, fit: float) -> None:
        if country and place.country != country.upper():
            return
        score = fit + _rank(place)
        old = hits.get(place.gid)
        if old is None or score > old.score:
            hits[place.gid] = NameHit(place, matched, how, score)

    if is_arabic(name):
        wanted = set(name_variants(name)) or {normalize_key(name)}
        for variant in wanted:
            for phrase, _, _, ref, _ in gaz.phrases(first_core(variant)):
                if phrase in wanted:
                    row = ref if isinstance(ref, PlaceRow) else gaz.rows([ref]).get(ref)
                    if row is not None:
                        add(row, phrase, "arabic", 100.0)
        for h in gaz.latin(name, 70.0):
            add(h.place, h.name, "transliteration", h.score - 5)
    else:
        folded = _fold(name)
        for row, matched in _latin_rows(gaz, name):
            fit = 100.0 if _fold(matched) == folded else fuzz.ratio(_fold(matched), folded)
            if fit >= 80:
                add(row, matched, "latin", fit)
    return _with_regions(gaz, sorted(hits.values(), key=lambda h: -h.score)[:limit])


def region_of(gaz: Gazetteer, place: PlaceRow) -> str:
    """A place's region (admin1): its own, or else that of the nearest WOF village of its
    country within 15 km (GeoNames towns outside Syria carry no region name)."""
    if place.admin1 or place.lat is None or gaz.builtin is None:
        return place.admin1
    d = 0.14
    near = gaz.builtin._rows(
        "WHERE p.gid LIKE 'wof:%' AND p.country = ? AND p.admin1 != '' AND p.lat BETWEEN ? AND ? "
        "AND p.lon BETWEEN ? AND ?",
        (place.country, place.lat - d, place.lat + d, place.lon - d, place.lon + d))
    if not near:
        return ""
    return min(near, key=lambda r: (r.lat - place.lat) ** 2 + (r.lon - place.lon) ** 2).admin1


def _with_regions(gaz: Gazetteer, hits: list[NameHit]) -> list[NameHit]:
    return [NameHit(h.place, h.name, h.how, h.score, region_of(gaz, h.place)) for h in hits]


def _latin_rows(gaz: Gazetteer, name: str) -> list[tuple[PlaceRow, str]]:
    return gaz._lookup(tuple(latin_keys(name)))


def search(gaz: Gazetteer, query: str, country: str | None = None, limit: int = 20,
           min_score: float = 70.0) -> list[NameHit]:
    """Places whose names (Arabic or Latin) fit ``query`` loosely, best first: rapidfuzz's
    token-set ratio over every name of the gazetteer (Arabic names normalised, Latin names
    without accents and case), and the places whose names share the query's consonant
    skeleton (Hawla: Houla; تحيتا: At Tuhayat). ``country`` (ISO2) keeps that country's
    places only."""
    query = query.strip()
    if not query:
        return []
    arabic = is_arabic(query)
    refs, strings = _names(gaz, "ar" if arabic else "latin")
    key = normalize_key(query) if arabic else _fold(query)
    wanted = country.upper() if country else None
    found = process.extract(key, strings, scorer=_score, score_cutoff=min_score,
                            limit=limit * 20 if wanted else limit * 4)
    hits: dict[str, NameHit] = {}

    def add(row: PlaceRow | None, matched: str, how: str, score: float) -> None:
        if row is None or (wanted and row.country != wanted):
            return
        total = score + (2.0 if matched == key else 0.0) + 0.5 * _rank(row)
        if row.gid not in hits or total > hits[row.gid].score:
            hits[row.gid] = NameHit(row, matched, how, total)

    rows = gaz.rows(refs[k] for _, _, k in found if not isinstance(refs[k], PlaceRow))
    for matched, score, k in found:
        ref = refs[k]
        add(ref if isinstance(ref, PlaceRow) else rows.get(ref), matched, "fuzzy", score)
    if arabic:
        for h in gaz.latin(query, 60.0):
            add(h.place, h.name, "transliteration", 60 + h.score / 4)
    else:
        for row, matched in _latin_rows(gaz, query):
            add(row, matched, "skeleton", 60 + fuzz.ratio(_fold(matched), key) / 4)
    return _with_regions(gaz, sorted(hits.values(), key=lambda h: -h.score)[:limit])


def _score(a: str, b: str, **kwargs) -> float:
    """Whole-name similarity, or a whole-word containment ("الغوطه" in "الغوطه الشرقيه")
    scored a little lower than an equal name."""
    full = fuzz.ratio(a, b, **kwargs)
    if " " in b or " " in a:
        return max(full, 0.92 * fuzz.token_set_ratio(a, b, **kwargs))
    return full


def _names(gaz: Gazetteer, script: str) -> tuple[list, list[str]]:
    return _name_index(id(gaz), gaz, script)


@lru_cache(maxsize=4)
def _name_index(_key: int, gaz: Gazetteer, script: str) -> tuple[list, list[str]]:
    """Every name of one script with the place it names (a built-in id or a user's place)."""
    refs: list = []
    strings: list[str] = []
    seen: set[tuple] = set()
    if gaz.builtin is not None:
        for i, name, sc in gaz.builtin.all_names():
            if sc == script:
                key = normalize_key(name) if script == "ar" else _fold(name)
                if key and (i, key) not in seen:
                    seen.add((i, key))
                    refs.append(i)
                    strings.append(key)
    if gaz.user is not None:
        for row in gaz.user._rows("", ()):
            names = (row.name_ar, *row.names_ar) if script == "ar" else (row.name, *row.names_en)
            for name in dict.fromkeys(n for n in names if n and is_arabic(n) == (script == "ar")):
                refs.append(row)
                strings.append(normalize_key(name) if script == "ar" else _fold(name))
    return refs, strings
