"""Article-level accuracy against the gold coded by hand (eval/gold/, docs/coding.md).

Runs ``hadath evaluate --gold`` logic on the dev and the test split of the ANT articles the gold
refers to, and writes bench/results/gold_eval.json. ``--predictions FILE`` scores a saved run
instead (JSON Lines of hadath Article records, e.g. from an older version, for "before" figures).

Usage: python bench/gold_eval.py [--split dev|test] [--predictions FILE] [--name NAME] [--show]
"""

from __future__ import annotations

import argparse
import json
import time

from common import ROOT, shared, write_result

from hadath.gold import extract_gold_articles, read_articles, read_gold, score
from hadath.lexicon import default_lexicon
from hadath.models import Article

ANT = ("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
SPLITS = ["dev", "test", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", action="append", choices=SPLITS)
    ap.add_argument("--predictions")
    ap.add_argument("--name", default="gold_eval")
    ap.add_argument("--show", action="store_true", help="print false positives and misses")
    args = ap.parse_args()
    out = {}
    for split in args.split or ["dev", "test"]:
        gold = read_gold(ROOT / "eval" / "gold", split)
        t0 = time.perf_counter()
        if args.predictions:
            with open(args.predictions, encoding="utf-8") as fh:
                arts = [Article.model_validate_json(line) for line in fh]
            predicted = {a.doc_id: a for a in arts}
        else:
            texts = read_articles(shared(*ANT), {g.docno for g in gold})
            predicted = dict(extract_gold_articles(gold, texts))
        res = score(gold, predicted, default_lexicon())
        res["seconds"] = round(time.perf_counter() - t0, 2)
        if not args.show:
            res.pop("false_positive_examples")
        out[split] = res
        print(split, json.dumps({k: res[k] for k in ("articles", "gold_events", "predicted_events",
                                                       "strict", "family", "attributes",
                                                       "contested", "no_event_articles",
                                                       "false_positives")}, ensure_ascii=False))
    path = write_result(args.name, {"predictions": args.predictions or "this version", **out})
    print("->", path)


if __name__ == "__main__":
    main()
