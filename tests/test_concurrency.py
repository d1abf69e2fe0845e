"""Issue 13: two processes creating one new store at once."""

from __future__ import annotations

import subprocess
import sys

from hadath.store import SCHEMA_VERSION, Store


def test_concurrent_schema_creation_is_safe(tmp_path, new_db):
    """Processes opening one new store at the same moment all succeed (it was "table meta
    already exists" on SQLite and UniqueViolation on PostgreSQL for all but one)."""
    for round_ in range(3):
        url = new_db(f"race{round_}")
        code = f"from hadath.store import Store; Store({url!r})"
        procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
        errs = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, errs
        assert Store(url).schema_version() == SCHEMA_VERSION


def test_concurrent_schema_creation_two_ingests_on_a_new_store(tmp_path, new_db):
    folder = tmp_path / "in"
    folder.mkdir()
    for k, town in enumerate(["إدلب", "حماة", "حلب", "سراقب"]):
        (folder / f"a{k}_2024-12-0{k + 1}.txt").write_text(
            f"قتل {k + 3} مدنيين في قصف مدفعي على مدينة {town} أمس.", encoding="utf-8")
    url = new_db("two")
    cmd = [sys.executable, "-m", "hadath.cli", "ingest", str(folder), "-j", "1", "--db", url]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert Store(url).counts()["documents"] == 4
