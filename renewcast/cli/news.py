"""News commands: `news add|list|redate|extract` over the store and the store-less `extract` filter."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from renewcast.cli.common import (
    AsOfOpt,
    DbOpt,
    JsonOpt,
    _stderr,
    app,
    emit_json,
    fail,
    open_store,
    parse_as_of,
    plain,
    print_problems,
    read_store,
    resolve_title,
)

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


def _refresh_forecasts(engine: Any, *, quiet: bool) -> dict[str, Any]:
    """New articles and their claims are forecast inputs: bring the stored weekly forecasts up to
    date (a store whose forecasts were never materialised is left to `sync`)."""
    from renewcast.cli.forecast import refresh_forecasts

    return refresh_forecasts(engine, quiet=quiet, only_if_materialised=True)


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
    refreshed = _refresh_forecasts(engine, quiet=as_json) if report.added else None
    if as_json:
        emit_json(
            {
                "ingest": report.to_json(),
                "extract": extraction.to_json() if extraction else None,
                "forecasts": refreshed,
            }
        )
        return
    console = _stderr()
    console.print(
        f"{report.uri}: {len(report.added)} added, {len(report.duplicates)} already stored, "
        f"{len(report.problems)} problems",
        highlight=False,
    )
    print_problems(report.problems)
    for note in report.notes:
        console.print(f"[cyan]note[/] {note}", highlight=False)
    if extraction is not None:
        console.print(
            f"extracted {extraction.extracted} article(s): {extraction.claims} claims "
            f"({extraction.linked} linked to the catalog), {extraction.quotes} quotes, "
            f"{extraction.cast} cast pairs",
            highlight=False,
        )
        print_problems(extraction.problems)


@news_app.command("redate")
def news_redate(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Look again for the publication date of stored undated articles (on the page, in its
    address); the ones dated take that date, with their claims; the rest stay undated."""
    from renewcast.news.ingest import redate_documents

    report = redate_documents(open_store(db))
    if as_json:
        emit_json(report.to_json())
        return
    _stderr().print(
        f"{report.checked} undated article(s) looked at: {len(report.dated)} dated from the page, "
        f"{report.checked - len(report.dated)} still undated (their claims stay marked undated)",
        highlight=False,
    )


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

    day = parse_as_of(as_of)
    engine = read_store(db, day)
    with engine.connect() as conn:
        sid = None
        if series:
            sid = resolve_title(conn, series, day).series_id
        docs = list_documents(conn, series_id=sid, as_of=day, limit=limit or None)
    if as_json:
        emit_json([d.to_json() for d in docs])
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(
        title=plain(
            f"news{' about ' + series if series else ''}{' as of ' + as_of if as_of else ''}"
        )
    )
    for col in ("id", "published", "publisher", "title", "claims"):
        t.add_column(col)
    for d in docs:
        claims = "; ".join(
            f"{c['series']} {c['status']}{' s' + str(c['season']) if c['season'] else ''}"
            for c in d.claims[:4]
        ) + (" …" if len(d.claims) > 4 else "")
        when = d.date_label if d.published else "[dim]undated[/]"
        t.add_row(
            str(d.id),
            when,
            plain(d.publisher or ""),
            plain((d.title or d.url or "")[:70]),
            plain(claims) if d.extracted else "[dim]not extracted[/]",
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
    refreshed = _refresh_forecasts(engine, quiet=as_json) if report.extracted else None
    if as_json:
        emit_json({**report.to_json(), "forecasts": refreshed})
        return
    _stderr().print(
        f"{report.extracted}/{report.selected} article(s) extracted in {report.seconds:.1f} s: "
        f"{report.claims} claims ({report.linked} linked), {report.quotes} quotes, "
        f"{report.cast} cast pairs (extractor {report.version})",
        highlight=False,
    )
    print_problems(report.problems)
    if report.problems:
        raise typer.Exit(1)


@app.command("extract")
def extract_cmd(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="JSONL articles, a saved .html/.htm page, or a .txt article (first line the "
            "title); standard input when left out."
        ),
    ] = None,
    published: PublishedOpt = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Link series to this store's catalog (default: no catalog)."),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="JSON lines out (the only output of this command)."),
    ] = False,
    all_claims: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every candidate claim with its confidence, not only those confident enough "
            "to state a status.",
        ),
    ] = False,
) -> None:
    """Extract claims, quotes, cast and dates: one JSON line out per article in (no store).

    Each claim carries its calibrated ``confidence``; by default only the claims at or above the
    model's threshold are written (the ones that can decide a status)."""
    from renewcast.news.extract import decided, extract_article, extract_jsonl
    from renewcast.news.ingest import read_html_file, read_text_file, with_page_date
    from renewcast.sources.base import SourceError

    catalog = None
    if db is not None:
        from renewcast.news.mentions import StoreCatalog

        catalog = StoreCatalog.from_engine(open_store(db, existing=True))
    when = _published_opt(published)
    suffix = file.suffix.lower() if file is not None else ""
    if file is not None and suffix in (".txt", ".html", ".htm"):
        try:
            if suffix == ".txt":
                doc, problems = read_text_file(file, published=when)
            else:
                doc, problems = with_page_date(read_html_file(file, published=when)), []
        except SourceError as e:
            fail(str(e))
        print_problems(problems)
        ex = extract_article(doc.article, catalog)
        if not all_claims:
            ex.claims = [c for c in ex.claims if decided(c)]
        sys.stdout.write(json.dumps(ex.to_json(), ensure_ascii=False) + "\n")
        return
    if when is not None:
        fail("--published is for a .txt article or a saved page; JSONL lines carry their own dates")
    if file is None:
        from renewcast.sources.base import decode_lines

        problems = []  # lines that are not UTF-8: skipped and reported, as `news add` does
        stdin = decode_lines(sys.stdin.buffer, "<stdin>", problems)
        stats = extract_jsonl(stdin, sys.stdout, catalog, name="<stdin>", all_claims=all_claims)
        problems += stats.problems
    else:
        from renewcast.sources.base import decode_text, read_bytes

        try:
            text, problems = decode_text(read_bytes(file), str(file), skip_bad_lines=True)
        except SourceError as e:
            fail(str(e))
        stats = extract_jsonl(text, sys.stdout, catalog, name=str(file), all_claims=all_claims)
        problems += stats.problems
    print_problems(problems)
    if stats.problems and not stats.articles:
        raise typer.Exit(1)
