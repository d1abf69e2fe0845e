"""Arabic ↔ Latin place-name linking: consonant skeletons and a vowel-aware similarity.

An Arabic name and its Latin transliterations rarely agree letter for letter (كفرنبل: Kafr
Nabl, Kafranbel, Kafr Nubl), but they agree on consonants once both sides are reduced to one
alphabet of consonant classes: vowels, و/ي (w/y), ع and hamza are dropped; emphatic and plain
consonants share a class (ص/س, ط/ت, ض/د); ق and ك share one (q, k, c); ث is t, ذ is d; the
article (ال, al-/el-/ad-/ash-...) is dropped; a doubled Latin letter is one Arabic letter. A ta marbuta is
silent at the end of a name and "t" before another word (معرة النعمان: Maarrat an-Numan), so
both readings are keys. Latin spellings that hide a letter (g for ج or غ or ق, ch for ش or
خ) give several keys.

Candidates that share a skeleton are ranked by how close the Latin name is to a vowelled
romanisation of the Arabic (rapidfuzz).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product

from rapidfuzz import fuzz

_AR = {
    "ب": "b", "پ": "b", "ت": "t", "ث": "t", "ج": "j", "چ": "c", "ح": "h", "خ": "x", "د": "d",
    "ذ": "d", "ر": "r", "ز": "z", "ژ": "z", "س": "s", "ش": "c", "ص": "s", "ض": "d", "ط": "t",
    "ظ": "z", "غ": "g", "ف": "f", "ڤ": "f", "ق": "q", "ك": "q", "ک": "q", "گ": "g", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ھ": "h",
}
_AR_SILENT = set("اأإآٱءؤئعوىيی")
# Vowelled romanisation of Arabic letters, for ranking candidates that share a skeleton.
_AR_ROMAN = {**{k: v for k, v in _AR.items()}, "c": "sh", "ا": "a", "أ": "a", "إ": "i", "آ": "a",
             "و": "u", "ي": "i", "ى": "a", "ة": "a", "ع": "", "ء": "", "ؤ": "", "ئ": ""}
_AR_ROMAN.update({"ش": "sh", "خ": "kh", "غ": "gh", "ث": "th", "ذ": "dh", "ق": "q", "ك": "k"})
_ARTICLES = {"al", "el", "ad", "ed", "ar", "er", "as", "es", "ash", "esh", "at", "et", "az", "ez",
             "an", "en", "ath", "adh", "ul", "il", "l"}
# Latin digraphs first, then single letters; each maps to one or more consonant classes.
_LATIN_MULTI = [("sch", ("c",)), ("tch", ("c",)), ("dj", ("j",)), ("sh", ("c",)), ("ch", ("c", "x")),
                ("kh", ("x",)), ("gh", ("g",)), ("th", ("t",)), ("dh", ("d",)), ("ph", ("f",)),
                ("zh", ("j",)), ("ck", ("q",)), ("ou", ("",)), ("ee", ("",)), ("oo", ("",))]
_LATIN_ONE = {"b": ("b",), "p": ("b",), "t": ("t",), "j": ("j",), "h": ("h",), "d": ("d",),
              "r": ("r",), "z": ("z",), "s": ("s",), "f": ("f",), "v": ("f",), "q": ("q",),
              "k": ("q",), "c": ("q",), "g": ("g", "j", "q"), "l": ("l",), "m": ("m",),
              "n": ("n",), "x": ("qs",)}
_ARABIC_RE = re.compile("[\u0600-\u06ff]")
_LATIN_UNITS = re.compile("|".join(m for m, _ in _LATIN_MULTI) + "|[a-z]")
_LATIN_CLASSES = {**dict(_LATIN_MULTI), **_LATIN_ONE}
MAX_VARIANTS = 8
MAX_ARABIC_VARIANTS = 64


def is_arabic(name: str) -> bool:
    return bool(_ARABIC_RE.search(name))


def _collapse(s: str) -> str:
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=200_000)
def arabic_keys(name: str) -> tuple[str, ...]:
    """Skeleton keys of an Arabic name (written as in the original, with ة)."""
    words = [w for w in re.split(r"[\s\-ـ]+", name.strip()) if w]
    parts: list[tuple[str, ...]] = []
    for k, w in enumerate(words):
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        elif w.startswith(("وال", "بال")) and len(w) > 4:
            w = w[3:]
        core = "".join(_AR.get(ch, "") for ch in w.rstrip("ةه") if ch not in _AR_SILENT)
        end = w[-1] if w else ""
        if end == "ة":
            parts.append((core, core + "t") if k < len(words) - 1 else (core, core + "t"))
        elif end == "ه":
            parts.append((core + "h", core))
        else:
            parts.append((core,))
    keys: set[str] = set()
    for combo in product(*parts):  # bounded: 2 readings of each ة multiply
        keys.add("".join(combo))
        if len(keys) >= MAX_ARABIC_VARIANTS:
            break
    return tuple(sorted(k for k in keys if k))


def _latin_words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’'`ʿʾ‘]", "", text)
    # a doubled letter is one Arabic letter with shadda ("Raqqa", "Ma'arrat")
    words = [_collapse(w) for w in re.split(r"[^a-z]+", text) if w]
    # "al-Numan", "as Salamiyah", "El Fasher": the article; "Deir ez-Zor": also inside a name
    return [w for k, w in enumerate(words) if not (w in _ARTICLES and k < len(words) - 1)]


@lru_cache(maxsize=400_000)
def latin_keys(name: str) -> tuple[str, ...]:
    """Skeleton keys of a Latin-script name (several where a letter is ambiguous)."""
    pieces: list[tuple[str, ...]] = []
    for w in _latin_words(name):
        if w.startswith("al") and len(w) > 4 and w[2] not in "aeiou":
            w = w[2:]  # "Alqusayr"
        if len(w) > 2 and w.endswith("h") and w[-2] in "aeiou":
            w = w[:-1]  # "Hamah", "Raqqah": a silent ta marbuta
        pieces.extend(_LATIN_CLASSES.get(unit, ("",)) for unit in _LATIN_UNITS.findall(w))
    keys: set[str] = set()
    for combo in product(*pieces):
        keys.add("".join(combo))
        if len(keys) >= MAX_VARIANTS:
            break
    return tuple(sorted(k for k in keys if k))


@lru_cache(maxsize=200_000)
def romanise(arabic: str) -> str:
    """A plain vowelled romanisation of an Arabic name, for similarity ranking."""
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in arabic.split()]
    return " ".join("".join(_AR_ROMAN.get(ch, "") for ch in w) for w in words)


@lru_cache(maxsize=400_000)
def _latin_plain(latin: str) -> str:
    return "".join(_latin_words(latin))


def similarity(arabic: str, latin: str) -> float:
    """0-100: how well a Latin name fits an Arabic one (consonants and vowels)."""
    return float(fuzz.ratio(romanise(arabic).replace(" ", ""), _latin_plain(latin)))
