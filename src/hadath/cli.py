"""The ``hadath`` command line: thin commands over the core functions."""

from __future__ import annotations

import datetime as dt
import gc
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .errors import (AllSkipped, BadRecord, ExportError, GazetteerError, HadathError, InputError,
                     InputMissing,
                     StoreError)
from .extract import extract
from .ingest import JsonlStats, iter_jsonl, read_document, require_arabic
from .models import Article
from .records import FIELD_NAMES
from .terminal import Column, fitted_table, stdout_console

def _flags_without_type() -> None:
    """Help shows an on/off flag (--json) without a "<bool>" value it does not take (typer >=
    0.2x prints the type of every option; a flag has none)."""
    option = getattr(typer.core, "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if shown is None or getattr(shown, "_hadath", False):
        return

    def display_type_rich(self, ctx):
        return None if getattr(self, "is_flag", False) and not getattr(self, "count", False) else shown(self, ctx)

    display_type_rich._hadath = True
    option.display_type_rich = display_type_rich


_flags_without_type()

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


# Skipped inputs listed one by one on stderr; the others are counted.
MAX_SHOWN = 20
# Rows of the `hadath events` table unless --limit (--json writes every event).
TABLE_ROWS = 200


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


def _field_option(role: str, names: tuple[str, ...]):
    return Annotated[Optional[str], typer.Option(
        show_default=False, help=f"JSONL field holding the {role} (default: the first of "
                                 f"{', '.join(names[:6])}... that the records have).")]


TextField = _field_option("text", FIELD_NAMES["text"])
DateField = _field_option("date (ISO 8601, RFC 2822, epoch s/ms, YYYY/MM/DD)", FIELD_NAMES["date"])
IdField = _field_option("article id", FIELD_NAMES["id"])
UrlField = _field_option("URL", FIELD_NAMES["url"])
TitleField = _field_option("title", FIELD_NAMES["title"])
SourceField = _field_option("outlet", FIELD_NAMES["source"])


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
    text_field: TextField = None,
    id_field: IdField = None,
    date_field: DateField = None,
    source: Annotated[Optional[str], typer.Option(
        help="The outlet: the source of statements the text does not attribute.")] = None,
    encoding: Annotated[Optional[str], typer.Option(
        help="Read the input in this encoding (e.g. cp1256, utf-16) instead of UTF-8.")] = None,
    with_background: Annotated[bool, typer.Option(
        "--with-background", help="Also print the events the article tells as history, and those "
        "with no place: {\"background\": ...} and {\"unplaced\": ...} lines with --json.")] = False,
) -> None:
    """Print the events of one Arabic article (or of a JSON Lines batch).

    Example:
        hadath extract examples/idlib_shelling_2024-12-03.ar.txt --date 2024-12-03
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
        _print_jsonl(article, with_background=with_background)
    else:
        _print_table(article, doc.text, with_background)


SETTLE_EVERY = 500  # articles of a batch between two settle_memory() calls


def settle_memory() -> None:
    """Collect what a batch left unreachable, then keep what survives (the lexicon, the
    gazetteer and their per-word caches) out of later collections: full collections would walk
    every cached object again and again (8% of a batch's time, growing with the caches).
    Objects frozen so are still freed when no longer referenced; the batch unfreezes them
    when it ends."""
    gc.collect()
    gc.freeze()


def _extract_batch(path: str, pub: Optional[dt.date], text_field: Optional[str],
                   id_field: Optional[str], date_field: Optional[str], source: Optional[str],
                   encoding: Optional[str]) -> None:
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
                    if stats.bad <= MAX_SHOWN:
                        err.print(f"[yellow]skipped[/] {item.args[0]} [{item.code}]",
                                  highlight=False, markup=True, soft_wrap=True)
                    continue
                article = extract(item.text, date=item.date or pub, doc_id=item.doc_id,
                                  source=item.source or source)
                n_docs += 1
                n_events += len(article.events)
                n_tolls += len(article.tolls)
                _print_jsonl(article, out)
                if n_docs == 1 or n_docs % SETTLE_EVERY == 0:
                    settle_memory()  # first once the lexicon and the gazetteer are loaded
                if show and n_docs % 50 == 0:
                    secs = (dt.datetime.now() - start).total_seconds() or 1e-9
                    progress.update(task, completed=n_docs, rate=f"{n_docs / secs:,.0f}")
    except HadathError as exc:
        _fail(exc)
    finally:
        gc.unfreeze()  # whatever runs after the batch in this process is collected as usual
    if stats.bad > MAX_SHOWN:
        err.print(f"... and {stats.bad - MAX_SHOWN:,} more bad lines skipped", highlight=False)
    err.print(f"{path}: {stats.describe()}", highlight=False, soft_wrap=True)
    err.print(f"{_n(n_docs, 'article')}, {_n(n_events, 'event')}, {_n(n_tolls, 'toll')}; "
              f"{_n(stats.bad, 'bad line')} skipped", highlight=False, soft_wrap=True)


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
    console = stdout_console()
    columns = (Column("mention", 7, wrap=True), Column("place", 6, wrap=True), Column("point", 5, wrap=True),
               Column("precision", 4), Column("via", 3), Column("why", 2, wrap=True),
               Column("candidates", 1, wrap=True))
    table_rows = []
    for r in rows:
        point = "-" if r.lat is None else f"{r.lat:.4f}, {r.lon:.4f}"
        cands = "; ".join(f"{c.name} ({c.country or '-'}, {c.score:+.1f})" for c in r.candidates)
        table_rows.append([(f"{r.line}: " if r.line else "") + f"{r.mention} [{r.start}:{r.end}]",
                           f"{r.name_ar or ''} {r.name or ''}".strip() or "-", point,
                           str(r.precision or "unresolved"), r.via, "; ".join(r.why) or "-", cands or "-"])
    console.print(fitted_table(console, columns, table_rows, f"{len(rows)} place mentions", show_lines=True))


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


@gazetteer_app.command("search")
def gazetteer_search(
    query: Annotated[str, typer.Argument(help="A place name, Arabic or Latin; spelling may be loose.")],
    country: Annotated[Optional[str], typer.Option(help="Only places of this country (ISO2, e.g. SY).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many places to list.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per place.")] = False,
    gazetteer: GazetteerOption = None,
) -> None:
    """List the places whose names fit QUERY (fuzzy, Arabic or Latin), best first, with their
    region and country: for an analyst checking a name.

    Example:
        hadath gazetteer search "كفر نبل" --country SY
        hadath gazetteer search Houla
    """
    from .geo.search import search

    if country is not None and not (len(country.strip()) == 2 and country.strip().isascii()
                                    and country.strip().isalpha()):
        _fail(InputError(f"--country {country!r}: give an ISO 3166 two-letter code such as SY"))
        return
    try:
        gaz = _use_gazetteer(gazetteer)
        hits = search(gaz, query, country=country.strip() if country else None, limit=limit)
    except HadathError as exc:
        _fail(exc)
        return
    rows = [h.as_dict() for h in hits]
    if as_json:
        for d in rows:
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        return
    if not rows:
        err.print(f"no place fits {query!r}" + (f" in {country.upper()}" if country else ""))
        raise typer.Exit(1)
    console = stdout_console()
    columns = (Column("name", 7, wrap=True), Column("matched", 3, wrap=True), Column("feature", 4),
               Column("region", 5, wrap=True), Column("country", 6), Column("point", 5),
               Column("id", 2, wrap=True), Column("score", 1))
    table_rows = [[f"{d['name_ar'] or ''} {d['name']}".strip(), d["matched"], d["feature"],
                   d["admin1"] or "-", d["country"] or "-",
                   "-" if d["lat"] is None else f"{d['lat']:.4f}, {d['lon']:.4f}",
                   d["gazetteer_id"], f"{d['score']:.0f}"] for d in rows]
    console.print(fitted_table(console, columns, table_rows, f"{len(rows)} places fit {query!r}"))


# --- the store: ingest, events, control, claims ---------------------------------------------------

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="The store: a SQLite file or a database URL (default: HADATH_DB, else hadath.db).")]


def _store(db: Optional[str], read_only: bool = False):
    """The store of --db (HADATH_DB, hadath.db); commands that only read open it read-only,
    so that a store on read-only storage can be read, and a missing one is not created."""
    from .store import Store

    return Store(db, read_only=read_only)


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="Folders, .txt/.html files, JSON Lines (.jsonl, .jsonl.gz), RSS/Atom feeds (files or URLs).",
        show_default=False)] = None,
    db: DbOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Extraction processes (default: all cores).")] = 0,
    source: Annotated[Optional[str], typer.Option(help="The outlet, for inputs that do not say.")] = None,
    text_field: TextField = None,
    date_field: DateField = None,
    id_field: IdField = None,
    url_field: UrlField = None,
    title_field: TitleField = None,
    source_field: SourceField = None,
    encoding: Annotated[Optional[str], typer.Option(help="Read text files in this encoding.")] = None,
    date: Annotated[Optional[str], typer.Option(
        help="Publication date (YYYY-MM-DD) of inputs that give none (nor in their file name).")] = None,
    batch: Annotated[int, typer.Option(help="Commit every N articles.")] = 50,
    events_file: Annotated[Optional[Path], typer.Option(
        "--events", help="Load events exported by 'hadath export --format jsonl' (nothing lost).")] = None,
    report: Annotated[bool, typer.Option("--report", help="List the inputs skipped so far, with "
                                                          "their reasons (alone or after an ingest).")] = False,
    cluster: Annotated[Optional[str], typer.Option(
        "--cluster", help="Extract on Dask: a scheduler address (tcp://host:8786) or local:N "
                          "(a local cluster of N workers). Needs hadath[cluster].")] = None,
) -> None:
    """Load articles into the store: extract, merge reports of one event, keep everything.

    Re-ingesting an article (same text, whitespace aside) adds nothing. Bad inputs are
    skipped, counted and listed (--report). JSON Lines fields are detected from common names
    (time, published, pubDate...) unless named; stderr says which were used. Killing it loses
    no committed article; running it again completes.

    Example:
        hadath ingest examples/
        hadath ingest ant.jsonl.gz
        hadath ingest feed.jsonl --date-field first_seen --text-field body
        hadath ingest --report
        hadath ingest big.jsonl.gz --db postgresql+psycopg://hadath@db/hadath --cluster tcp://scheduler:8786
    """
    import os

    from .ingest import InputOptions, ingest

    if not paths and not report and events_file is None:
        raise typer.BadParameter("give PATHS to ingest, --events FILE, or --report")
    missing = [p for p in paths or [] if not p.startswith(("http://", "https://"))
               and not os.path.lexists(p)]
    if missing:  # said before a store is made
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        _fail(InputMissing(f"{missing[0]}: no such file or folder{more}"))
    if events_file is not None and not events_file.is_file():
        _fail(InputMissing(f"{events_file}: no such file"))
    try:
        store = _store(db, read_only=not paths and events_file is None)
    except HadathError as exc:
        _fail(exc)
        return
    nothing = None
    if events_file is not None:
        from .export import import_events

        with events_file.open(encoding="utf-8") as fh:
            added, known, bad = import_events(store, fh, str(events_file))
        typer.echo(f"{added} events loaded, {known} already in the store, {len(bad)} bad lines")
        for b in bad[:20]:
            err.print(f"[yellow]skipped[/] {b}", highlight=False, soft_wrap=True)
    if paths:
        opts = InputOptions(text_field=text_field, date_field=date_field, id_field=id_field,
                            url_field=url_field, title_field=title_field, source_field=source_field,
                            source=source, encoding=encoding, date=_parse_day(date))
        n_jobs = jobs or os.cpu_count() or 1
        where = f"Dask cluster {cluster}" if cluster else f"{n_jobs} processes"
        with Progress(TextColumn("[bold]ingest"), BarColumn(),
                      TextColumn("{task.fields[extracted]} extracted"),
                      TextColumn("{task.fields[done]} stored"),
                      TextColumn("{task.fields[new]} new"), TextColumn("{task.fields[rate]} articles/s"),
                      TimeElapsedColumn(), console=err, disable=not err.is_terminal,
                      transient=True) as progress:
            task = progress.add_task("ingest", total=None, done=0, new=0, rate="-", extracted=0)
            count = {"extracted": 0}

            def show(r) -> None:
                progress.update(task, done=r.read, new=r.new, rate=f"{r.rate:,.0f}")

            def extracted(n: int) -> None:  # called as the workers' futures finish
                count["extracted"] += n
                progress.update(task, extracted=count["extracted"])

            try:
                rep = ingest(paths, store, opts, jobs=n_jobs, batch=batch, progress=show,
                             cluster=cluster, extracted=extracted)
            except HadathError as exc:
                _fail(exc)
                return
        unread = f", {rep.unread} files not read" if rep.unread else ""
        typer.echo(f"{rep.read} inputs read in {rep.seconds:.1f} s ({rep.rate:,.1f} articles/s, "
                   f"{where}): {rep.new} new articles, {rep.duplicates} already in the "
                   f"store, {rep.bad} skipped{unread}; {rep.events_new} new events, "
                   f"{rep.events_merged} reports merged into known events, {rep.tolls} tolls")
        for note in rep.notes[:MAX_SHOWN]:
            err.print(f"{note.origin}: {note.text}", highlight=False, soft_wrap=True)
        for p in rep.problems[:MAX_SHOWN]:
            what = "not read" if p.unread else "skipped"
            err.print(f"[yellow]{what}[/] {p.origin}: {p.reason.removeprefix('not read: ')}",
                      highlight=False, soft_wrap=True)
        more = rep.bad + rep.unread - min(len(rep.problems), MAX_SHOWN)
        if more > 0:
            err.print(f"... and {more:,} more (hadath ingest --report)", highlight=False)
        if rep.new == 0 and rep.duplicates == 0:
            if rep.bad or rep.unread:
                nothing = AllSkipped(
                    "nothing stored: " + ", ".join(x for x in (
                        f"{_n(rep.bad, 'input')} skipped" if rep.bad else "",
                        f"{_n(rep.unread, 'file')} not read" if rep.unread else "") if x)
                    + " (hadath ingest --report lists them with the reasons)")
            else:
                nothing = AllSkipped(f"nothing to ingest in {', '.join(paths)}: no articles found")
    if report:
        for e in reversed(store.errors()):
            typer.echo(f"{e['at']:%Y-%m-%d %H:%M}  {e['origin']}: {e['reason']}")
    if nothing is not None:
        _fail(nothing)


def _parse_near(value: Optional[str]) -> Optional[tuple[float, float]]:
    from .store import parse_near

    if value is None:
        return None
    try:
        return parse_near(value)
    except ValueError as exc:
        raise typer.BadParameter(f"--near {exc}") from None


@app.command("events")
def events_cmd(
    db: DbOption = None,
    since: Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place name (Arabic or English), governorate or gazetteer id.")] = None,
    near: Annotated[Optional[str], typer.Option(help="LAT,LON: events within --km of this point.")] = None,
    km: Annotated[float, typer.Option(help="Radius for --near.")] = 25.0,
    kind: Annotated[Optional[str], typer.Option(help="Event kind (air_strike, territory_control...).")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Actor name (part of it) or code.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Outlet or cited source (part of its name).")] = None,
    limit: Annotated[Optional[int], typer.Option(
        min=0, show_default=False,
        help=f"At most this many events (default: all with --json, {TABLE_ROWS} in the table).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one merged event per line.")] = False,
) -> None:
    """List merged events from the store, newest first.

    Example:
        hadath events --kind air_strike --since 2024-11-27 --place حلب
        hadath events --near 36.2,37.16 --km 30 --json
    """
    from .models import KINDS
    from .store import EventFilter

    if kind and kind not in KINDS:
        raise typer.BadParameter(f"--kind {kind!r}: one of {', '.join(KINDS)}")
    try:
        f = EventFilter(since=_parse_day(since), until=_parse_day(until), place=place,
                        near=_parse_near(near), km=km, kind=kind, actor=actor, source=source)
        store = _store(db, read_only=True)
        if as_json:  # every matching event, streamed, unless --limit
            for n, r in enumerate(store.all_events(f, newest_first=True)):
                if limit is not None and n >= limit:
                    break
                sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
            return
        rows = store.query_events(f, limit=TABLE_ROWS if limit is None else limit)
        total = store.count_events(f)
    except HadathError as exc:
        _fail(exc)
        return
    console = stdout_console()
    if len(rows) < total:
        title = f"{len(rows)} of {total:,} events shown"
        title += " (--limit N for more, --json for all)" if limit is None else ""
    else:
        title = f"{total} events"
    columns = (Column("date", 8), Column("kind", 7), Column("actors", 5, wrap=True),
               Column("place", 6, wrap=True), Column("deaths", 4), Column("status", 3),
               Column("reports", 2, wrap=True), Column("id", 1))
    table_rows = []
    for r in rows:
        actors = (r["actor1"] or "?") + (f" → {r['actor2']}" if r["actor2"] else "")
        place = f"{r['place_name_ar'] or ''} {r['place_name'] or '-'} [{r['precision'] or '-'}]".strip()
        deaths = "-" if r["fatalities"] is None else (
            str(r["fatalities"]) + (f"-{r['fatalities_high']}" if r["fatalities_high"] != r["fatalities"] else ""))
        table_rows.append([str(r["date"] or "-"), r["kind"], actors, place, deaths, r["status"],
                           f"{r['n_reports']} ({_n(r['n_sources'], 'outlet')})", r["id"]])
    console.print(fitted_table(console, columns, table_rows, title))


@app.command("control")
def control_cmd(
    place: Annotated[Optional[str], typer.Argument(help="A place (Arabic or English name, or gazetteer id).")] = None,
    at: Annotated[Optional[str], typer.Option("--at", help="List every place with its holder on this date.")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Who held a place over time, or who held every place on one day.

    Example:
        hadath control حماة
        hadath control --at 2024-12-01
    """
    from .resolve import control_at, find_place, kept_timelines

    if not place and not at:
        raise typer.BadParameter("give a PLACE, or --at DATE")
    try:
        store = _store(db, read_only=True)
        if at:
            day = _parse_day(at)
            rows = control_at(store, day)
            if as_json:
                for tl, p in rows:
                    sys.stdout.write(json.dumps({"place": tl.name, "place_ar": tl.name_ar,
                                                 "key": tl.key, "label": tl.label,
                                                 "scope": tl.scope,
                                                 "actor": p.actor,
                                                 "since": str(p.start) if p.start else None,
                                                 "events": p.events}, ensure_ascii=False) + "\n")
                return
            columns = (Column("place", 5, wrap=True), Column("held by", 4, wrap=True), Column("since", 3),
                       Column("sources", 2, wrap=True), Column("contradicted by", 1, wrap=True))
            table_rows = [[tl.label, p.actor or "-", str(p.start or "-"),
                           ", ".join(sorted({c["source"] for c in p.supporting})) or "-",
                           ", ".join(sorted({c["source"] for c in p.contradicting})) or "-"]
                          for tl, p in rows]
            out = stdout_console()
            out.print(fitted_table(out, columns, table_rows, f"control on {day}: {len(rows)} places"))
            return
        found = find_place(kept_timelines(store), place)
    except HadathError as exc:
        _fail(exc)
        return
    if not found:
        err.print(f"no control events for {place!r} in the store", highlight=False)
        raise typer.Exit(1)
    if as_json:
        for tl in found:
            sys.stdout.write(json.dumps(tl.as_dict(), ensure_ascii=False) + "\n")
        return
    console = stdout_console()
    for tl in sorted(found, key=lambda t: (t.key.split("~")[0], t.around)):  # a place, then its area
        columns = (Column("held by", 6, wrap=True), Column("from", 5), Column("until", 4),
                   Column("supporting claims", 3, wrap=True), Column("contradicting claims", 2, wrap=True),
                   Column("note", 1, wrap=True))
        table_rows = [[p.actor or "(unknown)", str(p.start or "?"), str(p.end or "-"),
                       "; ".join(f"{c['source']} {c['stance']}" for c in p.supporting) or "-",
                       "; ".join(f"{c['source']} {c['stance']}" for c in p.contradicting) or "-",
                       p.note or "-"] for p in tl.periods]
        # [..] in the title is no markup
        console.print(fitted_table(console, columns, table_rows, escape(f"{tl.label} [{tl.key}]"), show_lines=True))


@app.command("claims")
def claims_cmd(
    contested: Annotated[bool, typer.Option("--contested", help="Only events on which sources disagree.")] = True,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one contested event per line.")] = False,
) -> None:
    """Events on which sources disagree: confirmed and denied, fatalities that differ, or
    different actors blamed, with each side's sources and sentences.

    Example:
        hadath claims --contested
    """
    from .resolve import contradictions

    try:
        _, found = contradictions(_store(db, read_only=True))
    except HadathError as exc:
        _fail(exc)
        return
    if as_json:
        for c in found:
            sys.stdout.write(json.dumps(c.as_dict(), ensure_ascii=False, default=str) + "\n")
        return
    console = stdout_console()
    console.print(f"{len(found)} contested events", highlight=False)
    for c in found:
        ev = c.event
        console.rule(f"{ev['date']} {ev['kind']} {ev['place_name_ar'] or ''} {ev['place_name'] or ''} "
                     f"[{ev['id']}]")
        console.print("; ".join(c.kinds), style="bold", highlight=False)
        for side in c.sides:
            console.print(f"[bold]{side['label']}[/]", highlight=False)
            for cl in side["claims"]:
                who = cl.get("source") or ", ".join(cl.get("sources", []))
                console.print(f"  {who} ({cl.get('outlet') or '?'}): {cl.get('text')}", highlight=False)


# --- serve ---------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).parent / "data" / "examples"


@app.command("serve")
def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    tiles: Annotated[Optional[str], typer.Option(
        envvar="HADATH_TILES",
        help="Tile server URL template (https://…/{z}/{x}/{y}.png) drawn under the shipped outlines.")] = None,
    tiles_attribution: Annotated[Optional[str], typer.Option(
        envvar="HADATH_TILES_ATTRIBUTION", help="Attribution shown for --tiles.")] = None,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the map in a web browser.")] = False,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", show_default=False,
        help="Also answer requests for this host name (a deployment's public name; repeat for "
             "more; * for any). By default only the address listened on and this machine's "
             "names are answered.")] = None,
) -> None:
    """Open the map, timeline, claims and place pages (and a JSON API with docs at /docs).

    With no store yet (no --db, no HADATH_DB, no hadath.db here) the bundled examples are
    ingested into hadath.db first, so a fresh install shows events at once.

    Example:
        hadath serve --db syria.db --port 8080
    """
    import os
    import threading

    import uvicorn

    from .serve import allowed_hosts, check_port, create_app
    from .store import DEFAULT_DB

    fresh = db is None and not os.environ.get("HADATH_DB") and not Path(DEFAULT_DB).exists()
    if db and "://" not in db and not Path(db).exists():
        _fail(StoreError(f"no store at {db}: create it with `hadath ingest FILES --db {db}`"))
    try:
        check_port(host, port)  # before anything is loaded or said
        store = _store(db, read_only=not fresh)
        if fresh:
            from .ingest import ingest

            rep = ingest([str(EXAMPLES)], store)
            err.print(f"no store yet: ingested the {rep.new} bundled examples into {DEFAULT_DB} "
                      f"({rep.events_new} events); add your own with `hadath ingest`", highlight=False)
        application = create_app(store, tiles=tiles, tiles_attribution=tiles_attribution,
                                 hosts=allowed_hosts(host, allowed_host))
    except HadathError as exc:
        _fail(exc)
        return
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--tiles") from None
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    views = application.state.views
    views.warm()  # the answers the pages open with, before the first request (and on each change)
    threading.Thread(target=views.keep_warm, daemon=True, name="hadath-keep-warm").start()
    counts = store.counts()
    err.print(f"hadath: {counts['events']:,} events from {counts['documents']:,} articles; "
              f"open {url} (API docs: {url}docs); Ctrl-C stops", highlight=False)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(application, host=host, port=port, log_level="warning")


# --- export and evaluate --------------------------------------------------------------------------

@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="acled-csv, geojson, jsonl or ucdp-csv.")],
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="File to write (default: standard output).")] = None,
    db: DbOption = None,
    since: Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place name, governorate or gazetteer id.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="Event kind.")] = None,
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV with a UTF-8 byte order mark "
                                                    "(for Excel and LibreOffice).")] = False,
    limit: Annotated[Optional[int], typer.Option(
        min=0, show_default=False, help="At most this many events (default: every matching one).")] = None,
    all_kinds: Annotated[bool, typer.Option(
        "--all-kinds", help="ucdp-csv: keep every event (by default only organised violence "
                            "with a reported death, as UCDP GED holds).")] = False,
) -> None:
    """Export events: ACLED-style CSV, GeoJSON, complete JSON Lines, or UCDP GED-style CSV.

    Example:
        hadath export --format acled-csv -o events.csv --bom
        hadath export --format geojson --kind air_strike -o strikes.geojson
        hadath export --format jsonl -o backup.jsonl
    """
    from .export import FORMATS, export, open_output
    from .store import EventFilter

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    try:
        store = _store(db, read_only=True)
        f = EventFilter(since=_parse_day(since), until=_parse_day(until), place=place, kind=kind)
        out = open_output(output, bom=bom and fmt.endswith("csv"))
        try:
            rep = export(store, fmt, out, f, limit=limit, all_kinds=all_kinds)
        finally:
            if out is not sys.stdout:
                out.close()
    except HadathError as exc:
        if output and output != "-" and Path(output).exists() and Path(output).stat().st_size < 400:
            Path(output).unlink()  # do not leave a header-only file behind a failure
        _fail(exc)
        return
    msg = f"{rep.rows} events written" + (f" to {output}" if output and output != "-" else "")
    if rep.left_out:
        msg += f"; {rep.left_out} events without a point left out"
    if rep.not_ucdp:
        msg += (f"; {sum(rep.not_ucdp.values())} events left out, not organised violence with a "
                "death as in UCDP GED (" + ", ".join(f"{k} {n}" for k, n in rep.not_ucdp.most_common())
                + "; --all-kinds keeps them)")
    err.print(msg, highlight=False, soft_wrap=True)


@app.command("evaluate")
def evaluate_cmd(
    reference: Annotated[Optional[str], typer.Option("--reference", "-r", help="A UCDP GED or ACLED CSV (or .csv.gz).")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="ucdp or acled.")] = None,
    gold: Annotated[Optional[str], typer.Option("--gold", help="Events coded by hand (JSON Lines, "
                                                "docs/coding.md), or a folder of them.")] = None,
    articles: Annotated[Optional[str], typer.Option("--articles", help="With --gold: the articles "
                                                    "(JSON Lines, plain or .gz) the gold refers to.")] = None,
    split: Annotated[Optional[str], typer.Option("--split", help="With --gold: only this split "
                                                 "(dev or test).")] = None,
    with_background: Annotated[bool, typer.Option("--with-background", help="With --gold: count "
                                                  "background (historical) events too.")] = False,
    km: Annotated[float, typer.Option(help="A match is within this distance.")] = 25.0,
    days: Annotated[int, typer.Option(help="... and within this many days.")] = 1,
    since: Annotated[Optional[str], typer.Option(help="From this date.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to this date.")] = None,
    max_precision: Annotated[int, typer.Option(help="Only events placed at this precision or finer.")] = 6,
    baseline: Annotated[bool, typer.Option("--baseline", help="Also score every event at its "
                                                              "governorate's centroid.")] = False,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Score the store against a reference event set, or the extractor against gold coded by hand.

    Examples:
        hadath evaluate --reference ged191_syria.csv.gz --format ucdp --km 25 --days 1
        hadath evaluate --gold eval/gold --articles ant.jsonl.gz --split dev
    """
    from .evaluate import evaluate, read_reference

    if gold is not None:
        _evaluate_gold(gold, articles, split, with_background, as_json)
        return
    if reference is None or fmt is None:
        _fail(ExportError("evaluate needs --reference and --format, or --gold and --articles"))
        return
    try:
        store = _store(db, read_only=True)
        ref = read_reference(reference, fmt)
        results = [evaluate(store, ref, km, days, _parse_day(since), _parse_day(until),
                            max_precision=max_precision)]
        if baseline:
            results.append(evaluate(store, ref, km, days, _parse_day(since), _parse_day(until),
                                    baseline=True, max_precision=max_precision))
    except HadathError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps(results if baseline else results[0], ensure_ascii=False, indent=2))
        return
    console = stdout_console()
    for res in results:
        o = res["overall"]
        title = (f"{'baseline: governorate centroids' if res['baseline'] else 'hadath'} vs "
                 f"{res['reference_events']} reference events of the {res['days_compared']} days "
                 f"the articles cover ({res['from']} to {res['until']}), {res['km']:g} km, "
                 f"±{res['days']} days")
        columns = (Column("kind", 6), Column("events", 5), Column("matched", 4), Column("precision", 3),
                   Column("median km", 2), Column("fatality agreement", 1))
        rows = [("all", o)] + list(res["per_kind"].items())
        table_rows = [[name, str(s["events"]), str(s["matched"]), _pct(s["precision"]),
                       str(s["median_km"] if s["median_km"] is not None else "-"),
                       _pct(s["fatality_agreement"]) + f" of {s['fatality_pairs']}"] for name, s in rows]
        console.print(fitted_table(console, columns, table_rows, title))
        console.print(f"recall: {_pct(o['recall'])} of reference events; by type: " + ", ".join(
            f"{k} {_pct(v['recall'])} ({v['matched']}/{v['events']})"
            for k, v in res["recall_per_reference_type"].items()), highlight=False)


def _evaluate_gold(gold: str, articles: Optional[str], split: Optional[str],
                   with_background: bool, as_json: bool) -> None:
    """``hadath evaluate --gold``: run the extractor on each gold article and score it."""
    from .gold import extract_gold_articles, read_articles, read_gold, score
    from .lexicon import default_lexicon

    if articles is None:
        _fail(ExportError("--gold needs --articles: the JSON Lines file of the articles' texts"))
        return
    try:
        gold_articles = read_gold(gold, split)
        if not gold_articles:
            raise ExportError(f"{gold}: no gold article" + (f" in split {split!r}" if split else ""))
        texts = read_articles(articles, {g.docno for g in gold_articles})
    except HadathError as exc:
        _fail(exc)
        return
    predicted = dict(extract_gold_articles(gold_articles, texts, with_background))
    res = score(gold_articles, predicted, default_lexicon())
    if as_json:
        typer.echo(json.dumps(res, ensure_ascii=False, indent=2))
        return
    print_gold_scores(res, stdout_console())


def print_gold_scores(res: dict, console: Console) -> None:
    """The gold scores as terminal tables."""
    columns = (Column("match", 4, wrap=True), Column("precision", 3), Column("recall", 2),
               Column("F1", 1))
    rows = [("strict (same kind)", res["strict"]), ("by family", res["family"])]
    rows += [(f"  {f} ({v['gold']} gold, {v['predicted']} predicted)", v)
             for f, v in res["per_family"].items()]
    table_rows = [[name, _pct(v["precision"]), _pct(v["recall"]), _pct(v["f1"])] for name, v in rows]
    console.print(fitted_table(console, columns, table_rows,
                               f"{res['articles']} articles: {res['gold_events']} gold events, "
                               f"{res['predicted_events']} predicted"))
    a = res["attributes"]
    console.print(f"of {res['found_events']} found events, right: " + ", ".join(
        f"{k} {_pct(v)}" for k, v in a.items()), highlight=False)
    c = res["contested"]
    console.print(f"contested gold events: {c['gold']}, found {c['found']}, marked contested "
                  f"{c['right']}; articles without events left silent: "
                  f"{res['no_event_articles']['silent']} of {res['no_event_articles']['articles']}",
                  highlight=False)
    console.print("false positives by cause: " + ", ".join(
        f"{k} {v}" for k, v in res["false_positives"].items()), highlight=False)


def _n(count: int, noun: str) -> str:
    """"1 outlet", "2 outlets"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _pct(v: Optional[float]) -> str:
    return "-" if v is None else f"{v:.1%}"


def _print_jsonl(article: Article, out=None, with_background: bool = False) -> None:
    out = out or sys.stdout
    for ev in article.events:
        out.write(ev.model_dump_json() + "\n")
    for toll in article.tolls:
        out.write(json.dumps({"toll": json.loads(toll.model_dump_json())}, ensure_ascii=False) + "\n")
    if with_background:
        for key, evs in (("background", article.background), ("unplaced", article.unplaced)):
            for ev in evs:
                out.write(json.dumps({key: json.loads(ev.model_dump_json())}, ensure_ascii=False)
                          + "\n")


def _print_table(article: Article, text: str, with_background: bool = False) -> None:
    console = stdout_console()
    why = {}
    if with_background:
        for label, evs in (("background", article.background), ("no place", article.unplaced)):
            why.update({id(ev): label for ev in evs})
        article = article.model_copy(update={"events": article.events + article.background
                                             + article.unplaced})
    elif article.background or article.unplaced:
        err.print(f"{len(article.background)} background events and {len(article.unplaced)} "
                  "with no place are not shown (--with-background)", highlight=False)
    columns = (Column("#", 3), Column("kind", 8), Column("actors", 5, wrap=True), Column("place", 6, wrap=True),
               Column("date", 7), Column("deaths", 4), Column("status", 2), Column("sources", 1, wrap=True))
    table_rows = []
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
        kind = ev.kind + (f" ({why[id(ev)]})" if id(ev) in why else "")
        table_rows.append([str(n), kind, actors, place, str(ev.date or "-"),
                           "-" if ev.fatalities is None else str(ev.fatalities), ev.status, sources])
    console.print(fitted_table(console, columns, table_rows, f"{len(article.events)} events", show_lines=True))
    for n, ev in enumerate(article.events, 1):
        for e in ev.evidence:
            console.print(f"[dim]#{n} [{e.start}:{e.end}][/] {e.text}", highlight=False)
    for toll in article.tolls:
        places = ", ".join(p.name for p in toll.places) or "-"
        console.print(f"toll: {toll.value} {toll.category} ({places}) per {toll.source or '?'}: "
                      f"{toll.text}", highlight=False)


# watch, alerts and brief
from .cli_live import register as _register_live  # noqa: E402

_register_live(app)

if __name__ == "__main__":  # pragma: no cover
    app()
