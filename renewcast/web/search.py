"""Title search with what a reader needs to pick the right series: year, platform and status.

Ranking is :func:`renewcast.store.catalog.find_series` (exact, then prefix, then typos; popularity
within each). Each match carries the first premiere year, the platform and the status of the next
season as known at ``as_of``. Used by the web search, its API and ``renewcast search``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from renewcast.web.lists import SeriesMeta

SUGGESTION_CUTOFF = 0.5  # looser than the search itself: only for "did you mean" on a miss


def search_rows(
    conn: Connection,
    query: str,
    as_of: date | None,
    limit: int,
    metas: dict[int, SeriesMeta],
) -> list[dict[str, Any]]:
    from renewcast.status import resolve_status
    from renewcast.store.catalog import find_series

    rows = []
    for m in find_series(conn, query, limit=limit, as_of=as_of):
        st = resolve_status(conn, m.series_id, None, as_of=as_of)
        meta = metas.get(m.series_id)
        first = st.dates.series_premiere
        rows.append(
            {
                "series_id": m.series_id,
                "title": m.title,
                "score": m.score,
                "matched": m.matched,
                "match": m.kind,
                "year": first.year if first else None,
                "platform": meta.platform if meta else None,
                "season": st.season,
                "status": st.status,
            }
        )
    return rows


def suggestions(conn: Connection, query: str, as_of: date | None) -> list[dict[str, Any]]:
    """Titles loosely like ``query``, for a search that found nothing."""
    from renewcast.store.catalog import find_series

    loose = find_series(conn, query, limit=5, as_of=as_of, fuzzy_cutoff=SUGGESTION_CUTOFF)
    return [{"series_id": m.series_id, "title": m.title} for m in loose]


def no_match_message(query: str, as_of: date | None) -> str:
    when = f" as of {as_of.isoformat()}" if as_of else ""
    return f"no series called {query!r} in the catalog{when}"
