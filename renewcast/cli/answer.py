"""`ask`: the full answer for one season, as text, Markdown, HTML or JSON."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from renewcast.cli.common import (
    AsOfOpt,
    DbOpt,
    IdOpt,
    JsonOpt,
    TitleArg,
    app,
    emit_json,
    fail,
    parse_as_of,
    read_store,
    resolve_title,
    working,
)


@app.command()
def ask(
    title: TitleArg = None,
    season: Annotated[
        int | None,
        typer.Option("--season", min=1, help="Season to ask about (default: the next one)."),
    ] = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="text (default), markdown, html or json; --json is -f json."
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
    series_id: IdOpt = None,
) -> None:
    """Will there be another season? Status with sources, odds, cast, storylines and dates."""
    from renewcast.answer.compose import compose

    fmt = output_format(fmt, as_json)
    day = parse_as_of(as_of)
    engine = read_store(db, day)
    with engine.connect() as conn:
        match = resolve_title(conn, title, day, series_id)
        with working(f"answering for {match.title}…", quiet=as_json):
            answer = compose(conn, match.series_id, season, as_of=day)
    if fmt == "json":
        emit_json(answer.to_json())
    elif fmt == "markdown":
        from renewcast.answer.render_markdown import to_markdown

        sys.stdout.write(to_markdown(answer))
    elif fmt == "html":
        from renewcast.answer.render_markdown import to_html

        sys.stdout.write(to_html(answer))
    else:
        from renewcast.answer.render_text import print_answer

        print_answer(answer)


FORMATS = {"text": "text", "markdown": "markdown", "md": "markdown", "html": "html", "json": "json"}


def output_format(fmt: str | None, as_json: bool) -> str:
    """The one output format asked for: ``--format`` or ``--json``, refused when they disagree."""
    if fmt is None:
        return "json" if as_json else "text"
    name = FORMATS.get(fmt.strip().lower())
    if name is None:
        fail(f"--format {fmt!r} is not known; use text, markdown, html or json")
    if as_json and name != "json":
        fail(f"--json and --format {fmt} ask for two formats; give one (--json is --format json)")
    return name
