"""The live commands of ``hadath``: ``watch`` (follow feeds), ``alerts`` (tell the analyst)
and ``brief`` (the morning brief), registered on the app of :mod:`hadath.cli` by
:func:`register` (this module imports nothing of :mod:`hadath.cli` at load time, so that
``python -m hadath.cli`` works too)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import HadathError, WatchError

err = Console(stderr=True)
DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="The store: a SQLite file or a database URL (default: HADATH_DB, else hadath.db).")]


def _fail(exc: HadathError) -> None:
    from .cli import _fail as fail

    fail(exc)


def _store(db: Optional[str], read_only: bool = False):
    from .store import Store

    return Store(db, read_only=read_only)


def _seconds(value: str, option: str) -> float:
    from .watch import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def register(app: typer.Typer) -> None:
    """Add watch, alerts and brief to ``app``."""

    @app.command("watch")
    def watch_cmd(
        sources: Annotated[Optional[list[str]], typer.Argument(
            help="RSS/Atom feed or sitemap URLs, or files listing them (one per line: the URL, "
                 "then optionally the outlet's name and language). Default: the sources this store "
                 "already watches.",
            show_default=False)] = None,
        every: Annotated[str, typer.Option("--every", help="Time between rounds (30s, 10m, 1h).")] = "10m",
        once: Annotated[bool, typer.Option("--once", help="Run one round and stop (for cron).")] = False,
        status: Annotated[bool, typer.Option("--status", help="Show each source's last success, "
                                                              "items and errors, and stop.")] = False,
        db: DbOption = None,
        timeout: Annotated[str, typer.Option("--timeout", help="Time limit of one request.")] = "20s",
        max_items: Annotated[int, typer.Option("--max-items", min=1,
                                               help="Articles fetched per source and round (newest first; the rest wait).")] = 100,
        backoff: Annotated[str, typer.Option("--backoff", help="A failing source waits this, doubled "
                                                               "at each failure in a row (up to 6 h).")] = "5m",
        jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extraction processes.")] = 1,
        alerts: Annotated[Optional[Path], typer.Option(
            "--alerts", help="After each round, check the alert rules of this TOML file (see hadath alerts).")] = None,
        no_robots: Annotated[bool, typer.Option("--ignore-robots", help="Do not read robots.txt "
                                                                        "(only for your own sites).")] = False,
    ) -> None:
        """Follow news feeds and sitemaps: each round ingests the articles not seen before.

        Conditional requests (ETag, Last-Modified), one request at a time per host, robots.txt
        honoured, failing sources backed off. An article seen before adds nothing, across restarts.

        Example:
            hadath watch https://example.org/rss.xml sources.txt --every 10m
            hadath watch sources.txt --once --db news.db
            hadath watch --status
        """
        from .watch import Fetcher, Watcher, describe_status, parse_sources

        every_s, timeout_s, backoff_s = (_seconds(every, "--every"), _seconds(timeout, "--timeout"),
                                         _seconds(backoff, "--backoff"))
        if every_s < 1:
            raise typer.BadParameter("at least 1 s", param_hint="--every")
        try:
            if status:
                store = _store(db, read_only=True)
                watcher = Watcher(store)
                rows = watcher.status() if watcher.has_tables() else []
                _print_status(rows, describe_status(rows))
                return
            wanted = parse_sources(sources or [])
            rules = None
            if alerts is not None:
                from .alerts import load_rules

                rules = load_rules(alerts)
            store = _store(db)
            watcher = Watcher(store, Fetcher(timeout=timeout_s, robots=not no_robots),
                              max_items=max_items, backoff=backoff_s, jobs=jobs)
            if wanted:
                watcher.add(wanted)
            elif not watcher.sources():
                raise WatchError("no sources: name feed or sitemap URLs, or a file listing them")
        except HadathError as exc:
            _fail(exc)
            return
        n = 0
        try:
            while True:
                n += 1
                started = time.monotonic()
                try:
                    rep = watcher.round(wanted or None)
                except HadathError as exc:  # the store went away: said, and (looping) tried again
                    if once:
                        _fail(exc)
                    err.print(f"[red]round {n} failed:[/] {exc}", highlight=False, soft_wrap=True)
                    rep = None
                except Exception as exc:  # noqa: BLE001 - a watcher in a loop never stops
                    if once:
                        raise
                    from .ingest import describe

                    err.print(f"[red]round {n} failed:[/] {describe(exc)}; trying again next round",
                              highlight=False, soft_wrap=True)
                    rep = None
                if rep is not None:
                    _print_round(n, rep)
                    if rules is not None:
                        from .alerts import check

                        try:
                            sent = check(store, rules)
                            if sent.sent or sent.failed:
                                err.print(f"alerts: {sent.describe()}", highlight=False, soft_wrap=True)
                        except HadathError as exc:
                            err.print(f"[red]alerts failed:[/] {exc}", highlight=False, soft_wrap=True)
                if once:
                    if rep is not None and rep.all_failed:
                        _fail(WatchError("every source failed this round (hadath watch --status)"))
                    return
                wait = max(0.0, every_s - (time.monotonic() - started))
                time.sleep(wait)
        except KeyboardInterrupt:
            err.print(f"stopped after {n} rounds; what was stored is kept", highlight=False)


    @app.command("alerts")
    def alerts_cmd(
        rules: Annotated[Optional[Path], typer.Argument(
            help="The rules file (TOML): channels and [[rule]] tables.", show_default=False)] = None,
        db: DbOption = None,
        sent: Annotated[bool, typer.Option("--sent", help="List the alerts sent so far, and stop.")] = False,
        check_only: Annotated[bool, typer.Option("--check", help="Only check the rules file.")] = False,
    ) -> None:
        """Check alert rules against what the store gained since the last check, and deliver.

        Rules fire on a new event (kind, place or a radius, actor, fatalities, status), a change
        of control, a new contested claim, or a source contradicting its own earlier report;
        channels are stdout, a JSON Lines file, a webhook and e-mail. Each alert is sent once;
        a report merged later that changes an alerted event sends an update. Run it after each
        ingest (cron), or let `hadath watch --alerts FILE` run it after each round.

        Example:
            hadath alerts alerts.toml --db news.db
            hadath alerts alerts.toml --check
            hadath alerts --sent
        """
        from .alerts import check, load_rules, sent_log

        try:
            if sent:
                rows = sent_log(_store(db, read_only=True))
                for r in rows:
                    when = r["last_sent_at"].strftime("%Y-%m-%d %H:%M") if r["last_sent_at"] else "not sent"
                    extra = f" ({r['updates']} updates)" if r["updates"] else ""
                    failed = f" FAILED: {r['last_error']}" if r["state"] == "failed" else ""
                    typer.echo(f"{when}  {r['rule']} · {r['channel']} · {r['subject']}{extra}{failed}")
                if not rows:
                    typer.echo("no alerts sent yet")
                return
            if rules is None:
                raise typer.BadParameter("give the RULES file (or --sent)")
            loaded = load_rules(rules)
            if check_only:
                typer.echo(f"{rules}: {len(loaded.rules)} rules, channels: "
                           + ", ".join(f"{c.name} ({c.type})" for c in loaded.channels.values()))
                return
            rep = check(_store(db), loaded)
        except HadathError as exc:
            _fail(exc)
            return
        err.print(rep.describe(), highlight=False, soft_wrap=True)
        if rep.failed and not rep.sent:
            raise typer.Exit(1)


    @app.command("brief")
    def brief_cmd(
        output: Annotated[Path, typer.Option("--output", "-o", help="brief.html, or brief.pdf "
                                                                   "(printed by headless chromium).")],
        date: Annotated[Optional[str], typer.Option("--date", help="The day (YYYY-MM-DD); default: "
                                                                   "the last day with events.")] = None,
        since: Annotated[Optional[str], typer.Option("--since", help="Instead of --date: the "
                                                                     "days back to this long ago (24h, 7d), or from this "
                                                                     "date (YYYY-MM-DD) to the last day with events.")] = None,
        area: Annotated[Optional[str], typer.Option("--area", help="Only this governorate, place "
                                                                   "or country (Arabic or English name).")] = None,
        bbox: Annotated[Optional[str], typer.Option("--bbox", help="Only this box: SOUTH,WEST,NORTH,EAST.")] = None,
        db: DbOption = None,
        base_url: Annotated[str, typer.Option("--base-url", envvar="HADATH_URL",
                                              help="Where `hadath serve` runs: the event links point there.")] = "http://127.0.0.1:8000",
    ) -> None:
        """Write the morning brief of a day (or period): figures, a map, control changes with
        the claims for and against, the deadliest events, contested claims side by side, and
        events per area against the previous period; every line linked to its event page and
        quoting its sentence.

        Example:
            hadath brief --date 2024-12-01 -o brief.html
            hadath brief --since 24h --area إدلب -o brief.pdf --db news.db
            hadath brief --since 2024-12-02 --bbox 34.5,35.5,37.5,39 -o week.pdf
        """
        import datetime as dt

        from .brief import Area, build, parse_bbox, period_of, write

        day = None
        if date is not None:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                raise typer.BadParameter(f"{date!r} is not a date in YYYY-MM-DD form",
                                         param_hint="--date") from None
        started = time.perf_counter()
        try:
            store = _store(db, read_only=True)
            where = Area(area, parse_bbox(bbox) if bbox else None)
            brief = build(store, period_of(store, day, since), where)
            write(brief, output, base_url.rstrip("/"))
        except HadathError as exc:
            _fail(exc)
            return
        err.print(f"{output}: the brief of {brief.period.label()} ({where.label()}): "
                  f"{len(brief.events)} events, {brief.fatalities} fatalities, "
                  f"{len(brief.control)} control changes, {len(brief.contested)} contested "
                  f"({time.perf_counter() - started:.1f} s)", highlight=False, soft_wrap=True)


def _print_round(n: int, rep) -> None:
    stamp = time.strftime("%H:%M:%S")
    err.print(f"{stamp} round {n}: {rep.summary()}", highlight=False, soft_wrap=True)
    for line in rep.sources:
        if line.status == "failed":
            err.print(f"  [yellow]failed[/] {line.url}: {line.error} (next try "
                      f"{line.retry_at:%H:%M:%S} UTC)", highlight=False, soft_wrap=True)
        elif line.error:
            err.print(f"  [yellow]note[/] {line.url}: {line.error}", highlight=False, soft_wrap=True)
    for url, why in rep.failures[:20]:
        err.print(f"  [yellow]page[/] {url}: {why}", highlight=False, soft_wrap=True)
    if len(rep.failures) > 20:
        err.print(f"  ... and {len(rep.failures) - 20} more pages (hadath watch --status)",
                  highlight=False)


def _print_status(rows: list[dict], lines: list[list[str]]) -> None:
    if not rows:
        typer.echo("no sources watched in this store yet (hadath watch URL...)")
        return
    console = Console(width=None if Console().is_terminal else 200)
    table = Table(title=f"{len(rows)} sources watched")
    for col in ("source", "kind", "last success (UTC)", "items", "errors", "next try (UTC)"):
        table.add_column(col, overflow="fold")
    for line in lines:
        table.add_row(*line)
    console.print(table)
