"""The ``hadath`` command line: thin commands over the core functions."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import BadRecord, HadathError
from .extract import extract
from .ingest import JsonlStats, iter_jsonl, read_document
from .models import Article

app = typer.Typer(help="hadath (حدث): Arabic conflict news to structured event data.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hadath {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and exit.")] = False) -> None:
    """hadath reads Arabic news about armed conflict and codes its events."""


def _fail(exc: HadathError) -> None:
    err.print(f"[bold red]hadath:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(exc.exit_code)


def _parse_day(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


@app.command("extract")
def extract_cmd(
    file: Annotated[Optional[str], typer.Argument(
        help="A .txt or .html article, or - for standard input.", show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option(
        "--date", help="Publication date (YYYY-MM-DD); relative dates resolve against it.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines: one event per line, "
                                          "then one {\"toll\": ...} line per toll statement.")] = False,
    jsonl: Annotated[Optional[str], typer.Option(
        "--jsonl", help="Batch: a JSON Lines file (or .jsonl.gz), one article per line.")] = None,
    text_field: Annotated[str, typer.Option(help="JSONL field holding the text.")] = "text",
    id_field: Annotated[str, typer.Option(help="JSONL field holding the article id.")] = "id",
    date_field: Annotated[str, typer.Option(help="JSONL field holding the date.")] = "date",
    source: Annotated[Optional[str], typer.Option(
        help="The outlet: the source of statements the text does not attribute.")] = None,
    encoding: Annotated[Optional[str], typer.Option(
        help="Read the input in this encoding (e.g. cp1256, utf-16) instead of UTF-8.")] = None,
) -> None:
    """Print the events of one Arabic article (or of a JSON Lines batch).

    Example:
        hadath extract examples/idlib_shelling.ar.txt --date 2024-12-03
        hadath extract article.html --json
        hadath extract --jsonl articles.jsonl --date-field time > events.jsonl
    """
    pub = _parse_day(date)
    if jsonl:
        _extract_batch(jsonl, pub, text_field, id_field, date_field, source, encoding)
        return
    if file is None:
        raise typer.BadParameter("give a FILE (or - for standard input), or --jsonl FILE")
    try:
        doc = read_document(file, encoding, sys.stdin.buffer)
    except HadathError as exc:
        _fail(exc)
        return
    when = pub or doc.date
    if when is None:
        err.print("[yellow]note:[/] no --date given; relative dates (أمس، الأحد) stay unresolved",
                  highlight=False, soft_wrap=True)
    article = extract(doc.text, date=when, doc_id=doc.doc_id, source=source)
    if as_json:
        _print_jsonl(article)
    else:
        _print_table(article, doc.text)


def _extract_batch(path: str, pub: Optional[dt.date], text_field: str, id_field: str,
                   date_field: str, source: Optional[str], encoding: Optional[str]) -> None:
    stats = JsonlStats()
    n_docs = n_events = n_tolls = 0
    out = sys.stdout
    show = err.is_terminal
    try:
        with Progress(TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn(),
                      console=err, disable=not show, transient=True) as progress:
            task = progress.add_task("extract", total=None, rate="-")
            start = dt.datetime.now()
            for item in iter_jsonl(path, text_field, id_field, date_field, stats, encoding):
                if isinstance(item, BadRecord):
                    err.print(f"[yellow]skipped[/] {item.args[0]} [{item.code}]", highlight=False,
                              markup=True, soft_wrap=True)
                    continue
                article = extract(item.text, date=item.date or pub, doc_id=item.doc_id,
                                  source=item.source or source)
                n_docs += 1
                n_events += len(article.events)
                n_tolls += len(article.tolls)
                _print_jsonl(article, out)
                if show and n_docs % 50 == 0:
                    secs = (dt.datetime.now() - start).total_seconds() or 1e-9
                    progress.update(task, completed=n_docs, rate=f"{n_docs / secs:,.0f}")
    except HadathError as exc:
        _fail(exc)
    err.print(f"{n_docs} articles, {n_events} events, {n_tolls} tolls; "
              f"{stats.bad} bad lines skipped", highlight=False, soft_wrap=True)


def _print_jsonl(article: Article, out=None) -> None:
    out = out or sys.stdout
    for ev in article.events:
        out.write(ev.model_dump_json() + "\n")
    for toll in article.tolls:
        out.write(json.dumps({"toll": json.loads(toll.model_dump_json())}, ensure_ascii=False) + "\n")


def _print_table(article: Article, text: str) -> None:
    console = Console(width=None if Console().is_terminal else 160)
    table = Table(title=f"{len(article.events)} events", show_lines=True)
    for col in ("#", "kind", "actors", "place", "date", "deaths", "status", "sources"):
        table.add_column(col, overflow="fold")
    for n, ev in enumerate(article.events, 1):
        actors = (ev.actor1 or "?") + (" (likely)" if ev.actor1_hedged else "")
        if ev.assoc_actor1:
            actors += " + " + ", ".join(ev.assoc_actor1)
        if ev.actor2:
            actors += f" → {ev.actor2}"
        place = "-"
        if ev.place:
            place = f"{ev.place.name_ar or ''} {ev.place.name} [{ev.place.precision}]"
        sources = "; ".join(f"{c.source}{' via ' + c.via if c.via else ''} {c.stance}"
                            f"{' (hedged)' if c.hedged else ''}" for c in ev.claims)
        table.add_row(str(n), ev.kind, actors, place, str(ev.date or "-"),
                      "-" if ev.fatalities is None else str(ev.fatalities), ev.status, sources)
    console.print(table)
    for n, ev in enumerate(article.events, 1):
        for e in ev.evidence:
            console.print(f"[dim]#{n} [{e.start}:{e.end}][/] {e.text}", highlight=False)
    for toll in article.tolls:
        places = ", ".join(p.name for p in toll.places) or "-"
        console.print(f"toll: {toll.value} {toll.category} ({places}) per {toll.source or '?'}: "
                      f"{toll.text}", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
