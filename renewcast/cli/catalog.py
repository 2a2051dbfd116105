"""Catalog commands: `sync` imports the sources into the store, `show` prints one series' profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from renewcast.cli.common import (
    AsOfOpt,
    DbOpt,
    IdOpt,
    JsonOpt,
    TitleArg,
    _stderr,
    app,
    data_as_of,
    default_data_dir,
    emit_json,
    fail,
    open_store,
    parse_as_of,
    print_data_as_of,
    read_store,
    resolve_title,
    working,
)


@app.command()
def sync(
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from", help="Data folder to import (default: ../shared/data when it exists)."
        ),
    ] = None,
    forecasts: Annotated[
        bool,
        typer.Option(
            "--forecasts/--no-forecasts",
            help="Then recompute the weekly forecasts whose inputs changed (all the first time).",
        ),
    ] = True,
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
    pruned: list[str] = []
    if not failed:  # every source re-read: a series none of them refers to is left over
        from renewcast.store.identity import prune_unreferenced_series

        with engine.begin() as conn:
            pruned = prune_unreferenced_series(conn)
        if pruned:
            shown = ", ".join(pruned[:5]) + (
                f" and {len(pruned) - 5} more" if len(pruned) > 5 else ""
            )
            console.print(
                f"removed {len(pruned)} series that no record refers to any more (an earlier "
                f"reading of their titles had made them series of their own): {shown}",
                highlight=False,
                soft_wrap=True,
            )
    refreshed = None
    if forecasts and not failed:
        from renewcast.cli.forecast import refresh_forecasts

        refreshed = refresh_forecasts(engine, quiet=as_json, only_if_materialised=False)
    if as_json:
        emit_json(
            {
                "from": str(data),
                "imports": [r.to_json() for r in reports],
                "removed_series": pruned,
                "forecasts": refreshed,
            }
        )
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
                console.print(f"[yellow]problem[/] {p}", highlight=False, soft_wrap=True)
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
    title: TitleArg = None,
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
    series_id: IdOpt = None,
) -> None:
    """A series' seasons, premieres, Top 10 runs, engagement rows and cast, as known at --as-of."""
    from renewcast.store.catalog import series_profile

    day = parse_as_of(as_of)
    engine = read_store(db, day)
    with engine.connect() as conn:
        match = resolve_title(conn, title, day, series_id)
        prof = series_profile(conn, match.series_id, as_of=day)
    fresh = data_as_of(engine, PROFILE_SOURCES, day)
    if as_json:
        emit_json({**prof.to_json(), **fresh})
        return
    from renewcast.answer.render_catalog import print_profile

    print_profile(prof)
    print_data_as_of(fresh)


# what a series profile reads
PROFILE_SOURCES = ("wikipedia", "netflix-top10", "netflix-engagement", "justwatch", "tvmaze")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Title or its first letters (typos are fine).")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=50, help="At most this many.")] = 10,
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Series matching QUERY: exact titles, then titles it begins, then close spellings."""
    from renewcast.web.lists import series_meta
    from renewcast.web.search import no_match_message, search_rows, suggestions

    day = parse_as_of(as_of)
    engine = read_store(db, day)
    with engine.connect() as conn:
        rows = search_rows(conn, query, day, limit, series_meta(conn, day))
        if not rows:
            near = [s["title"] for s in suggestions(conn, query, day)]
            hint = f"; did you mean: {', '.join(near)}?" if near else ""
            fail(no_match_message(query, day) + hint)
    if as_json:
        emit_json({"query": query, "as_of": day.isoformat() if day else None, "matches": rows})
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"series matching {query!r}{' as of ' + day.isoformat() if day else ''}")
    for col in ("title", "year", "platform", "next season", "status", "id"):
        t.add_column(col, justify="right" if col in ("year", "next season", "id") else "left")
    for r in rows:
        t.add_row(
            r["title"],
            str(r["year"] or ""),
            r["platform"] or "",
            str(r["season"]),
            r["status"],
            str(r["series_id"]),
        )
    Console().print(t)


LIST_STATUSES = ("renewed", "cancelled", "ended", "limited", "pending")


@app.command("list")
def list_cmd(
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="renewed, cancelled, ended or limited (latest decisions, newest first), or "
            "pending (seasons awaiting a decision, highest odds first). Default: any decision.",
        ),
    ] = None,
    platform: Annotated[str | None, typer.Option("--platform", help="e.g. Netflix.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="e.g. Korean, or English / Non-English.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="e.g. scripted, reality.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200, help="At most this many.")] = 25,
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Seasons by status: the latest decisions, or (--status pending) those awaiting one."""
    from renewcast.web.lists import Filters
    from renewcast.web.service import Service

    if status is not None and status.lower() not in LIST_STATUSES:
        fail(f"--status {status!r} is not known; use {', '.join(LIST_STATUSES)}")
    day = parse_as_of(as_of)
    engine = read_store(db, day)
    svc = Service(engine)
    pending = status is not None and status.lower() == "pending"
    decided = None if status is None or pending else status.lower()
    filters = Filters(platform, language, kind, decided)
    with working("listing seasons…", quiet=as_json):
        data = (
            svc.bubble(day, filters, limit)
            if pending
            else svc.decisions(day, filters, limit).to_json()
        )
    if as_json:
        emit_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    where = ", ".join(v for v in (platform, language, kind) if v)
    title = (
        "awaiting a decision"
        if pending
        else f"latest decisions{' (' + status + ')' if status else ''}"
    )
    t = Table(title=f"{title}{' — ' + where if where else ''} as of {day or 'today'}")
    if pending:
        for col in ("series", "season", "P(renewal)", "decision likely by", "platform"):
            t.add_column(col)
        for f in data["open"]:
            p = f["p_renewal"]
            t.add_row(
                f["series"],
                str(f["season"]),
                f"{round(100 * p)}% (forecast)" if p is not None else "no odds",
                f["decision"]["p50"] or "—",
                f.get("platform") or "",
            )
        if data["total"] > len(data["open"]):
            _stderr().print(f"{len(data['open'])} of {data['total']}; --limit for more")
    else:
        for col in ("decided", "series", "season", "status", "source", "platform"):
            t.add_column(col)
        for d in data["decisions"]:
            t.add_row(
                d["decided_at"],
                d["series"],
                str(d["season"]),
                d["status"],
                d["source"] or "",
                d.get("platform") or "",
            )
    Console().print(t)
    gap = data.get("data_gap") if pending else None
    if gap:
        Console().print(gap["text"], highlight=False)
