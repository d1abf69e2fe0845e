"""Copy a store, row for row, into a new one (another backend): a synthetic SQLite store
(bench/synth_store.py) into PostgreSQL, to time the same content on both with bench/api_load.py.

    python bench/copy_store.py --db /tmp/synth_100k.db --to postgresql://hadath:hadath@127.0.0.1/synth_100k

The target is created by the store itself (its schema and triggers), then every table is copied
in its order of references, in batches; the kept counts follow from the triggers, and are
checked against those of the source at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from sqlalchemy import insert, select

from hadath.store import Store, metadata, meta_table

BATCH = 5000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="the store to copy")
    ap.add_argument("--to", required=True, help="a new, empty store (a database URL or a path)")
    args = ap.parse_args()
    source, target = Store(args.db, read_only=True), Store(args.to)
    if target.counts()["documents"]:
        sys.exit(f"{args.to} is not empty")
    started = time.perf_counter()
    with source.engine.connect() as src, target.engine.begin() as dst:
        for table in metadata.sorted_tables:
            if table is meta_table or table.name == "row_counts":
                continue  # (the target's own; its counts follow from its triggers)
            n = 0
            rows = src.execution_options(stream_results=True).execute(select(table))
            while batch := rows.fetchmany(BATCH):
                dst.execute(insert(table), [dict(r._mapping) for r in batch])
                n += len(batch)
            print(f"{table.name}: {n:,} rows ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        if dst.dialect.name == "postgresql":  # the ids go on after the copied ones
            for table in metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement is not False and str(table.c.id.type) == "INTEGER":
                    dst.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)")
    if target.counts() != source.counts():
        sys.exit(f"the copy's counts differ: {target.counts()} against {source.counts()}")
    print(json.dumps({"seconds": round(time.perf_counter() - started, 1), **target.counts()}))


if __name__ == "__main__":
    main()
