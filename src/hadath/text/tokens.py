"""Tokens, sentences and clauses over normalised text, and clitic analysis of Arabic words.

All positions here are positions in the *normalised* text; ``Normalized.span`` turns them into
positions in the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import accumulate
from typing import NamedTuple

# A token is a run of letters, a number (digits with thousands or decimal separators), or one
# other visible character. Letters and digits never share a token: "بـ10" is "ب" + "10".
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\s\w]|_", re.UNICODE)

# Sentence ends: . ! ? (after normalisation ؟ is ?), not after a digit, followed by
# space/quote/end, or a line break. (The mark comes first and the look back after it, so that
# the search skips straight to the next mark instead of looking back at every character.)
_SENT_END_RE = re.compile(r"[.!?](?<!\d[.!?])[.!?]*(?=[\s\"')\]]|$)[\"')\]]*|\n+")
_CLAUSE_PUNCT = frozenset(",;:")
# words of cause or circumstance that continue the clause before the comma (normalised:
# إثر is اثر)
_CAUSE_WORDS = frozenset({"جراء", "اثر", "نتيجه", "بسبب", "لدى"})
# The longest sentence the frame search spans, in characters: text without punctuation is cut
# (at a space) into pieces no longer than this, so that extraction time grows linearly with
# the text. News sentences stay far below it (the longest of 3,000 ANT articles: 1,123).
MAX_SENTENCE = 1500


class Token(NamedTuple):
    """One token of normalised text: its string, its position, and its sentence index."""

    text: str
    start: int
    end: int
    index: int = 0

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")
_new_token = partial(tuple.__new__, Token)  # a Token from (text, start, end, index), in C


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split normalised ``text`` into tokens; positions are shifted by ``offset``."""
    parts = _SPLIT_RE.split(text)  # blanks and tokens, alternately
    starts = list(accumulate(map(len, parts), initial=offset))  # where each part starts
    return list(map(_new_token, zip(parts[1::2], starts[1::2], starts[2::2],
                                    range(len(parts) // 2))))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of normalised ``text``, trimmed of surrounding blanks."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END_RE.finditer(text):
        _append_trimmed(spans, text, pos, m.end())
        pos = m.end()
    _append_trimmed(spans, text, pos, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:  # no punctuation for too long: cut at the last space
        cut = max(text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE),
                  text.rfind("\u00a0", start + MAX_SENTENCE // 2, start + MAX_SENTENCE))
        cut = cut if cut > start else start + MAX_SENTENCE
        _append_trimmed(spans, text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        spans.append((start, end))


def clause_ids(tokens: list[Token], transparent: frozenset[int] | set[int] = frozenset()
               ) -> list[int]:
    """Clause number of each token: clauses break at commas, semicolons and colons (not at
    brackets or quotes, which often hold a name: "قوات سوريا الديمقراطية (قسد)"). A stretch
    between two commas made only of ``transparent`` tokens (a date set off by commas:
    "اعتقلت الشرطة 4 عناصر، السبت، في المنيا") breaks nothing."""
    ids, current = [], 0
    skip = set()
    for k, tok in enumerate(tokens):
        if tok.text not in _CLAUSE_PUNCT or k in skip:
            ids.append(current)
            continue
        j = k + 1
        while j < len(tokens) and j in transparent:
            j += 1
        if j > k + 1 and j < len(tokens) and tokens[j].text in ("،", ","):
            skip.add(j)  # "، السبت،": the same clause goes on
        elif k + 1 < len(tokens) and tokens[k + 1].text in _CAUSE_WORDS:
            pass  # "قتل عشرات المسلحين، جراء عمليات للجيش في رفح": the act's cause goes on
        else:
            current += 1
        ids.append(current)
    return ids


# --- clitics ---------------------------------------------------------------------------------

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
# Pronoun suffixes, longest first (normalised: ة is ه, so a ta marbuta before a suffix is ت).
PRONOUN_SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "كن", "نا", "ها", "ه", "ك", "ي")


@dataclass(frozen=True, slots=True)
class Analysis:
    """One reading of a word: proclitics peeled off, the stem, and whether it had the article."""

    prefix: str
    stem: str  # without the article: what lexicon keys are compared against
    definite: bool


MIN_STEM = 2


@lru_cache(maxsize=400_000)
def analyses(word: str) -> tuple[Analysis, ...]:
    """All readings of a normalised word, from the word as written to the most peeled.

    Peels ``[و|ف]? [ب|ل|ك]? ال?`` and the fused ``لل`` (ل + ال). A reading is kept only when at
    least two letters remain. The first reading is always the word itself (without an article
    if it starts with one).

    Example:
        >>> [a.stem for a in analyses("وبحلب")]
        ['وبحلب', 'بحلب', 'حلب']
        >>> [a.stem for a in analyses("للجيش")]
        ['للجيش', 'لجيش', 'جيش']
    """
    out: list[Analysis] = []
    seen: set[str] = set()

    def add(prefix: str, rest: str) -> None:
        definite = rest.startswith(ARTICLE) and len(rest) - 2 >= MIN_STEM
        stem = rest[2:] if definite else rest
        if len(stem) >= MIN_STEM and stem not in seen:
            seen.add(stem)
            out.append(Analysis(prefix, stem, definite))

    add("", word)
    for c in ("",) + CONJUNCTIONS:
        if c and not word.startswith(c):
            continue
        w1 = word[len(c):]
        if c:
            add(c, w1)
        for p in PREPOSITIONS:
            if w1.startswith(p):
                add(c + p, w1[1:])
        if w1.startswith("لل") and len(w1) - 2 >= MIN_STEM:
            # ل + ال: the alef of the article drops ("للجيش" = ل + الجيش).
            stem = w1[2:]
            if stem not in seen:
                seen.add(stem)
                out.append(Analysis(c + "لل", stem, True))
    return tuple(out)


def cores(word: str) -> tuple[str, ...]:
    """The distinct stems of a word's readings, least peeled first."""
    return tuple(a.stem for a in analyses(word))


@lru_cache(maxsize=200_000)
def strip_suffix(stem: str) -> tuple[str, str]:
    """Split a pronoun suffix off a stem: ("سيطرتها") -> ("سيطره", "ها").

    A ``ت`` left before the suffix is restored to ta marbuta (normalised ``ه``). Returns the
    stem unchanged with an empty suffix when no suffix leaves at least three letters.
    """
    for suf in PRONOUN_SUFFIXES:
        if stem.endswith(suf) and len(stem) - len(suf) >= 3:
            base = stem[: -len(suf)]
            if base.endswith("ت") and not base.endswith("ات") and suf != "ي":
                base = base[:-1] + "ه"
            return base, suf
    return stem, ""
