"""Tools for coding gold by hand: pick the articles, show one with offsets, find offsets, look up
a place's point in the shared gazetteers. Reads ``../shared``; copies no article text anywhere.

    python eval/goldtool.py select            # writes eval/articles.tsv (fixed seed)
    python eval/goldtool.py more SPLIT N SEED # appends N new articles of SPLIT (same strata)
    python eval/goldtool.py show DOCNO        # the article, each line prefixed by its offset
    python eval/goldtool.py find DOCNO TEXT   # [start, end) of each occurrence of TEXT
    python eval/goldtool.py place NAME [CC]   # gazetteer rows (GeoNames, WOF) whose name matches
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("HADATH_SHARED", HERE.parent.parent / "shared"))
ANT = SHARED / "data/ant_corpus_arabic_news/ant_v2.1_middleeast_international.jsonl.gz"
LIST = HERE / "articles.tsv"

# Theatre of an article, from its headline. Ordered: the first match wins.
THEATRES = {
    "syria": r"سوري|دمشق|حلب|إدلب|ادلب|الغوطة|درعا|دير الزور|الرقة|حمص|حماة|عفرين|دوما",
    "yemen": r"اليمن|الحوثي|صنعاء|الحديدة|عدن|تعز|مأرب|صعدة",
    "iraq": r"العراق|بغداد|الموصل|كركوك|الأنبار|الحشد الشعبي|البصرة",
    "palestine": r"غزة|الضفة الغربية|الفلسطيني|حماس|القدس|رام الله|الخليل|نابلس",
    "libya": r"ليبيا|الليبي|بنغازي|درنة|سرت|حفتر|مصراتة",
    "lebanon": r"لبنان|بيروت|حزب الله",
    "egypt": r"سيناء|مصر|القاهرة|العريش",
    "sudan": r"السودان|دارفور|الخرطوم",
    "afghanistan": r"أفغانستان|طالبان|كابل",
    "somalia": r"الصومال|مقديشو",
    "sahel_nigeria": r"نيجيريا|بوكو حرام|مالي|النيجر|بوركينا",
    "turkey": r"تركيا|أنقرة|حزب العمال",
}
QUOTA = {"syria": 30, "yemen": 18, "iraq": 16, "palestine": 18, "libya": 14, "lebanon": 12,
         "egypt": 12, "sudan": 10, "afghanistan": 8, "somalia": 6, "sahel_nigeria": 6,
         "turkey": 6, "other": 10}
VIOLENT = r"قتل|مقتل|قتلى|غار|هجوم|اشتباك|معارك|قصف|انفجار|تفجير|سيطر|استعاد|اعتقال|تظاهر|احتجاج|صاروخ|كمين|اختطاف|نزوح|انسحاب|هدنة"
MAX_CHARS = 6000
N_TEST = 56


def articles():
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def theatre(title: str) -> str:
    for name, rx in THEATRES.items():
        if re.search(rx, title):
            return name
    return "other"


def select() -> None:
    """Per theatre, two thirds with a violent word in the headline, one third at random."""
    pools: dict[tuple[str, bool], list[str]] = {}
    for d in articles():
        text, title = d.get("text") or "", d.get("title") or ""
        if not text or len(text) > MAX_CHARS:
            continue
        key = (theatre(title), bool(re.search(VIOLENT, title)))
        pools.setdefault(key, []).append(d["docno"])
    rng = random.Random(20261130)
    chosen: list[tuple[str, str]] = []
    for th, n in QUOTA.items():
        violent = sorted(pools.get((th, True), []))
        calm = sorted(pools.get((th, False), []))
        k = min(len(violent), round(n * 2 / 3))
        picked = rng.sample(violent, k) + rng.sample(calm, min(len(calm), n - k))
        chosen += [(d, th) for d in picked]
    order = sorted(chosen, key=lambda x: hashlib.sha1(x[0].encode()).hexdigest())
    test = {d for d, _ in order[:N_TEST]}
    with open(LIST, "w", encoding="utf-8") as fh:
        fh.write("docno\ttheatre\tsplit\n")
        for d, th in chosen:
            fh.write(f"{d}\t{th}\t{'test' if d in test else 'dev'}\n")
    print(f"{len(chosen)} articles, {len(test)} test -> {LIST}")


def more(split: str, n: str, seed: str) -> None:
    """Appends ``n`` articles not yet listed, as ``split``, drawn as ``select`` draws (the same
    strata and shares, a new seed): a fresh sample to measure on before reading its errors."""
    listed = {line.split("\t")[0] for line in LIST.read_text(encoding="utf-8").splitlines()[1:]}
    # nor an article of the hand-judged place samples (bench/place_judgement.py leaves the gold
    # articles out of its draw: a new gold article there would redraw a judged sample)
    for sample in HERE.glob("places_sample*.tsv"):
        listed |= {line.split("\t")[1] for line in sample.read_text(encoding="utf-8").splitlines()[1:]}
    pools: dict[tuple[str, bool], list[str]] = {}
    for d in articles():
        text, title = d.get("text") or "", d.get("title") or ""
        if not text or len(text) > MAX_CHARS or d["docno"] in listed:
            continue
        pools.setdefault((theatre(title), bool(re.search(VIOLENT, title))), []).append(d["docno"])
    rng = random.Random(int(seed))
    total, want = sum(QUOTA.values()), int(n)
    chosen: list[tuple[str, str]] = []
    for th, q in QUOTA.items():
        k_all = max(1, round(want * q / total))
        violent = sorted(pools.get((th, True), []))
        calm = sorted(pools.get((th, False), []))
        k = min(len(violent), round(k_all * 2 / 3))
        chosen += [(d, th) for d in rng.sample(violent, k) + rng.sample(calm, min(len(calm), k_all - k))]
    with open(LIST, "a", encoding="utf-8") as fh:
        for d, th in chosen[:want]:
            fh.write(f"{d}\t{th}\t{split}\n")
    print(f"{min(want, len(chosen))} articles of {split} appended to {LIST}")


def get(docno: str) -> dict:
    for d in articles():
        if d["docno"] == docno:
            return d
    sys.exit(f"no article {docno}")


def show(docno: str) -> None:
    d = get(docno)
    print(f"docno: {docno}\ntitle: {d.get('title')}\ntime: {d.get('time')}\n"
          f"author: {d.get('author')}\nsrc: {d.get('src')}\n--- text (offset: line) ---")
    pos = 0
    for line in d["text"].split("\n"):
        print(f"{pos:5d}: {line}")
        pos += len(line) + 1


def find(docno: str, needle: str) -> None:
    text = get(docno)["text"]
    hits = [m.start() for m in re.finditer(re.escape(needle), text)]
    if not hits:
        print("not found")
    for h in hits:
        print(f"[{h}, {h + len(needle)}]")


def place(query: str, cc: str | None = None) -> None:
    from rapidfuzz import fuzz  # only for the look-up
    q = query.strip()
    rows = []
    gn = SHARED / "data/syria_gazetteer/geonames_cities500_SY_IQ_LB_JO_TR.tsv"
    with open(gn, encoding="utf-8") as fh:
        for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            names = [r[1], r[2]] + r[3].split(",")
            if cc and r[8] != cc:
                continue
            score = max(fuzz.ratio(q, n) for n in names if n)
            if score >= 88:
                rows.append((score, "geonames", r[1], r[8], r[10], r[4], r[5], r[7], r[14]))
    for f in sorted((SHARED / "data/wof_gazetteer").glob("wof_*.tsv.gz")):
        country = f.name[4:6]
        if cc and country != cc:
            continue
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            next(fh)
            for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                names = [r[1], r[2]] + r[3].split("|")
                score = max(fuzz.ratio(q, n) for n in names if n)
                if score >= 88:
                    rows.append((score, "wof", f"{r[2]} / {r[1]}", country, r[6], r[4], r[5],
                                 r[8], r[7]))
    for r in sorted(rows, key=lambda x: -x[0])[:25]:
        print("\t".join(str(x) for x in r))
    if not rows:
        print("no match")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:] or ["help"]
    {"select": select, "more": more, "show": show, "find": find, "place": place}.get(
        cmd, lambda *a: print(__doc__))(*args)
