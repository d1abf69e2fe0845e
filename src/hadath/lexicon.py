"""Domain knowledge as data: actors, countries, roles, triggers, attribution and cue words.

Every list lives in a TSV file under ``hadath/data/`` that a user can read and extend. Files of
the same name in the folders listed in ``HADATH_LEXICON_PATH`` (separated by ``os.pathsep``) add
their rows to the built-in ones, so an alias is added by editing a file, not code.

Patterns are matched on normalised tokens by :class:`PhraseIndex`: phrases separated by ``|``,
words by spaces, ``*`` at a word's end for any ending, ``/`` for alternatives at one position,
and a leading ``~`` for a form that is also a common word and counts only inside quotes.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
import re
from functools import cached_property, lru_cache
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import Any

from .errors import LexiconError
from .text.normalize import normalize_key
from .text.tokens import Token, analyses

QUOTES = frozenset({'"', "'"})
_NO_KAF = frozenset({"trigger", "attribution"})


# --- records -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    name: str
    region: str
    isonum: int = 0


@dataclass(frozen=True, slots=True)
class ActorRecord:
    """A named actor: canonical name, type, home country (ISO3 or "-"), CAMEO code, bloc."""

    name: str
    type: str
    country: str
    code: str
    bloc: str = ""


@dataclass(frozen=True, slots=True)
class Role:
    """A generic role noun (army, police, civilians...) whose country comes from context."""

    code: str
    type: str
    template: str

    def actor(self, country: Country | None) -> ActorRecord:
        cname = country.name if country else "Unknown"
        iso3 = country.iso3 if country else "-"
        return ActorRecord(self.template.format(country=cname), self.type, iso3,
                           (iso3 if country else "---") + self.code)


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: str
    strength: str
    role: str
    subtype: str = ""


@dataclass(frozen=True, slots=True)
class Marker:
    """An attribution verb or preposition: the stance it gives and its grammatical form."""

    stance: str
    form: str


@dataclass(frozen=True, slots=True)
class Cue:
    category: str
    value: str


# --- patterns and matching -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Word:
    """One pattern position: alternatives, each an exact core or a prefix (ending in *).

    ``definite`` (for names) says whether the form had the article; when set, a token matches
    only with the same definiteness, so الرقة is not رقة and ورقة ("paper") is not Raqqa.
    """

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    definite: bool | None = None

    def matches(self, tok: str) -> bool:
        if self.definite is None and not self.prefixes:
            return not self.exact.isdisjoint(_cores(tok))
        for a in analyses(tok):
            if self.definite is not None and a.definite != self.definite:
                continue
            core = a.stem
            if core in self.exact or any(core.startswith(p) for p in self.prefixes):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Entry:
    """A pattern and the record it stands for."""

    category: str
    record: Any
    words: tuple[Word, ...]
    quoted_only: bool = False
    text: str = ""


class Match:
    """An entry found in a token list: tokens [first, last] inclusive.

    ``peel`` counts the clitic letters peeled off the first word (fewer is a better reading);
    ``prefix`` holds the proclitics peeled off (و ف ب ل ك لل), without the article.
    """

    __slots__ = ("entry", "first", "last", "peel", "prefix", "category", "record", "size")

    def __init__(self, entry: Entry, first: int, last: int, peel: int, prefix: str = "") -> None:
        self.entry, self.first, self.last, self.peel, self.prefix = entry, first, last, peel, prefix
        self.category: str = entry.category
        self.record: Any = entry.record
        self.size = last - first + 1

    def __repr__(self) -> str:
        return f"Match({self.category}, {self.entry.text!r}, {self.first}-{self.last})"


@lru_cache(maxsize=400_000)
def _cores(tok: str) -> tuple[str, ...]:
    return tuple(a.stem for a in analyses(tok))


def _word_core(w: str) -> str:
    """Core of one pattern word (normalised, article removed as for text words)."""
    return analyses(w)[0].stem if len(w) > 2 else w


def parse_pattern(pattern: str, strict_article: bool = False
                  ) -> list[tuple[tuple[Word, ...], bool, str]]:
    """Parse a pattern cell into phrases: (words, quoted_only, phrase text).

    With ``strict_article`` (place names) each word remembers whether it had the article.
    """
    out = []
    for phrase in pattern.split("|"):
        phrase = phrase.strip()
        if not phrase:
            continue
        quoted = phrase.startswith("~")
        phrase = normalize_key(phrase.lstrip("~"))
        words = []
        for pos in phrase.split(" "):
            exact, prefixes = set(), []
            for alt in pos.split("/"):
                if alt.endswith("*"):
                    prefixes.append(_word_core(alt[:-1]) if len(alt) > 3 else alt[:-1])
                else:
                    exact.add(_word_core(alt))
            definite = (analyses(pos)[0].definite if strict_article and "/" not in pos
                        and len(pos) > 2 else None)
            words.append(Word(frozenset(exact), tuple(prefixes), definite))
        out.append((tuple(words), quoted, phrase))
    return out


_Hit = tuple[int, Entry, int, str]  # position among a word's hits, entry, peel, proclitics
_MISSING = object()


def _order(hit: _Hit) -> int:
    return hit[0]


class _Hits:
    """The entries one word can begin, as :meth:`PhraseIndex.find` walks them: one-word
    entries; all longer ones (looked at in full after a quote); longer ones by each core their
    second word allows, where that word is a plain form; and the other longer ones."""

    __slots__ = ("single", "multi", "by_second", "other")

    def __init__(self, single: tuple[_Hit, ...], multi: tuple[_Hit, ...],
                 by_second: dict[str, tuple[_Hit, ...]], other: tuple[_Hit, ...]) -> None:
        self.single, self.multi, self.by_second, self.other = single, multi, by_second, other

    @classmethod
    def split(cls, hits: tuple[tuple[Entry, int, str], ...]) -> _Hits | None:
        """The hits of one word, numbered in order; ك ("like") never comes before a verb:
        "كفر" is not ك + فر, so those readings of triggers and attribution verbs are dropped."""
        numbered = [(k, e, peel, prefix) for k, (e, peel, prefix) in enumerate(hits)
                    if not ("ك" in prefix and e.category in _NO_KAF)]
        if not numbered:
            return None
        single = tuple(h for h in numbered if len(h[1].words) == 1)
        multi = tuple(h for h in numbered if len(h[1].words) > 1)
        by_second: dict[str, tuple[_Hit, ...]] = {}
        other: list[_Hit] = []
        for h in multi:
            second = h[1].words[1]
            if second.definite is None and not second.prefixes:
                for core in second.exact:
                    by_second[core] = by_second.get(core, ()) + (h,)
            else:
                other.append(h)
        return cls(single, multi, by_second, tuple(other))


class PhraseIndex:
    """Finds lexicon phrases in token lists, ignoring clitics on every word.

    First words are indexed by exact core and by prefix; the rest are checked in place. Results
    for a token string are cached, which makes matching a large corpus cost about one dictionary
    lookup per token.
    """

    def __init__(self, strict_article: bool = False) -> None:
        self.strict_article = strict_article
        self._exact: dict[str, list[Entry]] = {}
        self._prefix: dict[str, list[Entry]] = {}
        self._prefix_lengths: set[int] = set()
        self._cache: dict[str, _Hits | None] = {}
        self.size = 0

    def add(self, category: str, record: Any, pattern: str) -> None:
        for words, quoted, text in parse_pattern(pattern, self.strict_article):
            entry = Entry(category, record, words, quoted, text)
            first = words[0]
            for core in first.exact:
                self._exact.setdefault(core, []).append(entry)
            for pre in first.prefixes:
                self._prefix.setdefault(pre, []).append(entry)
                self._prefix_lengths.add(len(pre))
            self.size += 1
        self._cache.clear()

    def _first_hits(self, tok: str) -> tuple[tuple[Entry, int, str], ...]:
        """(entry, clitic letters peeled, proclitics) of every entry whose first word fits
        ``tok``, least peeled reading first."""
        found: list[tuple[Entry, int, str]] = []
        seen: set[int] = set()
        for a in analyses(tok):
            core = a.stem
            peel = len(tok) - len(core)
            for e in self._exact.get(core, ()):
                if e.words[0].definite is not None and e.words[0].definite != a.definite:
                    continue
                if id(e) not in seen:
                    seen.add(id(e))
                    found.append((e, peel, a.prefix))
            for n in self._prefix_lengths:
                if n <= len(core):
                    for e in self._prefix.get(core[:n], ()):
                        if id(e) not in seen:
                            seen.add(id(e))
                            found.append((e, peel, a.prefix))
        return tuple(found)

    def _hits(self, tok: str) -> _Hits | None:
        """The entries ``tok`` may begin, split for :meth:`find` (cached; None: no entry, as
        for a number or a punctuation mark)."""
        hits = _Hits.split(self._first_hits(tok)) if tok[0].isalpha() else None
        if len(self._cache) > 500_000:
            self._cache.clear()
        self._cache[tok] = hits
        return hits

    def find(self, tokens: list[Token], categories: frozenset[str] | None = None) -> list[Match]:
        """Every match in ``tokens`` (overlaps included), in the order of their first token
        and, at one token, of :meth:`_first_hits`."""
        out: list[Match] = []
        n = len(tokens)
        cache = self._cache
        for i, token in enumerate(tokens):
            hits = cache.get(token.text, _MISSING)
            if hits is _MISSING:
                hits = self._hits(token.text)
            if hits is None:
                continue
            todo = hits.single
            if hits.multi and i + 1 < n:
                # longer entries: only those whose second word can be the next token
                nxt = tokens[i + 1].text
                if nxt in QUOTES:
                    more = hits.multi
                else:
                    more = hits.other
                    for core in _cores(nxt):
                        more += hits.by_second.get(core, ())
                if more:
                    todo = sorted({h[0]: h for h in todo + more}.values(), key=_order)
            for _, entry, peel, prefix in todo:
                if categories is not None and entry.category not in categories:
                    continue
                if len(entry.words) == 1:
                    last = i
                else:
                    last = self._extend(tokens, i, entry)
                    if last < 0:
                        continue
                if entry.quoted_only and not _quoted(tokens, i, last):
                    continue
                out.append(Match(entry, i, last, peel, prefix))
        return out

    @staticmethod
    def _extend(tokens: list[Token], i: int, entry: Entry) -> int:
        """Index of the last token of ``entry`` starting at ``i``, or -1 if it does not fit."""
        j = i
        for word in entry.words[1:]:
            j += 1
            while j < len(tokens) and tokens[j].text in QUOTES:
                j += 1  # names are often quoted in part: تنظيم «القاعدة»
            if j >= len(tokens) or not word.matches(tokens[j].text):
                return -1
        return j


def _quoted(tokens: list[Token], first: int, last: int) -> bool:
    return (first > 0 and tokens[first - 1].text in QUOTES
            and last + 1 < len(tokens) and tokens[last + 1].text in QUOTES)


def best_matches(matches: Iterable[Match]) -> list[Match]:
    """Non-overlapping matches, longest first, then fewest clitic letters peeled."""
    ranked = sorted(matches, key=_rank)
    if len(ranked) < 2:
        return ranked
    chosen: list[Match] = []
    taken: set[int] = set()
    for m in ranked:
        if m.size == 1:
            if m.first in taken:
                continue
            taken.add(m.first)
        else:
            span = range(m.first, m.last + 1)
            if not taken.isdisjoint(span):
                continue
            taken.update(span)
        chosen.append(m)
    chosen.sort(key=_FIRST)
    return chosen


def _rank(m: Match) -> tuple[int, int, int]:
    return -m.size, m.peel, m.first


_FIRST = attrgetter("first")


# --- loading ---------------------------------------------------------------------------------

def _data_dirs() -> list[Path]:
    extra = os.environ.get("HADATH_LEXICON_PATH", "")
    return [Path(p) for p in extra.split(os.pathsep) if p]


def read_table(name: str) -> Iterator[dict[str, str]]:
    """Rows of a data table: the built-in file, then same-named files on HADATH_LEXICON_PATH."""
    sources: list[tuple[str, str]] = []
    builtin = resources.files("hadath") / "data" / name
    sources.append((str(builtin), builtin.read_text(encoding="utf-8")))
    for d in _data_dirs():
        p = d / name
        if p.is_file():
            sources.append((str(p), p.read_text(encoding="utf-8")))
    for path, text in sources:
        yield from table_rows(path, text)


def table_rows(path: str, text: str) -> Iterator[dict[str, str]]:
    """The rows of one data table's text (TSV with a header; blank and # lines skipped)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for lineno, row in enumerate(reader, 2):
        if None in row or any(v is None for v in row.values()):
            raise LexiconError(f"{path}: row {lineno} has the wrong number of columns")
        yield {k: (v or "").strip() for k, v in row.items()}


def nisba_forms(base: str) -> list[str]:
    """Inflected forms of a nisba adjective: سوري -> سوري، سورية، سوريين، سوريون، سوريان، سوريات."""
    return [base + suf for suf in ("", "ة", "ين", "ون", "ان", "ات", "ا")]


@dataclass
class Lexicon:
    """All built-in and user lexicon tables, indexed for matching."""

    index: PhraseIndex = field(default_factory=PhraseIndex)
    countries: dict[str, Country] = field(default_factory=dict)  # by iso2 and iso3
    actors: dict[str, ActorRecord] = field(default_factory=dict)  # by name
    kinds: dict[str, dict[str, str]] = field(default_factory=dict)  # event_types.tsv by kind
    roles: dict[str, Role] = field(default_factory=dict)  # by role code (MIL, GOV, CVL...)
    role_types: dict[str, Role] = field(default_factory=dict)  # by type (protesters, rioters...)
    # a state's own named row for a role actor's code ("USAMIL" -> "Military Forces of the
    # United States"), so that "القوات الأمريكية" and "الجيش الأمريكي" name one actor
    state_rows: dict[str, ActorRecord] = field(default_factory=dict)
    # actor_theatres.tsv: a generic name's actor by the country of the act ("طيران التحالف" in
    # Yemen is the Saudi-led coalition), "*" for any other country
    theatres: dict[str, dict[str, ActorRecord]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lexicon:
        lex = cls()
        lex._load_countries()
        for row in read_table("actors.tsv"):
            rec = ActorRecord(row["name"], row["type"], row["country"], row["code"], row["bloc"])
            lex.actors[rec.name] = rec
            if rec.type in ("state_forces", "government") and rec.name.startswith(_STATE_PREFIXES):
                lex.state_rows.setdefault(rec.code, rec)
            lex.index.add("source" if rec.type == "source" else "actor", rec, row["forms"])
        for row in read_table("actor_theatres.tsv"):
            means = lex.actors.get(row["means"])
            if row["actor"] not in lex.actors or means is None:
                raise LexiconError(f"actor_theatres.tsv: no actor named {row['actor']!r} or "
                                   f"{row['means']!r} in actors.tsv")
            lex.theatres.setdefault(row["actor"], {})[row["country"]] = means
        for row in read_table("roles.tsv"):
            role = Role(row["role"], row["type"], row["template"])
            lex.roles.setdefault(role.code, role)
            lex.role_types.setdefault(role.type, role)
            lex.index.add("role", role, row["forms"])
        for row in read_table("triggers.tsv"):
            trig = Trigger(row["kind"], row["strength"], row["role"], row["subtype"])
            lex.index.add("trigger", trig, row["pattern"])
        for row in read_table("attribution.tsv"):
            lex.index.add("attribution", Marker(row["stance"], row["form"]), row["pattern"])
        for row in read_table("cues.tsv"):
            lex.index.add(row["category"], Cue(row["category"], row["value"]), row["pattern"])
        for row in read_table("event_types.tsv"):
            lex.kinds[row["kind"] + "/" + row["target"]] = row
        return lex

    def _load_countries(self) -> None:
        for row in read_table("countries.tsv"):
            c = Country(row["iso2"], row["iso3"], row["name"], row["region"],
                        int(row["isonum"] or 0))
            self.countries[c.iso2] = c
            self.countries[c.iso3] = c
            self.countries[c.name] = c
            self.index.add("country", c, row["names"])
            if row.get("word_names"):
                self.index.add("country_word", c, row["word_names"])
            for base in filter(None, row["nisba"].split("|")):
                self.index.add("nisba", c, "|".join(nisba_forms(base)))
            if row["capital"]:
                self.index.add("capital", c, row["capital"])

    @cached_property
    def blocs(self) -> dict[str, str]:
        """The bloc of each actor that has one, by name (actors.tsv's bloc column)."""
        return {a.name: a.bloc for a in self.actors.values() if a.bloc}

    def country(self, code: str | None) -> Country | None:
        return self.countries.get(code or "")

    def taxonomy(self, kind: str, target_type: str | None) -> dict[str, str]:
        """ACLED type, sub-type and PLOVER code of an event kind (target-specific rows first)."""
        for key in (f"{kind}/{target_type}", f"{kind}/any"):
            if key in self.kinds:
                return self.kinds[key]
        raise LexiconError(f"event_types.tsv has no row for kind {kind!r}")


_STATE_PREFIXES = ("Military Forces of", "Police Forces of", "Government of")
_STATE_RE = re.compile(r"^(?:military|police|government|intelligence services|security forces)"
                       r"(?: forces)? of (?:the )?(.+?)(?: \(.*\))?$", re.I)


def state_of(name: str | None) -> str | None:
    """The country whose army, police, intelligence or government an actor name is: a state's
    agencies are one side (docs/coding.md, roles)."""
    m = _STATE_RE.match((name or "").strip())
    return m.group(1).lower() if m else None


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon from the package data and HADATH_LEXICON_PATH, loaded once."""
    return Lexicon.load()
