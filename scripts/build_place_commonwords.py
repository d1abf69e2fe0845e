"""Build src/hadath/data/place_commonwords.tsv: place names that are mostly common words.

A village named حربية، السكنية، الأمن or النصر is named far less often than the word is written.
This script reads a corpus of Arabic news (../shared/data/ant_corpus_arabic_news, 17k articles),
finds every name of the built-in gazetteer in it with the extractor's own matcher (clitics
peeled, the article required to agree), and counts, for each name, how often it occurs and how
often it stands where a place stands: right after a preposition of place (في، من، إلى، قرب...),
a feature or admin word (بلدة، قرية، مدينة، حي، مديرية، ناحية، ريف...) or a direction (شمال،
جنوب...). A name is listed when the corpus shows it is mostly a word:

- ``never``: every place of that name is a village and it occurs NEVER_SMALL times or more, or
  it occurs NEVER_MIN times or more and is mostly not in a place's position or is also a word:
  no village or town is written that often (جنوب البلاد، في البلدين).

- ``feature``: it occurs at least FEATURE_MIN times and at most FEATURE_SHARE of them in a
  place's position: even "في X" is too often the word, so it counts only after a feature word
  or in a locator phrase (بلدة النصر، جنوب النصر).
- ``feature`` too: its letters also form a noun (it takes tanween, "كمينا", or the other
  definiteness is common, "بلاد" / "البلاد") and stands after a preposition no more often than
  that other form; or every place of the name is a village and the name, which is also a
  word, occurs SMALL_FREQUENT times or more.
- ``cue`` too: a name of several words each of which is a common word (written WORD_MIN
  times or more: "علي حسين", a person's name), that does not open with a toponym's head word
  (عين، رأس، تل، باب...: such a name is never listed), and that the corpus shows in a place's position less than
  PHRASE_SHARE of the times it writes it.
- ``feature`` too: every place of the name is a village or a neighbourhood, and the corpus
  writes it IDIOM_MIN times or more, never right after a feature word or a locator (قرية،
  بلدة، جنوب...): an idiom after a preposition (في حينه، في بيانه، في طليعة), not the village.
- ``never`` too, for the rest of a village's name that opens with قرية or بلدة (it counts only
  after a feature word or a locator: "قرية العاصمة" -> العاصمة), when the counts call for
  never: "جنوب العاصمة لندن" is the capital.
- ``cue`` too: it reads as a clitic (ب، ل، ف، و، ك) and a noun that the corpus writes with the
  article more often than it writes the name (بعقوبة: "بعقوبة الإعدام", with the death penalty).
- ``cue``: it occurs at least CUE_MIN times and at most CUE_SHARE of them in a place's
  position (or at least CUE_MIN_COMMON times, at most CUE_SHARE_COMMON): it counts only after
  a preposition of place, a feature word or a locator phrase, never on its own, after an event
  word or as the adjective of the noun before it.

Names of governorates, districts and cities of over BIG_POPULATION people keep the usual rule
unless the share is below FEATURE_SHARE (their names are written as actors and in compounds),
or the name has no article and its letters, with the article, are written more often than
the name: a noun, that stands after a preposition as a place does (المشهد: "في مشهد تاريخي" is
a scene); such a name counts only after a feature word or in a locator phrase (مدينة مشهد).
The word lists here describe positions, not names: no place name is typed by hand.

    python scripts/build_place_commonwords.py [--shared ../shared/data] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hadath.text import normalize, normalize_key, sentence_spans, tokenize  # noqa: E402
from hadath.text.tokens import analyses  # noqa: E402

OUT = ROOT / "src" / "hadath" / "data" / "place_commonwords.tsv"
WORDS_OUT = ROOT / "src" / "hadath" / "data" / "place_commonwords_latin.tsv"
WORD_MIN = 20  # occurrences that make any word too common to be a Latin-only village's name
PREPOSITIONS = frozenset(normalize_key(w) for w in (
    "في", "من", "إلى", "الى", "نحو", "باتجاه", "داخل", "قرب", "حول", "عند", "صوب", "بين"))
PLACE_WORDS = frozenset(normalize_key(w) for w in (
    "مدينة", "بلدة", "قرية", "حي", "مخيم", "ناحية", "مديرية", "قضاء", "محافظة", "منطقة", "ريف",
    "عزلة", "مركز", "ولاية", "إقليم", "بلدتي", "قريتي", "مدينتي", "شمال", "جنوب", "شرق", "غرب",
    "شمالي", "جنوبي", "شرقي", "غربي", "أطراف", "محيط", "ضواحي", "مشارف", "مدخل", "وسط"))
CUE_MIN, CUE_SHARE = 12, 0.35
CUE_MIN_COMMON, CUE_SHARE_COMMON = 80, 0.5
FEATURE_MIN, FEATURE_SHARE = 40, 0.12
# A village's (or neighbourhood's) name is rarely written in a corpus of regional news: one
# that is written FEATURE_MIN times and no more than SMALL_FEATURE_SHARE of them in a place's
# position, or CUE_MIN times and no more than SMALL_CUE_SHARE, is mostly a word.
SMALL_FEATURE_SHARE, SMALL_CUE_SHARE = 0.25, 0.5
# First words of place names that are words too (عين عيسى، رأس العين، تل أبيض، باب الهوى):
# such a name is a toponym, whatever its words.
TOPONYM_HEADS = frozenset(normalize_key(w) for w in (
    "عين", "رأس", "راس", "تل", "دير", "كفر", "بيت", "باب", "جبل", "وادي", "خربة", "بئر", "بير",
    "سوق", "قصر", "قلعة", "جسر", "معبر", "مخيم", "سد", "نهر", "مرج", "سهل", "حي", "مزرعة",
    "جزيرة", "ميناء", "مطار", "قرية", "بلدة", "مدينة", "مديرية", "ناحية", "قضاء", "محافظة"))
PHRASE_SHARE = 0.3  # a name of common words needs this share in a place's position
ACCUSATIVE_MIN = 3  # occurrences of "Xا" that make an indefinite X a noun
NEVER_SMALL = 150  # occurrences no village's name reaches: a word, never a place
NEVER_MIN = 600  # occurrences of a town's name that is also a word (or mostly not a place)
SMALL_FREQUENT = 100  # occurrences no village's name reaches when its letters are not a word too
INFLECTED_MIN = 20  # occurrences of a name's other definiteness that make it a word too
BIG_POPULATION = 100_000
IDIOM_MIN = 15  # occurrences of a village's name, never after a feature word: an idiom
BIG_WORD_SHARE = 0.3  # a city's name that is also a word, this rarely in a place's position
_INDEX = None


def _init() -> None:
    global _INDEX
    from hadath.geo.gazetteer import Gazetteer, PlaceIndex

    gaz = Gazetteer()
    gaz.rules = {}  # every name, whatever the hand-kept list says
    _INDEX = PlaceIndex(gaz)


def _core(tok: str) -> str:
    return analyses(tok)[0].stem if len(tok) > 2 else tok


def count(texts: list[str]) -> tuple[Counter, Counter, Counter, Counter, Counter]:
    """For every name: occurrences, and those in a place's position; for every word reading
    (core and definiteness, as the matcher reads words): the same two counts, and those
    right after a feature word or a locator (not a bare preposition)."""
    total: Counter = Counter()
    placed: Counter = Counter()
    w_total: Counter = Counter()
    w_placed: Counter = Counter()
    w_featured: Counter = Counter()
    for text in texts:
        norm = normalize(text).text
        for s, e in sentence_spans(norm):
            tokens = tokenize(norm[s:e], s)
            at = [_placed(tokens, k) for k in range(len(tokens))]
            for k, t in enumerate(tokens):
                if not t.is_word:
                    continue
                for a in analyses(t.text):
                    key = f"{a.stem}|{int(a.definite)}"
                    w_total[key] += 1
                    w_placed[key] += at[k] > 0
                    w_featured[key] += at[k] == FEATURED
            seen = set()
            for m in _INDEX.find(tokens):
                key = (m.first, m.entry.text)
                if key in seen or m.size == 1:
                    continue
                seen.add(key)
                total[m.entry.text] += 1
                placed[m.entry.text] += at[m.first] > 0
    return total, placed, w_total, w_placed, w_featured


FEATURED = 2  # _placed: after a feature, admin or direction word


def _placed(tokens, k: int) -> int:
    """Where token k stands: FEATURED after a feature, admin or direction word without the
    article (بلدة X, جنوب X; not الشرق X), 1 after a preposition of place, 0 elsewhere."""
    if k == 0:
        return 0
    prev = tokens[k - 1].text
    readings = analyses(prev)
    if any(a.stem in PLACE_WORDS and not a.definite for a in readings):
        return FEATURED
    return int(prev in PREPOSITIONS or any(a.stem in PREPOSITIONS for a in readings))


def _key(name: str) -> str:
    """A one-word name's reading as the word counts hold it (core and definiteness)."""
    a = analyses(name)[0]
    return f"{a.stem}|{int(a.definite)}"


def one_word_stats(name: str, w_total: Counter, w_placed: Counter
                   ) -> tuple[int, int, int, int, int]:
    """(occurrences, placed) of a one-word name; (occurrences, placed) of its other
    definiteness (حربية / الحربية); and, for an indefinite word, of its accusative with
    tanween (كمين / كمينا), a form no place name takes."""
    a = analyses(name)[0]
    own = f"{a.stem}|{int(a.definite)}"
    other = f"{a.stem}|{int(not a.definite)}"
    acc = 0
    if not a.definite and not name.endswith(("ا", "ه", "ي", "و")):
        acc = w_total[f"{a.stem}ا|0"]
    return w_total[own], w_placed[own], w_total[other], w_placed[other], acc


def rule_for(n: int, placed: int, alt: int = 0, alt_placed: int = 0, acc: int = 0,
             small: bool = False) -> str:
    """The rule a name's counts call for ("" when it is not mostly a word). ``small``: every
    place of that name is a village or a neighbourhood."""
    if n == 0:
        return ""
    share = placed / n
    word_too = alt >= INFLECTED_MIN or acc >= ACCUSATIVE_MIN
    if (small and n >= NEVER_SMALL) or (n >= NEVER_MIN and (share < 0.6 or word_too)):
        return "never"  # "جنوب البلاد", "في البلدين": far too common for any village or town
    if n >= FEATURE_MIN and share <= FEATURE_SHARE:
        return "feature"
    if small and n >= FEATURE_MIN and share <= SMALL_FEATURE_SHARE:
        return "feature"  # "أدى إلى إلحاق": a village is not named forty times, mostly not as a place
    if acc >= ACCUSATIVE_MIN and acc >= 0.1 * n:
        return "feature"  # "نصبوا كمينا": a noun that takes tanween, so "في كمين" is a noun too
    if small and n >= SMALL_FREQUENT and word_too:
        return "feature"  # "في صفوف": a word, written far more often than a village is named
    if alt >= INFLECTED_MIN:
        # the same letters are a word with the other definiteness (بلاد / البلاد, طبقة /
        # الطبقة): a word. When the name stands after a preposition no more often than the
        # other form does, or the other form is the more common, a preposition says nothing.
        alt_share = alt_placed / alt
        return "feature" if alt >= n or share <= 1.5 * alt_share + 0.1 else "cue"
    if (n >= CUE_MIN and share <= CUE_SHARE) or (n >= CUE_MIN_COMMON and share <= CUE_SHARE_COMMON):
        return "cue"
    if small and n >= CUE_MIN and share <= SMALL_CUE_SHARE:
        return "cue"  # a village's name written a dozen times, half of them not as a place
    return ""


CLITICS = ("ب", "ل", "ف", "و", "ك")


def clitic_word(name: str, n: int, w_total: Counter) -> bool:
    """Whether a one-word name reads as a clitic and a noun that the corpus writes, with the
    article, more often than it writes the name (بعقوبة: ب + عقوبة, "العقوبة")."""
    rest = name[1:]
    if not n or not name.startswith(CLITICS) or len(rest) < 3 or rest.startswith("ال"):
        return False
    other = w_total[f"{analyses(rest)[0].stem}|1"]
    return other >= INFLECTED_MIN and other > n


def count_corpus(texts: list[str], jobs: int = 0
                 ) -> tuple[Counter, Counter, Counter, Counter, Counter]:
    chunks = [texts[k:k + 400] for k in range(0, len(texts), 400)]
    out: tuple[Counter, ...] = tuple(Counter() for _ in range(5))
    with ProcessPoolExecutor(jobs or None, initializer=_init) as pool:
        for counts in pool.map(count, chunks):
            for acc, c in zip(out, counts):
                acc.update(c)
    return out  # type: ignore[return-value]


def common_words(w_total: Counter) -> set[str]:
    """Words (cores, article aside) written WORD_MIN times or more."""
    words: Counter = Counter()
    for key, k in w_total.items():
        stem = key.rsplit("|", 1)[0]
        if len(stem) >= 3 and stem.isalpha():
            words[stem] += k
    return {w for w, k in words.items() if k >= WORD_MIN}


def all_names() -> set[str]:
    """Every normalised Arabic name (and spelling variant) of the built-in places."""
    from hadath.geo.builtin import place_phrases, source_rows

    return {v for r in source_rows() for v, need in place_phrases(r).items() if not need}


def feature_only_names() -> set[str]:
    """One-word names that count only after a feature word (the rest of a village's name that
    opens with قرية or بلدة: "قرية العاصمة" -> العاصمة) and are no place's name by themselves."""
    from hadath.geo.builtin import place_phrases, source_rows

    need = {v for r in source_rows() for v, nd in place_phrases(r).items() if nd}
    return {v for v in need - all_names() if " " not in v}


def small_names() -> set[str]:
    """Names every place of which is a village or a neighbourhood of under 10,000 people."""
    from hadath.geo.builtin import place_phrases, source_rows

    small: set[str] = set()
    other: set[str] = set()
    for r in source_rows():
        names = set(place_phrases(r))
        if r.feature in ("village", "neighbourhood") and r.population < 10_000:
            small |= names
        else:
            other |= names
    return small - other


def big_names() -> set[str]:
    from hadath.geo.builtin import place_phrases, source_rows

    out = set()
    for r in source_rows():
        if r.feature in ("admin1", "admin2", "area") and not r.gid.startswith("wofadm:") or \
                r.population >= BIG_POPULATION:
            out |= set(place_phrases(r))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=0)
    args = ap.parse_args(argv)
    src = args.shared / "ant_corpus_arabic_news" / "ant_v2.1_middleeast_international.jsonl.gz"
    if not src.is_file():
        sys.exit(f"{src} not found")
    texts = []
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line).get("text") or "")
            if args.limit and len(texts) >= args.limit:
                break
    stats = count_corpus(texts, args.jobs)
    big = big_names()
    small = small_names()
    names = all_names()
    total, placed, w_total, w_placed, w_featured = stats
    common = common_words(w_total)
    rows = []
    for name in sorted(names):
        if " " in name:
            n, pl, alt, alt_pl, acc = total[name], placed[name], 0, 0, 0
        else:
            n, pl, alt, alt_pl, acc = one_word_stats(name, w_total, w_placed)
        words = name.split()
        rule = "" if len(words) > 1 and words[0] in TOPONYM_HEADS else \
            rule_for(n, pl, alt, alt_pl, acc, name in small)
        if not rule and len(words) > 1 and n and pl / n < PHRASE_SHARE and \
                words[0] not in TOPONYM_HEADS and all(_core(w) in common for w in words):
            rule = "cue"  # "علي حسين", "ستار تركي": words (here, personal names) in a row
        if not rule and name in small and " " not in name and n >= IDIOM_MIN and \
                not w_featured[_key(name)]:
            rule = "feature"  # "في حينه", "في بيانه": a village is named with a feature word
        clitic = " " not in name and clitic_word(name, n, w_total)
        if clitic:
            rule = rule or "cue"  # "بعقوبة الإعدام": ب and a noun written more than the town
        if name in big and rule and n and not clitic:
            # a city's name is written as an actor (دمشق ترفض) and far more often than a
            # village's: frequency alone says nothing; its letters forming a word (الصور,
            # "the pictures") and rarely standing where a place stands do; so does a name
            # written without the article whose letters the corpus writes with the article
            # more often: a noun, which stands after a preposition as a place does (في مشهد
            # تاريخي, in a historic scene: "المشهد")
            word_too = alt >= INFLECTED_MIN or acc >= ACCUSATIVE_MIN
            if alt >= max(INFLECTED_MIN, n) and not analyses(name)[0].definite:
                rule = "feature" if rule == "never" else rule
            else:
                rule = "cue" if pl / n <= FEATURE_SHARE or (
                    word_too and pl / n < BIG_WORD_SHARE) else ""
        if rule:
            rows.append((name, rule, n, pl / n if n else 0.0, alt + acc))
    for name in sorted(feature_only_names()):
        # "جنوب العاصمة لندن": a locator before such a rest is still a word's; only "never"
        # is stricter than the feature word these names already need
        n, pl, alt, alt_pl, acc = one_word_stats(name, w_total, w_placed)
        if rule_for(n, pl, alt, alt_pl, acc, True) == "never":
            rows.append((name, "never", n, pl / n if n else 0.0, alt + acc))
    rows.sort(key=lambda r: (-r[2], r[0]))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# Built by scripts/build_place_commonwords.py from word counts of the ANT corpus "
                 "(no text kept): gazetteer names that are mostly common words.\n"
                 "# rule: never   - never a place;\n"
                 "#       feature - counts only after a feature word or in a locator phrase;\n"
                 "#       cue     - also after a preposition of place; never alone, after an event "
                 "word or as an adjective.\n"
                 "# count: occurrences in the corpus; placed: the share of them in a place's "
                 "position. place_stopwords.tsv (kept by hand) overrides this list.\n")
        fh.write("word\trule\tcount\tplaced\tother_forms\n")
        for name, rule, n, share, alt in rows:
            fh.write(f"{name}\t{rule}\t{n}\t{share:.2f}\t{alt}\n")
    common = sorted(common)
    with WORDS_OUT.open("w", encoding="utf-8") as fh:
        fh.write("# Built by scripts/build_place_commonwords.py from word counts of the ANT corpus "
                 f"(no text kept): words (normalised, without the article) written {WORD_MIN} times "
                 "or more.\n# A word of this list is never taken for a place known only by its "
                 "Latin name (\"في صفوف\" is not Safuf).\nword\n")
        fh.write("\n".join(common) + "\n")
    print(f"{len(common)} common words in {WORDS_OUT}", file=sys.stderr)
    print(f"{len(names)} names in {len(texts)} articles; {len(rows)} listed "
          f"({sum(r[1] == 'never' for r in rows)} never, {sum(r[1] == 'feature' for r in rows)} feature, {sum(r[1] == 'cue' for r in rows)} cue) "
          f"in {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
