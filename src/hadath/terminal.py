"""Tables for the terminal that keep their columns whole.

A table is fitted to the width of standard output (a terminal's own width; when piped, the
``COLUMNS`` environment variable, else 160): short values (dates, kinds, counts, ids) are never
broken inside, long ones (actors, places, sources) wrap between words, and when even that does
not fit, the least important columns are left out, named in the table's caption.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

PIPED_WIDTH = 160  # the width of piped output when COLUMNS does not say


@dataclass(frozen=True)
class Column:
    """A column: its header, whether its values may wrap between words (long text) or must stay
    on one line (a date, a kind, a number, an id), and its importance: when the table does not
    fit, columns are left out from the least important (lowest) up."""

    header: str
    importance: int
    wrap: bool = False


def stdout_console() -> Console:
    """Standard output as rich should see it: a terminal's width, else COLUMNS, else 160."""
    probe = Console()
    if probe.is_terminal:
        return probe
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        width = 0
    return Console(width=width if width >= 20 else PIPED_WIDTH)


def fitted_table(out: Console, columns: Sequence[Column], rows: Iterable[Sequence[str]],
                 title: str | None = None, show_lines: bool = False) -> Table:
    """A table of ``rows`` (one plain-text value per column, no markup) that fits ``out``'s
    width with every column whole: a column that stays on one line is as wide as its widest
    value, one that wraps is at least as wide as its longest word; the widest wrapping columns
    give up width first, and the least important columns are left out (the caption names them)
    while even that does not fit."""
    rows = [[str(v) for v in r] for r in rows]
    shown = list(range(len(columns)))
    dropped: list[int] = []
    while True:
        widths = _widths(columns, rows, shown, out.width)
        if widths is not None or len(shown) == 1:
            break
        least = min(shown, key=lambda i: (columns[i].importance, -i))
        shown.remove(least)
        dropped.append(least)
    table = Table(title=title, show_lines=show_lines, caption_justify="left")
    for n, i in enumerate(shown):
        col = columns[i]
        width = widths[n] if widths else None
        if col.wrap:  # between words; a word longer than the column (a URL) is folded
            table.add_column(col.header, overflow="fold", width=width)
        else:
            table.add_column(col.header, no_wrap=True, overflow="ellipsis", width=width)
    for r in rows:
        table.add_row(*(Text(r[i]) for i in shown))
    if dropped:
        names = ", ".join(columns[i].header for i in sorted(dropped))
        table.caption = f"left out to fit {out.width} columns: {names} (set COLUMNS, or use --json)"
    return table


def _widths(columns: Sequence[Column], rows: list[list[str]], shown: list[int],
            total: int) -> list[int] | None:
    """The width of each shown column so that the table fits ``total`` cells, or None if even
    the narrowest whole columns do not fit."""
    room = total - 3 * len(shown) - 1  # a border and a space either side of each column
    widest, narrowest = [], []
    for i in shown:
        values = [columns[i].header] + [r[i] for r in rows]
        lines = [line for v in values for line in v.splitlines() or [""]]
        widest.append(max(cell_len(line) for line in lines))
        if columns[i].wrap:
            narrowest.append(max((cell_len(w) for line in lines for w in line.split()), default=1))
        else:
            narrowest.append(widest[-1])
    if sum(narrowest) > room:
        return None
    widths = widest[:]
    excess = sum(widths) - room
    while excess > 0:  # the widest wrapping column gives up a cell, until the table fits
        n = max((n for n in range(len(shown)) if widths[n] > narrowest[n]), key=lambda n: widths[n])
        widths[n] -= 1
        excess -= 1
    return widths
