"""The store's writer alone, fed articles already extracted (issue 15, item 2).

The ANT articles are extracted once and kept in a pickle outside the repository
(``--cache``, default /tmp/hadath_writer_cache.pkl; the first run extracts, about a minute);
then a fresh SQLite store is written through ``hadath ingest``'s own path (``_commit``: a
transaction per batch of 50, documents with their text, reports, merging, claims, evidence,
tolls), and only that is timed (the median of --repeat runs). Reports articles written per second, reports per second, the
store's size per article, and a digest of the store's content (``Store.dump``) so that two
versions of the writer can be compared for the same content.

    python bench/writer.py [--limit N] [--name writer]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import ant_articles, write_result

from hadath.ingest import Document, IngestReport, Item, _commit
from hadath.store import Store

BATCH = 50  # articles per transaction, as `hadath ingest` commits them


def articles(limit: int, cache: Path) -> list[tuple[Item, object]]:
    """Every ANT article (up to ``limit``) with its extraction, from the cache when it holds
    at least that many."""
    if cache.is_file():
        with cache.open("rb") as fh:
            pairs = pickle.load(fh)
        if not limit or len(pairs) >= limit:
            return pairs[:limit] if limit else pairs
        sys.exit(f"{cache} holds {len(pairs)} articles, fewer than --limit {limit}: give a "
                 "smaller --limit (0: all), or another --cache to extract them again")
    from hadath.extract import extract

    pairs = []
    for k, a, day in ant_articles(limit):
        text = a.get("text") or ""
        doc = Document(text=text, doc_id=a.get("docno"), date=day, title=a.get("title"),
                       url=a.get("url"), source=a.get("src"))
        pairs.append((Item(doc, f"ant:{k + 1}"),
                      extract(text, date=day, doc_id=doc.doc_id, source=doc.source)))
    with cache.open("wb") as fh:
        pickle.dump(pairs, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return pairs


def content_digest(store: Store) -> str:
    """A digest of what the store holds, independent of row ids' layout on disk."""
    h = hashlib.sha256()
    for table, rows in sorted(store.dump().items()):
        h.update(table.encode())
        for row in rows:
            h.update(repr(row).encode())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="ANT lines (0: all)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/hadath_writer_cache.pkl"))
    ap.add_argument("--name", default="writer")
    ap.add_argument("--keep", type=Path, help="copy the store here")
    ap.add_argument("--repeat", type=int, default=3, help="runs (the median is reported)")
    args = ap.parse_args()
    pairs = articles(args.limit, args.cache)
    # the articles held for the runs are no garbage: kept out of the collector's passes, as an
    # ingest holds a batch at a time (else every full pass walks the whole extracted corpus)
    gc.freeze()
    runs = []
    for k in range(args.repeat):  # a shared machine: the median of a few runs
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "w.db"
            store = Store(path)
            report = IngestReport()
            t0 = time.perf_counter()
            c0 = time.process_time()
            for j in range(0, len(pairs), BATCH):
                _commit(store, pairs[j:j + BATCH], report)
            runs.append((time.perf_counter() - t0, time.process_time() - c0))
            if k == 0:
                counts = store.counts()
                with store.engine.connect() as conn:  # the size of the whole store, WAL included
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                size = path.stat().st_size
                digest = content_digest(store)
                if args.keep:
                    shutil.copyfile(path, args.keep)
            store.engine.dispose()
    wall, cpu = sorted(runs)[len(runs) // 2]
    n = len(pairs)
    result = {
        "articles": n, "new_articles": report.new, "events": counts.get("events"),
        "reports": counts.get("reports"), "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1), "articles_per_second": round(n / wall, 1),
        "reports_per_second": round((counts.get("reports") or 0) / wall, 1),
        "articles_per_second_runs": [round(n / w, 1) for w, _ in runs],
        "store_mb": round(size / 1e6, 1), "store_kb_per_article": round(size / 1e3 / n, 2),
        "content_digest": digest,
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=1))
    write_result(args.name, result)


if __name__ == "__main__":
    main()
