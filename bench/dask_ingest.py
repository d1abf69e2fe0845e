"""Ingest the ANT corpus on a local Dask cluster of 1 and of 2 workers, against the plain
process pool, and time the single writer, to estimate where more workers would take it.

Each run ingests ../shared/data/ant_corpus_arabic_news (17k articles) into a fresh store
(SQLite by default; --pg URL adds a run of 2 Dask workers into PostgreSQL) and reports wall
time, articles/s, and the seconds spent writing (inside the store's write transactions: the
part no worker can take over). The 1-process run extracts inline, so its wall time less its
writer time is the extraction time of one worker; the writer's time in the 2-worker run gives
the writer's ceiling in articles/s; the estimate for N workers is min(N x the per-worker rate,
the writer's ceiling).

Usage: python bench/dask_ingest.py [--limit N] [--pg postgresql://...]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import tempfile
import time
from pathlib import Path

from common import peak_rss_mb, shared, write_result


def run_dask(label: str, src: Path, db: str, workers: int) -> dict:
    """A run on a local Dask cluster made here, so that its workers' peak memory can be read."""
    import logging

    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    cpu = lambda: sum(__import__("resource").getrusage(0)[:2])  # noqa: E731 (user + system s)
    try:
        before = client.run(cpu)
        out = run(label, src, db, cluster=client)
        after = client.run(cpu)
        out["workers_cpu_s"] = round(sum(after[w] - before[w] for w in after), 1)
        out["cpu_s"] = round(out["this_process_cpu_s"] + out["workers_cpu_s"], 1)
        # resource, not common.peak_rss_mb: the workers cannot import this folder's modules
        peaks = client.run(lambda: __import__("resource").getrusage(0).ru_maxrss / 1024)
        out["worker_peak_mb"] = sorted(round(v, 1) for v in peaks.values())
    finally:
        client.close()
        cluster.close()
    print(label, "worker peaks (MB):", out["worker_peak_mb"], flush=True)
    return out


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's children that have ended (a pool's)."""
    import resource

    return sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])


def run(label: str, src: Path, db: str, **kw) -> dict:
    import hadath.ingest as ingest_mod
    from hadath.ingest import InputOptions, ingest
    from hadath.store import Store

    writing = [0.0]
    commit = ingest_mod._commit

    def timed_commit(store, pairs, report):
        t = time.perf_counter()
        commit(store, pairs, report)
        writing[0] += time.perf_counter() - t

    ingest_mod._commit = timed_commit
    try:
        store = Store(db)
        opts = InputOptions(text_field="text", date_field="time", id_field="docno", source_field="src")
        t, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        rep = ingest([str(src)], store, opts, batch=200, **kw)
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        children = _children_cpu() - children
    finally:
        ingest_mod._commit = commit
    out = {"label": label, "wall_s": round(wall, 1), "articles": rep.read,
           "articles_per_s": round(rep.read / wall, 1), "writer_s": round(writing[0], 1),
           "new": rep.new, "events_new": rep.events_new, "events_merged": rep.events_merged,
           "writer_process_peak_mb_so_far": peak_rss_mb(),
           # CPU: this process (reading, the writer; for Dask also the scheduler and the
           # client), and the process pool's workers; 2 cores give wall >= cpu_s / 2
           "this_process_cpu_s": round(cpu, 1), "pool_cpu_s": round(children, 1),
           "cpu_s": round(cpu + children, 1)}
    print(out, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--pg", help="also a run of 2 Dask workers into this PostgreSQL database "
                                 "(emptied first)")
    args = ap.parse_args()
    src = shared("ant_corpus_arabic_news", "ant_v2.1_middleeast_international.jsonl.gz")
    tmp = Path(tempfile.mkdtemp())
    if args.limit:
        part = tmp / "part.jsonl"
        with gzip.open(src, "rt", encoding="utf-8") as f, part.open("w", encoding="utf-8") as out:
            for _, line in zip(range(args.limit), f, strict=False):
                out.write(line)
        src = part
    runs = [
        run("process pool, 1 process", src, str(tmp / "p1.db"), jobs=1),
        run("process pool, 2 processes", src, str(tmp / "p2.db"), jobs=2),
        run_dask("Dask local:1", src, str(tmp / "d1.db"), 1),
        run_dask("Dask local:2", src, str(tmp / "d2.db"), 2),
    ]
    if args.pg:
        from hadath.store import Store, metadata

        metadata.drop_all(Store(args.pg).engine)
        runs.append(run_dask("Dask local:2 into PostgreSQL", src, args.pg, 2))
    shutil.rmtree(tmp)
    by = {r["label"]: r for r in runs}
    d1, d2, p1, p2 = (by["Dask local:1"], by["Dask local:2"], by["process pool, 1 process"],
                      by["process pool, 2 processes"])
    n = d1["articles"]
    per_worker = n / (p1["wall_s"] - p1["writer_s"])  # inline extraction: one worker's rate
    writer_ceiling = d2["new"] / d2["writer_s"]  # articles/s the one writer can store (SQLite)
    estimate = {str(w): round(min(w * per_worker, writer_ceiling), 1) for w in (16, 64)}
    result = {
        "runs": runs,
        "speedup_2_vs_1_dask_workers": round(d1["wall_s"] / d2["wall_s"], 2),
        "dask_overhead_vs_pool_2": round(d2["wall_s"] / p2["wall_s"] - 1, 3),
        "per_worker_articles_per_s": round(per_worker, 1),
        "writer_ceiling_articles_per_s_sqlite": round(writer_ceiling, 1),
        "estimate_articles_per_s": estimate,
        # the least wall time the CPU work of each run allows on this machine's cores
        "cpu_floor_wall_s": {r["label"]: round(r["cpu_s"] / (os.cpu_count() or 1), 1) for r in runs},
    }
    if args.pg:
        pg = by["Dask local:2 into PostgreSQL"]
        result["writer_ceiling_articles_per_s_postgresql"] = round(pg["new"] / pg["writer_s"], 1)
    path = write_result("dask_ingest", result)
    print({k: v for k, v in result.items() if k != "runs"})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
