"""The ``hadath`` command line: thin commands over the core functions."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import BadRecord, GazetteerError, HadathError
from .extract import extract
from .ingest import JsonlStats, iter_jsonl, read_document, require_arabic
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


# --- hadath geocode ---------------------------------------------------------------------------

GazetteerOption = Annotated[Optional[Path], typer.Option(
    "--gazetteer", help="The gazetteer store (default: HADATH_GAZETTEER, or "
                        "~/.local/share/hadath/gazetteer.sqlite if it exists, else the built-in places).")]


def _use_gazetteer(path: Optional[Path]):
    from .geo import Gazetteer, default_gazetteer

    if path is None:
        return default_gazetteer()
    if not path.is_file():
        raise GazetteerError(f"{path}: no gazetteer store there (create one with "
                             "'hadath gazetteer import')")
    return Gazetteer.load(path)


@app.command("geocode")
def geocode_cmd(
    text: Annotated[str, typer.Argument(help="Arabic text, or - to read one text per line from "
                                              "standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per mention.")] = False,
    gazetteer: GazetteerOption = None,
    candidates: Annotated[int, typer.Option(help="How many candidates to show per mention.")] = 5,
) -> None:
    """Show every place mention of a text: candidates, the chosen point, precision and why.

    Example:
        hadath geocode "قصف على بلدة كفرنبل جنوب إدلب"
        cat lines.txt | hadath geocode - --json
    """
    from .extract.geocode import geocode

    try:
        gaz = _use_gazetteer(gazetteer)
        texts = ([(k, line) for k, line in enumerate(sys.stdin.read().splitlines(), 1)]
                 if text == "-" else [(None, text)])
        rows = []
        for line, t in texts:
            if not t.strip():
                continue
            require_arabic(t, f"line {line}" if line else "TEXT")
            rows += geocode(t, line=line, gazetteer=gaz, max_candidates=candidates)
    except HadathError as exc:
        _fail(exc)
        return
    if as_json:
        for r in rows:
            sys.stdout.write(r.model_dump_json(exclude_none=False) + "\n")
        return
    console = Console(width=None if Console().is_terminal else 160)
    table = Table(title=f"{len(rows)} place mentions", show_lines=True)
    for col in ("mention", "place", "point", "precision", "via", "why", "candidates"):
        table.add_column(col, overflow="fold")
    for r in rows:
        point = "-" if r.lat is None else f"{r.lat:.4f}, {r.lon:.4f}"
        cands = "; ".join(f"{c.name} ({c.country or '-'}, {c.score:+.1f})" for c in r.candidates)
        table.add_row((f"{r.line}: " if r.line else "") + f"{r.mention} [{r.start}:{r.end}]",
                      f"{r.name_ar or ''} {r.name or ''}".strip() or "-", point,
                      str(r.precision or "unresolved"), r.via, "; ".join(r.why) or "-", cands or "-")
    console.print(table)


# --- hadath gazetteer ----------------------------------------------------------------------------

gazetteer_app = typer.Typer(help="The gazetteer store: import places, show what it holds.",
                            no_args_is_help=True)
import_app = typer.Typer(help="Import places into the gazetteer store (idempotent).",
                         no_args_is_help=True)
gazetteer_app.add_typer(import_app, name="import")
app.add_typer(gazetteer_app, name="gazetteer")


def _open_store(path: Optional[Path]):
    from .geo.store import GazetteerStore, default_path

    target = path or default_path()
    err.print(f"gazetteer store: {target}", highlight=False, soft_wrap=True)
    return GazetteerStore(target)


def _run_import(file: Path, store_path: Optional[Path], rows_of) -> None:
    from .geo.store import ImportReport, check_file

    try:
        check_file(file)
        store = _open_store(store_path)
        report = ImportReport()
        with Progress(TextColumn("[bold]import"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TextColumn("{task.fields[rows]} rows"), TimeElapsedColumn(), console=err,
                      disable=not err.is_terminal, transient=True) as progress:
            task = progress.add_task("import", total=file.stat().st_size, rows=0)

            def advance(nbytes: int) -> None:
                progress.update(task, advance=nbytes, rows=report.read)

            store.upsert(rows_of(file, report, advance), report)
        total = store.count()
        store.close()
    except HadathError as exc:
        _fail(exc)
        return
    for line, reason in report.bad[:20]:
        err.print(f"[yellow]bad row[/] {file}:{line}: {reason}", highlight=False, soft_wrap=True)
    if len(report.bad) > 20:
        err.print(f"... and {len(report.bad) - 20} more bad rows", highlight=False)
    typer.echo(f"{report.read} rows read: {report.added} places added, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.skipped} not kept (feature class), "
               f"{len(report.bad)} bad rows skipped; the store holds {total} places")


@import_app.command("geonames")
def import_geonames(
    file: Annotated[Path, typer.Argument(help="A GeoNames dump: SY.txt, allCountries.txt, "
                                              "cities500.txt (19 tab-separated columns).")],
    gazetteer: GazetteerOption = None,
) -> None:
    """Import a GeoNames dump: populated places, admin areas, airports and bases, camps, roads.

    Example:
        hadath gazetteer import geonames SY.txt
    """
    from .geo.store import geonames_rows

    _run_import(file, gazetteer, lambda f, r, adv: geonames_rows(f, r, adv))


@import_app.command("csv")
def import_csv(
    file: Annotated[Path, typer.Argument(help="A CSV or TSV file with a header row.")],
    name_col: Annotated[str, typer.Option(help="Column with the place name.")],
    lat_col: Annotated[str, typer.Option(help="Column with the latitude.")],
    lon_col: Annotated[str, typer.Option(help="Column with the longitude.")],
    name_ar_col: Annotated[Optional[str], typer.Option(help="Column with the Arabic name.")] = None,
    alt_names_col: Annotated[Optional[str], typer.Option(
        help="Column with other names, separated by | or ;.")] = None,
    id_col: Annotated[Optional[str], typer.Option(
        help="Column with a stable id (default: name and coordinates).")] = None,
    country_col: Annotated[Optional[str], typer.Option(help="Column with the ISO2 country code.")] = None,
    country: Annotated[str, typer.Option(help="ISO2 country code for every row.")] = "",
    admin1_col: Annotated[Optional[str], typer.Option(help="Column with the governorate.")] = None,
    admin2_col: Annotated[Optional[str], typer.Option(help="Column with the district.")] = None,
    feature_col: Annotated[Optional[str], typer.Option(help="Column with the feature class.")] = None,
    feature: Annotated[str, typer.Option(help="Feature class for every row (village, town, city, "
                                              "neighbourhood, camp, airport, landmark...).")] = "village",
    population_col: Annotated[Optional[str], typer.Option(help="Column with the population.")] = None,
    delimiter: Annotated[Optional[str], typer.Option(help="Field separator (default: guessed).")] = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Import a list of places (an OCHA/HDX table, or your own) from CSV or TSV.

    Example:
        hadath gazetteer import csv syr_pplp.csv --name-col admin4Name_en --name-ar-col admin4Name_ar --lat-col latitude --lon-col longitude --id-col admin4Pcode --country SY
    """
    from .geo.store import CsvColumns, csv_rows

    cols = CsvColumns(name=name_col, lat=lat_col, lon=lon_col, name_ar=name_ar_col,
                      alt_names=alt_names_col, id=id_col, country=country_col, admin1=admin1_col,
                      admin2=admin2_col, feature=feature_col, population=population_col,
                      default_country=country, default_feature=feature)
    _run_import(file, gazetteer, lambda f, r, adv: csv_rows(f, cols, r, adv, delimiter))


@gazetteer_app.command("info")
def gazetteer_info(gazetteer: GazetteerOption = None) -> None:
    """Show where the gazetteer store is and how many places it holds, by source.

    Example:
        hadath gazetteer info
    """
    from .geo.store import default_path

    target = gazetteer or default_path()
    if not target.is_file():
        typer.echo(f"no store at {target}: the built-in places are used "
                   "('hadath gazetteer import' creates one)")
        return
    try:
        store = _open_store(target)
    except HadathError as exc:
        _fail(exc)
        return
    for source, n in sorted(store.counts_by_source().items(), key=lambda kv: -kv[1]):
        typer.echo(f"{n:>8}  {source}")
    typer.echo(f"{store.count():>8}  places in {target}")


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
            place = f"{ev.place.name_ar or ''} {ev.place.name} [{ev.place.precision or 'unresolved'}]"
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
