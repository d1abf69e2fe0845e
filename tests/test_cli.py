"""The command line: outputs, batches, and clear errors on bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from hadath.cli import app

from .conftest import EXAMPLES

runner = CliRunner()
EXAMPLE = str(EXAMPLES / "idlib_shelling_2024-12-03.ar.txt")


def test_table_output():
    res = runner.invoke(app, ["extract", EXAMPLE, "--date", "2024-12-03"])
    assert res.exit_code == 0, res.output
    assert "shelling" in res.output and "Kafranbel" in res.output


def test_json_lines_with_tolls():
    res = runner.invoke(app, ["extract", EXAMPLE, "--date", "2024-12-03", "--json"])
    assert res.exit_code == 0
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    events = [x for x in lines if "toll" not in x]
    tolls = [x["toll"] for x in lines if "toll" in x]
    assert events and tolls and tolls[0]["value"] == 42
    assert {"id", "kind", "event_type", "sub_event_type", "plover", "actor1", "actor1_code",
            "place", "date", "date_precision", "fatalities", "claims", "status", "evidence"} <= set(events[0])


def test_standard_input():
    text = (EXAMPLES / "gaza_strike_2024-01-15.ar.txt").read_text(encoding="utf-8")
    res = runner.invoke(app, ["extract", "-", "--json", "--date", "2024-01-15"], input=text)
    assert res.exit_code == 0 and "air_strike" in res.stdout


def test_html_input(tmp_path):
    body = (EXAMPLES / "gaza_strike_2024-01-15.ar.txt").read_text(encoding="utf-8").split("\n")
    html = ("<html><head><title>غزة</title><meta property='article:published_time' "
            "content='2024-01-15T08:00:00Z'></head><body><nav>الرئيسية</nav><article>"
            + "".join(f"<p>{p}</p>" for p in body if p) + "</article></body></html>")
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    res = runner.invoke(app, ["extract", str(page), "--json"])
    assert res.exit_code == 0, res.output
    kinds = [json.loads(x).get("kind") for x in res.stdout.splitlines()]
    assert "air_strike" in kinds


def test_jsonl_batch_skips_bad_lines(tmp_path):
    good = (EXAMPLES / "gaza_strike_2024-01-15.ar.txt").read_text(encoding="utf-8")
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a1", "text": good, "date": "2024-01-15"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "a2", "body": "no text field"}),
        json.dumps({"id": "a3", "text": "English only text"}),
        json.dumps({"id": "a4", "text": good, "date": "Mon, 15 Jan 2024 08:00:00 GMT"}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["extract", "--jsonl", str(batch)])
    assert res.exit_code == 0
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert {r["doc_id"] for r in rows if "doc_id" in r} == {"a1", "a4"}
    assert sum(line.startswith("skipped") for line in res.stderr.splitlines()) == 3
    assert "2 articles" in res.stderr and "3 bad lines" in res.stderr


ARABIC = "قتل خمسة مدنيين في قصف على مدينة إدلب."


@pytest.mark.parametrize("content, code, message", [
    (b"", 4, "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 5, "binary"),
    (ARABIC.encode("cp1256"), 6, "Windows-1256"),
    (ARABIC.encode("utf-16"), 6, "UTF-16"),
    (b"This is an English sentence about nothing.", 7, "no Arabic"),
])
def test_bad_input_gets_one_line_and_an_exit_code(tmp_path, content, code, message):
    f = tmp_path / "input.txt"
    f.write_bytes(content)
    res = runner.invoke(app, ["extract", str(f)])
    assert res.exit_code == code
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.output


def test_encoding_option_reads_windows_1256(tmp_path):
    f = tmp_path / "input.txt"
    f.write_bytes(ARABIC.encode("cp1256"))
    res = runner.invoke(app, ["extract", str(f), "--encoding", "cp1256", "--json"])
    assert res.exit_code == 0 and "shelling" in res.stdout


def test_missing_file_and_bad_date():
    res = runner.invoke(app, ["extract", "no/such/file.txt"])
    assert res.exit_code == 3 and "no such file" in res.stderr
    res = runner.invoke(app, ["extract", EXAMPLE, "--date", "yesterday"])
    assert res.exit_code == 2


def test_extract_keeps_background_apart_unless_asked(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("قصفت طائرات روسية مدينة إدلب أمس.\n"
                   "وكانت القوات الحكومية قد شنت هجوما على مدينة درعا في 2015.\n", encoding="utf-8")
    plain = runner.invoke(app, ["extract", str(art), "--date", "2018-06-10", "--json"])
    lines = [json.loads(x) for x in plain.output.splitlines() if x.startswith("{")]
    assert [x.get("kind") for x in lines] == ["air_strike"]
    both = runner.invoke(app, ["extract", str(art), "--date", "2018-06-10", "--json",
                               "--with-background"])
    lines = [json.loads(x) for x in both.output.splitlines() if x.startswith("{")]
    assert lines[0]["kind"] == "air_strike" and lines[1]["background"]["kind"] == "attack"
    table = runner.invoke(app, ["extract", str(art), "--date", "2018-06-10", "--with-background"])
    assert "(background)" in table.output
