"""The status in plain English: one or two sentences, with the deciding source and its date."""

from __future__ import annotations

from typing import TYPE_CHECKING

from renewcast.status.decide import EARLY_END_WHY, Evidence, is_ended_list
from renewcast.status.seasons import bearing, is_final

if TYPE_CHECKING:
    from renewcast.status.resolve import StatusResult


def ordinal(n: int) -> str:
    words = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
    return words.get(n, f"{n}th")


def cite(e: Evidence) -> str:
    """ "Deadline on 2024-05-01", or "Deadline, undated (added 2026-12-01)"."""
    if e.date_label is not None:
        return f"{e.source} on {e.date_label}"
    added = e.known_at.date().isoformat() if e.known_at else "unknown"
    return f"{e.source}, undated (added {added})"


def ended_list_clause(status: str) -> str:
    """What Wikipedia's ended list does not say, when it alone decided ``status``."""
    if status == "cancelled":
        return f"which does not say why; {EARLY_END_WHY}"
    return "which does not say whether it was cancelled or concluded as planned"


def summarize(r: StatusResult) -> str:
    """The status, the deciding source and date, why when pending, and any disagreement."""
    s, t, d = r.season, r.title, r.deciding
    src = f" ({cite(d)})" if d else ""
    q = r.verdict.question
    lead = "There is no season 0. " if q.kind == "no-season" else ""
    if r.status == "renewed" and q.kind in ("released", "no-season") and s <= r.latest_season:
        prem = r.dates.premieres.get(s)
        if prem is not None:
            text = f"Season {s} of {t} premiered on {prem.isoformat()}."
        else:
            first = r.dates.charted.get(s)
            when = f" from {first.date().isoformat()}" if first else ""
            text = f"Season {s} of {t} was released: it is in Netflix's own viewing data{when}."
    elif r.status == "renewed":
        kind = f"a {ordinal(s)} and final season" if r.final else f"season {s}"
        text = f"{t} has been renewed for {kind}{src}."
    elif r.status in ("cancelled", "ended") and d is not None and is_ended_list(d):
        text = (
            f"{t} did not continue: it is on Wikipedia's list of ended Netflix series{src}, "
            f"{ended_list_clause(r.status)}."
        )
    elif r.status == "cancelled":
        text = f"{t} was cancelled; there will be no season {s}{src}."
    elif r.status == "ended":
        text = f"{t} has ended; there will be no season {s}{src}."
    elif r.status == "limited":
        text = f"{t} is a limited series: no season {s} is planned{src}."
    elif q.kind == "beyond":
        text = f"Season {q.asked} of {t} has not been decided: {r.verdict.reason}."
    else:
        text = f"Season {s} of {t} has not been confirmed or cancelled yet"
        text += f"; latest word{src}." if d is not None else "."
    if r.disagreements:
        others = "; ".join(f"{cite(e)} says {says(e, s)}" for e in r.disagreements[:3])
        text += f" Sources disagree: {others}."
    return lead + text


def says(e: Evidence, season: int) -> str:
    """What a statement says of ``season``, in words: its bearing on that season, not the status
    it states ("ending with its upcoming season" said while season 6 was out says season 7 is
    coming, as the last)."""
    b, _ = bearing(e.status, e.where, season) if e.status else (None, "")
    if b == "renewed":
        last = " as the last" if is_final(e.where, season) else ""
        return f"season {season} is coming{last}"
    if b == "pending":
        return f"nothing has been decided about season {season}"
    if b == "cancelled":
        return f"it was cancelled, with no season {season}"
    if b == "limited":
        return "it is a limited series"
    if b == "ended":
        return f"it has ended, with no season {season}"
    return str(e.status)
