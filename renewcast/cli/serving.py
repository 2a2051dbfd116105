"""Serving commands: `serve` (web pages, API, feeds) and the `watch` webhook alerts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from renewcast.cli.common import (
    DbOpt,
    IdOpt,
    JsonOpt,
    TitleArg,
    _stderr,
    app,
    emit_json,
    fail,
    open_store,
    resolve_title,
)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    refresh: Annotated[
        str | None,
        typer.Option(
            "--refresh",
            help="Also run `renewcast update` in the background every INTERVAL (6h, 30m, 1d).",
        ),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Where --refresh keeps live downloads (see `update`)."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=32,
            help="Server processes (one per core: each answers one request at a time).",
        ),
    ] = 1,
    db: DbOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print where it listens as one JSON line first.")
    ] = False,
) -> None:
    """Serve the web pages, the JSON API (/api/, /docs) and the Atom feeds with uvicorn."""
    from renewcast.web.app import serve as run_server

    # a store that --refresh fills may start empty; without it the store must exist
    engine = open_store(db, existing=refresh is None)
    console = _stderr()
    loop = None
    if refresh is not None:
        from renewcast.cli.update import data_dir
        from renewcast.update import RefreshLoop, parse_interval

        try:
            interval = parse_interval(refresh)
        except ValueError as e:
            fail(f"--refresh {e}")
        folder = data_dir(engine, data)
        loop = RefreshLoop(
            engine, folder, interval, report=lambda msg: console.print(msg, highlight=False)
        )
        console.print(f"refreshing every {refresh} into {folder}", highlight=False)
        loop.start()
    url = f"http://{host}:{port}/"
    if as_json:
        sys.stdout.write(json.dumps({"url": url, "docs": url + "docs", "refresh": refresh}) + "\n")
        sys.stdout.flush()
    console.print(f"renewcast on {url} (API docs at /docs)", highlight=False)
    try:
        run_server(db, host=host, port=port, workers=workers)
    finally:
        if loop is not None:
            loop.stop(timeout=1.0)


watch_app = typer.Typer(
    help="Watchlist: signed webhook POSTs when a watched season's status or odds change.",
    no_args_is_help=True,
)
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def watch_add(
    webhook: Annotated[str, typer.Option("--webhook", help="http(s) URL to POST alerts to.")],
    title: TitleArg = None,
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
    series_id: IdOpt = None,
) -> None:
    """Watch a series; its current state is recorded so only later changes alert."""
    from renewcast.alerts import SECRET_ENV, WatchError, add_watch

    engine = open_store(db, existing=True)
    with engine.connect() as conn:
        match = resolve_title(conn, title, None, series_id)
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

    engine = open_store(db, existing=True)
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
    as_json: JsonOpt = False,
) -> None:
    """Stop a watch (its delivery log is kept)."""
    from renewcast.alerts import remove_watch

    if not remove_watch(open_store(db, existing=True), watch_id):
        fail(f"no watch with id {watch_id}; see `renewcast watch list`")
    if as_json:
        emit_json({"id": watch_id, "active": False})


@watch_app.command("rotate-secret")
def watch_rotate_secret(
    watch_id: Annotated[int, typer.Argument(help="Watch id (see `watch list`).")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give a watch a new signing secret (shown once); the old one stops working at once."""
    from renewcast.alerts import WatchError, rotate_secret

    try:
        secret = rotate_secret(open_store(db, existing=True), watch_id)
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

    report = check_watches(open_store(db, existing=True))
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
