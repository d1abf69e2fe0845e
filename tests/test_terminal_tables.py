"""Issue 13, the map on a real store: terminal tables keep their columns whole at 80 columns
(no `2024-12-` / `03`), leave out the least important columns first, and honour COLUMNS when
their output is piped."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from hadath.cli import app as cli
from hadath.store import Store

from .conftest import EXAMPLES

runner = CliRunner()
IDLIB = str(EXAMPLES / "idlib_shelling_2024-12-03.ar.txt")
# a date, a kind or a number cut at the end of a cell: "2024-12-" then "03" on the next line
CUT = re.compile(r"(\d{4}-\d{2}-|\d{4}-|[a-z]+_)\s*[│┃]")


def _run(args: list[str], columns: int | None) -> str:
    env = {"COLUMNS": str(columns) if columns else None}
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def _commands(db) -> list[list[str]]:
    return [["events", "--db", str(db)], ["events", "--db", str(db), "--limit", "5"],
            ["control", "--at", "2024-12-05", "--db", str(db)], ["control", "حماة", "--db", str(db)],
            ["extract", IDLIB, "--date", "2024-12-03"],
            ["geocode", "قصف على بلدة كفرنبل جنوب إدلب وعلى مدينة معرة النعمان"]]


@pytest.mark.parametrize("columns", [80, 60])
def test_terminal_tables_keep_columns_whole_at_80_columns(served_db, columns):
    for args in _commands(served_db):
        out = _run(args, columns)
        lines = out.splitlines()
        assert max(cell_len(line) for line in lines) <= columns, (args, out)
        assert not CUT.search(out), (args, out)
        assert "…" not in out, (args, out)  # nothing shortened out of sight either
    # every date and kind of the events table whole, one date per event
    rows = Store(served_db).query_events(limit=200)
    out = _run(["events", "--db", str(served_db)], columns)
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", out)
    assert sorted(dates) == sorted(str(r["date"]) for r in rows if r["date"])
    for kind in {r["kind"] for r in rows}:
        assert re.search(rf"[│┃] {kind} +[│┃]", out), kind


def test_terminal_tables_drop_least_important_columns_first(served_db):
    def header(out: str) -> list[str]:
        line = next(ln for ln in out.splitlines() if "date" in ln and "kind" in ln)
        return [c.strip() for c in line.strip("┃ ").split("┃")]

    wide = _run(["events", "--db", str(served_db)], 200)
    assert header(wide) == ["date", "kind", "actors", "place", "deaths", "status", "reports", "id"]
    assert "left out" not in wide
    narrow = _run(["events", "--db", str(served_db)], 80)
    kept = header(narrow)
    assert kept[:4] == ["date", "kind", "actors", "place"] and "id" not in kept
    dropped = [c for c in ["id", "reports", "status", "deaths"] if c not in kept]
    assert dropped == ["id", "reports", "status", "deaths"][:len(dropped)]  # least important first
    order = ["date", "kind", "actors", "place", "deaths", "status", "reports", "id"]
    caption = " ".join(narrow.split())
    assert "left out to fit 80 columns: " + ", ".join(c for c in order if c in dropped) in caption


def test_terminal_tables_honour_COLUMNS_when_piped(served_db):
    for columns in (100, 132):
        out = _run(["events", "--db", str(served_db)], columns)
        widths = [cell_len(line) for line in out.splitlines()]
        assert max(widths) <= columns and max(widths) > 80
    default = _run(["events", "--db", str(served_db)], None)  # piped without COLUMNS: 160
    assert 80 < max(cell_len(line) for line in default.splitlines()) <= 160


def test_fitted_table_wraps_long_text_between_words_only():
    from hadath.terminal import Column, fitted_table

    cols = (Column("date", 3), Column("note", 1, wrap=True), Column("contradicting claims", 2, wrap=True))
    row = ["2024-12-03", "a note of several ordinary words", "Syrian army denies"]
    for width, note in ((44, True), (40, False)):  # 10 + 8 + 13 cells of words, 10 of borders
        out = Console(width=width, record=True, file=io.StringIO())
        out.print(fitted_table(out, cols, [row]))
        text = out.export_text()
        assert max(cell_len(line) for line in text.splitlines()) <= width
        words = set(re.findall(r"[\w-]+", text))
        assert {"2024-12-03", "contradicting", "claims", "Syrian", "denies"} <= words
        assert ({"several", "ordinary"} <= words) == note
        assert ("left out to fit 40 columns: note" in text) == (not note)
