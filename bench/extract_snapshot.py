"""A snapshot of what extraction finds, to show that a speed change leaves the output unchanged.

Extracts the bundled examples (src/hadath/data/examples) and the first 300 lines of the ANT
corpus (ids from ``docno``, dates from ``time``, as ``hadath extract --jsonl`` reads them) with
the built-in lexicon and gazetteer only, and keeps, per article id, the sha256 of the canonical
JSON of everything extracted (events, tolls, background and unplaced events) with a compact
line per event (kind, date, gazetteer id and precision, actors, deaths, status). No news text
is kept: ids, digests and coded fields only.

tests/test_extract_snapshot.py re-extracts and compares, article by article. A speed change
must leave the snapshot as it is. After an intended accuracy change, regenerate it with
``--write`` and review the diff (``git diff tests/data/extract_snapshot.json``): each changed
line names an article and the events it gained or lost.

Usage: python bench/extract_snapshot.py [--write] [--examples-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "data" / "extract_snapshot.json"
SHARED = Path(os.environ.get("HADATH_SHARED", ROOT.parent / "shared"))
ANT = SHARED / "data" / "ant_corpus_arabic_news" / "ant_v2.1_middleeast_international.jsonl.gz"
ANT_LINES = 300
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})\.ar\.txt$")


Doc = tuple[str, str, dt.date | None, str | None]  # id, text, date, source


def example_docs() -> Iterator[Doc]:
    """(id, text, date, None) of each bundled example; the date is in the file name."""
    folder = resources.files("hadath") / "data" / "examples"
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        m = _DAY.search(f.name)
        if m:
            yield ("examples/" + f.name, f.read_text(encoding="utf-8"),
                   dt.date.fromisoformat(m[1]), None)


def ant_docs(lines: int = ANT_LINES) -> Iterator[Doc]:
    """(id, text, date, source) of the articles in the first ``lines`` lines of the ANT corpus, read as
    ``hadath extract --jsonl FILE --id-field docno --date-field time`` reads them."""
    from itertools import islice

    from hadath.errors import BadRecord
    from hadath.ingest import iter_jsonl

    for item in islice(iter_jsonl(str(ANT), None, "docno", "time"), lines):
        if not isinstance(item, BadRecord):
            yield "ant/" + str(item.doc_id), item.text, item.date, item.source


def entry(article) -> dict:
    """The digest of everything extracted from one article, and a line per event."""
    data = article.model_dump(mode="json")
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {"digest": hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16],
            "events": [_line(ev) for ev in article.events],
            "tolls": [t.value for t in article.tolls],
            "background": len(article.background), "unplaced": len(article.unplaced)}


def _line(ev) -> str:
    place = f"{ev.place.gazetteer_id or '-'}/{ev.place.precision}" if ev.place else "-"
    return (f"{ev.kind} {ev.date or '-'} {place} {ev.actor1 or '-'} > {ev.actor2 or '-'} "
            f"deaths={ev.fatalities} {ev.status}")


def snapshot(docs) -> dict[str, dict]:
    """Article id -> :func:`entry`, extracted with the built-in lexicon and gazetteer only
    (a user's store or HADATH_LEXICON_PATH would change what is found)."""
    from hadath.extract import extract
    from hadath.geo import Gazetteer
    from hadath.lexicon import Lexicon

    saved = os.environ.pop("HADATH_LEXICON_PATH", None)
    try:
        lex, gaz = Lexicon.load(), Gazetteer()
    finally:
        if saved is not None:
            os.environ["HADATH_LEXICON_PATH"] = saved
    return {doc_id: entry(extract(text, date=date, doc_id=doc_id, source=source, lexicon=lex,
                                  gazetteer=gaz))
            for doc_id, text, date, source in docs}


def compare(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    """One line per article whose extraction differs from the snapshot (empty: unchanged)."""
    out = []
    for doc_id in sorted(expected.keys() | found.keys()):
        a, b = expected.get(doc_id), found.get(doc_id)
        if a != b:
            out.append(f"{doc_id}: snapshot {json.dumps(a, ensure_ascii=False)}\n"
                       f"{' ' * len(doc_id)}  now      {json.dumps(b, ensure_ascii=False)}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help=f"write {SNAPSHOT.relative_to(ROOT)}")
    ap.add_argument("--examples-only", action="store_true", help="leave out the ANT sample")
    args = ap.parse_args()
    with_ant = not args.examples_only and ANT.is_file()
    if not args.examples_only and not with_ant:
        print(f"note: {ANT} is not here; the examples only", file=sys.stderr)
    found = snapshot(example_docs())
    if with_ant:
        found.update(snapshot(ant_docs()))
    if args.write:
        if not with_ant:
            sys.exit("refusing to write a snapshot without the ANT sample")
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                            encoding="utf-8")
        print(f"{len(found)} articles written to {SNAPSHOT}")
        return
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if not with_ant:
        expected = {k: v for k, v in expected.items() if not k.startswith("ant/")}
    diff = compare(expected, found)
    print("\n".join(diff) or f"unchanged: {len(found)} articles")
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
