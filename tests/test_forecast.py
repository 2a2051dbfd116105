"""Forecasts on the real data: honest time travel (cut stores), labels, backtest, CLI.

Three stores are synced once per session from copies of the real data cut at a date (rows filtered
by when they were published; snapshot files kept only if dated by the cut). JustWatch credits and the
most-popular list are left out of every copy (forecasts do not read them) to keep the syncs quick.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from renewcast.sources.base import end_of_day

CUT_EARLY = date(2022, 9, 1)
CUT_MID = date(2023, 12, 1)
CUT_LATE = date(2023, 12, 31)


def _filter_tsv(src: Path, dst: Path, keep, delimiter: str = "\t") -> None:  # type: ignore[no-untyped-def]
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    with dst.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        w.writerow(header)
        w.writerows(r for r in body if r and keep(r, col))


def cut_data(src: Path, dst: Path, cut: date) -> Path:
    """A copy of the data folder as it could have been collected by the end of ``cut``."""
    from renewcast.sources.justwatch import SNAPSHOT
    from renewcast.sources.netflix_engagement import publication_date, report_period
    from renewcast.sources.netflix_top10 import published_at

    limit = end_of_day(cut)
    top = dst / "netflix-top10"
    top.mkdir(parents=True)

    def week_ok(r: list[str], col: dict[str, int]) -> bool:
        return published_at(date.fromisoformat(r[col["week"]])) <= limit

    def seen_ok(r: list[str], col: dict[str, int]) -> bool:
        return datetime.fromisoformat(r[col["first_seen_commit_time"]]) <= limit

    _filter_tsv(src / "netflix-top10/all-weeks-global.tsv", top / "all-weeks-global.tsv", week_ok)
    for p in (src / "netflix-top10").glob("all-weeks-countries*.tsv"):
        _filter_tsv(p, top / p.name, week_ok)
    for name in ("season-title-relabels.csv", "week-first-seen.csv"):
        _filter_tsv(src / "netflix-top10" / name, top / name, seen_ok, delimiter=",")
    wiki = dst / "wikipedia"
    wiki.mkdir()
    for p in (src / "wikipedia").glob("*.csv"):
        if date.fromisoformat(p.stem[-10:]) <= cut:
            shutil.copy(p, wiki / p.name)
    eng = dst / "netflix-engagement"
    eng.mkdir()
    for p in (src / "netflix-engagement").glob("*.xlsx"):
        if publication_date(report_period(p.name)[0]) <= cut:
            shutil.copy(p, eng / p.name)
    if cut >= SNAPSHOT:
        (dst / "justwatch").mkdir()
        shutil.copy(src / "justwatch/titles.csv", dst / "justwatch/titles.csv")
    return dst


def _synced(data_dir: Path, root: Path, cut: date):  # type: ignore[no-untyped-def]
    from renewcast.store.db import connect
    from renewcast.store.sync import sync_dir

    folder = cut_data(data_dir, root / f"data-{cut}", cut)
    engine = connect(f"sqlite:///{root / f'store-{cut}.db'}")
    reports = sync_dir(engine, folder)
    assert not [r for r in reports if r.status == "failed"]
    return engine


@pytest.fixture(scope="session")
def stores(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("forecast")
    return {cut: _synced(data_dir, root, cut) for cut in (CUT_EARLY, CUT_MID, CUT_LATE)}


def _series_id(engine, title: str) -> int:  # type: ignore[no-untyped-def]
    from renewcast.store.catalog import resolve_one

    with engine.connect() as conn:
        return resolve_one(conn, title).series_id


def _board(engine, day: date) -> list[dict]:  # type: ignore[no-untyped-def]
    from renewcast.forecast.api import open_board

    with engine.connect() as conn:
        return [f.to_json() for f in open_board(conn, day)]


def test_partner_track_same_on_a_store_cut_at_the_date(stores) -> None:  # type: ignore[no-untyped-def]
    from renewcast.forecast.api import forecast_season

    early, late = stores[CUT_EARLY], stores[CUT_LATE]
    a = forecast_season(early, _series_id(early, "Partner Track"), None, CUT_EARLY).to_json()
    b = forecast_season(late, _series_id(late, "Partner Track"), None, CUT_EARLY).to_json()
    assert a == b
    assert a["season"] == 2 and a["status"] == "open"
    # no non-renewal was public by 2022-09-01 (ended list 2023-11-06, two-year presumption)
    assert a["p_renewal"] is None
    assert "0 not renewed" in a["reason"]
    assert a["model"]["trained_through"] == "2022-09-01"
    # the same date on the later store: the ended list is there but not yet known
    later = forecast_season(late, _series_id(late, "Partner Track"), None, CUT_LATE).to_json()
    assert later["status"] == "not_renewed" and later["p_renewal"] == 0.0


@pytest.mark.xfail(
    strict=True,
    reason="store identity is not stable across syncs: with the 2023-12-12 engagement report "
    "present, some Top 10 rows resolve to other series (e.g. Kota Factory, Castle and Castle), "
    "so the training set as of 2023-12-01 differs (265 vs 267 seasons); reported to the lead",
)
def test_later_data_never_changes_a_forecast_across_syncs(stores) -> None:  # type: ignore[no-untyped-def]
    mid, late = _board(stores[CUT_MID], CUT_MID), _board(stores[CUT_LATE], CUT_MID)
    assert mid == late
    with_odds = [f for f in mid if f["p_renewal"] is not None]
    assert len(with_odds) >= 50
    assert all(0.0 < f["p_renewal"] < 1.0 for f in with_odds)
    assert len({round(f["p_renewal"], 4) for f in with_odds}) > 20  # not a constant
    assert all(f["model"]["n_train"] > 100 for f in with_odds)
    assert _board(stores[CUT_EARLY], CUT_EARLY) == _board(stores[CUT_LATE], CUT_EARLY)


def test_rows_known_after_the_cutoff_never_change_a_forecast(stores) -> None:  # type: ignore[no-untyped-def]
    """Same store and identities: a fit from SQL-filtered rows equals one from the full view."""
    from sqlalchemy import insert

    from renewcast.forecast.api import forecast_from_model, model_as_of
    from renewcast.forecast.data import load_view
    from renewcast.forecast.model import fit
    from renewcast.store.schema import facts

    engine = stores[CUT_LATE]
    with engine.connect() as conn:
        model = model_as_of(conn, CUT_MID)
        full = load_view(conn)
    again = fit(full.at(end_of_day(CUT_MID)))
    assert (again.coef, again.platt, again.n_train) == (model.coef, model.platt, model.n_train)
    opened = model.open_outcomes()
    assert opened
    before = [
        forecast_from_model(model, model.index.view, o.unit.series_id, None, CUT_MID).to_json()
        for o in opened
    ]
    # outcomes that became known after the cutoff: every open season renewed on 2023-12-20
    with engine.begin() as conn:
        doc_id = conn.exec_driver_sql("select min(id) from documents").scalar_one()
        conn.execute(
            insert(facts),
            [
                {
                    "series_id": o.unit.series_id,
                    "season_number": o.unit.season + 1,
                    "attribute": "renewed",
                    "value": "true",
                    "document_id": doc_id,
                    "known_at": datetime(2023, 12, 20, tzinfo=UTC),
                }
                for o in opened
            ],
        )
    from renewcast.forecast import model as model_mod

    model_mod._CACHE.clear()
    with engine.connect() as conn:
        after = [
            forecast_from_model(m, m.index.view, o.unit.series_id, None, CUT_MID).to_json()
            for m in [model_as_of(conn, CUT_MID)]
            for o in opened
        ]
        late = model_as_of(conn, date(2023, 12, 21))
    with engine.begin() as conn:
        conn.execute(facts.delete().where(facts.c.known_at == datetime(2023, 12, 20, tzinfo=UTC)))
    model_mod._CACHE.clear()
    assert after == before
    # (a unit can drop out later: a report revealing an old release date makes it a library title)
    later = [late.outcome_of(o.unit.series_id, o.unit.season) for o in opened]
    assert len([x for x in later if x is not None]) > len(opened) // 2
    assert all(x.status == "renewed" for x in later if x is not None)


def test_forecast_explains_in_words_and_dates_follow(stores) -> None:  # type: ignore[no-untyped-def]
    board = [f for f in _board(stores[CUT_MID], CUT_MID) if f["p_renewal"] is not None]
    f = next(x for x in board if any("weeks in the global Top 10" in e for e in x["explanation"]))
    assert any("model trained on" in e for e in f["explanation"])
    rw = f["release_window"]
    assert rw["p10"] <= rw["p50"] <= rw["p90"]
    assert rw["p10"] >= "2023-12-01"  # a premiere still to come


def test_labels_rules_and_dates(stores) -> None:  # type: ignore[no-untyped-def]
    from renewcast.forecast.data import load_view
    from renewcast.forecast.labels import PRESUMED_DAYS, label_report, label_units

    engine = stores[CUT_LATE]
    with engine.connect() as conn:
        view = load_view(conn)
    outcomes = label_units(view)
    report = label_report(outcomes)
    assert report["decided_by_rule"]["ended-status"] > 50
    assert report["decided_by_rule"]["next-season-top10"] > 30
    pt = next(o for o in outcomes if view.titles[o.unit.series_id] == "Partner Track")
    assert (pt.status, pt.rule, pt.known_at.date()) == (
        "not_renewed",
        "ended-status",
        date(2023, 11, 6),
    )
    for o in outcomes:
        if o.known_at is not None and o.rule == "presumed-no-next-season":
            assert (o.known_at.date() - o.unit.premiere).days == PRESUMED_DAYS
        if o.status == "renewed":
            assert o.rule.startswith("next-season")
    # as of an earlier cutoff, nothing decided later is known
    early = label_units(view.at(end_of_day(CUT_EARLY)))
    assert all(o.known_at is None or o.known_at <= end_of_day(CUT_EARLY) for o in early)
    assert not [o for o in early if o.status == "not_renewed"]


def test_backtest_scores_and_writes_report(stores, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from renewcast.forecast.backtest import ece, run_backtest, write_report
    from renewcast.forecast.data import load_view

    with stores[CUT_LATE].connect() as conn:
        view = load_view(conn)
    result = run_backtest(view, date(2022, 8, 1), date(2022, 9, 1))
    s = result.summary()
    assert s["cutoffs"] == 2 and s["cutoffs_with_odds"] == 0
    assert s["forecasts_without_odds"] == s["forecasts"] > 0
    paths = write_report(result, tmp_path / "report")
    assert {p.name for p in paths} >= {"backtest_forecasts.csv", "reliability.png"}
    assert json.loads((tmp_path / "report/backtest_summary.json").read_text())["cutoffs"] == 2
    assert ece([1, 0, 1, 0], [0.9, 0.1, 0.6, 0.4]) == pytest.approx(0.25)


def test_cli_forecast_json(stores) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from renewcast.cli import app

    url = str(stores[CUT_EARLY].url)
    res = CliRunner().invoke(
        app, ["forecast", "Partner Track", "--as-of", "2022-09-01", "--json", "--db", url]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) >= {"series", "season", "as_of", "p_renewal", "decision", "release_window"}
    assert out["series"] == "Partner Track"
    res = CliRunner().invoke(app, ["forecast", "--db", url])
    assert res.exit_code != 0
