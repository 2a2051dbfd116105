"""TVmaze in the store: which series are tracked there, and a show's facts dated by the fetch.

A series is *tracked* when it has a ``tvmaze`` cross-reference (``renewcast track TITLE`` adds it).
Every fact of one TVmaze answer is dated by the moment it was fetched (``known_at``): TVmaze does
not say when it learnt a date, so nothing is dated earlier than renewcast saw it.

Facts written (series level, season 0): ``tvmaze_status`` (Running, Ended, To Be Determined …),
``network`` / ``web_channel``, ``seasons`` (seasons premiered by the fetch), ``next_episode``;
per season: ``exists``, ``premiere``, ``finale`` and ``episodes`` (TVmaze's episode order).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from renewcast.store.identity import Resolver
from renewcast.store.importer import Counts, FactWriter, ImportReport, Loader
from renewcast.store.schema import series, series_xrefs

SOURCE = "tvmaze"
SCHEME = "tvmaze"


def tracked(conn: Connection) -> list[tuple[int, int, str]]:
    """(series id, TVmaze show id, title) of every tracked series, by title."""
    q = (
        select(series_xrefs.c.series_id, series_xrefs.c.value, series.c.title)
        .join(series, series.c.id == series_xrefs.c.series_id)
        .where(series_xrefs.c.scheme == SCHEME)
        .order_by(series.c.title)
    )
    return [(int(sid), int(value), title) for sid, value, title in conn.execute(q)]


def tracked_series_id(conn: Connection, show_id: int) -> int | None:
    row = conn.execute(
        select(series_xrefs.c.series_id).where(
            series_xrefs.c.scheme == SCHEME, series_xrefs.c.value == str(show_id)
        )
    ).first()
    return int(row[0]) if row else None


def link(conn: Connection, series_id: int, show_id: int) -> bool:
    """Track ``series_id`` as TVmaze show ``show_id``; False when it already was."""
    if tracked_series_id(conn, show_id) is not None:
        return False
    conn.execute(
        series_xrefs.insert().values(series_id=series_id, scheme=SCHEME, value=str(show_id))
    )
    return True


def load_show(bundle: Any, fetched_at: datetime, *, series_id: int | None = None) -> Loader:
    """Write one :class:`~renewcast.sources.tvmaze.TvmazeBundle`'s facts (see the docstring).

    The series is the one tracked as this show, else ``series_id``, else found or created by
    title; it is linked to the show either way."""

    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        show = bundle.show
        sid = tracked_series_id(conn, show.id) or series_id
        resolver = Resolver(conn, SOURCE)
        if sid is None:
            year = show.premiered.year if show.premiered else None
            res = resolver.resolve(
                show.name,
                known_at=fetched_at,
                xrefs={SCHEME: str(show.id)},
                year=year,
                record=f"tvmaze:{show.id}:{show.name}",
            )
            if res.series_id is None:
                raise ValueError(
                    f"TVmaze show {show.id} {show.name!r} matches several series; track it by "
                    "the exact stored title"
                )
            sid = res.series_id
        else:
            link(conn, sid, show.id)
        fw = FactWriter(conn, doc_id)
        at = fetched_at
        if show.status:
            fw.add(sid, 0, "tvmaze_status", show.status, at)
        if show.network:
            fw.add(sid, 0, "network", show.network, at)
        if show.web_channel:
            fw.add(sid, 0, "web_channel", show.web_channel, at)
        aired = 0
        for season in bundle.seasons:
            n = season.number
            if not n or n < 1:
                continue
            resolver.ensure_season(sid, n)
            fw.add(sid, n, "exists", True, at)
            if season.premiere:
                fw.add(sid, n, "premiere", season.premiere.isoformat(), at)
                aired += season.premiere <= at.date()
            if season.end:
                fw.add(sid, n, "finale", season.end.isoformat(), at)
            if season.episode_order:
                fw.add(sid, n, "episodes", season.episode_order, at)
        if aired:
            fw.add(sid, 0, "seasons", aired, at)
        nxt = bundle.next_episode
        if nxt is not None:
            fw.add(
                sid,
                0,
                "next_episode",
                {
                    "season": nxt.season,
                    "number": nxt.number,
                    "name": nxt.name,
                    "airdate": nxt.airdate.isoformat() if nxt.airdate else None,
                },
                at,
            )
        resolver.flush()
        return fw.flush()

    return loader
