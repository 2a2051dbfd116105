"""The catalog from the real data: sync imports everything, twice changes nothing, as-of never leaks."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from renewcast.cli import app
from renewcast.store.catalog import UnknownSeries, resolve_one, series_profile
from renewcast.store.schema import chart_entries, documents, engagement_rows, facts, import_log
from renewcast.store.sync import sync_dir

runner = CliRunner()


def _partner_track(engine, as_of: date | None = None):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        match = resolve_one(conn, "Partner Track", as_of=as_of)
        return series_profile(conn, match.series_id, as_of=as_of)


def _check_partner_track(engine) -> None:  # type: ignore[no-untyped-def]
    prof = _partner_track(engine)
    s1 = prof.seasons[0]
    assert s1.number == 1
    assert s1.premiere is not None and s1.premiere.value == "2022-08-26"
    assert s1.episodes is not None and s1.episodes.value == 10
    weeks = [(w.week.isoformat(), w.rank, w.hours) for w in prof.top10]
    assert weeks == [
        ("2022-08-28", 7, 16_660_000),
        ("2022-09-04", 4, 31_140_000),
        ("2022-09-11", 6, 18_210_000),
    ]
    cast = {c.actor: c.character for c in prof.cast}
    assert cast["Arden Cho"] == "Ingrid Yun"
    assert cast["Dominic Sherwood"] == "Jeff Murphy"
    assert prof.xrefs["justwatch"] == "ts310873"
    # as of 2022-09-07: the first two weeks only; nothing from later reports or snapshots
    early = _partner_track(engine, date(2022, 9, 7))
    assert [w.week.isoformat() for w in early.top10] == ["2022-08-28", "2022-09-04"]
    assert early.engagement == []
    assert "status" not in early.attributes  # "ended" is known only from the 2023-11-06 snapshot
    for s in early.seasons:
        for src in (s.premiere, s.episodes, s.finale, s.limited):
            assert src is None or src.known_at.date() <= date(2022, 9, 7)
    for c in early.cast:
        assert c.known_at.date() <= date(2022, 9, 7)


def _counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (chart_entries, engagement_rows, documents)
        }


def _check_no_series_watched_before_it_premiered(engine) -> None:  # type: ignore[no-untyped-def]
    """Same-named series kept apart: no chart week or report half-year is linked to a series that
    premiered after it (an older show of the name, a remake), and every season row a report
    names with a year ("Name (YYYY): Season N") is linked to a series, as the others are."""
    with engine.connect() as conn:
        first: dict[int, date] = {}
        rows = select(facts.c.series_id, facts.c.value).where(
            facts.c.attribute == "premiere", facts.c.season_number.in_([0, 1])
        )
        for sid, value in conn.execute(rows):
            text = json.loads(value)
            if len(text) == 10:
                day = date.fromisoformat(text)
                first[sid] = min(day, first.get(sid, day))
        late = []
        for table, when in ((chart_entries, chart_entries.c.week), (engagement_rows, None)):
            end = engagement_rows.c.period_end if when is None else when
            for sid, day in conn.execute(
                select(table.c.series_id, func.min(end))
                .where(table.c.series_id.is_not(None))
                .group_by(table.c.series_id)
            ):
                if day is None:  # the undated most-popular list only
                    continue
                day = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
                if sid in first and day + timedelta(days=7) < first[sid]:
                    late.append((table.name, sid, day, first[sid]))
        assert late == []
        dated = conn.execute(
            select(func.count())
            .select_from(engagement_rows)
            .where(
                engagement_rows.c.title.like("% (____): %"),
                engagement_rows.c.season_number.is_not(None),
                engagement_rows.c.series_id.is_(None),
            )
        ).scalar_one()
        assert dated == 0


@pytest.mark.slow
def test_full_sync_twice_on_each_backend(  # type: ignore[no-untyped-def]
    engine, data_dir: Path, synced_db: str, copy_store, tmp_path: Path
) -> None:
    if engine.dialect.name == "sqlite":
        # on SQLite the session's synced store (built by this same call, failures asserted
        # there) is the first sync: a copy of it takes the second
        from renewcast.store.db import connect

        engine = connect(copy_store(synced_db, tmp_path / "first.db"))
    else:
        first = sync_dir(engine, data_dir)
        assert [r.message for r in first if r.status == "failed"] == []
    counts = _counts(engine)
    assert counts["chart_entries"] == 10_560 + 65_800 + 40
    _check_partner_track(engine)
    _check_no_series_watched_before_it_premiered(engine)
    second = sync_dir(engine, data_dir)
    changed = [(r.source, r.counts) for r in second if r.counts.added or r.counts.updated]
    assert changed == []
    assert _counts(engine) == counts


def test_a_name_two_series_share_is_said_and_each_can_be_asked_for(synced_db: str) -> None:
    """Two series are called "Your Honor": the most watched is shown, the other is named on
    stderr with its id, and --id shows it."""
    res = runner.invoke(app, ["show", "Your Honor", "--db", synced_db, "--json"])
    assert res.exit_code == 0, res.output
    first = json.loads(res.stdout)
    note = " ".join(res.stderr.split())
    assert "2 series are called 'Your Honor'" in note and "--id" in note
    other_id = int(note.rsplit("--id ", 1)[1].split(")")[0])
    res = runner.invoke(app, ["show", "--id", str(other_id), "--db", synced_db, "--json"])
    assert res.exit_code == 0, res.output
    other = json.loads(res.stdout)
    assert other["id"] == other_id != first["id"]
    assert {"id": other_id, "title": other["title"]} in first["namesakes"]
    assert {"id": first["id"], "title": first["title"]} in other["namesakes"]
    assert other["title"].startswith("Your Honor")
    res = runner.invoke(app, ["show", "Your Honor", "--id", "1", "--db", synced_db])
    assert res.exit_code == 1 and "not both" in res.stderr
    # the answer itself says so too, in every format
    res = runner.invoke(app, ["ask", "--id", str(other_id), "--db", synced_db, "--json"])
    assert res.exit_code == 0, res.output
    assert {"series_id": first["id"], "title": first["title"]} in json.loads(res.stdout)[
        "namesakes"
    ]
    res = runner.invoke(app, ["ask", "--id", str(other_id), "--db", synced_db, "-f", "markdown"])
    assert "Not to be confused with" in res.stdout and f"(id {first['id']})" in res.stdout
    res = runner.invoke(app, ["forecast", "--id", str(other_id), "--db", synced_db, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["series"] == other["title"]


def test_show_cli_json(synced_db: str) -> None:
    res = runner.invoke(app, ["show", "partner trak", "--db", synced_db, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["title"] == "Partner Track"
    assert data["seasons"][0]["premiere"] == "2022-08-26"
    assert len(data["top10"]) == 3
    # when a season was out at the latest, from the chart itself (a list may not date it yet)
    assert data["seasons"][0]["first_top10_week"] == "2022-08-28"
    res = runner.invoke(
        app, ["show", "Partner Track", "--db", synced_db, "--as-of", "2022-09-07", "--json"]
    )
    assert [w["week"] for w in json.loads(res.stdout)["top10"]] == ["2022-08-28", "2022-09-04"]


def test_unknown_title_suggests(synced_engine) -> None:  # type: ignore[no-untyped-def]
    with synced_engine.connect() as conn, pytest.raises(UnknownSeries) as e:
        resolve_one(conn, "Parnter Trackk Xyz")
    res = runner.invoke(app, ["show", "Stranger Thingz", "--db", str(synced_engine.url)])
    assert res.exit_code == 0 or "Did you mean" in res.output
    assert isinstance(e.value.suggestions, list)
    # an empty title is named as such, not searched for
    with synced_engine.connect() as conn, pytest.raises(UnknownSeries, match="no title given"):
        resolve_one(conn, "  ")


def test_limited_series_label_and_relabel(synced_engine) -> None:  # type: ignore[no-untyped-def]
    """'Stay Close: Season 1' was relabelled 'Limited Series' on 2022-01-12: limited from then on."""
    with synced_engine.connect() as conn:
        sid = resolve_one(conn, "Stay Close").series_id
        before = series_profile(conn, sid, as_of=date(2022, 1, 11))
        after = series_profile(conn, sid, as_of=date(2022, 1, 12))
    assert not any(s.limited for s in before.seasons)
    assert any(s.limited and s.limited.value for s in after.seasons)


def test_engagement_titles_of_parts_and_numbered_seasons_are_the_series(synced_engine) -> None:  # type: ignore[no-untyped-def]
    """The engagement reports have no show column: "The Upshaws: Part 1" is The Upshaws (not a
    series of its own), and "Stranger Things 2" is its season 2, since the Top 10 names that
    season so; its release date there is when season 2 premiered."""
    from sqlalchemy import select

    from renewcast.store.schema import series

    with synced_engine.connect() as conn:
        titles = [str(t) for (t,) in conn.execute(select(series.c.title))]
        upshaws = [t for t in titles if t.startswith("The Upshaws")]
        sid = resolve_one(conn, "Stranger Things").series_id
        early = series_profile(conn, sid, as_of=date(2019, 1, 1))
    assert "The Upshaws" in upshaws and not [t for t in upshaws if ": Part" in t]
    assert [(s.number, s.premiere.value if s.premiere else None) for s in early.seasons][:2] == [
        (1, "2016-07-15"),
        (2, "2017-10-27"),
    ]


def test_a_later_part_of_a_season_is_that_season_and_not_its_premiere(synced_engine) -> None:  # type: ignore[no-untyped-def]
    """The reports list a season's halves apart ("…: Season 3" and "…: Season 3B", eleven
    months later; "Season 9 Part 2"): the later half is the same season of the same series, and
    the day it came out is not the season's premiere."""
    from sqlalchemy import select

    from renewcast.store.schema import series

    title = "Shadowhunters: The Mortal Instruments"
    with synced_engine.connect() as conn:
        titles = [str(t) for (t,) in conn.execute(select(series.c.title))]
        shadow = series_profile(conn, resolve_one(conn, title).series_id)
        meat = series_profile(conn, resolve_one(conn, "MeatEater").series_id)
    assert titles.count(title) == 1 and not [t for t in titles if t.startswith(title + ":")]
    premieres = {s.number: s.premiere.value if s.premiere else None for s in shadow.seasons}
    assert premieres[3] == "2018-03-21"
    assert {s.number: s.premiere.value for s in meat.seasons if s.premiere}[9] == "2020-09-16"


def test_a_season_the_charts_name_is_its_shows_in_the_reports(synced_engine) -> None:  # type: ignore[no-untyped-def]
    """The country charts list "Young Wallander: Killer's Shadow" under the show "Young
    Wallander"; the reports, which have no show column, list it alone: it is the show's, not a
    series of its own."""
    from sqlalchemy import select

    from renewcast.store.schema import engagement_rows, series

    with synced_engine.connect() as conn:
        titles = {str(t) for (t,) in conn.execute(select(series.c.title))}
        sid = resolve_one(conn, "Young Wallander").series_id
        linked = {
            s
            for (s,) in conn.execute(
                select(engagement_rows.c.series_id).where(
                    engagement_rows.c.title == "Young Wallander: Killer's Shadow"
                )
            )
        }
    assert "Young Wallander: Killer's Shadow" not in titles
    assert linked <= {sid, None} and sid in linked
    # the charts' show "DAHMER", whose one title is the series' whole name on Wikipedia
    assert "DAHMER" not in titles
    with synced_engine.connect() as conn:
        dahmer = resolve_one(conn, "Dahmer – Monster: The Jeffrey Dahmer Story").series_id
        charted = {
            s
            for (s,) in conn.execute(
                select(chart_entries.c.series_id).where(chart_entries.c.show_title == "DAHMER")
            )
        }
    assert charted == {dahmer}


def test_bad_file_is_reported_and_store_untouched(engine, tmp_path: Path, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A corrupt engagement report fails alone; a bad Top 10 row is reported and the rest kept."""
    d = tmp_path / "data"
    (d / "netflix-top10").mkdir(parents=True)
    (d / "netflix-engagement").mkdir()
    lines = (data_dir / "netflix-top10/all-weeks-global.tsv").read_bytes().split(b"\n")[:41]
    lines[5] = lines[5].replace(b"\t5\t", b"\tfive\t", 1)
    lines.append(b"\xff\xfe broken \xff")
    (d / "netflix-top10/all-weeks-global.tsv").write_bytes(b"\n".join(lines))
    (
        d / "netflix-engagement/What_We_Watched_A_Netflix_Engagement_Report_2023Jan-Jun.xlsx"
    ).write_bytes(b"PK\x03\x04 truncated")
    reports = {r.source: r for r in sync_dir(engine, d)}
    top10 = reports["netflix-top10/global"]
    assert top10.status == "ok" and top10.counts.added > 0
    assert any(p.line == 6 and p.field for p in top10.problems)
    eng = reports["netflix-engagement"]
    assert eng.status == "failed" and "2023Jan-Jun" in (eng.message or "")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(engagement_rows)).scalar_one() == 0
        statuses = [s for (s,) in conn.execute(select(import_log.c.status))]
    assert "failed" in statuses


def test_a_continuation_on_wikipedia_is_the_series_of_its_own_name(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ "Harbor Lights (seasons 3–4)" (a show another network began) is Harbor Lights: what the
    list says of it is said of that series; its premiere and count, in a numbering Netflix may
    not share, are not stored. A continuation naming season 1 keeps both."""
    import csv as _csv

    from renewcast.status import resolve_status
    from renewcast.store.schema import facts, series

    wiki = tmp_path / "data" / "wikipedia"
    wiki.mkdir(parents=True)
    header = ["Title", "Genre", "Premiere", "Seasons", "Runtime", "Status", "Language"]
    rows = [
        ["Harbor Lights (seasons 3–4)", "Drama", "June 5, 2020", "2 seasons, 16 episodes",
         "50 min", "Final season due to premiere on May 2, 2025", "English"],
        ["Night Ferry (seasons 1–2)", "Thriller", "April 2, 2021", "2 seasons, 12 episodes",
         "45 min", "Pending", "English"],
    ]  # fmt: skip
    with (wiki / "netflix-original-programming-2025-03-24.csv").open("w", newline="") as f:
        w = _csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    sync_dir(engine, tmp_path / "data")
    with engine.connect() as conn:
        titles = sorted(t for (t,) in conn.execute(select(series.c.title)))
        assert titles == ["Harbor Lights", "Night Ferry"]
        sid = {t: i for i, t in conn.execute(select(series.c.id, series.c.title))}
        said = {
            (a, n)
            for a, n in conn.execute(
                select(facts.c.attribute, facts.c.season_number).where(
                    facts.c.series_id == sid["Harbor Lights"]
                )
            )
        }
        assert ("final", 5) in said and ("status", 0) in said
        assert not {a for a, _ in said} & {"premiere", "seasons", "exists"}
        ferry = {
            (a, n)
            for a, n in conn.execute(
                select(facts.c.attribute, facts.c.season_number).where(
                    facts.c.series_id == sid["Night Ferry"]
                )
            )
        }
        assert {("premiere", 1), ("seasons", 0)} <= ferry
        st = resolve_status(conn, sid["Harbor Lights"], 6)
        assert st.status == "ended"
