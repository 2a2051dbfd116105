"""Forecast commands: `forecast` (one season or the open board) and the walk-forward `backtest`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from renewcast.cli.common import (
    AsOfOpt,
    DbOpt,
    IdOpt,
    JsonOpt,
    _stderr,
    app,
    data_as_of_json,
    emit_json,
    fail,
    parse_as_of,
    print_data_as_of,
    read_store,
    resolve_title,
    source_dates,
    working,
)


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
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="Compute and store the weekly forecasts whose inputs changed (all the first "
            "time; what `sync` does after an import), then stop.",
        ),
    ] = False,
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
    series_id: IdOpt = None,
) -> None:
    """Odds of another season, when the decision is likely, and the release window if ordered."""
    from datetime import UTC, datetime

    from renewcast.forecast.api import forecast_season, open_board

    asked = parse_as_of(as_of)
    day = asked or datetime.now(UTC).date()
    if refresh:
        if title or series_id or open_ or asked:
            fail("--refresh stands alone: it stores every weekly forecast up to today")
        refreshed = refresh_forecasts(read_store(db), quiet=as_json, only_if_materialised=False)
        if as_json:
            emit_json({"forecasts": refreshed})
        return
    if not open_ and not title and series_id is None:
        fail("give a TITLE (or --id N), or --open for every season awaiting a decision")
    from renewcast.answer.compose import has_odds, with_data_gap
    from renewcast.store.freshness import data_gap

    engine = read_store(db, asked)
    dates = source_dates(engine, FORECAST_SOURCES, day)  # what it says it read, and any gap
    fresh = data_as_of_json(dates)
    with engine.connect() as conn:
        if open_:
            with working("ranking the seasons awaiting a decision…", quiet=as_json):
                board = open_board(conn, day)
            gap = data_gap(board[0].cutoff, dates) if board and board[0].cutoff else None
            if as_json:
                emit_json(
                    {
                        "as_of": day.isoformat(),
                        "open": [f.to_json() for f in board],
                        "data_gap": gap.to_json() if gap else None,
                        **fresh,
                    }
                )
                return
            _print_board(board, day)
            if gap is not None:
                from rich.console import Console

                Console().print(gap.sentence(), highlight=False)
            print_data_as_of(fresh)
            return
        match = resolve_title(conn, title, day, series_id)
        with working(f"forecasting {match.title}…", quiet=as_json):
            fc = forecast_season(conn, match.series_id, season, day)
    out = fc.to_json()
    if has_odds(out):
        out = with_data_gap(out, dates)
    if as_json:
        emit_json({**out, **fresh})
        return
    _print_forecast(out)
    print_data_as_of(fresh)


# what a forecast reads: the status's sources and the Top 10 / engagement features
FORECAST_SOURCES = ("wikipedia", "news", "netflix-top10", "netflix-engagement")


def _print_forecast(d: dict[str, Any]) -> None:
    from rich.console import Console

    c = Console()
    p = d["p_renewal"]
    odds = f"{round(100 * p)}%" if p is not None else "no odds"
    c.print(f"[bold]{d['series']}[/] season {d['season']} as of {d['as_of']}: [bold]{odds}[/]")
    if d.get("cutoff_note"):
        c.print(f"[dim]{d['cutoff_note']}[/]", highlight=False)
    if d["reason"]:
        c.print(d["reason"], highlight=False)
    dec, rel = d["decision"], d["release_window"]
    if dec.get("p50") and dec.get("p90"):
        c.print(
            f"news of a decision, if any comes, likely by {dec['p50']} (9 in 10 by {dec['p90']})"
        )
    if rel.get("p50"):
        hi = rel["p90"] or "later"
        c.print(f"if ordered, premiere around {rel['p50']} (80%: {rel['p10'] or '?'} .. {hi})")
    for line in d["explanation"]:
        c.print(f" • {line}", highlight=False)
    m = d["model"]
    c.print(
        f"[dim]from data known by {m['trained_through']}, {m['n_train']} seasons decided by then[/]"
    )


def _print_board(board: list[Any], day: date) -> None:
    from rich.console import Console
    from rich.table import Table

    note = board[0].cutoff_note if board else None
    t = Table(title=f"awaiting a decision as of {day}" + (f" ({note})" if note else ""))
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
    engine = read_store(db)
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


BACKTEST_SCOPES = {
    "all": "every open season at every cutoff",
    "first_per_season": "each season's first forecast",
    "five_weeks_in": "each season five weeks after its premiere",
    "five_weeks_in_decided": "five weeks in, seasons later renewed or decided against (not presumed)",
}


def _print_backtest(s: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    c = Console()
    for scope, what in BACKTEST_SCOPES.items():
        m = s["renewal"].get(scope) or {}
        if not m.get("n"):
            continue
        t = Table(
            title=f"renewal odds — {what} ({m['n']} forecasts, {m['renewed_share']:.0%} renewed)"
        )
        for col in ("model", "AUC", "Brier", "log loss", "ECE", "accuracy"):
            t.add_column(col)
        names = ("model", "base_rate", "decided_share", "weeks_in_top10", "first_week_hours")
        for name in (*names, "oracle_constant"):
            r = m[name]
            t.add_row(name, *(str(r[k]) for k in ("auc", "brier", "log_loss", "ece", "accuracy")))
        c.print(t)
    halves = Table(title="by half-year of the cutoffs: AUC / Brier (model at or below base rate?)")
    for col in ("half", "n", "renewed", "model", "base rate", "decided share", "weeks rule", "ok"):
        halves.add_column(col)
    for h in s["by_half_year"]:
        cells = [
            f"{h[name]['auc']} / {h[name]['brier']}"
            for name in ("model", "base_rate", "decided_share", "weeks_in_top10")
        ]
        ok = "yes" if h["model_at_or_below_base_rate"] else "NO"
        halves.add_row(h["half"], str(h["n"]), f"{h['renewed_share']:.0%}", *cells, ok)
    c.print(halves)
    c.print(_reliability_text(s["reliability"]), highlight=False)
    c.print(_interval_table(s))
    c.print(
        f"{s['cutoffs_with_odds']}/{s['cutoffs']} cutoffs had odds; "
        f"{s['forecasts_without_odds']} forecasts without odds, "
        f"{s['forecasts_still_open_at_end']} still open at the end of the data",
        highlight=False,
    )


INTERVAL_ROWS = (
    ("decision date", ("decision_timing",)),
    ("release date", ("release_window",)),
    ("  with the show's own cadence", ("release_window", "with_cadence")),
    ("  from peers only", ("release_window", "peer_curve_only")),
)


def _interval_table(s: dict[str, Any]) -> Any:
    """Decision and release dates: how far the median forecast was off, how often the 80% range
    held the actual date."""
    from rich.table import Table

    t = Table(title="dates — median forecast error and 80% range coverage")
    for col in ("forecast of", "n", "median error (days)", "inside 80% range", "no p50"):
        t.add_column(col, justify="left" if col == "forecast of" else "right")
    for label, path in INTERVAL_ROWS:
        m: Any = s
        for key in path:
            m = m.get(key) if isinstance(m, dict) else None
        if not isinstance(m, dict):
            continue
        n = m.get("n", 0)
        med, cov = m.get("median_abs_days"), m.get("coverage_80")
        t.add_row(
            label,
            str(n),
            "—" if med is None else f"{med:g}",
            "—" if cov is None else f"{cov:.0%}",
            str(m.get("without_p50", 0)),
        )
    return t


def _reliability_text(rows: list[dict[str, Any]]) -> str:
    """The reliability diagram as text: per band of forecast odds, the share renewed."""
    lines = ["reliability (forecast odds → share renewed, one # per 5 points):"]
    for r in rows:
        lo = 10 * int(r["bin"])
        bar = "#" * round(20 * float(r["share_renewed"]))
        lines.append(
            f"  {lo:>3}–{lo + 10:<3}% (mean {float(r['mean_p']):.0%}, n={int(r['n']):>5}) "
            f"{float(r['share_renewed']):>4.0%} {bar}"
        )
    return "\n".join(lines)


def refresh_forecasts(engine: Any, *, quiet: bool, only_if_materialised: bool) -> dict[str, Any]:
    """Recompute the weekly cutoffs whose inputs changed, with a progress bar on stderr."""
    from datetime import UTC, datetime

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from renewcast.forecast.materialise import refresh

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=_stderr(),
        transient=quiet,
    ) as progress:
        task = progress.add_task("forecasts", total=None)

        def on_step(d: date, i: int, n: int) -> None:
            progress.update(task, description=f"forecasts as of {d}", completed=i, total=n)

        report = refresh(
            engine,
            today=datetime.now(UTC).date(),
            on_step=on_step,
            only_if_materialised=only_if_materialised,
        )
    if not quiet and report.cutoffs:
        _stderr().print(
            f"forecasts: {len(report.computed)} weekly cutoffs computed, {report.unchanged} "
            f"unchanged ({report.seconds:.0f} s)",
            highlight=False,
        )
    return report.to_json()
