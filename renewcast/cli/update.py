"""Keeping the store current: `update`, `sources`, `feeds` and `track`."""

from __future__ import annotations

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
)

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Where live downloads are kept (default: $RENEWCAST_DATA, else live/ beside a "
        "SQLite store).",
    ),
]


def data_dir(engine: Any, given: Path | None) -> Path:
    from renewcast.update import default_data_dir

    return given if given is not None else default_data_dir(str(engine.url))


@app.command()
def update(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="Only these sources (repeat): wikipedia, netflix-top10, netflix-engagement, "
            "tvmaze, news.",
        ),
    ] = None,
    data: DataOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fetch what changed from every live source, check it and import it; exit 0 ok, 1 a source
    failed (the others went on), 75 another update is running."""
    from renewcast.update import EXIT_BUSY, SOURCES, UpdateBusy, run_update

    unknown = [s for s in source or [] if s not in SOURCES]
    if unknown:
        fail(f"unknown source {', '.join(unknown)}; choose from {', '.join(SOURCES)}", code=2)
    engine = open_store(db)
    folder = data_dir(engine, data)
    console = _stderr()
    try:
        report = run_update(
            engine,
            folder,
            source or None,
            on_progress=lambda msg: console.print(f"[dim]{msg}[/]", highlight=False),
        )
    except UpdateBusy as e:
        fail(str(e), code=EXIT_BUSY)
    if as_json:
        emit_json(report.to_json())
    else:
        from rich.table import Table

        t = Table(title=f"update ({folder})")
        for col in ("source", "status", "added", "updated", "files", "problems"):
            t.add_column(
                col, justify="right" if col in ("added", "updated", "problems") else "left"
            )
        for s in report.sources:
            files = ", ".join(sorted({f.status for f in s.files})) or "-"
            t.add_row(s.source, s.status, str(s.added), str(s.updated), files, str(len(s.problems)))
        from rich.console import Console

        Console().print(t)
    for s in report.sources:
        if s.status == "failed":
            console.print(f"[bold red]{s.source} failed:[/] {s.message}", highlight=False)
    raise typer.Exit(report.exit_code)


@app.command()
def sources(as_of: AsOfOpt = None, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """How fresh each source is: latest data date, last successful update, last error."""
    from renewcast.store.freshness import data_as_of_line, freshness, news_dating

    day = parse_as_of(as_of)
    engine = open_store(db)
    with engine.connect() as conn:
        items = freshness(conn, as_of=day)
        news = news_dating(conn, day)
    if as_json:
        emit_json(
            {
                "as_of": day.isoformat() if day else None,
                "data_as_of": data_as_of_line(items),
                "sources": [f.to_json() for f in items],
                "news_articles": news,
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=data_as_of_line(items))
    for col in ("source", "latest data", "last successful update", "last check", "last error"):
        t.add_column(col)
    for f in items:
        j = f.to_json()
        t.add_row(
            f.label,
            f"{f.meaning} {j['data_date']}" if f.data_date else "no data",
            j["last_success_at"] or "never",
            f"{f.last_status}, {j['last_check_at']}" if f.last_status else "never",
            f"{j['last_error_at']}: {f.last_error}" if f.last_error else "",
        )
    Console().print(t)
    if news["undated"]:
        Console().print(
            f"{news['undated']} of the {news['articles']} news articles have no publication date: "
            "the news date above leaves them out, and what they say counts only from the day "
            "they were added.",
            highlight=False,
        )


feeds_app = typer.Typer(
    help="RSS/Atom feeds `renewcast update` polls for news.", no_args_is_help=True
)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="http(s) URL of an RSS or Atom feed.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Follow a feed (public addresses only); `renewcast update` ingests its new articles."""
    from renewcast.sources.base import SourceError
    from renewcast.update import add_feed

    engine = open_store(db)
    try:
        feed_id, new = add_feed(engine, url)
    except SourceError as e:
        fail(str(e))
    if as_json:
        emit_json({"id": feed_id, "url": url, "added": new})
    else:
        _stderr().print(
            f"feed {feed_id}: {url}" + ("" if new else " (already followed)"), highlight=False
        )


@feeds_app.command("list")
def feeds_list(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """The feeds followed."""
    from renewcast.update import list_feeds

    rows = list_feeds(open_store(db))
    if as_json:
        emit_json({"feeds": rows})
        return
    for r in rows:
        typer.echo(f"{r['id']}\t{r['url']}\t(added {r['added_at']})")
    if not rows:
        _stderr().print("no feeds yet: renewcast feeds add URL")


@feeds_app.command("remove")
def feeds_remove(
    feed: Annotated[str, typer.Argument(help="The feed's URL or id (see `feeds list`).")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Stop following a feed (its articles stay)."""
    from renewcast.update import remove_feed

    removed = remove_feed(open_store(db), feed)
    if as_json:
        emit_json({"feed": feed, "removed": removed})
    if not removed:
        fail(f"no feed {feed!r}; `renewcast feeds list` shows the feeds followed")
    if not as_json:
        _stderr().print(f"removed {feed}", highlight=False)


@app.command()
def track(
    title: Annotated[str, typer.Argument(help="Series title (forgiving).")],
    tvmaze_id: Annotated[
        int | None,
        typer.Option("--tvmaze-id", min=1, help="TVmaze show id, when the title is ambiguous."),
    ] = None,
    data: DataOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Follow a series on TVmaze (status, channel, seasons, next episode); `update` refreshes it."""
    import httpx

    from renewcast.sources.base import USER_AGENT, SourceError
    from renewcast.sources.tvmaze import TvmazeClient
    from renewcast.store.catalog import UnknownSeries, resolve_one
    from renewcast.update import EXIT_BUSY, UpdateBusy, Updater, update_lock

    engine = open_store(db)
    folder = data_dir(engine, data)
    with engine.connect() as conn:
        try:
            series_id: int | None = resolve_one(conn, title).series_id
        except UnknownSeries:
            series_id = None  # not in the store yet: created from TVmaze's name
    try:
        with (
            update_lock(folder),
            httpx.Client(headers={"User-Agent": USER_AGENT}) as client,
            TvmazeClient(client, max_retries=2) as tv,
        ):
            show_id = tvmaze_id or tv.singlesearch(title).id
            out = Updater(engine, folder, client=client, tvmaze=tv).track(show_id, series_id)
    except UpdateBusy as e:
        fail(str(e), code=EXIT_BUSY)
    except SourceError as e:
        fail(str(e))
    if as_json:
        emit_json({"tvmaze_id": show_id, **out.to_json()})
    elif out.status != "failed":
        _stderr().print(
            f"tracking {title!r} as TVmaze show {show_id}: {out.added} facts added", highlight=False
        )
    if out.status == "failed":
        fail(out.message or "TVmaze could not be read")
