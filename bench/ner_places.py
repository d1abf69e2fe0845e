"""Place recognition judged by hand-labelled named entities that no one here wrote (issue 12).

NewsFANE Gold (../shared/data/arabic_news_ner: the ANERcorp newswire, 168k tokens, each labelled
by hand with one of 50 entity classes) says, for every word, whether it names a place (a nation,
a population centre, a province, a district, a building, a water body...), an organisation, a
person, or nothing. The sentences are read in blocks of BLOCK (the corpus marks no article
boundaries) and geocoded as ``hadath geocode`` does; each mention resolved to a point is then
sorted by the labels of the words it covers:

- ``place``: a place class (a capital standing for its government, labelled Government, is
  counted apart as ``metonymy``: the judging guide calls it right);
- ``entity``: a person, an organisation, a club, a work (a name, but not of a place here);
- ``word``: no entity at all (a common word taken for a place);
- ``reference``: a word that refers back to a town (المدينة، البلدة), which no label names.

It also reports recall: the share of labelled towns, provinces, districts and airports that some
resolved mention covers. Blocks alternate between a **dev** half (looked at when changing rules)
and a **test** half (only reported). No corpus text is written.

    python bench/ner_places.py [--split dev|test|both] [--show word|entity]
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections import Counter

from common import shared, write_result

from hadath.extract.geocode import geocode

BLOCK = 10  # sentences per pseudo-article
PLACE = frozenset({"Nation", "Population-Center", "State-or-Province", "County-or-District",
                   "GPE-Cluster", "Continent", "Water-Body", "Land", "Land-Region-Natural",
                   "Path", "Airport", "Subarea-Facility", "Building-Grounds", "Celestial"})
METONYMY = frozenset({"Government"})
RECALLED = frozenset({"Population-Center", "State-or-Province", "County-or-District", "Airport"})


def sentences() -> list[list[tuple[str, str]]]:
    """NewsFANE as sentences of (token, tag), without the marks of direction it carries."""
    path = shared("arabic_news_ner", "NewsFANE_Gold_2014_170K.txt.gz")
    out: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with gzip.open(path, "rt", encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.rstrip("\r\n").replace("\u200e", "").replace("\ufeff", "")
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0]:
                if cur:
                    out.append(cur)
                    cur = []
                continue
            cur.append((parts[0], parts[1]))
    if cur:
        out.append(cur)
    return out


# ANERcorp writes some clitics as words of their own ("قوم ه", "ب القاهرة"): they are joined
# back to their word, as news is written, before the text is geocoded
SUFFIXES = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا"})
PREFIXES = frozenset({"و", "ف", "ب", "ل", "ك"})


def blocks(sents: list[list[tuple[str, str]]]):
    """(index, text, tokens with (start, end, tag)) for each block of BLOCK sentences."""
    for b in range(0, len(sents), BLOCK):
        text, toks = "", []
        for sent in sents[b:b + BLOCK]:
            glue = True
            for k, (tok, tag) in enumerate(sent):
                suffix = tok in SUFFIXES and k and sent[k - 1][0].isalpha()
                if suffix and text.endswith("ة"):
                    text = text[:-1] + "ت"  # "رسالة ه" is written "رسالته"
                if text and not glue and not suffix:
                    text += " "
                toks.append((len(text), len(text) + len(tok), tag))
                text += tok
                glue = tok in PREFIXES and k + 1 < len(sent) and sent[k + 1][0].isalpha()
            text += "\n"
        yield b // BLOCK, text, toks


def _class(tag: str) -> str:
    return tag.split("-", 1)[1] if "-" in tag else ""


REFERENCES = frozenset({"المدينة", "البلدة", "القرية", "العاصمة", "المنطقة", "المخيم", "الحي",
                        "المطار"})


def verdict(start: int, end: int, toks, text: str) -> str:
    if text[start:end].strip() in REFERENCES:
        return "reference"  # "المدينة" refers to a town named before: no entity label says
    classes = {_class(t) for s, e, t in toks if s < end and e > start} - {""}
    if classes & PLACE:
        return "place"
    if classes & METONYMY:
        return "metonymy"
    return "entity" if classes else "word"


def gold_places(toks) -> list[tuple[int, int]]:
    """Spans of the labelled towns, provinces, districts and airports."""
    spans: list[list[int]] = []
    for s, e, t in toks:
        if t.startswith("B-") and _class(t) in RECALLED:
            spans.append([s, e])
        elif t.startswith("I-") and _class(t) in RECALLED and spans and spans[-1][1] + 1 >= s:
            spans[-1][1] = e
    return [(s, e) for s, e in spans]


def run(split: str, show: str | None) -> dict:
    counts: Counter = Counter()
    found = total = 0
    for k, text, toks in blocks(sentences()):
        if (k % 2 == 0) != (split == "dev"):
            continue
        resolved = [m for m in geocode(text) if m.lat is not None and m.precision]
        for m in resolved:
            v = verdict(m.start, m.end, toks, text)
            counts[v] += 1
            if show == v:
                line = text.rfind("\n", 0, m.start) + 1
                stop = text.find("\n", m.end)
                left = text[max(line, m.start - 90):m.start]
                print(f"{v}: {left}[[{text[m.start:m.end]}]]{text[m.end:min(stop, m.end + 50)]}"
                      f"  -> {m.name} ({m.feature})")
        for s, e in gold_places(toks):
            total += 1
            found += any(m.start < e and m.end > s for m in resolved)
    n = sum(counts.values())
    return {"mentions": n, **{f"share_{k}": round(counts[k] / n, 4) for k in
                              ("place", "metonymy", "reference", "entity", "word")},
            "counts": dict(counts), "gold_places": total,
            "recall": round(found / total, 4) if total else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--show", choices=("word", "entity", "metonymy", "place", "reference"),
                    default=None,
                    help="print the dev mentions of that verdict in their context (dev only)")
    args = ap.parse_args()
    splits = ("dev", "test") if args.split == "both" else (args.split,)
    if args.show and splits != ("dev",):
        sys.exit("--show prints the dev split only: pass --split dev")
    res = {s: run(s, args.show) for s in splits}
    for s, r in res.items():
        print(f"{s}: {r['mentions']} resolved mentions: place {r['share_place']:.1%}, capital for "
              f"its government {r['share_metonymy']:.1%}, a word referring back "
              f"{r['share_reference']:.1%}, another kind of name "
              f"{r['share_entity']:.1%}, not a name {r['share_word']:.1%}; labelled towns, "
              f"provinces and districts found {r['recall']:.1%} of {r['gold_places']}",
              file=sys.stderr)
    if args.split == "both" and not args.show:
        print(f"written to {write_result('ner_places', res)}")


if __name__ == "__main__":
    main()
