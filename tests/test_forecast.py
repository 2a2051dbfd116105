"""Forecasts on the real data: honest time travel (cut stores), labels, backtest, CLI.

Three stores are synced once per session from copies of the real data cut at a date (rows filtered
by when they were published; snapshot files kept only if dated by the cut). JustWatch credits and the
most-popular list are left out of every copy (forecasts do not read them) to keep the syncs quick.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from renewcast.sources.base import end_of_day

CUT_EARLY = date(2022, 9, 1)  # the seed article
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


def _undo_relabels(relabels: Path, tsv: Path, limit: datetime) -> None:
    """Season titles as published by ``limit``: renames first seen later are undone (latest first)."""
    with relabels.open(encoding="utf-8", newline="") as fh:
        later = [
            r
            for r in csv.DictReader(fh)
            if datetime.fromisoformat(r["first_seen_commit_time"]) > limit
        ]
    later.sort(key=lambda r: r["first_seen_commit_time"], reverse=True)
    with tsv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    col = {name: i for i, name in enumerate(rows[0])}
    s, t = col["show_title"], col["season_title"]
    for rl in later:
        for r in rows[1:]:
            if r[s] == rl["show_title"] and r[t] == rl["new_season_title"]:
                r[t] = rl["old_season_title"]
    with tsv.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)


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
    _undo_relabels(
        src / "netflix-top10/season-title-relabels.csv", top / "all-weeks-global.tsv", limit
    )
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
    # odds early: few renewals known and no non-renewal public yet (ended list 2023-11-06,
    # two-year presumption); the run's renewal hazard did not beat the censoring-aware base rate
    # on earlier weeks, so the odds are the base rate, and the explanation says what they rest on
    assert 0.2 < a["p_renewal"] < 0.8 and a["reason"] is None
    text = " ".join(a["explanation"])
    assert "starting point:" in text and "did not beat the starting point" in text
    # the base rate pulled toward even odds: both numbers said
    p0 = int(text.split("starting point: ")[1].split("%")[0])
    assert f"({p0}% → {round(100 * a['p_renewal'])}%)" in text or p0 == round(100 * a["p_renewal"])
    assert "seasons followed so far" in text and "the odds are the starting point" in text
    assert "counts as not renewed" in text  # no news by the two-year mark
    # plain words: no internal rule or model names (they are in --json under "model")
    assert "base rate" not in text and "censoring" not in text and "lgbm" not in text
    # a season 1: the release window comes from the gaps of renewed peers, said in words
    assert "release window if renewed: from the gaps between seasons of" in text
    # as of the latest weekly update (Top 10 publication Tuesday) on or before the date
    assert a["cutoff"] == "2022-08-30" and "weekly update of 2022-08-30" in a["cutoff_note"]
    assert a["model"]["trained_through"] == "2022-08-30" and a["model"]["n_train"] > 0
    # the same date on the later store: the ended list is there but not yet known
    later = forecast_season(late, _series_id(late, "Partner Track"), None, CUT_LATE).to_json()
    assert later["status"] == "not_renewed" and later["p_renewal"] == 0.0


def test_later_data_never_changes_a_forecast_across_syncs(stores) -> None:  # type: ignore[no-untyped-def]
    """Stores synced from data cut at D and from later data: identical boards as of D, although
    their series ids, homonym splits and fact provenance differ (units keyed by show title)."""
    mid, late = _board(stores[CUT_MID], CUT_MID), _board(stores[CUT_LATE], CUT_MID)
    assert mid == late
    with_odds = [f for f in mid if f["p_renewal"] is not None]
    assert len(with_odds) >= 50
    assert all(0.0 < f["p_renewal"] < 1.0 for f in with_odds)
    assert len({round(f["p_renewal"], 4) for f in with_odds}) > 20  # not a constant
    assert all(f["model"]["n_train"] > 100 for f in with_odds)
    early = _board(stores[CUT_EARLY], CUT_EARLY)
    assert early == _board(stores[CUT_LATE], CUT_EARLY)
    assert len(early) > 100 and all(f["p_renewal"] is not None for f in early)


def test_rows_known_after_the_cutoff_never_change_a_forecast(stores) -> None:  # type: ignore[no-untyped-def]
    """Same store and identities: a fit from SQL-filtered rows equals one from the full view."""
    from sqlalchemy import insert

    from renewcast.forecast.api import forecast_from_model, latest_cutoff, model_as_of
    from renewcast.forecast.data import load_view
    from renewcast.forecast.model import fit
    from renewcast.store.schema import claims, facts

    engine = stores[CUT_LATE]
    with engine.connect() as conn:
        model = model_as_of(conn, CUT_MID)
        full = load_view(conn)
    again = fit(full.at(end_of_day(latest_cutoff(CUT_MID))))
    assert (again.coef, again.platt, again.n_train) == (model.coef, model.platt, model.n_train)
    assert again.mode == model.mode and again.check == model.check
    # the trees on every decided season are fit only when the check lets them in
    assert (model.booster is None) == (model.mode == "base") == (again.booster is None)
    if model.booster is not None:
        assert again.booster.dump_model() == model.booster.dump_model()
    opened = model.open_outcomes()
    assert opened
    before = [
        forecast_from_model(model, model.index.view, o.unit.series_id, None, CUT_MID).to_json()
        for o in opened
    ]
    # outcomes and news that became known after the cutoff: every open season renewed on
    # 2023-12-20, and an official cancellation claim for each the same day
    stamp = datetime(2023, 12, 20, tzinfo=UTC)
    with engine.begin() as conn:
        doc_id = conn.exec_driver_sql("select min(id) from documents").scalar_one()
        conn.execute(
            insert(claims),
            [
                {
                    "document_id": doc_id,
                    "series_id": o.unit.series_id,
                    "series_text": "x",
                    "season": o.unit.season,
                    "status": "cancelled",
                    "official": True,
                    "confidence": 0.9,
                    "evidence": "x",
                    "known_at": stamp,
                }
                for o in opened
            ],
        )
        conn.execute(
            insert(facts),
            [
                {
                    "series_id": o.unit.series_id,
                    "season_number": o.unit.season + 1,
                    "attribute": "renewed",
                    "value": "true",
                    "document_id": doc_id,
                    "known_at": stamp,
                }
                for o in opened
            ],
        )
    from renewcast.forecast import api as api_mod

    api_mod._MODELS.clear()
    with engine.connect() as conn:
        after = [
            forecast_from_model(m, m.index.view, o.unit.series_id, None, CUT_MID).to_json()
            for m in [model_as_of(conn, CUT_MID)]
            for o in opened
        ]
        late = model_as_of(conn, date(2023, 12, 27))  # the weekly cutoff of 2023-12-26
    with engine.begin() as conn:
        conn.execute(facts.delete().where(facts.c.known_at == stamp))
        conn.execute(claims.delete().where(claims.c.known_at == stamp))
    api_mod._MODELS.clear()
    assert after == before
    # (a unit can drop out later: a report revealing an old release date makes it a library title)
    later = [late.outcome_of(o.unit.series_id, o.unit.season) for o in opened]
    assert len([x for x in later if x is not None]) > len(opened) // 2
    # the status decider's precedence (docs/status.md): an official cancellation outranks a
    # list's renewal of the same day, which is kept as a disagreement
    # (unless the next season was released by then: nothing overturns a release)
    released = ("next-season-top10", "next-season-engagement", "next-season-premiere")
    for x in later:
        if x is not None and x.status == "renewed":
            assert x.rule in released
        elif x is not None:
            assert (x.status, x.rule) == ("not_renewed", "claim-ended")
            assert "next-season-renewed" in x.evidence


def test_fitting_cutoff_after_cutoff_gives_the_same_forecasts(stores) -> None:  # type: ignore[no-untyped-def]
    """What a fit lends the next weekly cutoff (labels of shows with nothing new, features,
    the walk-forward check's trees, premieres) changes no forecast: every stored forecast of
    eight consecutive weeks equals the one a fresh fit gives."""
    from renewcast.forecast.data import load_view
    from renewcast.forecast.materialise import forecasts_at
    from renewcast.forecast.model import fit

    with stores[CUT_LATE].connect() as conn:
        view = load_view(conn)
    days = [date(2023, 10, 31) + timedelta(days=7 * i) for i in range(8)]

    def payloads(model, d: date) -> list[str]:  # type: ignore[no-untyped-def]
        rows = forecasts_at(model, d, {})
        return sorted(json.dumps([r.show_key, r.payload, r.p_base], default=str) for r in rows)

    carried = None
    for d in days:
        carried = fit(view.at(end_of_day(d)), carried)
        fresh = fit(view.at(end_of_day(d)))
        assert payloads(carried, d) == payloads(fresh, d), d
        assert carried.check == fresh.check
    assert carried is not None and carried.memo["labels"] is not None


def test_forecast_explains_in_words_and_dates_follow(stores) -> None:  # type: ignore[no-untyped-def]
    board = [f for f in _board(stores[CUT_MID], CUT_MID) if f["p_renewal"] is not None]
    f = next(x for x in board if any("weeks in the global Top 10" in e for e in x["explanation"]))
    assert any(e.startswith("starting point:") for e in f["explanation"])
    assert any("earlier weeks' forecasts" in e or "too few" in e for e in f["explanation"])
    # each step says where it took the odds, and the last one is the odds shown
    import re

    for x in board:
        steps = [e for e in x["explanation"] if "by its Top 10 run" in e or "toward even odds" in e]
        ends = [int(m) for e in steps for m in re.findall(r"(?:to|→) (\d+)%", e)[-1:]]
        if ends:
            assert abs(ends[-1] - 100 * x["p_renewal"]) <= 1, (ends, x["p_renewal"])
    rw = f["release_window"]
    dates = [rw[k] for k in ("p10", "p50", "p90") if rw[k] is not None]
    assert len(dates) >= 2 and dates == sorted(dates)
    assert rw["p10"] > f["cutoff"] == "2023-11-28"  # a premiere still to come
    # seasons after a run of earlier seasons: the window says it follows the show's cadence
    cadence = [e for x in board for e in x["explanation"] if "months apart" in e]
    assert cadence and all("leans" in e and "% on that cadence" in e for e in cadence)


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
    assert s["cutoffs"] == 2 and s["cutoffs_with_odds"] == 2
    assert s["forecasts"] > 100 and s["forecasts_without_odds"] == 0
    assert s["renewal"]["all"]["n"] > 50  # scored once the outcome is known in the full store
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
    # a store whose data stopped weeks before the date asked says so beside the odds
    late = ["--as-of", "2022-10-25", "--json", "--db", url]
    board = json.loads(CliRunner().invoke(app, ["forecast", "--open", *late]).stdout)
    gap = board["data_gap"]
    assert gap is not None and gap["days"] > 14 and gap["newest"] <= CUT_EARLY.isoformat()
    one = json.loads(CliRunner().invoke(app, ["forecast", "Partner Track", *late]).stdout)
    assert one["data_gap"] == gap and one["explanation"][0].startswith("nothing newer than")
    assert "data_gap" not in out  # asked within the data: no gap
    # --refresh stores every weekly forecast up to today: it takes no title, list or date
    for extra in (["Partner Track"], ["--open"], ["--as-of", "2022-09-01"]):
        res = CliRunner().invoke(app, ["forecast", "--refresh", *extra, "--db", url])
        assert res.exit_code != 0 and "--refresh stands alone" in res.output


# ------------------------------------------------------------------ rules on small, exact cases
def _outcome(premiere: date, status: str, known: date | None, *, english: bool = True):  # type: ignore[no-untyped-def]
    from renewcast.forecast.labels import Outcome, Unit

    u = Unit(1, "k", 1, premiere, end_of_day(premiere), premiere, english)
    return Outcome(u, status, end_of_day(known) if known else None)


def test_competing_risks_base_rate_counts_open_seasons_and_the_late_renewal_rate() -> None:
    import math
    from datetime import timedelta

    from renewcast.forecast.hazard import LATE_WINDOW, MIN_AT_RISK, fit_competing_risks
    from renewcast.forecast.labels import PRESUMED_DAYS

    p0 = date(2022, 1, 1)
    cutoff = end_of_day(p0 + timedelta(days=400))
    # 10 renewals known at 60 days, 2 ends at 120 days, 1 late renewal at 300 days,
    # 27 still open at 400 days
    outs = [_outcome(p0, "renewed", p0 + timedelta(days=60)) for _ in range(10)]
    outs += [_outcome(p0, "not_renewed", p0 + timedelta(days=120)) for _ in range(2)]
    outs += [_outcome(p0, "renewed", p0 + timedelta(days=300))]
    outs += [_outcome(p0, "open", None) for _ in range(27)]
    cr = fit_competing_risks(outs, cutoff)
    assert cr is not None and cr.tau == 400 and MIN_AT_RISK <= 27
    assert (cr.n_renewed, cr.n_ended, cr.n_open) == (11, 2, 27)
    # late window (220, 400]: 28 seasons at risk for 180 days (one leaves at 300), 1 renewal
    rate = 1 / (27 * LATE_WINDOW + (300 - 220))
    assert cr.late_rate == pytest.approx(rate)
    late = 1 - math.exp(-rate * (PRESUMED_DAYS - 400))  # carried on to the presumption
    assert 0.05 < late < 0.1  # not a coin toss: renewals had become rare
    # at birth: 11/40 renewed + 27/40 undecided, renewed at the late rate (decided-only: 11/13)
    assert cr.p_renewed(0) == pytest.approx(11 / 40 + late * 27 / 40)
    # still open at 350 days (after every event): what is left is the late rate
    assert cr.p_renewed(350) == pytest.approx(late)
    # still open at 90 days: the late renewal and the two ends are ahead of it
    assert cr.p_renewed(90) == pytest.approx((1 / 40 + late * 27 / 40) / (30 / 40))
    # beyond the last observed age: the late rate over the days left to the presumption
    assert cr.p_renewed(600) == pytest.approx(1 - math.exp(-rate * (PRESUMED_DAYS - 600)))
    assert fit_competing_risks([], cutoff) is None


def test_renewal_hazard_ratio_moves_the_base_rate_and_one_is_the_base_rate() -> None:
    from datetime import timedelta

    from renewcast.forecast.hazard import fit_competing_risks

    p0 = date(2022, 1, 1)
    cutoff = end_of_day(p0 + timedelta(days=400))
    outs = [_outcome(p0, "renewed", p0 + timedelta(days=60 + 10 * i)) for i in range(10)]
    outs += [_outcome(p0, "not_renewed", p0 + timedelta(days=120)) for _ in range(2)]
    outs += [_outcome(p0, "renewed", p0 + timedelta(days=300))]
    outs += [_outcome(p0, "open", None) for _ in range(27)]
    cr = fit_competing_risks(outs, cutoff)
    assert cr is not None
    for age in (0, 59, 90, 200, 350, 600):
        # a hazard ratio of 1 is exactly the base rate; more renewal hazard, higher odds
        assert cr.p_renewed_hr(age, 1.0) == pytest.approx(cr.p_renewed(age))
        assert cr.p_renewed_hr(age, 0.5) < cr.p_renewed(age) < cr.p_renewed_hr(age, 2.0)
        many = cr.p_renewed_hrs(age, [0.5, 1.0, 2.0])
        assert list(many) == pytest.approx([cr.p_renewed_hr(age, h) for h in (0.5, 1.0, 2.0)])
    # within 100 days of birth: the renewals known by day 100 (5 of 40), nothing later
    assert cr.p_renewed_hr(0, 1.0, horizon=100) == pytest.approx(5 / 40)
    assert cr.p_renewed_hr(0, 1.0, horizon=100) < cr.p_renewed_hr(0, 1.0)


def test_release_window_censors_renewed_seasons_still_waiting() -> None:
    from datetime import timedelta

    from renewcast.forecast.timing import fit_release_window

    p0 = date(2021, 1, 1)
    cutoff = end_of_day(date(2022, 1, 1))  # 365 days after every premiere
    finished = []
    for gap in range(100, 300, 10):  # 20 short gaps that finished
        o = _outcome(p0, "renewed", p0 + timedelta(days=30))
        o.next_premiere = p0 + timedelta(days=gap)
        finished.append(o)
    # 25 renewed seasons whose next season had not premiered by the cutoff
    waiting = [_outcome(p0, "renewed", p0 + timedelta(days=30)) for _ in range(25)]
    naive = fit_release_window(finished, cutoff)
    rw = fit_release_window(finished + waiting, cutoff)
    assert (rw.curves["all"].n_events, rw.curves["all"].n_censored) == (20, 25)
    at = p0 + timedelta(days=10)
    unit = finished[0].unit
    q, q_naive = rw.quantiles(unit, at), naive.quantiles(unit, at)
    assert q is not None and q_naive is not None
    assert q["p10"] < q["p50"] < q["p90"]
    # more than half are still waiting after a year: the censored median lies beyond a year,
    # while the finished gaps alone would put it at about 200 days
    assert q["p50"] > p0 + timedelta(days=365) > q_naive["p50"]
    # conditional on the time elapsed: a season 300 days out is not given a window in the past
    late = rw.quantiles(unit, p0 + timedelta(days=300))
    assert late is not None and late["p10"] > p0 + timedelta(days=300)


def test_decision_timing_is_conditional_and_ordered_before_the_presumption() -> None:
    from datetime import timedelta

    from renewcast.forecast.labels import PRESUMED_DAYS
    from renewcast.forecast.timing import fit_decision_timing

    p0 = date(2022, 1, 1)
    cutoff = end_of_day(p0 + timedelta(days=400))
    # decisions known 40..230 days after the premiere; 30 seasons still open at 400 days
    outs = [_outcome(p0, "renewed", p0 + timedelta(days=40 + 10 * i)) for i in range(20)]
    outs += [_outcome(p0, "open", None) for _ in range(30)]
    dt = fit_decision_timing(outs, cutoff)
    assert dt is not None and dt.n_events == 20
    for age in (0, 100, 390):
        at = p0 + timedelta(days=age)
        q = dt.quantiles(age, at=at, premiere=p0)
        p10, p50, p90 = q["p10"], q["p50"], q["p90"]
        assert p10 is not None and p50 is not None and p90 is not None  # never missing
        assert at < p10 <= p50 < p90 <= p0 + timedelta(days=PRESUMED_DAYS)
    # most seasons still open after 400 days: the median lies beyond the longest follow-up
    median = dt.quantiles(0, at=p0, premiere=p0)["p50"]
    assert median is not None and median > p0 + timedelta(days=230)
    # a season long open still gets distinct dates, and the chance of any announcement falls
    q = dt.quantiles(700, at=p0 + timedelta(days=700), premiere=p0)
    assert q["p50"] is not None and q["p90"] is not None and q["p50"] < q["p90"]
    assert dt.announced_share(700) < dt.announced_share(100) < 1
    assert fit_decision_timing(outs[:5], cutoff) is None  # too few decisions to fit


def test_news_claims_are_dated_outcome_evidence(stores) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from renewcast.forecast.data import ClaimRow, load_view
    from renewcast.forecast.labels import label_units

    with stores[CUT_LATE].connect() as conn:
        view = load_view(conn)
    pt = _series_id(stores[CUT_LATE], "Partner Track")

    def claim(status: str, hedged: bool, day: date, season: int = 1) -> ClaimRow:
        return ClaimRow(pt, season, status, False, True, hedged, 0.9, end_of_day(day))

    def outcome(rows: list[ClaimRow], cut: date):  # type: ignore[no-untyped-def]
        v = replace(view, claims=rows).at(end_of_day(cut))
        return next(o for o in label_units(v) if o.unit.series_id == pt)

    day = date(2022, 10, 5)
    o = outcome([claim("cancelled", False, day)], date(2022, 12, 1))
    assert (o.status, o.rule, o.known_at.date()) == ("not_renewed", "claim-ended", day)
    assert outcome([claim("cancelled", False, day)], date(2022, 10, 4)).status == "open"
    assert outcome([claim("cancelled", True, day)], date(2022, 12, 1)).status == "open"  # hedged
    r = outcome([claim("renewed", False, day, season=2)], date(2022, 12, 1))  # "season 2 ordered"
    assert (r.status, r.rule) == ("renewed", "next-season-news")


def test_homonyms_in_one_snapshot_are_not_read(stores) -> None:  # type: ignore[no-untyped-def]
    """Two shows with one title in a snapshot (an original and its reboot): their facts are left out
    for that title, whichever way the store split or merged them."""
    from renewcast.forecast.data import load_view

    with stores[CUT_LATE].connect() as conn:
        view = load_view(conn)
    assert view.ambiguous > 0
    counts: dict[tuple[str, str], set[int]] = {}
    for f in view.facts:
        if f.attribute == "seasons" and f.source.startswith(("justwatch", "wikipedia")):
            counts.setdefault((f.source, view.key(f.series_id)), set()).add(f.series_id)
    assert counts and all(len(ids) == 1 for ids in counts.values())


def test_release_window_follows_a_shows_cadence_shrunk_toward_peers() -> None:
    from dataclasses import replace
    from datetime import timedelta

    from renewcast.forecast.labels import Outcome
    from renewcast.forecast.timing import fit_release_window

    p0 = date(2020, 1, 1)
    cutoff = end_of_day(date(2024, 1, 1))
    outs: list[Outcome] = []
    # 30 renewed season-1 units with gaps of 500..790 days (the peer curve)
    for i in range(30):
        o = _outcome(p0 + timedelta(days=i), "renewed", p0 + timedelta(days=60 + i))
        o = replace(o, unit=replace(o.unit, key=f"peer{i}"))
        o.next_premiere = o.unit.premiere + timedelta(days=500 + 10 * i)
        outs.append(o)
    # 10 annual shows: season 1 → season 2 a year apart, season 2 renewed, season 3 a year later
    for i in range(10):
        s1 = _outcome(p0 + timedelta(days=i), "renewed", p0 + timedelta(days=40))
        s1 = replace(s1, unit=replace(s1.unit, key=f"annual{i}"))
        s2_start = s1.unit.premiere + timedelta(days=365)
        s1.next_premiere = s2_start
        s2 = _outcome(s2_start, "renewed", s2_start + timedelta(days=40))
        s2 = replace(s2, unit=replace(s2.unit, key=f"annual{i}", season=2))
        s2.next_premiere = s2_start + timedelta(days=360 + 2 * i)
        outs += [s1, s2]
    rw = fit_release_window(outs, cutoff)
    assert rw.cadence_fit is not None and rw.cadence_fit.n_events == 10
    annual = outs[-1].unit
    cad = rw.cadence(annual)
    assert cad is not None and (cad.days, cad.n_gaps, cad.weight) == (365, 1, 0.5)
    assert rw.cadence(outs[0].unit) is None  # a season 1 has no cadence: the peer curve
    at = annual.premiere + timedelta(days=30)
    q, peer_q = rw.quantiles(annual, at), rw.quantiles(replace(annual, key="new"), at)
    assert q is not None and peer_q is not None
    assert q["p10"] < q["p50"] < q["p90"]
    # one previous gap of a year, shrunk halfway toward the peers' ~640 days: between the two
    assert annual.premiere + timedelta(days=365) < q["p50"] < peer_q["p50"]
    # conditional on the time elapsed: never a date already past
    late = rw.quantiles(annual, annual.premiere + timedelta(days=600))
    assert late is not None and late["p10"] > annual.premiere + timedelta(days=600)


def test_censored_lognormal_fit_matches_lifelines() -> None:
    import math
    import random

    from lifelines import LogNormalFitter

    from renewcast.forecast.timing import _censored_normal_mle

    rng = random.Random(7)
    days = [max(1, round(math.exp(rng.gauss(6.0, 0.8)))) for _ in range(200)]
    limit = 500  # follow-up ends: longer gaps are censored there
    obs = [(min(d, limit), d <= limit) for d in days]
    ref = LogNormalFitter().fit([d for d, _ in obs], event_observed=[e for _, e in obs])
    mu, sigma = _censored_normal_mle([math.log(d) for d, _ in obs], [e for _, e in obs])
    assert mu == pytest.approx(ref.mu_, abs=1e-3) and sigma == pytest.approx(ref.sigma_, abs=1e-3)
    assert sum(1 for _, e in obs if not e) > 30  # the censoring matters here


def test_censored_weibull_fit_matches_lifelines() -> None:
    import math
    import random

    from lifelines import WeibullFitter

    from renewcast.forecast.timing import _censored_weibull_mle

    rng = random.Random(11)
    days = [max(1, round(rng.weibullvariate(420.0, 2.2))) for _ in range(200)]
    limit = 500
    obs = [(min(d, limit), d <= limit) for d in days]
    ref = WeibullFitter().fit([d for d, _ in obs], event_observed=[e for _, e in obs])
    mu, sigma = _censored_weibull_mle([math.log(d) for d, _ in obs], [e for _, e in obs])
    # lifelines: S(t) = exp(-(t / lambda)^rho), i.e. log t = log(lambda) + G / rho
    assert mu == pytest.approx(math.log(ref.lambda_), abs=1e-3)
    assert sigma == pytest.approx(1 / ref.rho_, abs=1e-3)
    assert sum(1 for _, e in obs if not e) > 30


def test_peer_curve_takes_the_likelier_family_and_its_quantiles() -> None:
    import math
    import random

    from renewcast.forecast.timing import LOGNORMAL, WEIBULL, _peer_curve

    rng = random.Random(5)
    # gaps whose log leans left (a tail of quick returns, few very late ones): Weibull
    skewed = [(max(1, round(rng.weibullvariate(450.0, 2.5))), True) for _ in range(300)]
    # gaps symmetric on the log scale: log-normal
    symmetric = [(max(1, round(math.exp(rng.gauss(6.0, 0.4)))), True) for _ in range(300)]
    w, ln = _peer_curve(skewed), _peer_curve(symmetric)
    assert w is not None and ln is not None
    assert (w.family, ln.family) == (WEIBULL, LOGNORMAL)
    assert _peer_curve(skewed[:9]) is None  # too few finished gaps
    for curve in (w, ln):
        # the median is where half the gaps have ended; conditional quantiles never lie in the past
        assert curve.s(curve.median_days) == pytest.approx(0.5, abs=0.01)
        p10, p50, p90 = (curve.conditional_quantile(q, 0) for q in (0.1, 0.5, 0.9))
        assert p10 < p50 < p90 and abs(p50 - curve.median_days) <= 1
        assert curve.conditional_quantile(0.1, 600) > 600
    # the Weibull's right tail is lighter: fewer seasons still waiting far past the median
    assert w.s(2.5 * w.median_days) < 0.01


def test_release_window_leans_on_the_shows_kind_shrunk_toward_its_language() -> None:
    from dataclasses import replace
    from datetime import timedelta

    from renewcast.forecast.labels import Outcome
    from renewcast.forecast.timing import KIND_PRIOR_EVENTS, MIN_KIND_EVENTS, fit_release_window

    p0 = date(2020, 1, 1)
    cutoff = end_of_day(date(2024, 1, 1))
    outs: list[Outcome] = []
    kinds: dict[str, str] = {}
    # 20 scripted shows back after 600..790 days, 10 reality shows after 250..340 days
    for i in range(30):
        o = _outcome(p0 + timedelta(days=i), "renewed", p0 + timedelta(days=60 + i))
        o = replace(o, unit=replace(o.unit, key=f"show{i}"))
        gap = 600 + 10 * i if i < 20 else 250 + 10 * (i - 20)
        o.next_premiere = o.unit.premiere + timedelta(days=gap)
        kinds[o.unit.key] = "scripted" if i < 20 else "reality"
        outs.append(o)
    new_reality = replace(outs[0].unit, key="new reality", premiere=date(2023, 12, 1))
    unknown = replace(new_reality, key="no genre known")
    rw = fit_release_window(outs, cutoff, {**kinds, "new reality": "reality"})
    kp = rw.kind_peer(new_reality)
    assert kp is not None and kp[1] == "reality"
    assert kp[2] == pytest.approx(10 / (10 + KIND_PRIOR_EVENTS))  # 10 finished reality gaps
    assert rw.kind_peer(unknown) is None
    at = date(2023, 12, 15)
    q, q_unknown = rw.quantiles(new_reality, at), rw.quantiles(unknown, at)
    assert q is not None and q_unknown is not None
    # shrunk halfway from all 30 gaps (median ~ 600 days) toward the reality gaps (~ 300 days)
    assert new_reality.premiere + timedelta(days=300) < q["p50"] < q_unknown["p50"]
    # a kind with too few finished gaps is not fitted: the language curve alone
    few = {k: v for k, v in kinds.items() if v == "scripted" or k in ("show20", "show21")}
    rw_few = fit_release_window(outs, cutoff, {**few, "new reality": "reality"})
    assert MIN_KIND_EVENTS > 2 and rw_few.kind_peer(new_reality) is None
    assert rw_few.quantiles(new_reality, at) == q_unknown


def test_kinds_are_known_from_the_genre_snapshot_on(stores) -> None:  # type: ignore[no-untyped-def]
    from renewcast.forecast.data import load_view
    from renewcast.forecast.features import FeatureIndex, kind_of
    from renewcast.forecast.labels import find_units

    with stores[CUT_LATE].connect() as conn:
        view = load_view(conn)
    index = FeatureIndex(view, find_units(view))
    assert index.kinds(end_of_day(date(2023, 3, 30))) == {}  # the JustWatch snapshot: 2023-03-31
    kinds = index.kinds(end_of_day(CUT_LATE))
    assert set(kinds.values()) == {"reality", "docuseries", "animation", "scripted"}
    assert kind_of(["reality", "documentation"]) == "reality"
    assert kind_of(["family", "comedy"]) == "animation" and kind_of(["drama"]) == "scripted"


def _assert_dates_ordered(board: list[dict], day: date) -> int:
    """Decision p50 < p90, both after the as-of date; release p50 ≥ decision p50. Returns the
    number of open seasons checked."""
    n = 0
    for f in board:
        if f["status"] != "open" or f["p_renewal"] is None:
            continue
        dec, rel = f["decision"], f["release_window"]
        assert dec["p50"] and dec["p90"], f
        assert day.isoformat() < dec["p50"] < dec["p90"], f
        if rel["p50"]:
            assert rel["p50"] >= dec["p50"], f
            assert rel["p10"] <= rel["p50"] <= rel["p90"], f
        n += 1
    return n


def test_dates_are_ordered_for_every_open_season(stores, synced_engine) -> None:  # type: ignore[no-untyped-def]
    from renewcast.forecast.api import latest_cutoff

    checked = sum(_assert_dates_ordered(_board(stores[d], d), latest_cutoff(d)) for d in stores)
    latest = date(2026, 7, 21)  # the last Top 10 week of the embedded data is 2026-07-19
    checked += _assert_dates_ordered(_board(synced_engine, latest), latest)
    assert checked > 400


def test_five_weeks_in_takes_each_season_once_after_five_weeks() -> None:
    from renewcast.forecast.backtest import BacktestResult, Prediction
    from renewcast.forecast.labels import PRESUMED_RULE

    def pred(cutoff: date, series: str, outcome: str, rule: str, known: date) -> Prediction:
        return Prediction(
            cutoff, series, 1, date(2023, 1, 2), (cutoff - date(2023, 1, 2)).days,
            0.5, 0.4, 0.5, 0.5, 0.5, 2, 1e6, None, None, None, None, None, None,
            outcome=outcome, outcome_rule=rule, outcome_known=known,
        )  # fmt: skip

    months = [date(2023, 2, 1), date(2023, 3, 1), date(2023, 4, 1)]
    preds = [
        pred(c, "Invented Drama", "renewed", "next-season-news", date(2023, 5, 1)) for c in months
    ]
    preds += [
        pred(c, "Invented Comedy", "not_renewed", PRESUMED_RULE, date(2025, 1, 1)) for c in months
    ]
    # decided before the second cutoff: its five-weeks-in forecast would already know the answer
    preds += [
        pred(c, "Invented Quiz", "renewed", "next-season-news", date(2023, 2, 20)) for c in months
    ]
    r = BacktestResult(date(2023, 2, 1), date(2023, 4, 1), months, preds)
    got = {(p.series, p.cutoff) for p in r.weeks_in()}
    assert got == {("Invented Drama", date(2023, 3, 1)), ("Invented Comedy", date(2023, 3, 1))}
    assert {p.series for p in r.weeks_in(decided_only=True)} == {"Invented Drama"}
    s = r.summary()["renewal"]
    assert s["five_weeks_in"]["n"] == 2 and s["five_weeks_in_decided"]["n"] == 1


def test_the_odds_name_the_shows_kind_when_the_hazard_reads_it(synced_engine) -> None:  # type: ignore[no-untyped-def]
    """The kind set is taken only where earlier cutoffs show it helps (round 17); when it is, a
    reality show's explanation says so, and a show of unknown kind's does not."""
    from renewcast.forecast.api import explain
    from renewcast.forecast.data import load_view
    from renewcast.forecast.model import fit
    from renewcast.forecast.renewal_hazard import KIND_FEATURES

    with synced_engine.connect() as conn:
        view = load_view(conn)
    model = fit(view.at(end_of_day(date(2025, 6, 3))))
    assert model.mode == "hazard" and model.check is not None
    assert set(KIND_FEATURES) <= set(model.check.features)
    kinds = model.index.kinds(model.cutoff)
    said = {
        o.unit.key: [e for e in explain(model, o) if " by its Top 10 run" in e]
        for o in model.open_outcomes()
    }
    reality = [k for k in said if kinds.get(k) == "reality" and said[k]]
    unknown = [k for k in said if k not in kinds and said[k]]
    assert reality and unknown
    assert all("and its kind (reality)" in said[k][0] for k in reality)
    assert not any("its kind" in said[k][0] for k in unknown)
