"""What the whole article says about where it is: the countries it names.

A place name shared by several countries is resolved by the article's countries: the ones it
names as places (في العراق، بصنعاء) count most, a capital next, a national actor or a nisba
less (Israeli forces strike Lebanon). The first ARTICLE_SCAN characters are read once per
article, with the lexicon's own matcher, the first time a sentence needs them; they also tell a
sports report, where a city named alone is a club.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicon import Lexicon, _cores, read_table
from ..text.normalize import Normalized, normalize, normalize_key
from ..text.tokens import analyses
from .store import PlaceRow

# Prepositions of place: before a name they make it a place (a name that is also a common
# word needs one of these, or more).
PLACE_PREPS = frozenset(normalize_key(w) for w in (
    "في", "من", "إلى", "الى", "قرب", "نحو", "باتجاه", "حتى", "داخل", "حول", "عبر", "جوار",
    "بلدتي", "قريتي", "مدينتي", "أطراف", "محيط", "ضواحي", "مشارف", "مقربة", "بمدينة",
    "ببلدة", "بقرية", "لمدينة", "لبلدة", "لقرية"))


@dataclass
class DocContext:
    """What the article has told us so far: countries and places already resolved, and the
    countries the whole article names (read once, on the first sentence that needs them)."""

    countries: dict[str, int] = field(default_factory=dict)  # ISO2 -> mentions
    points: list[PlaceRow] = field(default_factory=list)
    named: dict[str, float] | None = None  # ISO2 -> weight of the article's country evidence
    named_as_place: frozenset[str] = frozenset()  # countries named as places (في العراق)
    sport: bool | None = None  # a sports report (sport_words.tsv), read once

    def is_sport(self, norm: Normalized) -> bool:
        """Whether the article's opening holds SPORT_WORDS words of sports reports."""
        if self.sport is None:
            words = sport_words()
            opening = [w.strip(_PUNCT) for w in norm.text[:ARTICLE_SCAN].split()]
            pairs = [" ".join(opening[i:i + 2]) for i in range(len(opening) - 1)]
            self.sport = sum(w in words for w in opening + pairs) >= SPORT_WORDS
        return self.sport

    def main_country(self) -> str | None:
        return max(self.countries, key=self.countries.get) if self.countries else None

    def article_countries(self, norm: Normalized, lex: Lexicon) -> dict[str, float]:
        """Countries the article names, weighted: a country named as a place or a capital
        counts most, a nisba or a national actor less (Israeli forces strike Lebanon)."""
        if self.named is None:
            self.named, self.named_as_place = _article_countries(norm, lex)
        return self.named


ARTICLE_SCAN = 1500  # characters of an article read for its countries (the dateline, the lead)
SPORT_WORDS = 3  # words of sports reports that make the article one


@lru_cache(maxsize=2)
def sport_words(kind: str = "report") -> frozenset[str]:
    """sport_words.tsv, normalised as the text is: words of sports reports ("report"), or of a
    player's team or move ("team")."""
    return frozenset(normalize(r["word"]).text for r in read_table("sport_words.tsv")
                     if r["kind"] == kind)


# Evidence weights for the article's countries.
_COUNTRY_WEIGHTS = {"country": 1.0, "capital": 0.6, "nisba": 0.25, "actor": 0.35}


_PUNCT = "\"'.,:;!?()[]-«»"
_COUNTRY_HITS: dict[int, dict[str, tuple]] = {}


def _country_hits(w: str, lex: Lexicon) -> tuple[tuple, dict[str, list]]:
    """The lexicon's country, nisba, capital and actor entries that start at word ``w``:
    one-word ones, and longer ones by the core of their second word."""
    singles, multi = [], {}
    for e, _, p in lex.index._first_hits(w):
        if e.category not in _COUNTRY_WEIGHTS or "ك" in p:
            continue
        if len(e.words) == 1:
            singles.append((e, p))
        else:
            for core in e.words[1].exact:
                multi.setdefault(core, []).append((e, p))
    return tuple(singles), multi


def _article_countries(norm: Normalized, lex: Lexicon) -> tuple[dict[str, float], frozenset[str]]:
    """The countries named in the article's first ARTICLE_SCAN characters, by the lexicon's
    own matcher (whose per-word results are cached: most words were read already)."""
    words = [w.strip(_PUNCT) for w in norm.text[:ARTICLE_SCAN].split()]
    out: dict[str, float] = {}
    as_place: set[str] = set()
    cache = _COUNTRY_HITS.get(id(lex))
    if cache is None:
        _COUNTRY_HITS.clear()
        cache = _COUNTRY_HITS[id(lex)] = {}
    for i, w in enumerate(words):
        hits = cache.get(w)
        if hits is None:
            hits = cache[w] = _country_hits(w, lex) if w and w[0].isalpha() else ((), {})
            if len(cache) > 300_000:
                cache.clear()
        singles, multi = hits
        found = singles
        if multi and i + 1 < len(words):
            found = [x for core in _cores(words[i + 1]) for x in multi.get(core, ())
                     if all(i + k < len(words) and x[0].words[k].matches(words[i + k])
                            for k in range(2, len(x[0].words)))] + list(singles)
        for entry, prefix in found:
            category = entry.category
            country = lex.country(getattr(entry.record, "country", "")) if category == "actor" \
                else entry.record
            if country is None:
                continue
            out[country.iso2] = out.get(country.iso2, 0.0) + _COUNTRY_WEIGHTS[category]
            if category in ("country", "capital") and (
                    prefix[-1:] == "ب" or (i > 0 and words[i - 1] in PLACE_PREPS)):
                as_place.add(country.iso2)
            break
        else:
            # a country the lexicon does not know as an actor (المكسيك، البرازيل)
            iso, prefix = _world_country(words, i)
            if iso:
                out[iso] = out.get(iso, 0.0) + _COUNTRY_WEIGHTS["country"]
                if prefix[-1:] == "ب" or (i > 0 and words[i - 1] in PLACE_PREPS):
                    as_place.add(iso)
    return out, frozenset(as_place)


def _reading(word: str) -> tuple[str, bool]:
    """A word's first reading (core, definiteness); a word with none (ـ, a Latin word) reads
    as itself."""
    readings = analyses(word)
    return (readings[0].stem, readings[0].definite) if readings else (word, False)


@lru_cache(maxsize=1)
def world_countries() -> dict[tuple[str, bool], tuple[tuple[tuple[tuple[str, bool], ...], str], ...]]:
    """place_countries.tsv (the countries countries.tsv does not list, with their CLDR Arabic
    names), by the reading of a name's first word: the readings of all its words, and ISO2."""
    out: dict[tuple[str, bool], list] = {}
    for r in read_table("place_countries.tsv"):
        for name in filter(None, r["names"].split("|")):
            seq = tuple(_reading(w) for w in normalize_key(name).split())
            out.setdefault(seq[0], []).append((seq, r["iso2"]))
    return {k: tuple(v) for k, v in out.items()}


def _world_country(words: list[str], i: int) -> tuple[str, str]:
    """The country of place_countries.tsv whose name starts at word i, with the proclitics of
    that word ("" when none)."""
    w = words[i]
    if not w or not w[0].isalpha():
        return "", ""
    world = world_countries()
    for a in analyses(w):
        for seq, iso in world.get((a.stem, a.definite), ()):
            if all(i + k < len(words) and words[i + k] and _reading(words[i + k]) == seq[k]
                   for k in range(1, len(seq))):
                return iso, a.prefix
    return "", ""
