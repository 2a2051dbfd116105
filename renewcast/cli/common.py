"""What every command shares: the Typer app, common options, errors, JSON output, the store."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from renewcast import __version__

# every environment variable renewcast reads (also in the README)
ENVIRONMENT = {
    "RENEWCAST_DB": "the store: a SQLite path or database URL (--db wins)",
    "RENEWCAST_DATA": "where `update` keeps live downloads",
    "RENEWCAST_TOKEN": "bearer token that allows the web API's writes (watches)",
    "RENEWCAST_WEBHOOK_SECRET": "signs webhook deliveries of watches without their own secret",
    "RENEWCAST_ALLOW_PRIVATE_WEBHOOKS": "1 allows loopback/private webhook addresses (testing)",
}

app = typer.Typer(
    name="renewcast",
    help="Will there be another season? Status, evidence and calibrated odds for TV series.",
    epilog="Environment: "
    + "; ".join(f"{k}: {v}" for k, v in ENVIRONMENT.items())
    + ". Every command takes --json.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"renewcast {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    pass


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
TitleArg = Annotated[
    str | None,
    typer.Argument(help="Series title (forgiving: case, punctuation, typos, aliases)."),
]
IdOpt = Annotated[
    int | None,
    typer.Option(
        "--id",
        min=1,
        help="The series' id instead of a title (series pages and --json give it): for one of "
        "several series of the same name.",
    ),
]


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def plain(text: object) -> str:
    """Text for the terminal: no escape sequences or bidi controls, and not read as rich markup."""
    from rich.markup import escape

    from renewcast.hygiene import terminal_text

    return escape(terminal_text(str(text)))


def fail(message: str, code: int = 1) -> NoReturn:
    # soft_wrap: the terminal wraps the line, so paths and URLs in it are never cut
    _stderr().print(f"[bold red]error:[/] {plain(message)}", highlight=False, soft_wrap=True)
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
        Path(__file__).resolve().parents[3] / "../shared/data",
    ):
        if cand.is_dir():
            return cand.resolve()
    return None


def open_store(db: str | None, *, existing: bool = False) -> Any:
    """The store's engine. ``existing`` (commands that only read): a missing or empty store is an
    error that says to run ``renewcast sync``, and no file or folder is created."""
    from renewcast.store.db import StoreError, connect, connect_existing

    try:
        return connect_existing(db) if existing else connect(db)
    except StoreError as e:
        fail(str(e))


def read_store(db: str | None, day: date | None = None) -> Any:
    """An existing store for a read command, warning on stderr when ``day`` (--as-of) lies
    outside what the data covers."""
    from renewcast.store.catalog import as_of_warning, data_span

    engine = open_store(db, existing=True)
    if day is not None:
        with engine.connect() as conn:
            note = as_of_warning(data_span(conn), day)
        if note:
            _stderr().print(f"[yellow]warning:[/] --as-of {note}", highlight=False)
    return engine


def resolve_title(
    conn: Any, title: str | None, day: date | None, series_id: int | None = None
) -> Any:
    """The series ``title`` (or ``series_id``) means as known at ``day``, or exit with what was
    found instead. Other series of the same name are named on stderr, with how to ask for them."""
    from renewcast.store.catalog import UnknownSeries, resolve_one, series_by_id

    if (title is None) == (series_id is None):
        fail("name a series: a title, or --id N (not both)")
    try:
        if series_id is not None:
            return series_by_id(conn, series_id, as_of=day)
        match = resolve_one(conn, title or "", as_of=day)
    except UnknownSeries as e:
        fail(str(e))
    if match.namesakes:
        others = "; ".join(f"{m.title} (--id {m.series_id})" for m in match.namesakes)
        _stderr().print(
            f"[yellow]note:[/] {len(match.namesakes) + 1} series are called {title!r}: this is "
            f"{match.title}, the most watched. Also: {others}",
            highlight=False,
            soft_wrap=True,
        )
    return match


@contextmanager
def working(message: str, *, quiet: bool = False) -> Iterator[None]:
    """A spinner on stderr while a slow step runs (nothing when stderr is not a terminal)."""
    console = _stderr()
    if quiet or not console.is_terminal:
        yield
        return
    with console.status(message, spinner="dots"):
        yield


def print_problems(problems: list[Any], limit: int = 10) -> None:
    """Each problem on one line of stderr, never wrapped by us: a file path or a field name in
    it stays whole to copy (the terminal wraps it for reading)."""
    console = _stderr()
    for p in problems[:limit]:
        console.print(f"[yellow]problem[/] {plain(p)}", highlight=False, soft_wrap=True)
    if len(problems) > limit:
        console.print(f"[yellow]… {len(problems) - limit} more problems[/]")


def data_as_of(engine: Any, sources: tuple[str, ...], as_of: date | None) -> dict[str, Any]:
    """``{"data_as_of": [...], "data_as_of_text": "Data as of: …"}`` for an output's sources."""
    return data_as_of_json(source_dates(engine, sources, as_of))


def source_dates(engine: Any, sources: tuple[str, ...], as_of: date | None) -> list[Any]:
    """The freshness of those of ``sources`` that hold data by ``as_of``."""
    from renewcast.store.freshness import freshness

    with engine.connect() as conn:
        return [f for f in freshness(conn, sources, as_of=as_of) if f.data_date is not None]


def data_as_of_json(items: list[Any]) -> dict[str, Any]:
    """:func:`data_as_of` of freshness already read."""
    from renewcast.store.freshness import data_as_of_line

    return {"data_as_of": [f.to_json() for f in items], "data_as_of_text": data_as_of_line(items)}


def print_data_as_of(fresh: dict[str, Any]) -> None:
    _stderr().print(f"[dim]{fresh['data_as_of_text']}[/]", highlight=False)
