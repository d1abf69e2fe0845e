"""Compile the built-in places into src/hadath/data/gazetteer.sqlite.gz (see hadath.geo.builtin).

Run after any change to gazetteer.tsv, places_curated.tsv, places_ucdp.tsv, places_wof.tsv.gz
or places_areas.tsv (a test checks that the compiled file matches them; without a matching
file hadath compiles the tables into its cache folder at the first start, which takes about ten
seconds). The whole chain, from the sources in ../shared/data:

    python scripts/build_gazetteer.py        # gazetteer.tsv (GeoNames, OpenSyria)
    python scripts/build_ucdp_places.py      # places_ucdp.tsv
    python scripts/build_wof_places.py       # places_wof.tsv.gz (Who's On First)
    python scripts/build_gazetteer_db.py     # gazetteer.sqlite.gz
    python scripts/build_place_commonwords.py  # place_commonwords*.tsv (reads the compiled file)

The compiled file is the same, byte for byte, for the same tables:

    python scripts/build_gazetteer_db.py
"""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hadath.geo.builtin import compile_db, packaged_path, source_digest, source_rows  # noqa: E402


def main() -> int:
    t0 = time.perf_counter()
    out = packaged_path()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "gazetteer.sqlite"
        n = compile_db(db, source_rows(), source_digest())
        size = db.stat().st_size
        # mtime 0: the same tables give the same bytes
        with db.open("rb") as src, gzip.GzipFile(out, "wb", compresslevel=6, mtime=0) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    print(f"compiled {n} places ({size / 1e6:.1f} MB) into {out} ({out.stat().st_size / 1e6:.1f} "
          f"MB) in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
