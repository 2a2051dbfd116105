"""What the pages and the API read, cached by the version of the data each answer depends on.

A series' answer, profile and chart are keyed by that series' own data version and the cutoff
(:func:`renewcast.store.cache.series_version`; the answer also by what the forecast model fitted at
the cutoff read, :func:`~renewcast.store.cache.data_version`); lists by what was known by the
cutoff; title lookups by the catalog version. So an article invalidates only the series it names
(and today's lists), and a sync everything. A value whose version moved on is served once more
while a background thread recomputes it: reads do not wait for writers.

Every method takes ``as_of`` (None = today) and returns JSON-ready dicts or list objects, so that a
page and its ``/api/`` twin show exactly the same data.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from renewcast.store.cache import (
    LRU,
    Refresher,
    VersionedLRU,
    catalog_version,
    data_version,
    forecasts_version,
    series_version,
)
from renewcast.store.db import as_of_cutoff
from renewcast.store.freshness import (
    SourceFreshness,
    cached_freshness,
    data_gap,
    freshness,
    news_dating,
)
from renewcast.web.lists import (
    Decision,
    DecisionList,
    Filters,
    SeriesMeta,
    facet_values,
    latest_decisions,
    series_decisions,
    series_history,
    series_meta,
)


class NotFound(LookupError):
    """An id or title the store does not know; ``suggestions`` for titles."""

    def __init__(self, message: str, suggestions: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


VERSION_TTL = 1.0  # seconds a data version is reused before it is read again


def encode_json(data: Any) -> bytes:
    """JSON as FastAPI's ``JSONResponse`` renders it: UTF-8, no spaces, no NaN."""
    return json.dumps(
        data, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def today() -> date:
    return datetime.now(UTC).date()


class Service:
    def __init__(self, engine: Engine, *, cache_size: int = 512) -> None:
        self.engine = engine
        self.refresher = Refresher()
        self.answers: VersionedLRU[dict[str, Any]] = VersionedLRU(cache_size, self.refresher)
        self.profiles: VersionedLRU[dict[str, Any]] = VersionedLRU(cache_size, self.refresher)
        self.charts: VersionedLRU[dict[str, Any]] = VersionedLRU(cache_size, self.refresher)
        self.metas: VersionedLRU[dict[int, SeriesMeta]] = VersionedLRU(8, self.refresher)
        self.lists: VersionedLRU[Any] = VersionedLRU(64, self.refresher)
        self.lookups: LRU[int | tuple[list[str], list[dict[str, Any]]]] = LRU(4096)
        self.titles: LRU[str | None] = LRU(4096)
        self.odds: VersionedLRU[list[dict[str, Any]]] = VersionedLRU(cache_size, self.refresher)
        self.searches: VersionedLRU[list[dict[str, Any]]] = VersionedLRU(4096, self.refresher)
        self._versions: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._vlock = threading.Lock()
        self._running: set[Any] = set()
        self._encoded: dict[tuple[Any, ...], tuple[dict[str, Any], bytes]] = {}

    # ------------------------------------------------------------------ versions
    def _key(self, *parts: Any) -> tuple[Any, ...]:
        """A title lookup's key: titles and aliases change only with imports."""
        return (self._memo(("catalog",), catalog_version), *parts)

    def _memo(self, key: tuple[Any, ...], read: Any) -> Any:
        """A data version, re-read at most once a second (a few indexed queries)."""
        import time

        now = time.monotonic()
        with self._vlock:
            hit = self._versions.get(key)
            if hit is not None and now - hit[0] < VERSION_TTL:
                return hit[1]
        with self.engine.connect() as conn:
            value = read(conn, *key[1:])
        with self._vlock:
            if len(self._versions) > 4096:
                self._versions.clear()
            self._versions[key] = (now, value)
        return value

    def data_version(self, as_of: date | None) -> Any:
        """What was known by the end of ``as_of`` (today: everything)."""
        return self._memo(("data", as_of_cutoff(as_of)), data_version)

    def series_version(self, series_id: int, as_of: date | None) -> Any:
        return self._memo(("series", series_id, as_of_cutoff(as_of)), series_version)

    # ------------------------------------------------------------------ freshness
    def sources(self, as_of: date | None) -> list[SourceFreshness]:
        """Each source's last successful update, latest data date (as of ``as_of``) and last
        error. Not cached: a failed update changes no data but must show at once, and these are
        a few indexed MAX() queries."""
        with self.engine.connect() as conn:
            return freshness(conn, as_of=as_of)

    def news_dating(self, as_of: date | None) -> dict[str, int]:
        """How many stored articles have no publication date (:func:`news_dating`)."""
        with self.engine.connect() as conn:
            return news_dating(conn, as_of)

    # ------------------------------------------------------------------ series
    def search(self, q: str, as_of: date | None, limit: int = 8) -> list[dict[str, Any]]:
        """Matches for ``q`` with year, platform and status (see :mod:`renewcast.web.search`)."""
        from renewcast.web.search import search_rows

        def compute() -> list[dict[str, Any]]:
            metas = self.meta(as_of)
            with self.engine.connect() as conn:
                return search_rows(conn, q, as_of, limit, metas)

        # each match carries its status: the version is what was known by the date, not the catalog
        slot = (q.casefold(), as_of, limit)
        found = self.searches.get(slot, self.data_version(as_of), compute)
        return [dict(m) for m in found]  # callers may add fields

    def search_or_404(self, q: str, as_of: date | None, limit: int = 8) -> list[dict[str, Any]]:
        """As :meth:`search`; nothing found raises :class:`NotFound` with looser suggestions."""
        from renewcast.web.search import no_match_message, suggestions

        found = self.search(q, as_of, limit)
        if not found:
            with self.engine.connect() as conn:
                raise NotFound(no_match_message(q, as_of), suggestions(conn, q, as_of))
        return found

    def resolve(self, q: str, as_of: date | None) -> int:
        """The series ``q`` most likely means (cached: a title lookup scans every name)."""
        from renewcast.store.catalog import UnknownSeries, resolve_one
        from renewcast.store.identity import normalize_title

        def compute() -> int | tuple[list[str], list[dict[str, Any]]]:
            with self.engine.connect() as conn:
                try:
                    return resolve_one(conn, q, as_of=as_of).series_id
                except UnknownSeries as e:
                    return e.suggestions, self.search(q, as_of, 5)

        found = self.lookups.get(self._key(normalize_title(q), as_of), compute)
        if isinstance(found, tuple):
            # the cached miss holds no one's words: the message quotes this request's own query
            titles, matches = found
            raise NotFound(
                str(UnknownSeries(q, titles)),
                [{"series_id": m["series_id"], "title": m["title"]} for m in matches],
            )
        return found

    def title(self, series_id: int) -> str:
        """The series' title (cached by the catalog version: a cached read needs no query)."""
        from renewcast.store.catalog import series_title

        def compute() -> str | None:
            with self.engine.connect() as conn:
                return series_title(conn, series_id)

        key = self._key("title", series_id)
        title = self.titles.get(key, compute)
        if title is None:  # not kept: `track` may add the series without a file import
            self.titles.forget(key)
            raise NotFound(f"no series with id {series_id}")
        return title

    def answer(self, series_id: int, season: int | None, as_of: date | None) -> dict[str, Any]:
        """``renewcast ask`` as JSON (status, evidence, odds, cast, storylines, dates)."""
        from renewcast.answer.compose import compose

        self.title(series_id)

        def compute() -> dict[str, Any]:
            with self.engine.connect() as conn:
                return compose(conn, series_id, season, as_of=as_of).to_json()

        day = as_of or today()
        version = (self.series_version(series_id, as_of), self.data_version(as_of))
        return self.answers.get((series_id, season, day), version, compute)

    def answer_json(self, series_id: int, season: int | None, as_of: date | None) -> bytes:
        """:meth:`answer` encoded as the API sends it (encoded once per answer and version)."""
        answer = self.answer(series_id, season, as_of)
        key = (series_id, season, as_of or today())
        with self._vlock:
            hit = self._encoded.get(key)
        if hit is not None and hit[0] is answer:
            return hit[1]
        body = encode_json(answer)
        with self._vlock:
            if len(self._encoded) >= self.answers.maxsize:
                self._encoded.clear()
            self._encoded[key] = (answer, body)
        return body

    def profile(self, series_id: int, as_of: date | None) -> dict[str, Any]:
        from renewcast.store.catalog import series_profile

        self.title(series_id)

        def compute() -> dict[str, Any]:
            with self.engine.connect() as conn:
                return series_profile(conn, series_id, as_of=as_of).to_json()

        version = self.series_version(series_id, as_of)
        return self.profiles.get((series_id, as_of or today()), version, compute)

    def chart(self, series_id: int, asked_season: int, as_of: date | None) -> dict[str, Any]:
        from renewcast.web.chart import decided_seasons, run_chart

        def pool() -> Any:
            with self.engine.connect() as conn:
                return decided_seasons(conn, as_of)

        day = as_of or today()
        known = self.data_version(as_of)

        def compute() -> dict[str, Any]:
            decided = self.lists.get(("decided", day), known, pool)
            with self.engine.connect() as conn:
                return run_chart(conn, series_id, asked_season, as_of, decided).to_json()

        version = (self.series_version(series_id, as_of), known)
        return self.charts.get((series_id, asked_season, day), version, compute)

    def meta(self, as_of: date | None) -> dict[int, SeriesMeta]:
        def compute() -> dict[int, SeriesMeta]:
            with self.engine.connect() as conn:
                return series_meta(conn, as_of)

        return self.metas.get(as_of or today(), self.data_version(as_of), compute)

    def facets(self, as_of: date | None) -> dict[str, list[str]]:
        return facet_values(self.meta(as_of))

    def series_page(self, series_id: int, season: int | None, as_of: date | None) -> dict[str, Any]:
        """Everything on the series page: answer, catalog profile, chart, list attributes."""
        ans = self.answer(series_id, season, as_of)
        meta = self.meta(as_of).get(series_id)
        return {
            "series_id": series_id,
            "as_of": as_of.isoformat() if as_of else None,
            "answer": ans,
            "profile": self.profile(series_id, as_of),
            "chart": self.chart(series_id, int(ans["season"]), as_of),
            "attributes": meta.to_json() if meta else None,
            "odds_history": self.odds_history(series_id, int(ans["season"]), as_of),
        }

    def odds_history(self, series_id: int, season: int, as_of: date | None) -> list[dict[str, Any]]:
        """The season's odds at each stored weekly forecast update up to ``as_of`` (the store's
        materialised forecasts; cached by their version)."""
        from renewcast.store.forecasts import odds_history

        day = as_of or today()

        def compute() -> list[dict[str, Any]]:
            with self.engine.connect() as conn:
                rows = odds_history(conn, series_id, season, day)
            return [{"cutoff": d.isoformat(), "p_renewal": round(p, 4)} for d, p in rows]

        version = self._memo(("forecasts",), forecasts_version)
        return self.odds.get((series_id, season, day), version, compute)

    # ------------------------------------------------------------------ lists
    def known_filters(self, as_of: date | None, filters: Filters) -> Filters | None:
        """``filters`` spelled as the facets spell them, or None when a value matches no series
        (the list is empty: nothing to compute, and no cache entry per made-up value)."""
        facets = self.facets(as_of)
        spelled: dict[str, str | None] = {}
        for name in ("platform", "language", "kind"):
            value = getattr(filters, name)
            if value is None:
                spelled[name] = None
                continue
            match = next((v for v in facets[name] if v.casefold() == value.casefold()), None)
            if match is None:
                return None
            spelled[name] = match
        return Filters(status=filters.status, **spelled)

    def decisions(self, as_of: date | None, filters: Filters, limit: int = 50) -> DecisionList:
        known = self.known_filters(as_of, filters)
        if known is None:
            return DecisionList(as_of=as_of, filters=filters)
        filters = known

        def compute() -> DecisionList:
            metas = self.meta(as_of)
            with self.engine.connect() as conn:
                return latest_decisions(conn, as_of, filters, limit=limit, metas=metas)

        slot = ("decisions", as_of or today(), filters, limit)
        return self.lists.get(slot, self.data_version(as_of), compute)

    def history(self, series_id: int, as_of: date | None) -> list[Decision]:
        """Every decided season of one series, newest first (the per-series feed)."""
        self.title(series_id)

        def compute() -> list[Decision]:
            meta = self.meta(as_of).get(series_id)
            with self.engine.connect() as conn:
                return [
                    Decision.from_status(r, meta) for r in series_history(conn, series_id, as_of)
                ]

        version = self.series_version(series_id, as_of)
        return self.lists.get(("history", series_id, as_of or today()), version, compute)

    def open_board(self, as_of: date | None) -> tuple[list[dict[str, Any]], str | None]:
        """The forecast's open seasons, highest odds first, as JSON (cached per date)."""

        def compute() -> tuple[list[dict[str, Any]], str | None]:
            try:
                from renewcast.forecast.api import open_board

                with self.engine.connect() as conn:
                    board = open_board(conn, as_of or today())
            except Exception as e:  # the model's own failure: an empty board that says why
                return [], f"the forecast could not rank open seasons ({type(e).__name__}: {e})"
            return [{"series_id": f.series_id, **f.to_json()} for f in board], None

        return self.lists.get(("open", as_of or today()), self.data_version(as_of), compute)

    def data_gap(self, as_of: date | None, board: list[dict[str, Any]]) -> dict[str, Any] | None:
        """How long the board's weekly update came after the newest Top 10 week and news
        imported, when the data had stopped (:func:`renewcast.store.freshness.data_gap`)."""
        if not board or not board[0].get("cutoff"):
            return None
        with self.engine.connect() as conn:
            fresh = cached_freshness(conn, ("netflix-top10", "news"), as_of=as_of)
        gap = data_gap(date.fromisoformat(str(board[0]["cutoff"])[:10]), fresh)
        return {**gap.to_json(), "text": gap.sentence()} if gap else None

    def accuracy(self) -> dict[str, Any] | None:
        """How the weekly forecasts fared (scored when they were materialised), or None."""
        from renewcast.store.forecasts import load_accuracy

        with self.engine.connect() as conn:
            return load_accuracy(conn)

    def bubble(
        self,
        as_of: date | None,
        filters: Filters,
        limit: int = 25,
        *,
        sort: str = "odds",
        page: int = 1,
    ) -> dict[str, Any]:
        """Open seasons matching ``filters``, sorted, one page of ``limit`` rows."""
        metas = self.meta(as_of)
        rows = []
        board, note = self.open_board(as_of)
        for f in board:
            m = metas.get(int(f["series_id"]))
            if not filters.matches_meta(m):
                continue
            if filters.status and f.get("status") != filters.status:
                continue
            rows.append({**f, **(m.to_json() if m else {})})
        rows = sort_open(rows, sort)
        pages = max(1, -(-len(rows) // limit))
        return {
            "as_of": (as_of or today()).isoformat(),
            "filters": filters.to_json(),
            "sort": sort,
            "page": page,
            "pages": pages,
            "per_page": limit,
            "total": len(rows),
            "note": note,
            "data_gap": self.data_gap(as_of, board),
            "open": rows[(page - 1) * limit : page * limit],
        }

    # ------------------------------------------------------------------ home
    def home(self, as_of: date | None) -> dict[str, Any]:
        """The home page at a glance: recent decisions, the closest calls, renewed seasons to come.

        The forecast parts need the day's model, which can take minutes to fit on a cold start:
        until it is ready they are None with a ``forecast_note`` (the fit goes on in the
        background), so the home page never waits for it.
        """
        recent = self.decisions(as_of, Filters(), 50)
        ready = self.lists.peek(("open", as_of or today()))
        out: dict[str, Any] = {
            "as_of": (as_of or today()).isoformat(),
            "recently_decided": [d.to_json() for d in recent.decisions[:8]],
            "on_the_bubble": None,
            "coming_back_soon": None,
            "forecast_note": None,
            "data_gap": None,
        }
        if ready is None:
            self._in_background(("open", as_of), lambda: self.open_board(as_of))
            out["forecast_note"] = "the forecast is still ranking the open seasons; reload shortly"
            return out
        board, note = ready
        odds = [f for f in board if f.get("p_renewal") is not None]
        closest = sorted(odds, key=lambda f: (abs(float(f["p_renewal"]) - 0.5), f["series"]))
        out["on_the_bubble"] = closest[:8]
        out["forecast_note"] = note
        out["data_gap"] = self.data_gap(as_of, board)
        out["coming_back_soon"] = self.coming_back(as_of)
        return out

    def _in_background(self, key: Any, work: Any) -> None:
        """Run ``work`` once in a daemon thread (not again while it runs)."""

        def run() -> None:
            try:
                work()
            finally:
                with self._vlock:
                    self._running.discard(key)

        with self._vlock:
            if key in self._running:
                return
            self._running.add(key)
        threading.Thread(target=run, name="renewcast-home", daemon=True).start()

    def coming_back(self, as_of: date | None, limit: int = 6) -> list[dict[str, Any]] | None:
        """Renewed seasons not yet released, soonest premiere first (None: still being worked
        out in the background; the home page never waits for it).

        Every series whose renewal was announced (news, a list's renewal — not a next season
        seen in the charts or counted by a catalog) is resolved as of the date; ``kind`` says
        where the date comes from: ``announced`` (a premiere date the catalog lists) or
        ``forecast`` (the forecast's release window, p50 with its 80% range).
        """

        def compute() -> list[dict[str, Any]]:
            from renewcast.forecast.api import forecast_season
            from renewcast.status.evidence import decision_bounds

            day = as_of or today()
            metas = self.meta(as_of)
            out = []
            with self.engine.connect() as conn:
                bounds = decision_bounds(conn, as_of, include_undated=True, status="renewed")
                for sid, _ in bounds:
                    for r in series_decisions(conn, sid, as_of, include_undated=True):
                        if r.status != "renewed":
                            continue
                        dates = r.dates  # the season dates its status was resolved with
                        if r.season <= dates.latest_released(day):
                            continue  # already out
                        announced = dates.premieres.get(r.season)
                        if announced is not None:  # a dated premiere the catalog already lists
                            when, kind = announced.isoformat(), "announced"
                            window = {"p10": None, "p50": when, "p90": None}
                        else:
                            fc = forecast_season(conn, sid, r.season, day).to_json()
                            window, kind = fc["release_window"], "forecast"
                            if not window.get("p50") or window["p50"] < day.isoformat():
                                continue
                        out.append(
                            {
                                **Decision.from_status(r, metas.get(sid)).to_json(),
                                "premiere": window["p50"],
                                "release_window": window,
                                "kind": kind,
                            }
                        )
            out.sort(key=lambda r: (r["premiere"], r["series"]))
            return out[:limit]

        slot = ("soon", as_of or today(), limit)
        ready = self.lists.peek(slot)
        if ready is None:
            self._in_background(
                slot, lambda: self.lists.get(slot, self.data_version(as_of), compute)
            )
            return None
        soon = self.lists.get(slot, self.data_version(as_of), compute)
        return [dict(r) for r in soon]


def sort_open(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Open seasons in a list order: ``odds`` (highest first; the board's order), ``-odds``,
    ``series`` (title), ``decision`` or ``release`` (soonest p50 first); rows without the value
    last."""
    key = sort.lstrip("-")
    if key == "odds":
        if sort == "odds":
            return list(rows)  # open_board ranks by odds already
        with_p = [r for r in rows if r.get("p_renewal") is not None]
        return sorted(with_p, key=lambda r: r["p_renewal"]) + [
            r for r in rows if r.get("p_renewal") is None
        ]
    if key == "series":
        return sorted(rows, key=lambda r: (str(r.get("series", "")).casefold(), r.get("season")))
    field = "decision" if key == "decision" else "release_window"
    return sorted(
        rows,
        key=lambda r: (
            (r.get(field) or {}).get("p50") is None,
            (r.get(field) or {}).get("p50") or "",
        ),
    )
