"""Save the extractor's output on the gold articles, to score another version against it.

Writes JSON Lines of hadath Article records (with evidence text: keep the file outside the
repository). For the "before" figures of the accuracy issue, run this file from a checkout of
the older version (e.g. ``git worktree add /tmp/old 884d89b`` and
``PYTHONPATH=/tmp/old/src python bench/gold_predictions.py /tmp/old_preds.jsonl``), then
``python bench/gold_eval.py --predictions /tmp/old_preds.jsonl --name gold_eval_before``.

Usage: python bench/gold_predictions.py OUT.jsonl
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from common import shared  # noqa: E402

from hadath.extract import extract  # noqa: E402


def main(out_path: str) -> None:
    want = {line.split("\t")[0] for line in (ROOT / "eval" / "articles.tsv").read_text().splitlines()[1:]}
    src = shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    n = 0
    with gzip.open(src, "rt", encoding="utf-8") as fh, open(out_path, "w", encoding="utf-8") as out:
        for line in fh:
            d = json.loads(line)
            if d["docno"] not in want:
                continue
            pub = dt.datetime.strptime(d["docno"].rsplit("-", 1)[1], "%Y%m%d").date()
            art = extract(d["text"], date=pub, doc_id=d["docno"], source=d.get("src"))
            out.write(art.model_dump_json() + "\n")
            n += 1
    print(f"{n} articles -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1])
