"""A large synthetic store for measuring the views at scale (issue 15, item 4).

The ANT articles are extracted once (or a saved extraction is read: ``--articles``), then
written again and again through the store's own writer (``hadath ingest``'s path: documents,
reports, merging, claims, tolls), each copy shifted in time (``--shift-days`` per copy) and in
space (a few kilometres per copy, so that copies do not merge with each other) and given a
document of its own (a stub text naming the copy; no article text is stored). Kinds, actors,
claims and fatalities are kept, so the store has the mix of a real one.

    python bench/synth_store.py --events 100000 --db /tmp/synth_100k.db
    python bench/synth_store.py --events 1000000 --db /tmp/synth_1m.db    # about 1M events
    python bench/synth_store.py --events 300000 --db postgresql://...      # PostgreSQL

Writes bench/results/synth_store_<N>.json: events, reports and documents stored, wall and CPU
time (the machine may be shared), reports written per second, and the store's size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from common import ant_articles, write_result

from hadath.ingest import Document, IngestReport, Item, _commit
from hadath.models import Article
from hadath.store import Store

BATCH = 500


def extracted(limit: int, saved: Path | None) -> list[tuple[Document, Article]]:
    """The ANT articles that have events, with their extraction (read from ``saved`` if given,
    else extracted now and saved next to the store for the next run)."""
    from hadath.extract import extract

    if saved is not None and saved.is_file():
        out = []
        with saved.open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                doc = Document(text="", doc_id=d["doc_id"], source=d.get("source"),
                               date=dt.date.fromisoformat(d["date"]) if d.get("date") else None)
                out.append((doc, Article.model_validate(d["article"])))
        return out[:limit] if limit else out
    out = []
    for _, a, day in ant_articles(limit):
        art = extract(a.get("text") or "", date=day, doc_id=a.get("docno"), source=a.get("src"))
        if art.events:
            out.append((Document(text="", doc_id=a.get("docno"), date=day,
                                 source=a.get("src")), art))
    if saved is not None:
        with saved.open("w", encoding="utf-8") as fh:
            for doc, art in out:
                fh.write(json.dumps({"doc_id": doc.doc_id, "source": doc.source,
                                     "date": doc.date.isoformat() if doc.date else None,
                                     "article": json.loads(art.model_dump_json())},
                                    ensure_ascii=False) + "\n")
    return out


def shifted(doc: Document, art: Article, copy: int, days: int) -> tuple[Item, Article]:
    """Copy ``copy`` of an article: dates moved by copy*days, points by about 3 km per copy."""
    delta = dt.timedelta(days=copy * days)
    dlat = 0.027 * ((copy % 40) - 20)
    dlon = 0.027 * ((copy // 40 % 40) - 20)
    events = []
    for ev in art.events:
        place = ev.place
        if place is not None and place.lat is not None:
            place = place.model_copy(update={"lat": place.lat + dlat, "lon": place.lon + dlon,
                                             "gazetteer_id": f"{place.gazetteer_id}~{copy}"})
        events.append(ev.model_copy(update={
            "id": f"{ev.id}~{copy}", "place": place,
            "date": ev.date + delta if ev.date else None}))
    text = f"synthetic copy {copy} of {doc.doc_id}"
    new_doc = Document(text=text, doc_id=f"{doc.doc_id}~{copy}", source=doc.source,
                       date=doc.date + delta if doc.date else None)
    return Item(new_doc, f"synth:{copy}"), art.model_copy(update={"events": events, "tolls": []})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000,
                    help="stop once the store holds this many events (reports merge as in a real store)")
    ap.add_argument("--db", required=True, help="a new SQLite file or a database URL")
    ap.add_argument("--articles", type=int, default=0, help="ANT lines to extract (0: all)")
    ap.add_argument("--shift-days", type=int, default=3)
    ap.add_argument("--saved", type=Path, default=Path("/tmp/hadath_ant_extracted.jsonl"),
                    help="a saved extraction to read (written on the first run)")
    ap.add_argument("--resume", action="store_true",
                    help="go on writing into an existing store (copies it already holds are skipped)")
    args = ap.parse_args()
    if "://" not in args.db and Path(args.db).exists() and not args.resume:
        sys.exit(f"{args.db} exists: give a new path, or --resume")
    base = extracted(args.articles, args.saved)
    per_copy = sum(len(a.events) for _, a in base)
    print(f"{len(base)} articles with {per_copy} events per copy", file=sys.stderr)
    store = Store(args.db)
    report = IngestReport()
    started, cpu = time.perf_counter(), time.process_time()
    copy = written = 0
    if args.resume:  # the copies already written whole (a document each per article)
        held = store.counts()
        copy = held["documents"] // len(base)
        report.events_new = held["events"]
        print(f"resuming at copy {copy} with {held['events']:,} events", file=sys.stderr)
    batch: list[tuple[Item, Article]] = []
    while report.events_new < args.events:
        for doc, art in base:
            batch.append(shifted(doc, art, copy, args.shift_days))
            written += len(art.events)
            if len(batch) >= BATCH:
                _commit(store, batch, report)
                batch = []
                elapsed = time.perf_counter() - started
                print(f"{report.events_new:,} events from {written:,} reports in {elapsed:.0f} s "
                      f"({written / elapsed:,.0f} reports/s)", file=sys.stderr)
                if report.events_new >= args.events:
                    break
        copy += 1
    _commit(store, batch, report)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(file=sys.stderr)
    counts = store.counts()
    size = os.path.getsize(args.db) / 2**20 if "://" not in args.db else None
    res = {"target_events": args.events, "copies": copy, "wall_seconds": round(wall, 1),
           "cpu_seconds": round(cpu, 1),
           "reports_per_second": round(written / wall), "counts": counts,
           "store_mb": round(size, 1) if size else None, "db": "sqlite" if size else "url",
           "new_events": report.events_new, "merged_reports": report.events_merged}
    path = write_result(f"synth_store_{args.events}", res)
    print(json.dumps(res), "->", path)


if __name__ == "__main__":
    main()
