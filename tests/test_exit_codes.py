"""Issue 13: exit codes and diagnoses that say what happened."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hadath.cli import app
from hadath.store import Store

from .conftest import EXAMPLES

runner = CliRunner()
GOOD = "قتل ثلاثة مدنيين في قصف مدفعي على مدينة إدلب أمس."


def test_exit_codes_missing_path_is_an_error(tmp_path):
    db = tmp_path / "s.db"
    res = runner.invoke(app, ["ingest", str(tmp_path / "missing_dir"), "--db", str(db)])
    assert res.exit_code == 3 and "missing_dir: no such file or folder [H021]" in res.output
    assert not db.exists()  # no empty store made
    res = runner.invoke(app, ["extract", str(tmp_path)])
    assert res.exit_code == 3 and "a folder; hadath extract reads one article" in res.output


def test_exit_codes_all_skipped_run_exits_non_zero(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "english.txt").write_text("Three civilians were killed in Idlib.", encoding="utf-8")
    (folder / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    db = tmp_path / "s.db"
    res = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "-j", "1"])
    assert res.exit_code == 15, res.output
    assert "nothing stored: 3 inputs skipped (hadath ingest --report lists them" in res.output
    assert "[H028]" in res.output
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(folder), "--db", str(db), "-j", "1"]).exit_code == 0
    again = runner.invoke(app, ["ingest", str(folder / "good.txt"), "--db", str(db), "-j", "1"])
    assert again.exit_code == 0 and "1 already in the store" in again.output  # a re-run is fine
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    res = runner.invoke(app, ["ingest", str(nothing), "--db", str(db)])
    assert res.exit_code == 15 and "no articles found" in res.output


def test_exit_codes_unread_files_listed_in_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (folder / "memo.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (folder / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    db = tmp_path / "s.db"
    res = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "-j", "1", "--report"])
    assert res.exit_code == 0, res.output
    assert "1 new articles, 0 already in the store, 0 skipped, 3 files not read" in res.output
    report = res.stdout.split("tolls\n", 1)[1]
    assert "report.pdf: not read: a PDF document" in report and "memo.docx" in report
    assert "map.png: not read: an image" in report and ".DS_Store" not in report
    only = tmp_path / "pdfs"
    only.mkdir()
    shutil.copy(folder / "report.pdf", only)
    res = runner.invoke(app, ["ingest", str(only), "--db", str(db)])
    assert res.exit_code == 15 and "nothing stored: 1 file not read" in res.output


@pytest.mark.parametrize("data,expect,unexpected", [
    (GOOD[:10].encode() + b"\xff" + GOOD[10:].encode(), "not valid UTF-8: 1 invalid byte, the first "
     f"(0xFF) at line 1, character 11, byte {len(GOOD[:10].encode())}", "Windows-1256"),
    (GOOD.encode()[:-1] + b"\xd8", "ends in the middle of a character", "Windows-1256"),
    ((GOOD + "\n") * 20 + GOOD[:5] + "\n", None, None),
    ((("\n" + GOOD) * 3).encode().replace("مدفعي".encode(), "مدفعي".encode()[:3] + b"\x41", 1),
     "line 2, character", "Windows-1256"),
    ((GOOD * 3).encode("cp1256"), "Windows-1256 Arabic text", "character"),
], ids=["one bad byte", "cut short", "fine", "broken sequence", "cp1256"])
def test_exit_codes_invalid_utf8_diagnosis(tmp_path, data, expect, unexpected):
    f = tmp_path / "a.txt"
    f.write_bytes(data if isinstance(data, bytes) else data.encode())
    res = runner.invoke(app, ["extract", str(f)])
    if expect is None:
        assert res.exit_code == 0
        return
    assert res.exit_code == 6 and expect in res.output and unexpected not in res.output


def test_exit_codes_serve_on_a_busy_port(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = runner.invoke(app, ["serve", "--db", str(EXAMPLES.parent / "no.db"), "--port", str(port)])
        assert res.exit_code == 12  # the missing store is said first
        db = tmp_path / "s.db"
        Store(db)
        res = runner.invoke(app, ["serve", "--db", str(db), "--port", str(port)])
    assert res.exit_code == 16, res.output
    assert f"port {port} on 127.0.0.1 is already in use" in res.output and "[H060]" in res.output
    assert "open http" not in res.output


def _freeze(path: Path) -> bool:
    """Make a folder and its files read-only, as on read-only storage (root ignores modes:
    then the immutable attribute); False if this machine cannot."""
    for p in [*path.iterdir(), path]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    if os.geteuid() != 0:
        return True
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "+i", *map(str, path.iterdir()), str(path)], capture_output=True)
    return done.returncode == 0


def _thaw(path: Path) -> None:
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(path), *map(str, path.iterdir())], capture_output=True)
    for p in [path, *path.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)


def test_exit_codes_read_only_store_is_readable(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "s.db"
    res = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(db), "-j", "1"])
    assert res.exit_code == 0
    import gc

    gc.collect()  # every connection closed: the -wal and -shm files are gone
    n = Store(db).counts()["events"]
    if not _freeze(folder):
        pytest.skip("cannot make a read-only folder here")
    try:
        res = runner.invoke(app, ["events", "--db", str(db), "--json"])
        assert res.exit_code == 0, res.output
        assert len(res.stdout.splitlines()) == n
        for cmd in (["control", "--at", "2024-12-05"], ["claims"], ["export", "-f", "geojson"]):
            assert runner.invoke(app, [*cmd, "--db", str(db)]).exit_code == 0, cmd
        res = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(db)])
        assert res.exit_code == 12 and "the store is not writable" in res.output
    finally:
        _thaw(folder)


def test_exit_codes_store_messages_say_which(tmp_path):
    res = runner.invoke(app, ["events", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 12 and "no store at" in res.output
    assert not (tmp_path / "none.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"PK\x03\x04 this is a zip" * 10)
    for cmd in (["events"], ["ingest", str(EXAMPLES)]):
        res = runner.invoke(app, [*cmd, "--db", str(junk)])
        assert res.exit_code == 12 and "is not a database (not a SQLite file)" in res.output
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    res = runner.invoke(app, ["events", "--db", str(other)])
    assert res.exit_code == 12 and "is a database, but not a hadath store" in res.output
    res = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(tmp_path / "no" / "dir" / "s.db")])
    assert res.exit_code == 12 and "there is no folder" in res.output


def test_exit_codes_message_typos(tmp_path):
    f = tmp_path / "broken.jsonl"
    f.write_text('{"id": 1, "text": "قتل مدني في حلب"}\n{"text": "no arabic here"}\n{"text": "abc',
                 encoding="utf-8")
    res = runner.invoke(app, ["extract", "--jsonl", str(f)])
    assert "Unterminated string starting at column" in res.output and "at at" not in res.output
    assert "broken.jsonl:2: the text has no Arabic" in res.output and ":2: line 2:" not in res.output
    assert "2 bad lines skipped" in res.output
    one = tmp_path / "one.jsonl"
    one.write_text('{"nope": 1}\n', encoding="utf-8")
    assert "1 bad line skipped" in runner.invoke(app, ["extract", "--jsonl", str(one)]).output
    csv = tmp_path / "ref.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    db = tmp_path / "s.db"
    runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(db), "-j", "1"])
    res = runner.invoke(app, ["evaluate", "--reference", str(csv), "--format", "acled", "--db", str(db)])
    assert "not an ACLED file" in res.output
    res = runner.invoke(app, ["events", "--db", str(db)])
    assert "1 (1 outlet)" in res.stdout and "(1 outlets)" not in res.stdout


def test_exit_codes_help_has_no_bool_on_flags():
    for cmd in (["ingest"], ["events"], ["extract"], ["export"], ["serve"], ["evaluate"]):
        res = runner.invoke(app, [*cmd, "--help"])
        assert res.exit_code == 0 and "<bool>" not in res.output, cmd
    assert "--json" in runner.invoke(app, ["events", "--help"]).output
