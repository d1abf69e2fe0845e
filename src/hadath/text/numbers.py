"""Numbers written as digits or Arabic words, with ACLED's conventions for vague amounts.

A vague plural is read at the low end of the word, as docs/coding.md codes it: عشرات (tens) 20,
مئات (hundreds) 200, آلاف (thousands) 2000 (a plural is more than one ten: "عشرة" is 10 and
"عشرات" at least two of them), marked ``vague``. Words like نحو، حوالي، قرابة mark an
approximate figure; أكثر من، ما لا يقل عن، على الأقل mark a lower bound (the figure itself is the
conservative value).
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalize import normalize_key
from .tokens import Token, analyses

_UNITS = {
    "واحد": 1, "واحده": 1, "احد": 1, "احدي": 1,
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثني": 2, "اثنا": 2, "اثنتا": 2, "اثنتي": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
}
_TEN = {"عشر": 10, "عشره": 10}
_TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}
_HUNDREDS = {
    "مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    "مئتا": 200, "مئتي": 200, "مائتي": 200, "مائتا": 200,
}
for _w, _v in (("ثلاث", 3), ("اربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7), ("ثمان", 8), ("تسع", 9)):
    _HUNDREDS[_w + "مئه"] = _v * 100
    _HUNDREDS[_w + "مائه"] = _v * 100
_SCALES = {"الف": 1000, "الفا": 1000, "الفان": 2000, "الفين": 2000, "الاف": 1000,
           "مليون": 10**6, "مليونا": 10**6, "ملايين": 10**6, "مليار": 10**9}
_UNITS, _TEN, _TENS, _HUNDREDS, _SCALES = (
    {normalize_key(k): v for k, v in t.items()} for t in (_UNITS, _TEN, _TENS, _HUNDREDS, _SCALES))
# Vague plurals used on their own, at the low end of the word (docs/coding.md, section 7).
_VAGUE = {normalize_key(k): v for k, v in
          {"عشرات": 20, "مئات": 200, "آلاف": 2000, "ألوف": 2000, "ملايين": 2 * 10**6}.items()}
_APPROX = [normalize_key(w).split() for w in
           ("نحو", "حوالي", "قرابة", "زهاء", "ما يقارب", "ما يقرب من", "تقريبا", "قرابه")]
_LOWER = [normalize_key(w).split() for w in
          ("أكثر من", "اكثر من", "ما يزيد عن", "ما يزيد على", "ما لا يقل عن", "لا يقل عن",
           "يزيد على", "يزيد عن")]
_LOWER_AFTER = [normalize_key(w).split() for w in ("على الأقل", "على الاقل")]
# A count above this is not a count (no toll, crowd or displacement reaches it): such figures,
# and digit strings too long to be a count, are not read as numbers.
MAX_COUNT = 10_000_000


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in text: value, token range [first, last], and how exact it is."""

    value: int
    first: int
    last: int
    approx: bool = False
    lower_bound: bool = False
    vague: bool = False


def _word_value(tok: str) -> tuple[str, int] | None:
    """Classify a normalised word as a number word: (class, value) or None."""
    for a in analyses(tok):
        if a.prefix not in ("", "و", "ب", "ل"):
            continue
        w = ("ال" + a.stem) if a.definite and ("ال" + a.stem) in _SCALES else a.stem
        for cls, table in (("unit", _UNITS), ("ten", _TEN), ("tens", _TENS),
                           ("hundred", _HUNDREDS), ("scale", _SCALES)):
            if w in table:
                return cls, table[w]
    return None


def _digits_value(text: str) -> int | None:
    if "." in text and "," not in text and len(text.split(".")[-1]) != 3:
        return None  # a decimal: not a count
    digits = text.replace(",", "").replace(".", "")
    if len(digits) > 12 or not digits.isdecimal():  # ² ① are digits, not decimal digits
        return None
    return int(digits)


def _matches_before(tokens: list[Token], i: int, phrases: list[list[str]]) -> int:
    """Length of a phrase from ``phrases`` that ends right before token ``i`` (0 if none)."""
    for ph in phrases:
        n = len(ph)
        if i - n < 0:
            continue
        words = [t.text for t in tokens[i - n:i]]
        if words[0][:1] == "و" and words[0][1:] == ph[0]:
            words[0] = ph[0]
        if words == ph:
            return n
    return 0


def _matches_after(tokens: list[Token], j: int, phrases: list[list[str]]) -> int:
    """Length of a phrase from ``phrases`` that starts right after token ``j`` (0 if none)."""
    for ph in phrases:
        if [t.text for t in tokens[j + 1:j + 1 + len(ph)]] == ph:
            return len(ph)
    return 0


_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TEN) | frozenset(_TENS) | frozenset(_HUNDREDS) \
    | frozenset(_SCALES) | frozenset(_VAGUE)


def _may_be_number(tok: str) -> bool:
    return tok[0].isdecimal() or tok in _NUMBER_WORDS or (
        tok[0] in "وبل" and tok[1:] in _NUMBER_WORDS)


def find_numbers(tokens: list[Token]) -> list[Number]:
    """All numbers in a token list (digits, words, vague plurals), left to right."""
    out: list[Number] = []
    i, n = 0, len(tokens)
    while i < n:
        if not _may_be_number(tokens[i].text):
            i += 1
            continue
        parsed = _parse_at(tokens, i)
        if parsed is None:
            i += 1
            continue
        value, last, vague = parsed
        if value > MAX_COUNT:
            i = last + 1
            continue
        pre = _matches_before(tokens, i, _APPROX)
        low = _matches_before(tokens, i, _LOWER)
        # "16 قتيلا على الأقل": the bound may follow the counted noun
        post = _matches_after(tokens, last, _LOWER_AFTER)
        after_noun = not post and _matches_after(tokens, last + 1, _LOWER_AFTER)
        out.append(Number(value, i - max(pre, low), last + post, approx=bool(pre),
                          lower_bound=bool(low or post or after_noun), vague=vague))
        i = last + 1
    return out


def _parse_at(tokens: list[Token], i: int) -> tuple[int, int, bool] | None:
    """Parse the number starting at token ``i``: (value, last token index, vague)."""
    tok = tokens[i].text
    if tok[0].isdecimal():
        nxt = _word_value(tokens[i + 1].text) if i + 1 < len(tokens) else None
        if nxt and nxt[0] == "scale":
            # before ألف/مليون the separator is a decimal point: "8.743 مليون", "1,5 مليون"
            try:
                value = round(float(tok.replace(",", ".")) * nxt[1]) if len(tok) <= 12 else None
            except ValueError:
                return None
            return (MAX_COUNT + 1 if value is None else value), i + 1, False  # too large: skipped
        value = _digits_value(tok)
        if value is None:
            return None
        return value, i, False
    vague = _vague_at(tokens, i)
    if vague:
        return vague
    return _parse_words(tokens, i)


def _vague_at(tokens: list[Token], i: int) -> tuple[int, int, bool] | None:
    for w in (tokens[i].text, *(a.stem for a in analyses(tokens[i].text) if a.prefix in ("و", "ب"))):
        if w in _VAGUE:
            value, last = _VAGUE[w], i
            # "عشرات الآلاف" = tens of thousands
            if i + 1 < len(tokens) and tokens[i + 1].text in ("الالاف", "الاف", "الملايين"):
                value *= 1000 if "الاف" in tokens[i + 1].text else 10**6
                last = i + 1
            return value, last, True
    return None


def _parse_words(tokens: list[Token], i: int) -> tuple[int, int, bool] | None:
    total, group, last, j = 0, 0, -1, i
    prev_cls = None
    while j < len(tokens):
        wv = _word_value(tokens[j].text)
        if wv is None:
            break
        cls, v = wv
        joined = tokens[j].text.startswith("و")
        if j > i and not joined and cls not in ("ten", "scale") and not (
                cls == "hundred" and v == 100 and prev_cls == "unit"):
            break  # number words after the first are joined by و ("خمسة وعشرون")
        if cls == "hundred" and v == 100 and prev_cls == "unit" and not joined:
            group *= 100  # ثلاث مئة
        elif cls == "ten":
            if prev_cls == "unit":
                group += 10  # ستة عشر
            elif group == 0:
                group = 10
            else:
                break
        elif cls == "scale":
            group = max(group, 1) * v
            total += group
            group = 0
        else:
            group += v
        prev_cls = cls
        last = j
        j += 1
    if last < 0:
        return None
    return total + group, last, False
