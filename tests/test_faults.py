"""Issue 13: faults and hostile input: orphan workers, bad gazetteer rows, bounded
transliteration keys, and XML/HTML that would expand or nest without end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hadath.cli import app
from hadath.geo.translit import arabic_keys, latin_keys
from hadath.ingest import InputOptions, ingest
from hadath.store import Store

from .conftest import EXAMPLES

runner = CliRunner()


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_orphan_workers_end_when_the_ingest_is_killed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    base = " ".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.ar.txt")))
    for i in range(120):
        (folder / f"a{i:03d}_2024-12-01.txt").write_text((base + f" رقم {i} ") * 12, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "hadath.cli", "ingest", str(folder), "-j", "2",
                             "--batch", "5", "--db", str(tmp_path / "s.db")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.time() + 60
    while time.time() < deadline and len(workers) < 2 and proc.poll() is None:
        time.sleep(0.2)
        workers = {c for c in _children(proc.pid)
                   if b"spawn_main" in (Path("/proc") / str(c) / "cmdline").read_bytes()}
    assert proc.poll() is None and len(workers) >= 2, "no workers seen"
    time.sleep(1.0)  # let them start extracting
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    left = [w for w in workers if _alive(w)]
    for w in left:  # never leave them behind, even when the test fails
        os.kill(w, signal.SIGKILL)
    assert not left, f"orphan workers still running: {left}"


def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        for c in _children(todo.pop()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_orphan_workers_of_a_local_cluster_end_when_the_ingest_is_killed(tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    folder = tmp_path / "in"
    folder.mkdir()
    base = " ".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.ar.txt")))
    for i in range(200):
        (folder / f"a{i:03d}_2024-12-01.txt").write_text((base + f" رقم {i} ") * 12, encoding="utf-8")
    db = tmp_path / "s.db"
    proc = subprocess.Popen([sys.executable, "-m", "hadath.cli", "ingest", str(folder), "--cluster",
                             "local:2", "--batch", "5", "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    family: set[int] = set()
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.3)
        family = _descendants(proc.pid)
        try:
            if db.exists() and Store(db, read_only=True).counts()["documents"] >= 5:
                break  # the workers are extracting
        except Exception:  # noqa: BLE001 - being written
            continue
    assert proc.poll() is None and family, "the cluster never started"
    family = _descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(p) for p in family):
        time.sleep(0.3)
    left = [p for p in family if _alive(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert not left, f"orphans of the local cluster still running: {left}"


def _import_csv(tmp_path, text: str, name: str = "places.csv"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return runner.invoke(app, ["gazetteer", "import", "csv", str(f), "--name-col", "name",
                               "--lat-col", "lat", "--lon-col", "lon", "--population-col", "pop",
                               "--gazetteer", str(tmp_path / "g.sqlite")])


@pytest.mark.parametrize("row,reason", [
    ("Big,33.5,36.3,99999999999999999999999", "population out of range"),
    ("Huge,33.5,36.3,1e400", "population out of range"),
    ("Inf,33.5,36.3,inf", "population out of range"),
    ("Nan,33.5,36.3,nan", "population out of range"),
    ("Short,33.5", "latitude/longitude not a number"),
    ('"Open,33.5,36.3,5\n' + "x" * 200_000, "unreadable from here on"),
    ("N" * 5000 + ",33.5,36.3,5", "a name over 200 characters"),
], ids=["huge population", "float overflow", "inf", "nan", "short row", "unterminated quote", "long name"])
def test_gazetteer_import_bad_rows_reported_and_skipped(tmp_path, row, reason):
    res = _import_csv(tmp_path, f"name,lat,lon,pop\nGood,33.6,36.4,100\n{row}\n")
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output and reason in res.output
    assert "1 places added" in res.output and "1 bad rows skipped" in res.output


def test_gazetteer_import_bad_geonames_rows_reported_and_skipped(tmp_path):
    good = "\t".join(["1", "Good", "Good", "", "33.5", "36.3", "P", "PPL", "SY", "", "01", "", "",
                      "", "100", "", "", "", "2020-01-01"])
    big = good.replace("\t100\t", "\t" + "9" * 30 + "\t").replace("1\tGood\tGood", "2\tBig\tBig")
    inf = good.replace("\t100\t", "\tinf\t").replace("1\tGood\tGood", "3\tInf\tInf")
    f = tmp_path / "SY.txt"
    f.write_text("\n".join([good, big, inf, "4\tShort\tShort"]) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["gazetteer", "import", "geonames", str(f), "--gazetteer", str(tmp_path / "g.sqlite")])
    assert res.exit_code == 0 and "Traceback" not in res.output
    assert "1 places added" in res.output and "3 bad rows skipped" in res.output
    assert "population out of range" in res.output and "3 columns, a GeoNames row has 19" in res.output


def test_bounded_transliteration_keys_per_name(tmp_path):
    start = time.perf_counter()
    assert len(arabic_keys(" ".join(["مدرسة"] * 40))) <= 64
    assert len(latin_keys("g" * 5000 + " ch" * 2000)) <= 8
    long_ambiguous = " ".join(["Ghachgach"] * 20)
    res = _import_csv(tmp_path, "name,lat,lon,pop\n" + "\n".join(
        f"{long_ambiguous[:190]} {k},33.{k},36.3,5" for k in range(50)) + "\n" +
        "\n".join(f"{' '.join(['قرية'] * 30)} {k},34.{k},36.3,5" for k in range(20)) + "\n")
    assert res.exit_code == 0 and "70 places added" in res.output
    assert time.perf_counter() - start < 30


def test_xml_entity_expansion_and_external_entities_are_not_expanded(tmp_path):
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">\n' for i in range(1, 10))
              + ']>\n<rss version="2.0"><channel><title>t</title><item><title>غارة &lol9;</title>'
              "<description>قتل ثلاثة مدنيين في قصف على مدينة إدلب</description></item></channel></rss>\n")
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           '<rss version="2.0"><channel><title>t</title><item><title>غارة &xxe;</title>'
           "<description>قتل مدنيان في قصف على مدينة حماة</description></item></channel></rss>\n")
    (tmp_path / "laughs.rss").write_text(laughs, encoding="utf-8")
    (tmp_path / "xxe.rss").write_text(xxe, encoding="utf-8")
    store = Store(tmp_path / "s.db")
    start = time.perf_counter()
    ingest([str(tmp_path / "laughs.rss"), str(tmp_path / "xxe.rss")], store, InputOptions(), jobs=1)
    assert time.perf_counter() - start < 20
    with store.engine.connect() as conn:
        texts = [r[0] for r in conn.exec_driver_sql("SELECT text FROM documents")]
    assert texts and all(len(t) < 1000 and "lollol" not in t and "root:" not in t for t in texts)


def test_deep_html_is_parsed_safely(tmp_path):
    deep = ("<html><body>" + "<div>" * 50_000 + "<p>قتل ثلاثة مدنيين في قصف على مدينة إدلب أمس.</p>"
            + "</div>" * 50_000 + "</body></html>")
    (tmp_path / "deep.html").write_text(deep, encoding="utf-8")
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>غارة على إدلب</title>'
            "<description>" + "&lt;div&gt;" * 50_000 + "قتل ثلاثة مدنيين" + "&lt;/div&gt;" * 50_000
            + "</description></item></channel></rss>")
    (tmp_path / "deep.rss").write_text(feed, encoding="utf-8")
    start = time.perf_counter()
    res = runner.invoke(app, ["extract", str(tmp_path / "deep.html")])
    assert res.exit_code in (0, 4) and "Traceback" not in res.output
    rep = ingest([str(tmp_path)], Store(tmp_path / "s.db"), InputOptions(), jobs=1)
    assert rep.read == 2 and time.perf_counter() - start < 30
