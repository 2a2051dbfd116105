"""Materialised forecasts: computed per weekly cutoff, stored, read back, refreshed when inputs change."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.test_forecast import CUT_EARLY, _series_id, cut_data


@pytest.fixture(scope="module")
def early_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A store of the data as published by 2022-09-01, private to this module (it is written)."""
    from renewcast.store.db import connect
    from renewcast.store.sync import sync_dir

    root = tmp_path_factory.mktemp("materialised")
    engine = connect(f"sqlite:///{root / 'store.db'}")
    reports = sync_dir(engine, cut_data(data_dir, root / "data", CUT_EARLY))
    assert not [r for r in reports if r.status == "failed"]
    return engine


def test_weekly_cutoffs_are_publication_tuesdays() -> None:
    from renewcast.forecast.api import latest_cutoff

    assert latest_cutoff(date(2022, 9, 1)) == date(2022, 8, 30)  # Thursday → that Tuesday
    assert latest_cutoff(date(2022, 8, 30)) == date(2022, 8, 30)
    assert latest_cutoff(date(2022, 8, 29)) == date(2022, 8, 23)  # Monday → the Tuesday before
    assert all(latest_cutoff(date(2024, 1, d)).weekday() == 1 for d in range(1, 32))


def test_materialised_forecasts_equal_computed_ones_and_refresh_only_what_changed(
    early_store,
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from renewcast.forecast import api
    from renewcast.forecast.materialise import refresh
    from renewcast.store.forecasts import stored_cutoffs
    from renewcast.store.schema import claims

    engine = early_store
    sid = _series_id(engine, "Partner Track")
    with engine.connect() as conn:
        live = api.forecast_season(conn, sid, None, CUT_EARLY).to_json()
        live_board = [f.to_json() for f in api.open_board(conn, CUT_EARLY)]
    steps: list[date] = []
    report = refresh(engine, today=CUT_EARLY, on_step=lambda d, i, n: steps.append(d))
    assert report.computed and report.computed[-1] == date(2022, 8, 30) and report.unchanged == 0
    assert steps[0] == report.computed[0]
    api._MODELS.clear()
    with engine.connect() as conn:
        stored = api.forecast_season(conn, sid, None, CUT_EARLY).to_json()
        board = [f.to_json() for f in api.open_board(conn, CUT_EARLY)]
    assert len(api._MODELS) == 0  # nothing was fitted to answer
    # the same forecast, plus how such odds fared at earlier weekly updates
    track = [e for e in stored["explanation"] if e.startswith("track record:")]
    assert len(track) == 1 and "track_record" in stored["model"]
    assert {**stored, "explanation": [e for e in stored["explanation"] if e not in track]} == {
        **live,
        "model": {**live["model"], "track_record": stored["model"]["track_record"]},
    }
    assert [(f["series"], f["season"], f["p_renewal"]) for f in board] == [
        (f["series"], f["season"], f["p_renewal"]) for f in live_board
    ]
    # an as-of date between cutoffs reads the latest one before it and says which
    assert stored["cutoff"] == "2022-08-30" and stored["as_of"] == "2022-09-01"
    # seasons without a stored row (decided long before, or never a new season in the Top 10)
    # are answered from what the cutoff stored of them, as the model says, without a fit
    with engine.connect() as conn:
        model = api.model_as_of(conn, CUT_EARLY)
        api._MODELS.clear()
        view = model.index.view
        without = 0
        for sid_ in sorted(view.titles)[:400]:
            for season in (None, 2, 3):
                got = api.forecast_season(conn, sid_, season, CUT_EARLY).to_json()
                want = api.forecast_from_model(model, view, sid_, season, date(2022, 8, 30))
                want.as_of = CUT_EARLY
                if "track_record" in got["model"]:  # a stored row: compared above
                    continue
                without += 1
                assert got == want.to_json(), (sid_, season)
        assert len(api._MODELS) == 0 and without > 100
    # nothing changed: nothing is recomputed
    again = refresh(engine, today=CUT_EARLY)
    assert again.computed == [] and again.unchanged == report.cutoffs

    # a claim published long after every cutoff changes the data version but no cutoff's
    # inputs: nothing is recomputed, all cutoffs are confirmed current
    def claim(when: datetime) -> None:
        with engine.begin() as conn:
            doc = conn.exec_driver_sql("select max(id) from documents").scalar_one()
            conn.execute(
                insert(claims).values(
                    document_id=doc,
                    series_id=sid,
                    series_text="Partner Track",
                    season=1,
                    status="pending",
                    hedged=True,
                    official=False,
                    confidence=0.9,
                    evidence="an invented sentence about the show's future",
                    known_at=when,
                )
            )

    claim(datetime(2030, 1, 1, tzinfo=UTC))
    with engine.connect() as conn:
        assert api._stored_cutoff(conn, CUT_EARLY) is None  # stale for the new version
    third = refresh(engine, today=CUT_EARLY)
    assert third.computed == []
    with engine.connect() as conn:
        assert api._stored_cutoff(conn, CUT_EARLY) == date(2022, 8, 30)
        assert len(stored_cutoffs(conn)) == report.cutoffs
    # a news claim published 2022-08-24 changes the inputs of the cutoffs from 2022-08-30 on only
    claim(datetime(2022, 8, 24, 12, tzinfo=UTC))
    fourth = refresh(engine, today=CUT_EARLY)
    assert fourth.computed == [date(2022, 8, 30)] and fourth.unchanged == report.cutoffs - 1


def test_accuracy_page_scores_the_weekly_forecasts(early_store) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from renewcast.forecast.materialise import refresh
    from renewcast.web.app import create_app

    refresh(early_store, today=CUT_EARLY)  # current (the test above may have run first)
    client = TestClient(create_app(str(early_store.url)))
    data = client.get("/api/accuracy").json()
    assert data["as_of"] == "2022-08-30" and data["all"]["n"] > 0
    assert {"odds", "starting_point"} <= set(data["all"]) and data["reliability"]
    assert all(h["half"] in ("2021 H2", "2022 H1", "2022 H2") for h in data["by_half_year"])
    # what is not decided yet is counted, not scored: a recent half-year's score is provisional
    assert sum(h["waiting"] for h in data["by_half_year"]) == data["all"]["waiting"] > 0
    html = client.get("/accuracy").text
    assert "How the odds have fared" in html and "<svg" in html and "Starting point: Brier" in html
    assert "Still waiting" in html
    # the reliability diagram can be read without hovering: one dot a band, axes in percent
    assert html.count("<circle") == len(data["reliability"]) and ">50%</text>" in html
    assert 'href="/accuracy"' in client.get("/").text


def test_walk_forward_check_lets_the_trees_in_only_with_enough_skill_shown() -> None:
    from renewcast.forecast.model import MIN_CHECK, WalkForward

    assert WalkForward((), MIN_CHECK, 0.24, 0.25, 0.3).earns
    assert not WalkForward((), MIN_CHECK - 1, 0.24, 0.25, 0.3).earns  # too few seasons scored
    assert not WalkForward((), 400, 0.25, 0.25, 0.3).earns  # no better than the base rate
    assert not WalkForward((), 400, 0.24, 0.25, 0.0).earns  # the slope says: ignore the trees
    assert WalkForward((), 400, 0.24, 0.25, 0.3).skill == pytest.approx(0.04)


def test_news_extract_refreshes_the_materialised_forecasts(
    early_store, seed_article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Claims extracted by `news extract` (a new article, or an upgraded reader) are forecast
    inputs: the command brings the stored weekly forecasts up to date, as `news add` does, so that
    answers keep reading them instead of refitting."""
    from typer.testing import CliRunner

    from renewcast.cli import app
    from renewcast.forecast import api, materialise
    from renewcast.forecast.materialise import refresh
    from renewcast.news.ingest import add_path

    engine = early_store
    # the store's data ends on 2022-09-01: its weekly updates up to then, not up to today
    monkeypatch.setattr(
        materialise, "refresh", lambda engine, **kw: refresh(engine, **{**kw, "today": CUT_EARLY})
    )
    refresh(engine, today=CUT_EARLY)  # current (another test may have changed the store)
    add_path(engine, seed_article, published=datetime(2022, 8, 26, 12, tzinfo=UTC))  # no claims yet
    res = CliRunner().invoke(app, ["news", "extract", "--db", str(engine.url), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    # its claims are dated 2022-08-26: the cutoff of 2022-08-30 was recomputed, and is current
    assert out["extracted"] == 1 and out["forecasts"]["first_computed"] == "2022-08-30"
    with engine.connect() as conn:
        assert api._stored_cutoff(conn, CUT_EARLY) == date(2022, 8, 30)
