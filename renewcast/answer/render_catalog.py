"""Terminal rendering of a catalog profile (``renewcast show``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from renewcast.store.catalog import SeriesProfile


def _m(x: float | None) -> str:
    return "" if x is None else f"{x / 1e6:.2f}M"


def print_profile(prof: SeriesProfile, console: Console | None = None) -> None:
    console = console or Console()
    when = f" (as of {prof.as_of.isoformat()})" if prof.as_of else ""
    console.print(f"[bold]{prof.title}[/]{when}", highlight=False)
    if prof.xrefs:
        console.print("  ids: " + ", ".join(f"{k} {v}" for k, v in sorted(prof.xrefs.items())))
    for other_id, other in prof.namesakes:
        console.print(f"  another series of this title: {other} (--id {other_id})", highlight=False)
    for key in ("platform", "genre", "kind", "list_language", "status"):
        if key in prof.attributes:
            a = prof.attributes[key]
            console.print(
                f"  {key}: {a.value}  [dim]({a.source}, known {a.known_at.date()})[/]",
                highlight=False,
            )

    t = Table(title="Seasons")
    for col in ("season", "premiere", "first Top 10 week", "episodes", "limited", "known since"):
        t.add_column(col)
    first = prof.first_top10_weeks()
    for s in prof.seasons:
        t.add_row(
            str(s.number),
            str(s.premiere.value) if s.premiere else "",
            first[s.number].isoformat() if s.number in first else "",
            str(s.episodes.value) if s.episodes else "",
            "yes" if s.limited and s.limited.value else "",
            s.first_known.date().isoformat() if s.first_known else "",
        )
    console.print(t)

    if prof.top10:
        t = Table(title="Netflix global Top 10")
        for col in ("week", "season", "rank", "hours", "views", "weeks in Top 10"):
            t.add_column(col)
        for w in prof.top10:
            t.add_row(
                w.week.isoformat(),
                str(w.season_number or ""),
                str(w.rank),
                _m(w.hours),
                _m(w.views),
                str(w.cumulative_weeks or ""),
            )
        console.print(t)
    if prof.engagement:
        t = Table(title="Engagement reports")
        for col in ("report", "title", "hours", "views"):
            t.add_column(col)
        for e in prof.engagement:
            t.add_row(e.report, e.title, _m(e.hours), _m(e.views))
        console.print(t)
    if prof.cast:
        t = Table(title="Cast")
        for col in ("actor", "character", "source"):
            t.add_column(col)
        for c in prof.cast[:15]:
            t.add_row(c.actor, c.character or "", c.source)
        console.print(t)
        if len(prof.cast) > 15:
            console.print(f"  … and {len(prof.cast) - 15} more")
