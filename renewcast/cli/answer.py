"""`ask`: the full answer for one season, as text, Markdown, HTML or JSON."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from renewcast.cli.common import (
    AsOfOpt,
    DbOpt,
    JsonOpt,
    app,
    emit_json,
    fail,
    open_store,
    parse_as_of,
)


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
