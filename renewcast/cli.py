"""The ``renewcast`` command line: thin Typer commands over the package's functions.

Every command takes ``--json``; progress goes to stderr; errors say what to do and exit non-zero.
Heavy libraries are imported inside commands so that quick commands stay quick.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(
    name="renewcast",
    help="Will there be another season? Status, evidence and calibrated odds for TV series.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Store URL or SQLite path (default: $RENEWCAST_DB or the user data dir)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Only what was known by the end of this day (UTC), YYYY-MM-DD."),
]


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    _stderr().print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of {value!r} is not a date; use YYYY-MM-DD, e.g. --as-of 2022-09-01")


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def default_data_dir() -> Path | None:
    for cand in (
        Path.cwd() / "../shared/data",
        Path(__file__).resolve().parents[2] / "../shared/data",
    ):
        if cand.is_dir():
            return cand.resolve()
    return None


def open_store(db: str | None) -> Any:
    from renewcast.store.db import StoreError, connect

    try:
        return connect(db)
    except StoreError as e:
        fail(str(e))


# ------------------------------------------------------------------ catalog
@app.command()
def sync(
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from", help="Data folder to import (default: ../shared/data when it exists)."
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import every source (Top 10, engagement reports, Wikipedia, JustWatch) into the store."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from renewcast.sources.base import SourceError
    from renewcast.store.sync import sync_dir

    data = from_ or default_data_dir()
    if data is None:
        fail(
            "no local data folder found and live sync needs --from; "
            "give --from DIR (e.g. --from ../shared/data)"
        )
    engine = open_store(db)
    console = _stderr()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=as_json,
    ) as progress:
        task = progress.add_task("sync", total=None)

        def on_step(desc: str, i: int, n: int) -> None:
            progress.update(task, description=desc, completed=i, total=n)

        try:
            reports = sync_dir(engine, data, on_step=on_step)
        except SourceError as e:
            fail(str(e))
    failed = [r for r in reports if r.status == "failed"]
    if as_json:
        emit_json({"from": str(data), "imports": [r.to_json() for r in reports]})
    else:
        from rich.table import Table

        t = Table(title=f"sync from {data}")
        for col in ("source", "file", "status", "added", "updated", "unchanged", "problems", "s"):
            t.add_column(
                col,
                justify="right"
                if col in ("added", "updated", "unchanged", "problems", "s")
                else "left",
            )
        for r in reports:
            t.add_row(
                r.source,
                Path(r.uri).name,
                r.status,
                str(r.counts.added),
                str(r.counts.updated),
                str(r.counts.unchanged),
                str(len(r.problems)),
                f"{r.seconds:.1f}",
            )
        from rich.console import Console

        Console().print(t)
        for r in reports:
            for p in r.problems[:3]:
                console.print(f"[yellow]problem[/] {p}", highlight=False)
            if len(r.problems) > 3:
                console.print(
                    f"[yellow]… {len(r.problems) - 3} more problems in {Path(r.uri).name}[/]"
                )
            if r.message:
                console.print(f"[red]{r.message}[/]", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command()
def show(
    title: Annotated[
        str, typer.Argument(help="Series title (forgiving: case, punctuation, typos, aliases).")
    ],
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A series' seasons, premieres, Top 10 runs, engagement rows and cast, as known at --as-of."""
    from renewcast.store.catalog import UnknownSeries, resolve_one, series_profile

    day = parse_as_of(as_of)
    engine = open_store(db)
    with engine.connect() as conn:
        try:
            match = resolve_one(conn, title, as_of=day)
        except UnknownSeries as e:
            fail(str(e))
        prof = series_profile(conn, match.series_id, as_of=day)
    if as_json:
        emit_json(prof.to_json())
        return
    from renewcast.answer.render_catalog import print_profile

    print_profile(prof)


# ------------------------------------------------------------------ news ingest (helper "ingest")
news_app = typer.Typer(
    help="News: add articles (files, pages, feeds), list them, extract their claims.",
    no_args_is_help=True,
)
app.add_typer(news_app, name="news")

PublishedOpt = Annotated[
    str | None,
    typer.Option(
        "--published", help="Publication date (YYYY-MM-DD or ISO time) of a single page or .txt."
    ),
]


def _published_opt(value: str | None) -> Any:
    from renewcast.news.article import parse_published

    try:
        return parse_published(value)
    except ValueError:
        fail(f"--published {value!r} is not a date; use YYYY-MM-DD, e.g. --published 2022-09-01")


def _print_problems(problems: list[Any], limit: int = 10) -> None:
    console = _stderr()
    for p in problems[:limit]:
        console.print(f"[yellow]problem[/] {p}", highlight=False)
    if len(problems) > limit:
        console.print(f"[yellow]… {len(problems) - limit} more problems[/]")


def _run_extraction(
    engine: Any,
    *,
    doc_ids: list[int] | None,
    workers: int,
    scheduler: str | None,
    force: bool,
    quiet: bool,
) -> Any:
    from renewcast.news.ingest import extract_documents
    from renewcast.news.parallel import ParallelError, progress_bar

    with progress_bar("extract", transient=quiet) as on_progress:
        try:
            return extract_documents(
                engine,
                doc_ids=doc_ids,
                workers=workers,
                scheduler=scheduler,
                force=force,
                on_progress=on_progress,
            )
        except ParallelError as e:
            fail(str(e))


@news_app.command("add")
def news_add(
    source: Annotated[
        str,
        typer.Argument(
            help="A .jsonl archive, a saved .html page, a .txt article (first line the title), "
            "an .xml/.rss/.atom feed, or an http(s) URL of a page or feed."
        ),
    ],
    published: PublishedOpt = None,
    url: Annotated[
        str | None, typer.Option("--url", help="The URL a saved page or .txt came from.")
    ] = None,
    extract: Annotated[
        bool, typer.Option("--extract/--no-extract", help="Extract the new articles at once.")
    ] = True,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Store news articles (deduplicated by URL and content), then extract their claims."""
    import re

    from renewcast.news.ingest import add_path, add_url
    from renewcast.sources.base import SourceError

    when = _published_opt(published)
    engine = open_store(db)
    try:
        if re.match(r"(?i)https?://", source):
            report = add_url(engine, source, published=when)
        else:
            path = Path(source)
            if not path.is_file():
                fail(f"{source}: no such file; give a file path or an http(s) URL")
            report = add_path(engine, path, published=when, url=url)
    except SourceError as e:
        fail(str(e))
    extraction = None
    if extract and report.added:
        extraction = _run_extraction(
            engine, doc_ids=report.added, workers=1, scheduler=None, force=False, quiet=as_json
        )
    if as_json:
        emit_json(
            {"ingest": report.to_json(), "extract": extraction.to_json() if extraction else None}
        )
        return
    console = _stderr()
    console.print(
        f"{report.uri}: {len(report.added)} added, {len(report.duplicates)} already stored, "
        f"{len(report.problems)} problems",
        highlight=False,
    )
    _print_problems(report.problems)
    for note in report.notes:
        console.print(f"[cyan]note[/] {note}", highlight=False)
    if extraction is not None:
        console.print(
            f"extracted {extraction.extracted} article(s): {extraction.claims} claims "
            f"({extraction.linked} linked to the catalog), {extraction.quotes} quotes, "
            f"{extraction.cast} cast pairs",
            highlight=False,
        )
        _print_problems(extraction.problems)


@news_app.command("list")
def news_list(
    series: Annotated[
        str | None, typer.Option("--series", help="Only articles about this series.")
    ] = None,
    as_of: AsOfOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many (0 = all).")] = 50,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Stored articles, newest first, with the claims extracted from them."""
    from renewcast.news.ingest import list_documents
    from renewcast.store.catalog import UnknownSeries, resolve_one

    day = parse_as_of(as_of)
    engine = open_store(db)
    with engine.connect() as conn:
        sid = None
        if series:
            try:
                sid = resolve_one(conn, series, as_of=day).series_id
            except UnknownSeries as e:
                fail(str(e))
        docs = list_documents(conn, series_id=sid, as_of=day, limit=limit or None)
    if as_json:
        emit_json([d.to_json() for d in docs])
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(
        title=f"news{' about ' + series if series else ''}{' as of ' + as_of if as_of else ''}"
    )
    for col in ("id", "published", "publisher", "title", "claims"):
        t.add_column(col)
    for d in docs:
        claims = "; ".join(
            f"{c['series']} {c['status']}{' s' + str(c['season']) if c['season'] else ''}"
            for c in d.claims[:4]
        ) + (" …" if len(d.claims) > 4 else "")
        when = d.published.date().isoformat() if d.published else f"({d.known_at:%Y-%m-%d})"
        t.add_row(
            str(d.id),
            when,
            d.publisher or "",
            (d.title or d.url)[:70],
            claims if d.extracted else "[dim]not extracted[/]",
        )
    Console().print(t)


@news_app.command("extract")
def news_extract(
    workers: Annotated[
        int, typer.Option("--workers", help="Dask worker processes (1 = no Dask).")
    ] = 1,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="A Dask scheduler address to run on.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract every article, not just pending ones.")
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Extract claims, quotes and cast from stored articles that lack a current extraction."""
    if workers < 1:
        fail("--workers must be 1 or more")
    engine = open_store(db)
    report = _run_extraction(
        engine, doc_ids=None, workers=workers, scheduler=scheduler, force=force, quiet=as_json
    )
    if as_json:
        emit_json(report.to_json())
        return
    _stderr().print(
        f"{report.extracted}/{report.selected} article(s) extracted in {report.seconds:.1f} s: "
        f"{report.claims} claims ({report.linked} linked), {report.quotes} quotes, "
        f"{report.cast} cast pairs (extractor {report.version})",
        highlight=False,
    )
    _print_problems(report.problems)
    if report.problems:
        raise typer.Exit(1)


@app.command("extract")
def extract_cmd(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="JSONL articles, or a .txt article (first line the title); "
            "standard input when left out."
        ),
    ] = None,
    published: PublishedOpt = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Link series to this store's catalog (default: no catalog)."),
    ] = None,
) -> None:
    """Extract claims, quotes, cast and dates: one JSON line out per article in (no store)."""
    from renewcast.news.extract import extract_article, extract_jsonl
    from renewcast.news.ingest import read_text_file
    from renewcast.sources.base import SourceError

    catalog = None
    if db is not None:
        from renewcast.news.mentions import StoreCatalog

        catalog = StoreCatalog.from_engine(open_store(db))
    when = _published_opt(published)
    if file is not None and file.suffix.lower() == ".txt":
        try:
            doc, problems = read_text_file(file, published=when)
        except SourceError as e:
            fail(str(e))
        _print_problems(problems)
        ex = extract_article(doc.article, catalog)
        sys.stdout.write(json.dumps(ex.to_json(), ensure_ascii=False) + "\n")
        return
    if when is not None:
        fail("--published applies to a .txt article; JSONL lines carry their own dates")
    if file is None:
        import io

        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        stats = extract_jsonl(stdin, sys.stdout, catalog, name="<stdin>")
        problems = list(stats.problems)
    else:
        from renewcast.sources.base import decode_text, read_bytes

        try:
            text, problems = decode_text(read_bytes(file), str(file))
        except SourceError as e:
            fail(str(e))
        stats = extract_jsonl(text.splitlines(), sys.stdout, catalog, name=str(file))
        problems += stats.problems
    _print_problems(problems)
    if stats.problems and not stats.articles:
        raise typer.Exit(1)


# ------------------------------------------------------------------ end of news ingest


# ------------------------------------------------------------------ answer (status, ask)
@app.command()
def ask(
    title: Annotated[
        str, typer.Argument(help="Series title (forgiving: case, punctuation, typos, aliases).")
    ],
    season: Annotated[
        int | None,
        typer.Option("--season", min=1, help="Season to ask about (default: the next one)."),
    ] = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="text, markdown, html or json."),
    ] = "text",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Will there be another season? Status with sources, odds, cast, storylines and dates."""
    from renewcast.answer.compose import compose
    from renewcast.store.catalog import UnknownSeries, resolve_one

    fmt = "json" if as_json else fmt.lower()
    if fmt not in ("text", "markdown", "md", "html", "json"):
        fail(f"--format {fmt!r} is not known; use text, markdown, html or json")
    day = parse_as_of(as_of)
    engine = open_store(db)
    with engine.connect() as conn:
        try:
            match = resolve_one(conn, title, as_of=day)
        except UnknownSeries as e:
            fail(str(e))
        answer = compose(conn, match.series_id, season, as_of=day)
    if fmt == "json":
        emit_json(answer.to_json())
    elif fmt in ("markdown", "md"):
        from renewcast.answer.render_markdown import to_markdown

        sys.stdout.write(to_markdown(answer))
    elif fmt == "html":
        from renewcast.answer.render_markdown import to_html

        sys.stdout.write(to_html(answer))
    else:
        from renewcast.answer.render_text import print_answer

        print_answer(answer)


# ------------------------------------------------------------------ forecasts (helper "forecast")
@app.command()
def forecast(
    title: Annotated[
        str | None, typer.Argument(help="Series title; omit with --open for the bubble board.")
    ] = None,
    season: Annotated[
        int | None,
        typer.Option("--season", help="The season asked about (default: the next one)."),
    ] = None,
    open_: Annotated[
        bool, typer.Option("--open", help="Every season awaiting a decision, ranked.")
    ] = False,
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Odds of another season, when the decision is likely, and the release window if ordered."""
    from datetime import UTC, datetime

    from renewcast.forecast.api import forecast_season, open_board
    from renewcast.store.catalog import UnknownSeries, resolve_one

    day = parse_as_of(as_of) or datetime.now(UTC).date()
    if not open_ and not title:
        fail("give a TITLE, or --open for every season awaiting a decision")
    engine = open_store(db)
    with engine.connect() as conn:
        if open_:
            board = open_board(conn, day)
            if as_json:
                emit_json({"as_of": day.isoformat(), "open": [f.to_json() for f in board]})
                return
            _print_board(board, day)
            return
        assert title is not None
        try:
            match = resolve_one(conn, title, as_of=day)
        except UnknownSeries as e:
            fail(str(e))
        fc = forecast_season(conn, match.series_id, season, day)
    if as_json:
        emit_json(fc.to_json())
        return
    _print_forecast(fc.to_json())


def _print_forecast(d: dict[str, Any]) -> None:
    from rich.console import Console

    c = Console()
    p = d["p_renewal"]
    odds = f"{round(100 * p)}%" if p is not None else "no odds"
    c.print(f"[bold]{d['series']}[/] season {d['season']} as of {d['as_of']}: [bold]{odds}[/]")
    if d["reason"]:
        c.print(d["reason"], highlight=False)
    dec, rel = d["decision"], d["release_window"]
    if dec.get("p50") or dec.get("p90"):
        c.print(f"decision likely by {dec.get('p50') or '?'} (90%: {dec.get('p90') or 'later'})")
    if rel.get("p50"):
        hi = rel["p90"] or "later"
        c.print(f"if ordered, premiere around {rel['p50']} (80%: {rel['p10'] or '?'} .. {hi})")
    for line in d["explanation"]:
        c.print(f" • {line}", highlight=False)
    m = d["model"]
    c.print(f"[dim]{m['version']}, trained through {m['trained_through']} on {m['n_train']}[/]")


def _print_board(board: list[Any], day: date) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"awaiting a decision as of {day}")
    for col in ("series", "season", "P(renewal)", "decision p50", "release p50"):
        t.add_column(col)
    for f in board:
        j = f.to_json()
        p = j["p_renewal"]
        t.add_row(
            j["series"],
            str(j["season"]),
            f"{round(100 * p)}%" if p is not None else "—",
            j["decision"]["p50"] or "—",
            j["release_window"]["p50"] or "—",
        )
    Console().print(t)


@app.command()
def backtest(
    start: Annotated[str, typer.Option("--start", help="First cutoff, YYYY-MM-DD.")] = "2022-07-01",
    end: Annotated[str, typer.Option("--end", help="Last cutoff, YYYY-MM-DD.")] = "2025-06-30",
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Write the per-season CSV, summary and reliability plot here."
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Walk-forward backtest over monthly cutoffs: fit, predict open seasons, score when known."""
    from renewcast.forecast.backtest import run_backtest, write_report
    from renewcast.forecast.data import load_view

    d0, d1 = parse_as_of(start), parse_as_of(end)
    assert d0 is not None and d1 is not None
    if d1 < d0:
        fail("--end is before --start")
    engine = open_store(db)
    console = _stderr()
    with engine.connect() as conn:
        view = load_view(conn)
    if not view.chart:
        fail("the store has no Top 10 rows; run `renewcast sync` first")

    def on_step(d: date, i: int, n: int) -> None:
        console.print(f"[dim]cutoff {d} ({i + 1}/{n})[/]", highlight=False)

    result = run_backtest(view, d0, d1, on_step=None if as_json else on_step)
    summary = result.summary()
    if report is not None:
        paths = write_report(result, report)
        summary["report_files"] = [str(p) for p in paths]
    if as_json:
        emit_json(summary)
        return
    _print_backtest(summary)


def _print_backtest(s: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    c = Console()
    for scope in ("all", "first_per_season"):
        m = s["renewal"][scope]
        if not m.get("n"):
            continue
        t = Table(
            title=f"renewal odds — {scope} ({m['n']} forecasts, {m['renewed_share']:.0%} renewed)"
        )
        for col in ("model", "AUC", "Brier", "log loss", "ECE", "accuracy"):
            t.add_column(col)
        names = ("model", "base_rate", "decided_share", "weeks_in_top10", "first_week_hours")
        for name in (*names, "oracle_constant"):
            r = m[name]
            t.add_row(name, *(str(r[k]) for k in ("auc", "brier", "log_loss", "ece", "accuracy")))
        c.print(t)
    for k in ("decision_timing", "release_window"):
        c.print(f"{k}: {s[k]}", highlight=False)
    c.print(
        f"{s['cutoffs_with_odds']}/{s['cutoffs']} cutoffs had odds; "
        f"{s['forecasts_without_odds']} forecasts without odds, "
        f"{s['forecasts_still_open_at_end']} still open at the end of the data",
        highlight=False,
    )


# ------------------------------------------------------------------ serving: web, API, feeds, alerts (helper "web")
@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    db: DbOpt = None,
) -> None:
    """Serve the web pages, the JSON API (/api/, /docs) and the Atom feeds with uvicorn."""
    from renewcast.web.app import serve as run_server

    open_store(db)
    _stderr().print(f"renewcast on http://{host}:{port}/ (API docs at /docs)", highlight=False)
    run_server(db, host=host, port=port)


watch_app = typer.Typer(
    help="Watchlist: signed webhook POSTs when a watched season's status or odds change.",
    no_args_is_help=True,
)
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def watch_add(
    title: Annotated[str, typer.Argument(help="Series title (forgiving).")],
    webhook: Annotated[str, typer.Option("--webhook", help="http(s) URL to POST alerts to.")],
    season: Annotated[
        int | None, typer.Option("--season", min=1, help="Season to watch (default: the next).")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Also alert when P(renewal) crosses this (0..1)."),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Allow loopback/private webhook addresses (local testing)."
        ),
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Watch a series; its current state is recorded so only later changes alert."""
    from renewcast.alerts import SECRET_ENV, WatchError, add_watch
    from renewcast.store.catalog import UnknownSeries, resolve_one

    engine = open_store(db)
    with engine.connect() as conn:
        try:
            match = resolve_one(conn, title)
        except UnknownSeries as e:
            fail(str(e))
    try:
        watch, secret = add_watch(
            engine,
            match.series_id,
            webhook,
            season=season,
            threshold=threshold,
            allow_private=allow_private,
        )
    except WatchError as e:
        fail(str(e))
    if as_json:
        emit_json({"watch": watch.to_json(), "secret": secret})
        return
    console = _stderr()
    console.print(f"watch {watch.id}: {watch.title} → {watch.webhook_url}", highlight=False)
    if secret:
        console.print(
            f"signing secret (shown once; verify X-Renewcast-Signature with it): {secret}",
            highlight=False,
        )
    else:
        console.print(f"deliveries are signed with ${SECRET_ENV}", highlight=False)


@watch_app.command("list")
def watch_list(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Every watch with its webhook and threshold."""
    from renewcast.alerts import list_watches

    engine = open_store(db)
    with engine.connect() as conn:
        items = list_watches(conn)
    if as_json:
        emit_json([w.to_json() for w in items])
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title="watches")
    for col in ("id", "series", "season", "threshold", "webhook", "active"):
        t.add_column(col)
    for w in items:
        t.add_row(
            str(w.id),
            w.title,
            str(w.season or "next"),
            "" if w.threshold is None else f"{w.threshold:.2f}",
            w.webhook_url,
            "yes" if w.active else "no",
        )
    Console().print(t)


@watch_app.command("remove")
def watch_remove(
    watch_id: Annotated[int, typer.Argument(help="Watch id (see `watch list`).")],
    db: DbOpt = None,
) -> None:
    """Stop a watch (its delivery log is kept)."""
    from renewcast.alerts import remove_watch

    if not remove_watch(open_store(db), watch_id):
        fail(f"no watch with id {watch_id}; see `renewcast watch list`")


@watch_app.command("rotate-secret")
def watch_rotate_secret(
    watch_id: Annotated[int, typer.Argument(help="Watch id (see `watch list`).")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give a watch a new signing secret (shown once); the old one stops working at once."""
    from renewcast.alerts import WatchError, rotate_secret

    try:
        secret = rotate_secret(open_store(db), watch_id)
    except WatchError as e:
        fail(f"{e}; see `renewcast watch list`")
    if as_json:
        emit_json({"id": watch_id, "secret": secret})
        return
    _stderr().print(
        f"watch {watch_id}: new signing secret (shown once; verify X-Renewcast-Signature with it): "
        f"{secret}",
        highlight=False,
    )


@watch_app.command("check")
def watch_check(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Evaluate every watch now and deliver the webhooks whose season changed."""
    from renewcast.alerts import check_watches

    report = check_watches(open_store(db))
    if as_json:
        emit_json(report.to_json())
    else:
        console = _stderr()
        console.print(
            f"{report.checked} watch(es) checked, {report.unchanged} unchanged, "
            f"{len(report.deliveries)} delivery(ies)",
            highlight=False,
        )
        for d in report.deliveries:
            outcome = "delivered" if d.ok else f"FAILED ({d.error})"
            console.print(
                f"watch {d.watch_id} {d.event} → {d.url}: {outcome} after {d.attempts} attempt(s)",
                highlight=False,
            )
        for p in report.problems:
            console.print(f"[yellow]problem[/] {p}", highlight=False)
    if any(not d.ok for d in report.deliveries):
        raise typer.Exit(1)


# ------------------------------------------------------------------ end of serving (helper "web")


# ------------------------------------------------------------------ extraction quality (helper "claims")
eval_app = typer.Typer(help="Measure extraction against hand labels.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("extraction")
def eval_extraction(
    labels: Annotated[Path, typer.Argument(help="labels.jsonl: {id, gold: [claim, ...]} a line.")],
    articles: Annotated[
        Path | None,
        typer.Option("--articles", help="Articles JSONL (default: articles.jsonl beside LABELS)."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Link series to this store's catalog (default: no catalog)."),
    ] = None,
    misses: Annotated[int, typer.Option("--misses", help="Misses to list in the table.")] = 40,
    as_json: JsonOpt = False,
) -> None:
    """Extract the labelled articles and print precision, recall and F1 per status."""
    from renewcast.news.article import Article, read_jsonl
    from renewcast.news.evaluate import evaluate, read_gold
    from renewcast.news.extract import extract_article
    from renewcast.sources.base import SourceError, decode_text, read_bytes

    path = articles or labels.with_name("articles.jsonl")
    try:
        gold = read_gold(labels)
        text, problems = decode_text(read_bytes(path), str(path))
    except SourceError as e:
        fail(f"{e} (pass --articles FILE for the articles JSONL)")
    catalog = None
    if db is not None:
        from renewcast.news.mentions import StoreCatalog

        catalog = StoreCatalog.from_engine(open_store(db))
        if not len(catalog):
            fail(f"the store at {db} has no series; run `renewcast sync --db {db}` first")
    arts: dict[str, Article] = {}
    for item in read_jsonl(text.splitlines(), name=str(path)):
        if isinstance(item, Article):
            arts[item.id] = item
        else:
            problems.append(item)
    wanted = [i for i in gold if i in arts]
    if not wanted:
        fail(f"none of the {len(gold)} labelled ids is in {path}")
    pred = {}
    for n, aid in enumerate(wanted, start=1):
        pred[aid] = extract_article(arts[aid], catalog).to_json()
        if not as_json and n % 20 == 0:
            _stderr().print(f"extracted {n}/{len(wanted)}", highlight=False)
    report = evaluate(pred, labels, ids=wanted)
    if as_json:
        emit_json(report.to_json())
    else:
        sys.stdout.write(report.to_table(max_misses=misses) + "\n")
    missing = len(gold) - len(wanted)
    if missing:
        _stderr().print(f"[yellow]{missing} labelled id(s) not in {path}[/]", highlight=False)
    _print_problems(problems)


# ------------------------------------------------------------------ end of extraction quality (helper "claims")


def main() -> None:
    app()


# last, so that `python -m renewcast.cli` sees every command defined above
if __name__ == "__main__":  # pragma: no cover
    main()
