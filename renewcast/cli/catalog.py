"""Catalog commands: `sync` imports the sources into the store, `show` prints one series' profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from renewcast.cli.common import (
    AsOfOpt,
    DbOpt,
    JsonOpt,
    _stderr,
    app,
    data_as_of,
    default_data_dir,
    emit_json,
    fail,
    open_store,
    parse_as_of,
    print_data_as_of,
)


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
    fresh = data_as_of(engine, PROFILE_SOURCES, day)
    if as_json:
        emit_json({**prof.to_json(), **fresh})
        return
    from renewcast.answer.render_catalog import print_profile

    print_profile(prof)
    print_data_as_of(fresh)


# what a series profile reads
PROFILE_SOURCES = ("wikipedia", "netflix-top10", "netflix-engagement", "justwatch", "tvmaze")
