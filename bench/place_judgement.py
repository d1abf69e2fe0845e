"""A hand-judged sample of the place mentions hadath resolves in real ANT articles (issue 12).

Three steps:

    python bench/place_judgement.py sample [--n 300] [--seed 20261130]
        Shuffles the ANT articles (seed fixed; the hand-coded gold articles of eval/articles.tsv
        left out), geocodes each as ``hadath geocode`` does, and keeps one resolved mention
        (a point, precision 1-5) per article, drawn by a hash of the seed, the article and the
        offsets (so that a change to the resolver redraws only where it changes the drawn
        mention), until --n mentions. Writes
        eval/places_sample.tsv: article id, offsets, the mention and the gazetteer row it
        resolved to. No article text is written.
    python bench/place_judgement.py show [--first 1] [--last 300] [--unjudged] > /tmp/to_judge.txt
        Prints each sampled mention in its sentence (read from ../shared) with the row, for a
        judge (--unjudged: only those without a verdict yet). Keep the printout outside the
        repository.
    python bench/place_judgement.py score
        Reads the verdicts in eval/places_judged.tsv and writes the shares, overall, by
        country and by precision, to bench/results/place_judgement.json.

A verdict belongs to a mention and the row it resolved to (article, offsets, gazetteer id), not
to a sample id: after a change to the resolver the same seed draws the same articles, mentions
resolved as before keep their verdicts, and only new or changed ones need judging. Verdicts:
``right`` (the place meant, at the right point for its precision), ``wrong`` (a real place but
not the one meant, or the right name at a wrong point or level) and ``not_place`` (the words are
not a place name here). The judges were helpers who read only the guide in
eval/places_judging.md and the printout, never the code.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import gzip
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

from common import ROOT, shared, write_result

from hadath.extract.geocode import geocode
from hadath.geo import default_gazetteer
from hadath.geo.search import region_of
from hadath.gold import read_articles
from hadath.text import sentence_spans

ANT = ("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
SAMPLE = ROOT / "eval" / "places_sample.tsv"
JUDGED = ROOT / "eval" / "places_judged.tsv"
JUDGED_FIELDS = ("docno", "start", "end", "gazetteer_id", "verdict", "note")
FIELDS = ("id", "docno", "start", "end", "mention", "gazetteer_id", "name", "name_ar",
          "feature", "country", "admin1", "lat", "lon", "precision")
VERDICTS = ("right", "wrong", "not_place")


def _all_articles() -> dict[str, dict]:
    """Every ANT article by its id (docno)."""
    out = {}
    with gzip.open(shared(*ANT), "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out[d["docno"]] = d
    return out


def _gold_docnos() -> set[str]:
    """The gold articles of the dev and test splits. (The fresh split, drawn later, is not
    left out: leaving more articles out reshuffles every sample; goldtool.py more draws no
    article that a sample holds.)"""
    path = ROOT / "eval" / "articles.tsv"
    with path.open(encoding="utf-8") as fh:
        return {r["docno"] for r in csv.DictReader((ln for ln in fh if not ln.startswith("#")),
                                                   delimiter="\t") if r["split"] in ("dev", "test")}


def sample(n: int, seed: int, out: Path, exclude: list[Path]) -> None:
    texts = _all_articles()
    skip = _gold_docnos() | {r["docno"] for p in exclude for r in _read(p)}
    ids = sorted(d for d in texts if d not in skip)
    rng = random.Random(seed)
    gaz = default_gazetteer()
    rng.shuffle(ids)
    rows: list[dict] = []
    seen = 0
    for docno in ids:
        if len(rows) >= n:
            break
        text = texts[docno].get("text") or ""
        seen += 1
        resolved = [m for m in geocode(text) if m.lat is not None and m.precision]
        if not resolved:
            continue
        # the mention whose (seed, article, offsets) hash is least: a change elsewhere in the
        # article, or in other articles, does not change which mention is drawn
        m = min(resolved, key=lambda x: hashlib.sha1(
            f"{seed}:{docno}:{x.start}:{x.end}".encode()).hexdigest())
        row = gaz.get(m.gazetteer_id) if m.gazetteer_id else None
        rows.append({"id": len(rows) + 1, "docno": docno, "start": m.start, "end": m.end,
                     "mention": m.mention, "gazetteer_id": m.gazetteer_id, "name": m.name or "",
                     "name_ar": m.name_ar or "", "feature": m.feature or "",
                     "country": (row.country if row else "") or "",
                     "admin1": (region_of(gaz, row) if row else "") or "",
                     "lat": m.lat, "lon": m.lon, "precision": m.precision})
        if len(rows) % 50 == 0:
            print(f"{len(rows)}/{n} mentions from {seen} articles", file=sys.stderr)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True).stdout.strip()
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# bench/place_judgement.py sample --n {n} --seed {seed} at {commit}"
                 f"{' (articles of ' + ', '.join(p.name for p in exclude) + ' left out)' if exclude else ''}: "
                 f"{len(rows)} mentions from {seen} ANT articles (no article text kept)\n")
        w = csv.DictWriter(fh, FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _read(path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))


def _key(r: dict) -> tuple[str, str, str, str]:
    return (r["docno"], str(r["start"]), str(r["end"]), r["gazetteer_id"])


def _verdicts() -> dict[tuple, dict]:
    return {_key(j): j for j in _read(JUDGED)} if JUDGED.is_file() else {}


def show(path: Path, first: int, last: int, unjudged: bool) -> None:
    done = _verdicts() if unjudged else {}
    rows = [r for r in _read(path) if first <= int(r["id"]) <= last and _key(r) not in done]
    texts = read_articles(shared(*ANT), {r["docno"] for r in rows})
    for r in rows:
        text = texts[r["docno"]].get("text") or ""
        s, e = int(r["start"]), int(r["end"])
        sent = next(((a, b) for a, b in sentence_spans(text) if a <= s < b), (max(0, s - 200), e + 200))
        title = texts[r["docno"]].get("title") or ""
        print(f"## {r['id']}  (article title: {title})")
        print(text[sent[0]:s] + "[[" + text[s:e] + "]]" + text[e:sent[1]])
        print(f"-> {r['name_ar']} / {r['name']} ({r['feature']}, {r['admin1'] or '-'}, "
              f"{r['country'] or '-'}) at {float(r['lat']):.4f}, {float(r['lon']):.4f}, "
              f"precision {r['precision']}, {r['gazetteer_id']}")
        print()


def score(path: Path, name: str) -> None:
    sample_rows = _read(path)
    verdicts = _verdicts()
    bad = [k for k, j in verdicts.items() if j["verdict"] not in VERDICTS]
    if bad:
        sys.exit(f"{JUDGED}: unknown verdicts for {bad}")
    pairs = [(r, verdicts[_key(r)]) for r in sample_rows if _key(r) in verdicts]
    total = Counter(j["verdict"] for _, j in pairs)
    by_country: dict[str, Counter] = {}
    by_precision: dict[str, Counter] = {}
    for r, j in pairs:
        by_country.setdefault(r["country"] or "-", Counter())[j["verdict"]] += 1
        by_precision.setdefault(r["precision"], Counter())[j["verdict"]] += 1
    n = sum(total.values())
    result = {
        "judged": n, "of_sample": len(sample_rows), "unjudged": len(sample_rows) - n,
        "sample": f"{path.relative_to(ROOT)}: " + path.read_text(encoding="utf-8").splitlines()[0].lstrip("# "),
        **{f"share_{v}": round(total[v] / n, 4) if n else None for v in VERDICTS},
        "counts": dict(total),
        "by_country": {c: dict(v) for c, v in sorted(by_country.items(), key=lambda kv: -sum(kv[1].values()))},
        "by_precision": {p: dict(v) for p, v in sorted(by_precision.items())},
    }
    write_result(name, result)
    print({k: result[k] for k in ("judged", "unjudged", "share_right", "share_wrong",
                                  "share_not_place")})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=Path, default=SAMPLE,
                    help="the sample file (default eval/places_sample.tsv)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sample")
    p.add_argument("--n", type=int, default=300)
    p.add_argument("--seed", type=int, default=20261130)
    p.add_argument("--exclude", type=Path, action="append", default=[],
                   help="leave out the articles of this sample file")
    p = sub.add_parser("show")
    p.add_argument("--first", type=int, default=1)
    p.add_argument("--last", type=int, default=10**9)
    p.add_argument("--unjudged", action="store_true", help="only mentions without a verdict")
    p = sub.add_parser("score")
    p.add_argument("--name", default=None, help="result name (default from the sample file)")
    args = ap.parse_args()
    path = args.sample if args.sample.is_absolute() else (Path.cwd() / args.sample)
    if args.cmd == "sample":
        sample(args.n, args.seed, path, args.exclude)
    elif args.cmd == "show":
        show(path, args.first, args.last, args.unjudged)
    else:
        score(path, args.name or "place_judgement" + path.stem.removeprefix("places_sample"))


if __name__ == "__main__":
    main()
