"""Arabic normalisation for matching, with an offset map back to the original string.

Matching runs on a normalised copy of the text: hamza/alef forms folded to bare alef, ta marbuta
to ha, alef maqsura to ya, diacritics and tatweel removed, Arabic-Indic and Persian digits turned
into ASCII, Arabic and curly punctuation into ASCII, presentation forms decomposed. Every
character of the normalised text knows which character of the original it came from, so a span
found in the normalised text is reported as a span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

# One table, data not code: original character -> replacement ("" deletes).
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ة": "ه", "ۀ": "ه", "ھ": "ه", "ە": "ه",
    "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي", "ؤ": "و",
    "ک": "ك", "ڪ": "ك",
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‹": '"', "›": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "′": "'",
    "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ", "\r": " ", "\u2028": "\n", "\u2029": "\n", "…": "...",
    # hashtags join a phrase's words: "#مقتل_شخصين" reads as "مقتل شخصين"
    "#": " ", "_": " ",
}
_FOLD.update({chr(0x0660 + i): str(i) for i in range(10)})  # Arabic-Indic digits
_FOLD.update({chr(0x06F0 + i): str(i) for i in range(10)})  # Persian digits
_FOLD.update({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})

# Characters removed outright: harakat, Quranic marks, tatweel, zero-width and bidi controls, BOM.
_DELETE_RANGES = [
    (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06DC), (0x06DF, 0x06E8),
    (0x06EA, 0x06ED), (0x0640, 0x0640), (0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069),
    (0xFEFF, 0xFEFF), (0x00AD, 0x00AD),
]


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {ord(k): v for k, v in _FOLD.items()}
    for lo, hi in _DELETE_RANGES:
        for c in range(lo, hi + 1):
            table[c] = ""
    # Arabic presentation forms (ligatures, isolated/final glyphs) decompose by NFKC.
    for block in ((0xFB50, 0xFDFF), (0xFE70, 0xFEFC)):
        for c in range(*block):
            decomposed = unicodedata.normalize("NFKC", chr(c))
            if decomposed != chr(c):
                table[c] = "".join(table.get(ord(ch), ch) for ch in decomposed if ch != " ")
    return table


TABLE = _build_table()
# Characters whose replacement is not exactly one character: they shift offsets.
_SHIFTING = "".join(chr(c) for c, v in TABLE.items() if len(v) != 1)
_SHIFT_RE = re.compile("[" + re.escape(_SHIFTING) + "]")
# The characters the table changes. No replacement holds one of them, so replacing them one
# after the other gives what ``str.translate`` gives, at the speed of ``str.replace``.
_CHANGED = frozenset(chr(c) for c in TABLE)


def fold(text: str) -> str:
    """``text.translate(TABLE)``, faster on long texts: only the characters it holds are
    replaced, each in one pass."""
    for ch in _CHANGED.intersection(text):
        text = text.replace(ch, TABLE[ord(ch)])
    return text


_COMBINING_TAIL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]*")


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps positions in normalised text back to the original.

    ``anchors`` holds (normalised position, original position, width) triples, one for each
    original character whose replacement is not one character long; between anchors the two
    texts run in step. ``width`` is the number of normalised characters produced (0 when the
    character was deleted).
    """

    original: str
    anchors: tuple[tuple[int, int, int], ...] = ()
    keys: tuple[int, ...] = ()

    def to_original(self, pos: int) -> int:
        """Original index of the character at normalised index ``pos``."""
        i = bisect_right(self.keys, pos) - 1
        if i < 0:
            return pos
        npos, opos, width = self.anchors[i]
        if pos < npos + width:
            return opos  # inside an expansion: every character comes from opos
        return opos + 1 + (pos - npos - width)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end).

        The end is stretched over diacritics and tatweel that follow the last character, so the
        original span shows the word as written.
        """
        if start >= end:
            o = min(self.to_original(start), len(self.original))
            return o, o
        ostart = self.to_original(start)
        oend = self.to_original(end - 1) + 1
        return ostart, _COMBINING_TAIL.match(self.original, oend).end()


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and the map back to its original."""

    text: str
    map: OffsetMap

    @property
    def original(self) -> str:
        return self.map.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.map.span(start, end)


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching and keep the way back to the original offsets.

    Example:
        >>> n = normalize("إدلبُ")
        >>> n.text
        'ادلب'
        >>> n.span(0, 4)
        (0, 5)
    """
    folded = fold(text)
    if len(folded) == len(text) and not _SHIFT_RE.search(text):
        return Normalized(folded, OffsetMap(text))
    anchors: list[tuple[int, int, int]] = []
    delta = 0
    for m in _SHIFT_RE.finditer(text):
        width = len(TABLE[ord(m.group())])
        anchors.append((m.start() + delta, m.start(), width))
        delta += width - 1
    return Normalized(folded, OffsetMap(text, tuple(anchors), tuple(a[0] for a in anchors)))


def normalize_key(text: str) -> str:
    """Normalised form of a lexicon entry or query (no offsets kept); spaces collapsed."""
    return " ".join(text.translate(TABLE).split())


# The same, with alef maqsura kept apart from ya: where the two spell different words (على, the
# preposition; علي, the name).
_TABLE_KEEP_MAQSURA = {**TABLE, ord("ى"): "ى"}


def normalize_spelling(text: str) -> str:
    """``normalize_key`` that keeps ى and ي apart."""
    return " ".join(text.translate(_TABLE_KEEP_MAQSURA).split())


ARABIC_LETTER_RE = re.compile("[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")


def arabic_share(text: str, sample: int = 20000) -> float:
    """Share of letters in ``text`` that are Arabic (on a prefix sample)."""
    letters = arabic = 0
    for ch, n in Counter(text[:sample]).items():  # each distinct character looked at once
        if ch.isalpha():
            letters += n
            if ARABIC_LETTER_RE.match(ch):
                arabic += n
    return arabic / letters if letters else 0.0
