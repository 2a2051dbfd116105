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


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
