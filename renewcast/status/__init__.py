"""Status: has season N of a series been renewed, cancelled, ended, limited — or is it pending?

One vocabulary (:data:`STATUSES`) and one decider (:func:`decide`) for every reader: ``ask``, the
forecast's labels, the web lists, the Atom feeds and the watch alerts.

* :mod:`renewcast.status.seasons` — season arithmetic: which seasons a statement is about;
* :mod:`renewcast.status.evidence` — gathering the catalog's facts and the news claims, dated;
* :mod:`renewcast.status.decide` — the pure decider and its precedence (docs/status.md);
* :mod:`renewcast.status.summary` — the status in plain English;
* :mod:`renewcast.status.resolve` — :func:`resolve_status`, all of the above for one season.
"""

from renewcast.status.decide import (
    DECISIONS,
    LISTS,
    OFFICIAL,
    RELEASED,
    SECONDARY,
    STATUSES,
    TRADE,
    Evidence,
    Verdict,
    decide,
    is_ended_list,
)
from renewcast.status.evidence import season_dates
from renewcast.status.resolve import (
    SeriesEvidence,
    StatusResult,
    gather,
    resolve_status,
    status_of,
)
from renewcast.status.seasons import Place, SeasonDates, place

__all__ = [
    "DECISIONS",
    "LISTS",
    "OFFICIAL",
    "RELEASED",
    "SECONDARY",
    "STATUSES",
    "TRADE",
    "Evidence",
    "Place",
    "SeasonDates",
    "SeriesEvidence",
    "StatusResult",
    "Verdict",
    "decide",
    "gather",
    "is_ended_list",
    "place",
    "resolve_status",
    "season_dates",
    "status_of",
]
