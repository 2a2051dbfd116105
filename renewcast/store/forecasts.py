"""Materialised forecasts in the store: one set per weekly cutoff (see ``forecast/materialise.py``).

Readers ask for the latest cutoff on or before a date that is current for the store's data version
(``cache.data_version``: imports and news claims); a cutoff computed for an older version is not read (the forecast is then
computed on the spot). Payloads are the forecasts' JSON, zlib-compressed.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from renewcast.store.cache import LRU
from renewcast.store.catalog import series_title
from renewcast.store.db import prepared
from renewcast.store.identity import show_key
from renewcast.store.schema import forecast_cutoffs, forecast_rows, meta


@dataclass(frozen=True, slots=True)
class StoredCutoff:
    cutoff: date
    fingerprint: str
    data_version: str
    model_version: str
    summary: dict[str, Any]
    seconds: float


@dataclass(frozen=True, slots=True)
class StoredForecast:
    show_key: str
    season: int
    status: str
    p_renewal: float | None
    board: bool
    payload: dict[str, Any]
    p_base: float | None = None


def version_text(version: tuple[int, ...]) -> str:
    return ".".join(str(v) for v in version)


def stored_cutoffs(conn: Connection) -> dict[date, StoredCutoff]:
    c = forecast_cutoffs.c
    q = select(c.cutoff, c.fingerprint, c.data_version, c.model_version, c.summary, c.seconds)
    return {
        r.cutoff: StoredCutoff(
            r.cutoff,
            r.fingerprint,
            r.data_version,
            r.model_version,
            json.loads(r.summary),
            float(r.seconds),
        )
        for r in conn.execute(q)
    }


def save_cutoff(
    conn: Connection,
    cutoff: date,
    *,
    fingerprint: str,
    data_version: str,
    model_version: str,
    summary: dict[str, Any],
    seconds: float,
    rows: list[StoredForecast],
    seasons: dict[str, Any] | None = None,
) -> None:
    """Replace a cutoff's forecasts (call inside a transaction); ``seasons``: every season the
    cutoff knows, by show key (``stored_seasons``)."""
    conn.execute(delete(forecast_rows).where(forecast_rows.c.cutoff == cutoff))
    conn.execute(delete(forecast_cutoffs).where(forecast_cutoffs.c.cutoff == cutoff))
    conn.execute(
        forecast_cutoffs.insert().values(
            cutoff=cutoff,
            fingerprint=fingerprint,
            data_version=data_version,
            model_version=model_version,
            summary=json.dumps(summary, default=str),
            seconds=seconds,
            computed_at=datetime.now(UTC),
            seasons=None if seasons is None else zlib.compress(json.dumps(seasons).encode()),
        )
    )
    if rows:
        conn.execute(
            forecast_rows.insert(),
            [
                {
                    "cutoff": cutoff,
                    "show_key": r.show_key,
                    "season": r.season,
                    "status": r.status,
                    "p_renewal": r.p_renewal,
                    "p_base": r.p_base,
                    "board": r.board,
                    "payload": zlib.compress(json.dumps(r.payload, default=str).encode()),
                }
                for r in rows
            ],
        )


def confirm_cutoffs(conn: Connection, cutoffs: list[date], data_version: str) -> None:
    """Mark cutoffs whose inputs did not change as current for ``data_version``."""
    if cutoffs:
        conn.execute(
            update(forecast_cutoffs)
            .where(forecast_cutoffs.c.cutoff.in_(cutoffs))
            .values(data_version=data_version)
        )


def drop_cutoffs(conn: Connection, cutoffs: list[date]) -> None:
    if cutoffs:
        conn.execute(delete(forecast_rows).where(forecast_rows.c.cutoff.in_(cutoffs)))
        conn.execute(delete(forecast_cutoffs).where(forecast_cutoffs.c.cutoff.in_(cutoffs)))


def current_cutoff(
    conn: Connection, as_of: date, data_version: str, model_version: str
) -> StoredCutoff | None:
    """The latest cutoff on or before ``as_of`` materialised for this data and model version."""
    c = forecast_cutoffs.c
    q = prepared(
        ("current_cutoff",),
        lambda: (
            select(c.cutoff, c.fingerprint, c.data_version, c.model_version, c.summary, c.seconds)
            .where(c.cutoff <= bindparam("as_of"))
            .order_by(c.cutoff.desc())
            .limit(1)
        ),
    )
    r = conn.execute(q, {"as_of": as_of}).first()
    if r is None or r.data_version != data_version or r.model_version != model_version:
        return None
    return StoredCutoff(
        r.cutoff, r.fingerprint, r.data_version, r.model_version, json.loads(r.summary), r.seconds
    )


#: parsed ``seasons`` of recently read cutoffs, by (store, cutoff, fingerprint, data version)
_SEASONS: LRU[dict[str, Any] | None] = LRU(16)


def stored_seasons(conn: Connection, stored: StoredCutoff, show_key: str) -> dict[str, Any] | None:
    """What a cutoff knows of one show's seasons: ``{"title": ..., "seasons": {season asked:
    [status, known_at, rule, release window]}}``; None when the cutoff was stored without them."""

    def read() -> dict[str, Any] | None:
        blob = conn.execute(
            select(forecast_cutoffs.c.seasons).where(forecast_cutoffs.c.cutoff == stored.cutoff)
        ).scalar()
        return None if blob is None else json.loads(zlib.decompress(blob))

    key = (str(conn.engine.url), stored.cutoff, stored.fingerprint, stored.data_version)
    shows = _SEASONS.get(key, read)
    if shows is None:
        return None
    return shows.get(show_key, {"title": None, "seasons": {}})


def _forecast(r: Any) -> StoredForecast:
    payload = json.loads(zlib.decompress(r.payload))
    return StoredForecast(r.show_key, r.season, r.status, r.p_renewal, r.board, payload)


_COLUMNS = (
    forecast_rows.c.show_key,
    forecast_rows.c.season,
    forecast_rows.c.status,
    forecast_rows.c.p_renewal,
    forecast_rows.c.board,
    forecast_rows.c.payload,
)


def stored_forecasts(conn: Connection, cutoff: date, show_key: str) -> list[StoredForecast]:
    """Every stored forecast of one show at a cutoff, by season."""
    q = prepared(
        ("stored_forecasts",),
        lambda: (
            select(*_COLUMNS)
            .where(
                forecast_rows.c.cutoff == bindparam("cutoff"),
                forecast_rows.c.show_key == bindparam("key"),
            )
            .order_by(forecast_rows.c.season)
        ),
    )
    return [_forecast(r) for r in conn.execute(q, {"cutoff": cutoff, "key": show_key})]


def stored_board(conn: Connection, cutoff: date) -> list[StoredForecast]:
    """The open seasons of a cutoff (premiered within a year)."""
    q = select(*_COLUMNS).where(forecast_rows.c.cutoff == cutoff, forecast_rows.c.board)
    return [_forecast(r) for r in conn.execute(q)]


def series_key(conn: Connection, series_id: int) -> str:
    """The show key forecasts are stored under: the store series' title as ``show_key`` reads it."""
    title = series_title(conn, series_id)
    return show_key(title) if title else ""


def odds_history(
    conn: Connection, series_id: int, season: int, as_of: date
) -> list[tuple[date, float]]:
    """The odds of ``season`` at every stored weekly cutoff on or before ``as_of``, oldest first:
    each made with the data of its own cutoff, so nothing after that week is in it."""
    c = forecast_rows.c
    q = (
        select(c.cutoff, c.p_renewal)
        .where(
            c.show_key == series_key(conn, series_id),
            c.season == season,
            c.cutoff <= as_of,
            c.p_renewal.is_not(None),
        )
        .order_by(c.cutoff)
    )
    return [(r.cutoff, float(r.p_renewal)) for r in conn.execute(q)]


def board_history(conn: Connection) -> dict[date, list[tuple[str, int, float, float | None]]]:
    """Every stored board forecast with odds: cutoff → (show key, season asked, odds, base)."""
    c = forecast_rows.c
    q = select(c.cutoff, c.show_key, c.season, c.p_renewal, c.p_base).where(
        c.board, c.p_renewal.is_not(None)
    )
    out: dict[date, list[tuple[str, int, float, float | None]]] = {}
    for r in conn.execute(q):
        out.setdefault(r.cutoff, []).append((r.show_key, r.season, float(r.p_renewal), r.p_base))
    return out


ACCURACY_KEY = "forecast_accuracy"
SHOWS_KEY = "forecast_shows"


def save_shows(conn: Connection, shows: dict[str, str]) -> None:
    """Show key → the Top 10 title forecasts name it by (``meta`` row, JSON)."""
    conn.execute(delete(meta).where(meta.c.key == SHOWS_KEY))
    conn.execute(meta.insert().values(key=SHOWS_KEY, value=json.dumps(shows)))


#: per store, the last ``forecast_shows`` text read and its parse: the text is read at every
#: call (a refresh rewrites it) and parsed again only when it changed (≈ 70 KB of JSON)
_SHOWS: dict[str, tuple[str, dict[str, str]]] = {}


def show_title(conn: Connection, show_key: str) -> str | None:
    """The Top 10 title forecasts name a show by (None when it never charted)."""
    q = prepared(
        ("forecasts.show_title",), lambda: select(meta.c.value).where(meta.c.key == SHOWS_KEY)
    )
    value = conn.execute(q).scalar()
    if not value:
        return None
    store = str(conn.engine.url)
    parsed = _SHOWS.get(store)
    if parsed is None or parsed[0] != value:
        parsed = (value, json.loads(value))
        _SHOWS[store] = parsed
    return parsed[1].get(show_key)


def save_accuracy(conn: Connection, report: dict[str, Any]) -> None:
    """The scored track record of the stored forecasts (``meta`` row, JSON)."""
    conn.execute(delete(meta).where(meta.c.key == ACCURACY_KEY))
    conn.execute(meta.insert().values(key=ACCURACY_KEY, value=json.dumps(report, default=str)))


def load_accuracy(conn: Connection) -> dict[str, Any] | None:
    value = conn.execute(select(meta.c.value).where(meta.c.key == ACCURACY_KEY)).scalar()
    return json.loads(value) if value else None
