"""The gazetteer as the extractor sees it: an index of Arabic names over the built-in places
(and the user's store, when there is one), and a transliteration lookup that lets an Arabic
mention find a place known only by Latin names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..lexicon import QUOTES, Entry, Match, Word, read_table
from ..text.normalize import normalize_key
from ..text.tokens import Token, analyses
from .builtin import BuiltinStore, first_core, open_builtin, parse_name, place_phrases
from .store import GazetteerStore, PlaceRow, default_path
from .translit import arabic_keys, similarity

MIN_SKELETON = 2  # consonants an Arabic name needs before Latin-only names are tried
MAX_SKELETON_SET = 300_000  # places; above this, a user store's skeletons stay in the database
RULES = ("never", "cue", "feature")
# Words before a name that may let a name that is also a common word count as a place (the
# resolver decides; names with no such word before them are not offered at all, so that they
# do not hide the words from the rest of the sentence).
# The admin words of cues.tsv (its "admin" rows: محافظة، محافظتي، مديريات...) are all locators.
_LOCATOR_WORDS = frozenset(normalize_key(w) for w in (
    "مدينة", "بلدة", "قرية", "حي", "مخيم", "مطار", "قاعدة", "منطقة", "ريف", "بلدتي",
    "قريتي", "مدينتي", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط",
    "قرب", "محيط", "أطراف", "اطراف", "ضواحي", "مشارف", "مدخل", "جوار", "حول", "بالقرب",
    "مقربة")) | frozenset(normalize_key(w) for r in read_table("cues.tsv")
                          if r["category"] == "admin"
                          for w in r["pattern"].split("|") if " " not in w)
_PREPOSITION_WORDS = frozenset(normalize_key(w) for w in (
    "في", "من", "إلى", "الى", "نحو", "باتجاه", "حتى", "داخل", "عبر", "صوب"))


@dataclass(frozen=True, slots=True)
class PlaceEntry(Entry):
    """A place name as the text matcher holds it; ``rule`` says what it needs around it in the
    text: "" (the usual), "cue" (a preposition of place, a feature word or a locator phrase),
    "feature" (a feature word or a locator phrase: a bare preposition is not enough)."""

    rule: str = ""
    records: tuple = ()  # every place of this name (``record`` is the first)


@dataclass(frozen=True, slots=True)
class LatinHit:
    """A place reached through its Latin name: the place, that name, and how well it fits."""

    place: PlaceRow
    name: str
    score: float


class _Group:
    """The place names whose first word has one core: one-word names, and longer names by the
    core of their second word (made into entries the first time that second word is seen)."""

    __slots__ = ("single", "multi", "raw", "need")

    def __init__(self) -> None:
        self.single: list[PlaceEntry] = []
        self.need = 0  # the least context any one-word name of the group needs
        self.multi: dict[str, list[PlaceEntry]] = {}
        self.raw: dict[str, list[tuple[str, str, str, Any, str]]] = {}


_DEFS = {"1": True, "0": False, "-": None}
_DISTRICT_OR_SMALLER = frozenset({"admin2", "admin3", "village", "neighbourhood"})
_SEVERITY = {"": 0, "cue": 1, "feature": 2, "never": 3}


class PlaceIndex:
    """Finds place names in token lists, ignoring clitics, as :class:`hadath.lexicon.PhraseIndex`
    does for the lexicon, but built lazily: a first word's names are read from the gazetteer
    the first time a text holds that word, so that a start costs nothing."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self._groups: dict[str, _Group | None] = {}
        self._tok: dict[str, tuple[tuple[_Group, bool, int, str], ...]] = {}
        self.size = 0

    def _group(self, core: str) -> _Group | None:
        if core in self._groups:
            return self._groups[core]
        group = _Group()
        singles = []
        for phrase, words, defs, ref, need in self.gaz.phrases(core):
            rule = max(self.gaz.rules.get(phrase, ""), need, key=_SEVERITY.__getitem__)
            if rule == "never":
                continue
            if " " in words:
                group.raw.setdefault(words.split(" ", 2)[1], []).append(
                    (phrase, words, defs, ref, rule))
            else:
                singles.append((phrase, words, defs, ref, rule))
        group.single = self._entries(singles)
        group.need = min((_NEEDS.get(e.rule, 0) for e in group.single), default=0)
        out = group if (group.single or group.raw) else None
        self._groups[core] = out
        return out

    def _multi(self, group: _Group, second: str) -> list[PlaceEntry]:
        entries = group.multi.get(second)
        if entries is None:
            entries = group.multi[second] = self._entries(group.raw.get(second, ()))
        return entries

    def _entries(self, raw: Iterable[tuple[str, str, str, Any, str]]) -> list[PlaceEntry]:
        """One entry per name (and rule), holding every place of that name."""
        raw = list(raw)
        if not raw:
            return []
        rows = self.gaz.rows(x[3] for x in raw)
        named: dict[tuple[str, str, str, str], dict[str, PlaceRow]] = {}
        for phrase, words, defs, ref, rule in raw:
            row = rows.get(ref) if not isinstance(ref, PlaceRow) else ref
            if row is not None:
                named.setdefault((phrase, words, defs, rule), {}).setdefault(row.gid, row)
        out = []
        for (phrase, words, defs, rule), places in named.items():
            wds = tuple(Word(frozenset((w,)), (), _DEFS[d]) for w, d in zip(words.split(" "), defs))
            records = tuple(places.values())
            if not rule and " " not in words and words in self.gaz.common_words and all(
                    r.feature in _DISTRICT_OR_SMALLER for r in records) and any(
                    r.feature in ("admin2", "admin3") for r in records):
                # "صالة عزاء" (a hall) is not the district Salh: a district's one-word name
                # that the corpus writes as a word (place_commonwords_latin.tsv) needs a cue,
                # as a village's does; a town's or a city's name is left as it is
                rule = "cue"
            out.append(PlaceEntry("place_cue" if rule else "place", records[0], wds, False, phrase,
                                  rule, records))
            self.size += 1
        return out

    def _first(self, tok: str) -> tuple[tuple[_Group, bool, int, str], ...]:
        """The readings of a word whose core starts some place name: (the names of that core,
        whether the word has the article, letters peeled, proclitics); cached."""
        if len(self._tok) > 500_000:
            self._tok.clear()
        cores, groups = self.gaz.cores, self._groups
        hits = []
        if tok[0].isalpha():
            readings = analyses(tok)
            # a word that is never a place is not a clitic and a name either: "بلاد" and
            # "وبلاد" are not ب + لاد
            words = [a.prefix for a in readings if self.gaz.rules.get(a.stem) == "never"]
            for a in readings:
                if a.stem in cores and not any(
                        len(a.prefix) > len(p) and a.prefix.startswith(p) for p in words):
                    group = groups[a.stem] if a.stem in groups else self._group(a.stem)
                    if group is not None:
                        hits.append((group, a.definite, len(tok) - len(a.stem), a.prefix))
        self._tok[tok] = found = tuple(hits)
        return found

    def find(self, tokens: list[Token], categories: frozenset[str] | None = None) -> list[Match]:
        """Every place name in ``tokens`` (overlaps included), as lexicon matches."""
        out: list[Match] = []
        n = len(tokens)
        cache = self._tok
        for i, token in enumerate(tokens):
            hits = cache.get(token.text)
            if hits is None:
                hits = self._first(token.text)
            for group, definite, peel, prefix in hits:
                ctx = -1
                if group.need:
                    ctx = _context(tokens, i, prefix)
                for e in (group.single if ctx < 0 or ctx >= group.need else ()):
                    d = e.words[0].definite
                    if d is not None and d != definite:
                        continue
                    if e.rule:
                        if ctx < 0:
                            ctx = _context(tokens, i, prefix)
                        if ctx < _NEEDS[e.rule]:
                            continue
                    out.append(Match(e, i, i, peel, prefix))
                if not group.raw:
                    continue
                j = i + 1
                while j < n and tokens[j].text in QUOTES:
                    j += 1
                if j >= n:
                    continue
                for stem in _stems(tokens[j].text):
                    if stem not in group.raw:
                        continue
                    for e in self._multi(group, stem):
                        d = e.words[0].definite
                        if d is not None and d != definite:
                            continue
                        last = _extend(tokens, i, e)
                        if last < 0:
                            continue
                        if e.rule:
                            if ctx < 0:
                                ctx = _context(tokens, i, prefix)
                            if ctx < _NEEDS[e.rule]:
                                continue
                        out.append(Match(e, i, last, peel, prefix))
        if categories is not None:
            out = [m for m in out if m.category in categories]
        return out


_NEEDS = {"": 0, "cue": 1, "feature": 2}


def _context(tokens: list[Token], i: int, prefix: str) -> int:
    """What stands before token i: 2 a feature word or a locator, 1 a preposition of place (or
    the و of a list), 0 nothing that makes a place; 2 also when the text is only the name."""
    if i == 0:
        return 2 if all(not t.is_word for t in tokens[1:]) or len(tokens) <= 3 else 0
    stems = _stems(tokens[i - 1].text)
    if not _LOCATOR_WORDS.isdisjoint(stems):
        return 2
    if not _PREPOSITION_WORDS.isdisjoint(stems) or prefix.startswith("و"):
        return 1
    return 0


@lru_cache(maxsize=200_000)
def _stems(tok: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.stem for a in analyses(tok)))


def _extend(tokens: list[Token], i: int, entry: Entry) -> int:
    """Index of the last token of ``entry`` starting at ``i``, or -1 if it does not fit."""
    j = i
    for word in entry.words[1:]:
        j += 1
        while j < len(tokens) and tokens[j].text in QUOTES:
            j += 1
        if j >= len(tokens) or not word.matches(tokens[j].text):
            return -1
    return j


class Gazetteer:
    """The built-in places, and the places of a user's store on top of them."""

    def __init__(self, store: GazetteerStore | None = None,
                 builtin: BuiltinStore | bool = True) -> None:
        self.builtin: BuiltinStore | None = open_builtin() if builtin is True else (builtin or None)
        self.user = store
        self.store = LayeredStore(self.builtin, store)
        self.rules = place_rules()
        self._latin_cache: dict[tuple[str, float, int], list[LatinHit]] = {}
        self._lookup_cache: dict[tuple[str, ...], list[tuple[PlaceRow, str]]] = {}
        # the user's places with Arabic names, by the core of their first word
        self._user_phrases: dict[str, list[tuple[str, PlaceRow]]] = {}
        self._user_gids: set[str] = set()
        self._user_skeletons: frozenset[str] | None = None
        if store is not None:
            for row in store.with_arabic_names():
                self._user_gids.add(row.gid)
                for phrase, need in place_phrases(row).items():
                    words, defs = parse_name(phrase)
                    self._user_phrases.setdefault(first_core(phrase), []).append(
                        (phrase, " ".join(words), defs, row, need))
            if store.count() <= MAX_SKELETON_SET:
                self._user_skeletons = frozenset(r[0] for r in store.db.execute(
                    "SELECT DISTINCT skel FROM skeletons"))
        self.cores: frozenset[str] = (self.builtin.cores if self.builtin else frozenset()) | \
            frozenset(self._user_phrases)
        self.index = PlaceIndex(self)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """The built-in places, with the store at ``path`` (or the user's default store, if
        it exists) on top of them."""
        target = Path(path) if path else default_path()
        if path or target.is_file():
            return cls(GazetteerStore(target))
        return cls()

    def phrases(self, core: str) -> list[tuple[str, str, str, Any, str]]:
        """(normalised phrase, its word cores, their articles, place or built-in place id, what
        it needs before it) for every Arabic name whose first word has ``core``."""
        user = self._user_phrases.get(core, [])
        if self.builtin is None:
            return user
        return user + self.builtin.phrases(core)

    def rows(self, refs: Iterable[Any]) -> dict[Any, PlaceRow]:
        """The places of built-in ids (a place of the user's store replaces the built-in place
        of the same gazetteer id)."""
        ids = [r for r in refs if not isinstance(r, PlaceRow)]
        if not ids or self.builtin is None:
            return {}
        return {i: r for i, r in self.builtin.by_ids(ids).items() if r.gid not in self._user_gids}

    def get(self, gid: str) -> PlaceRow | None:
        return self.store.get(gid)

    @property
    def common_words(self) -> frozenset[str]:
        """Words too common to be the name of a place known only by a Latin name."""
        return _common_words()

    def latin(self, arabic: str, min_score: float = 0.0, min_skeleton: int = MIN_SKELETON
              ) -> list[LatinHit]:
        """Places whose Latin names fit an Arabic name, best first (same consonant skeleton,
        ranked by vowel-aware similarity; the user's places first among equals)."""
        cache_key = (arabic, min_score, min_skeleton)
        cached = self._latin_cache.get(cache_key)
        if cached is not None:
            return cached
        keys = tuple(k for k in arabic_keys(arabic) if len(k) >= min_skeleton)
        best: dict[str, LatinHit] = {}
        for row, name in self._lookup(keys):
            score = similarity(arabic, name)
            if score >= min_score and (row.gid not in best or score > best[row.gid].score):
                best[row.gid] = LatinHit(row, name, score)
        hits = sorted(best.values(), key=lambda h: (-h.score, h.place.gid not in self._user_gids))
        if len(self._latin_cache) > 200_000:
            self._latin_cache.clear()
        self._latin_cache[cache_key] = hits
        return hits

    def _lookup(self, keys: tuple[str, ...]) -> list[tuple[PlaceRow, str]]:
        if not keys:
            return []
        hit = self._lookup_cache.get(keys)
        if hit is not None:
            return hit
        out: list[tuple[PlaceRow, str]] = []
        if self.user is not None:
            ukeys = [k for k in keys if self._user_skeletons is None or k in self._user_skeletons]
            out += [(r, n) for r, n in self.user.by_skeleton(ukeys) if not _arabic(n)]
        if self.builtin is not None:
            out += [(r, n) for r, n in self.builtin.by_skeleton(keys) if r.gid not in self._user_gids]
        if len(self._lookup_cache) > 100_000:
            self._lookup_cache.clear()
        self._lookup_cache[keys] = out
        return out


def _arabic(name: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in name)


class LayeredStore:
    """The read side of the built-in places and a user's store together (the user's place
    wins where both have one id)."""

    def __init__(self, builtin: BuiltinStore | None, user: GazetteerStore | None) -> None:
        self.builtin, self.user = builtin, user

    @property
    def db(self) -> Any:
        return (self.user or self.builtin).db  # type: ignore[union-attr]

    def count(self) -> int:
        return sum(s.count() for s in (self.builtin, self.user) if s is not None)

    def get(self, gid: str) -> PlaceRow | None:
        for s in (self.user, self.builtin):
            row = s.get(gid) if s is not None else None
            if row is not None:
                return row
        return None

    def _rows(self, where: str, args: tuple) -> list[PlaceRow]:
        out: dict[str, PlaceRow] = {}
        for s in (self.builtin, self.user):
            if s is not None:
                out.update((r.gid, r) for r in s._rows(where, args))
        return list(out.values())


def place_rules(tables: Iterable[str] = ("place_stopwords.tsv", "place_commonwords.tsv")
                ) -> dict[str, str]:
    """Normalised name -> rule ("never", "cue" or "feature"): the hand-kept list of names that
    are common words (place_stopwords.tsv) and the list derived from corpus frequency
    (place_commonwords.tsv, built by scripts/build_place_commonwords.py). Where both list a
    name, the stricter rule holds: a hand guess adds words the corpus does not show, it does
    not loosen what the corpus shows ("في صدد" is mostly "in the course of")."""
    rules: dict[str, str] = {}
    for table in tables:
        try:
            for r in read_table(table):
                key = normalize_key(r["word"])
                if r["rule"] in RULES and _SEVERITY[r["rule"]] > _SEVERITY[rules.get(key, "")]:
                    rules[key] = r["rule"]
        except FileNotFoundError:
            continue
    return rules


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    try:
        return frozenset(normalize_key(r["word"]) for r in read_table("place_commonwords_latin.tsv"))
    except FileNotFoundError:
        return frozenset()


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The built-in places, with the user's store (HADATH_GAZETTEER or the default path) on top
    of them if there is one."""
    return Gazetteer.load()
