"""Loaders: records read by ``renewcast.sources`` → rows in the store, each fact dated.

When a fact became public (``known_at``):
- a Top 10 week: the Tuesday after the week ends (Netflix's publishing day);
- an engagement report row: the report's publication date; a release date in it: that date;
- a Wikipedia snapshot: its date, except premiere dates, genres and a single season's episode count,
  which were public at the premiere; "ended" and the number of seasons only at the snapshot;
- JustWatch: its snapshot date, except the cast of a one-season show, public at that season's premiere;
- a season-title relabel: when it was first seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from renewcast.sources.base import ReadResult, day_start
from renewcast.store.identity import (
    Resolver,
    SeasonTitle,
    normalize_title,
    parse_season_title,
    split_title_year,
)
from renewcast.store.importer import Counts, FactWriter, ImportReport, upsert_keyed
from renewcast.store.schema import (
    chart_entries,
    credits,
    engagement_rows,
    facts,
    people,
    title_relabels,
    week_published,
)

CHART_COMPARE = (
    "show_title",
    "season_title",
    "series_id",
    "season_number",
    "hours",
    "views",
    "runtime_hours",
    "cumulative_weeks",
    "known_at",
)


def _flush(resolver: Resolver, fw: FactWriter) -> Counts:
    resolver.flush()
    return fw.flush()


def _earlier(d: date | None, snapshot: datetime) -> datetime:
    """The moment a dated fact was public: its own date when before the snapshot."""
    if d is None:
        return snapshot
    return min(day_start(d), snapshot)


# ------------------------------------------------------------------ Wikipedia
def load_wikipedia_ended(
    result: ReadResult[Any],
) -> Callable[[Connection, int, ImportReport], Counts]:
    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        snapshot = day_start(_file_date(result))
        resolver = Resolver(conn, "wikipedia")
        fw = FactWriter(conn, doc_id)
        for r in result.records:
            sid = _wikipedia_row(resolver, fw, r, snapshot, "ended")
            if sid is None:
                continue
            fw.add(sid, 0, "status", "ended", snapshot)
            if r.finale:
                fw.add(sid, 0, "finale", r.finale.isoformat(), snapshot)
            if r.episodes and r.continued is None:  # a continuation's are Netflix's alone
                fw.add(sid, 0, "episodes", r.episodes, snapshot)
            if (single := _single_season(r)) is not None and r.finale:
                fw.add(sid, single, "finale", r.finale.isoformat(), _earlier(r.finale, snapshot))
        c = _flush(resolver, fw)
        report.notes.append(f"{resolver.created} series created, {resolver.issues} ambiguous")
        return c

    return loader


def _wikipedia_row(
    resolver: Resolver, fw: FactWriter, r: Any, snapshot: datetime, table: str
) -> int | None:
    """What both Wikipedia lists say alike: the series, its premiere-dated facts, its seasons
    (season 1 public at the premiere, the rest at the snapshot) and a single season's episodes.

    A continuation ("Lucifer (seasons 4–6)", a show another network began) is the series of its
    own name, and what it says of the series (ended, pending, renewed) is said of that series.
    Its premiere and season count are left out when it names no season 1: Netflix numbers some
    revivals from 1 again ("The Mole (seasons 6–7)" is The Mole's seasons 1–2 in Netflix's
    data), and the premiere and count are those of the numbering the store may not share."""
    premiere_at = _earlier(r.premiere, snapshot)
    numbered = _numbered_as_netflix(r)
    res = resolver.resolve(
        r.title,
        known_at=premiere_at,
        # the year a continuation came to Netflix is not the series' first year
        year=r.premiere.year if r.premiere and r.continued is None else None,
        record=f"{table}:{r.line}:{r.title}",
    )
    if res.series_id is None:
        return None
    sid = res.series_id
    _series_facts(fw, sid, r, premiere_at, with_premiere=numbered)
    last = (r.continued[1] if r.continued else r.seasons) if numbered else None
    if last:
        fw.add(sid, 0, "seasons", last, snapshot)
        for n in range(1, last + 1):
            resolver.ensure_season(sid, n)
            fw.add(sid, n, "exists", True, premiere_at if n == 1 else snapshot)
        if last == 1 and r.episodes:
            fw.add(sid, 1, "episodes", r.episodes, premiere_at)
    return sid


def _numbered_as_netflix(r: Any) -> bool:
    """The row's season numbers are the series' own from season 1: not a continuation, or one
    that names season 1 ("Travelers (seasons 1–2)")."""
    return r.continued is None or r.continued[0] == 1


def _single_season(r: Any) -> int | None:
    """Season 1, when a Wikipedia row is about that one season alone."""
    if r.continued is not None:
        return 1 if r.continued == (1, 1) else None
    return 1 if r.seasons == 1 else None


def _series_facts(
    fw: FactWriter, sid: int, r: Any, premiere_at: datetime, *, with_premiere: bool
) -> None:
    if r.premiere and with_premiere:
        fw.add(sid, 0, "premiere", r.premiere.isoformat(), premiere_at)
        fw.add(sid, 1, "premiere", r.premiere.isoformat(), premiere_at)
    if getattr(r, "genre", None):
        fw.add(sid, 0, "genre", r.genre, premiere_at)
    if getattr(r, "kind", None):
        fw.add(sid, 0, "kind", r.kind, premiere_at)
    if getattr(r, "language", None):
        fw.add(sid, 0, "language", r.language, premiere_at)
    fw.add(sid, 0, "platform", "Netflix", premiere_at)


def load_wikipedia_current(
    result: ReadResult[Any],
) -> Callable[[Connection, int, ImportReport], Counts]:
    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        snapshot = day_start(_file_date(result))
        resolver = Resolver(conn, "wikipedia")
        fw = FactWriter(conn, doc_id)
        for r in result.records:
            sid = _wikipedia_row(resolver, fw, r, snapshot, "current")
            if sid is None:
                continue
            st = r.status
            if st.miniseries:
                fw.add(sid, 0, "status", "limited", snapshot)
                fw.add(sid, 1, "limited", True, snapshot)
            elif st.ended:
                fw.add(sid, 0, "status", "ended", snapshot)
            elif st.renewed_for:
                fw.add(sid, 0, "status", "renewed", snapshot)
                fw.add(sid, st.renewed_for, "renewed", True, snapshot)
                resolver.ensure_season(sid, st.renewed_for)
            elif st.pending:
                fw.add(sid, 0, "status", "pending", snapshot)
            if st.final_season:
                fw.add(sid, st.final_season, "final", True, snapshot)
            if st.due and st.due_season:  # "Season 3 due to premiere on June 5, 2025"
                due = st.due_day.isoformat() if st.due_day else st.due  # a day, or "late 2025"
                fw.add(sid, st.due_season, "due", due, snapshot)
            if r.status_raw:
                fw.add(sid, 0, "status_text", r.status_raw, snapshot)
        c = _flush(resolver, fw)
        report.notes.append(f"{resolver.created} series created, {resolver.issues} ambiguous")
        return c

    return loader


def _file_date(result: ReadResult[Any]) -> date:
    if result.file_date is None:
        raise ValueError(
            f"{result.uri}: the snapshot date is unknown (name the file *-YYYY-MM-DD.csv)"
        )
    return result.file_date


# ------------------------------------------------------------------ Netflix Top 10
def chart_key(list_: str, country: str, category: str, week: date | None, rank: int) -> str:
    return f"{list_}|{country}|{category}|{week.isoformat() if week else ''}|{rank}"


def load_top10(
    result: ReadResult[Any],
    *,
    published_at: Callable[[date], datetime],
    is_tv: Callable[[str], bool],
    fallback_known_at: datetime | None = None,
    relabels: RelabelIndex | None = None,
) -> Callable[[Connection, int, ImportReport], Counts]:
    """Chart rows as published: Netflix rewrites old rows' season titles ("Season 1" → "Limited
    Series"), so a row is stored under the title it had when its week was published, per the dated
    relabels; the later label is known only from its relabel date."""

    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        resolver = Resolver(conn, result.source)
        fw = FactWriter(conn, doc_id)
        rows = []
        lists = set()
        restored = 0
        for r in result.records:
            if r.week is not None:
                known_at = published_at(r.week)
            elif fallback_known_at is not None:
                known_at = fallback_known_at
            else:
                raise ValueError(f"{result.uri}:{r.line}: no week and no file date to date the row")
            season_title = r.season_title
            if relabels is not None and season_title is not None:
                season_title = relabels.as_published(r.show_title, season_title, known_at)
                restored += season_title != r.season_title
            sid = season_no = None
            limited = False
            if is_tv(r.category):
                st = parse_season_title(season_title, r.show_title)
                limited = bool(st and st.limited)
                season_no = st.season if st else None
                show, year = split_title_year(r.show_title)
                season_name = season_title.split(" // ")[0] if season_title else None
                res = resolver.resolve(
                    show,
                    known_at=known_at,
                    record=f"{r.list}:{r.show_title}",
                    year=year,
                    available_by=r.week,
                    season=season_no,
                    # a season title that is no season ("DAHMER: Monster: The Jeffrey Dahmer
                    # Story" under "DAHMER"): the name other sources may know the show by
                    also=season_name if st and st.season is None else None,
                )
                sid = res.series_id
                if sid is not None:
                    if season_name:
                        resolver.add_alias(sid, season_name)
                    if season_no:
                        resolver.ensure_season(sid, season_no)
                        fw.add(sid, season_no, "exists", True, known_at)
                    if limited:
                        fw.add(sid, 1, "limited", True, known_at)
                    if r.list == "global":
                        lang = "Non-English" if "non-english" in r.category.lower() else "English"
                        fw.add(sid, 0, "list_language", lang, known_at)
            country = r.country_iso2 or ""
            lists.add(r.list)
            rows.append(
                {
                    "key": chart_key(r.list, country, r.category, r.week, r.rank),
                    "source": "netflix-top10",
                    "list": r.list,
                    "country": country,
                    "category": r.category,
                    "week": r.week,
                    "rank": r.rank,
                    "show_title": r.show_title,
                    "season_title": season_title,
                    "series_id": sid,
                    "season_number": season_no,
                    "limited": limited,
                    "hours": r.hours,
                    "views": r.views,
                    "runtime_hours": r.runtime_hours,
                    "cumulative_weeks": r.cumulative_weeks,
                    "document_id": doc_id,
                    "known_at": known_at,
                }
            )
        counts = upsert_keyed(
            conn,
            chart_entries,
            rows,
            compare=CHART_COMPARE,
            scope=chart_entries.c.list.in_(lists) if lists else None,
            supersedes=report.supersedes,
        )
        counts += _flush(resolver, fw)
        report.notes.append(f"{resolver.created} series created, {resolver.issues} ambiguous")
        if restored:
            report.notes.append(
                f"{restored} rows stored under their season title as first published"
            )
        return counts

    return loader


@dataclass(slots=True)
class RelabelIndex:
    """(show, new season title) → [(first seen, old title)]: to undo relabels not yet public."""

    by_new: dict[tuple[str, str], list[tuple[datetime, str | None]]]

    @classmethod
    def from_records(cls, records: Any) -> RelabelIndex:
        by_new: dict[tuple[str, str], list[tuple[datetime, str | None]]] = {}
        for r in records:
            old = None if r.old_season_title.strip().upper() in ("", "N/A") else r.old_season_title
            by_new.setdefault((r.show_title, r.new_season_title), []).append((r.first_seen, old))
        return cls(by_new)

    def as_published(self, show: str, title: str, known_at: datetime) -> str | None:
        current: str | None = title
        for _ in range(5):  # relabel chains are short; never loop forever
            if current is None:
                break
            later = [(t, old) for t, old in self.by_new.get((show, current), []) if t > known_at]
            if not later:
                break
            current = min(later)[1]
        return current


def load_relabels(result: ReadResult[Any]) -> Callable[[Connection, int, ImportReport], Counts]:
    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        resolver = Resolver(conn, result.source)
        fw = FactWriter(conn, doc_id)
        rows = []
        for r in result.records:
            st = parse_season_title(r.new_season_title, r.show_title)
            old = parse_season_title(r.old_season_title, r.show_title)
            show, year = split_title_year(r.show_title)
            res = resolver.resolve(show, known_at=r.first_seen, year=year, create=False)
            sid = res.series_id
            limited = bool(st and st.limited)
            season_no = st.season if st else None
            if sid is not None and limited:
                fw.add(sid, 1, "limited", True, r.first_seen)
                if old and old.season and not old.limited:
                    fw.add(sid, 0, "relabelled_limited", r.old_season_title, r.first_seen)
            rows.append(
                {
                    "key": f"{r.show_title}|{r.old_season_title}|{r.new_season_title}",
                    "show_title": r.show_title,
                    "old_season_title": r.old_season_title,
                    "new_season_title": r.new_season_title,
                    "series_id": sid,
                    "season_number": season_no,
                    "limited": limited,
                    "document_id": doc_id,
                    "known_at": r.first_seen,
                }
            )
        counts = upsert_keyed(
            conn,
            title_relabels,
            rows,
            compare=("series_id", "season_number", "limited", "known_at"),
            supersedes=report.supersedes,
        )
        counts += _flush(resolver, fw)
        return counts

    return loader


def load_week_first_seen(
    result: ReadResult[Any],
) -> Callable[[Connection, int, ImportReport], Counts]:
    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        counts = Counts()
        wp = week_published.c
        stored = conn.execute(select(wp.week, wp.first_seen, wp.backfilled, wp.document_id)).all()
        existing = {w: (fs, bf) for w, fs, bf, _ in stored}
        older = {w for w, _, _, d in stored if d in report.supersedes}
        for r in result.records:
            old = existing.get(r.week)
            if old == (r.first_seen, r.backfilled):
                counts.unchanged += 1
                if r.week in older:  # stated again by the new version of the file
                    conn.execute(
                        week_published.update().where(wp.week == r.week).values(document_id=doc_id)
                    )
                continue
            values = {"first_seen": r.first_seen, "backfilled": r.backfilled, "document_id": doc_id}
            if old is None:
                conn.execute(week_published.insert().values(week=r.week, **values))
                counts.added += 1
            else:
                conn.execute(
                    week_published.update().where(week_published.c.week == r.week).values(**values)
                )
                counts.updated += 1
        return counts

    return loader


# ------------------------------------------------------------------ engagement reports
def charted_season_titles(conn: Connection) -> dict[str, str]:
    """The season titles the Top 10 gives with a bare number after the show's title ("Stranger
    Things 2", a show column saying "Stranger Things"), by normalised title: the show's title.
    The engagement reports have no show column, so only a chart can say that such a title is a
    season and not a series of its own (read before the reports: ``sync``'s order)."""
    out: dict[str, str] = {}
    rows = conn.execute(
        select(chart_entries.c.show_title, chart_entries.c.season_title)
        .where(chart_entries.c.season_number.is_not(None))
        .distinct()
    )
    for show, title in rows:
        if not show or not title:
            continue
        alone = parse_season_title(title)
        if alone is not None and alone.season is None:  # the number needs the show's title
            out[normalize_title(title)] = str(show)
    return out


def _engagement_title(title: str, charted: dict[str, str]) -> SeasonTitle | None:
    st = parse_season_title(title)
    if st is not None and st.season is None and st.part is None:
        show = charted.get(normalize_title(title.split(" // ")[0]))
        if show is not None:
            return parse_season_title(title, show)
    return st


def load_engagement(result: ReadResult[Any]) -> Callable[[Connection, int, ImportReport], Counts]:
    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        resolver = Resolver(conn, "netflix-engagement")
        fw = FactWriter(conn, doc_id)
        rows = []
        reports = set()
        records = list(result.records)
        charted = charted_season_titles(conn)
        titles = [_engagement_title(r.title, charted) for r in records]
        names = [
            (t.series_title, t.year, t.season, r.views or r.hours or 0.0)
            if t is not None
            else ("", None, None, 0.0)
            for r, t in zip(records, titles, strict=True)
        ]
        for i in resolver.apart(names):
            r, st = records[i], titles[i]
            published = day_start(r.published)
            reports.add(r.report)
            sid = season_no = None
            limited = False
            is_series = st is not None and (st.season is not None or r.kind == "tv")
            if st is not None and is_series:
                limited = st.limited
                season_no = st.season
                native = parse_season_title(r.native_title) if r.native_title else None
                res = resolver.resolve(
                    st.series_title,
                    known_at=published,
                    record=f"{r.report}:{r.title}",
                    year=st.year,
                    available_by=r.period_end,
                    season=season_no,
                    # a later part of a season came out after the season itself
                    released=r.release_date if (st.part or 1) == 1 else None,
                    also=native.series_title if native else None,
                )
                sid = res.series_id
                if sid is not None:
                    if season_no:
                        resolver.ensure_season(sid, season_no)
                        seen_at = _earlier(r.release_date, published)
                        fw.add(sid, season_no, "exists", True, seen_at)
                        if r.release_date and (st.part or 1) == 1:  # not a later part's day
                            fw.add(sid, season_no, "premiere", r.release_date.isoformat(), seen_at)
                            resolver.note_premiere(sid, season_no, r.release_date, on_netflix=True)
                    if limited:
                        fw.add(sid, 1, "limited", True, published)
                    if r.native_title:
                        resolver.add_alias(sid, native.series_title if native else r.native_title)
            rows.append(
                {
                    # titles repeat within a report (different shows, one name): key on the row
                    "key": f"{r.report}|{r.sheet}|{r.line}",
                    "report": r.report,
                    "period_start": r.period_start,
                    "period_end": r.period_end,
                    "kind": r.kind,
                    "title": r.title,
                    "native_title": r.native_title,
                    "series_id": sid,
                    "season_number": season_no,
                    "limited": limited,
                    "available_globally": r.available_globally,
                    "release_date": r.release_date,
                    "hours": r.hours,
                    "views": r.views,
                    "runtime_hours": r.runtime_hours,
                    "sheet": r.sheet,
                    "line": r.line,
                    "document_id": doc_id,
                    "known_at": published,
                }
            )
        counts = upsert_keyed(
            conn,
            engagement_rows,
            rows,
            compare=(
                "title",
                "series_id",
                "season_number",
                "hours",
                "views",
                "runtime_hours",
                "known_at",
            ),
            scope=engagement_rows.c.report.in_(reports) if reports else None,
            supersedes=report.supersedes,
        )
        counts += _flush(resolver, fw)
        report.notes.append(f"{resolver.created} series created, {resolver.issues} ambiguous")
        return counts

    return loader


# ------------------------------------------------------------------ JustWatch
@dataclass(slots=True)
class JustWatchIndex:
    """JustWatch title id → (series id, seasons) for the credits import."""

    shows: dict[str, tuple[int, int | None]]


def _newest_first(shows: list[Any]) -> list[Any]:
    """The catalog's shows in file order, except that shows of one name come together, the
    latest first: the series the store knows by that name from Netflix's own lists is more often
    the newer one (a 2022 reboot beside the 2001 original), and an earlier one that fits no more
    is then kept apart by its year."""
    groups: dict[str, list[Any]] = {}
    for r in shows:
        groups.setdefault(normalize_title(r.title), []).append(r)
    out: list[Any] = []
    for r in shows:
        group = groups.pop(normalize_title(r.title), None)
        if group is not None:
            out.extend(sorted(group, key=lambda x: -(x.release_year or 0)))
    return out


def load_justwatch_titles(
    result: ReadResult[Any], snapshot: date
) -> Callable[[Connection, int, ImportReport], Counts]:
    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        at = day_start(snapshot)
        resolver = Resolver(conn, "justwatch")
        fw = FactWriter(conn, doc_id)
        for r in _newest_first([r for r in result.records if r.type == "SHOW"]):
            res = resolver.resolve(
                r.title,
                known_at=at,
                xrefs={"justwatch": r.id, "imdb": r.imdb_id or ""},
                year=r.release_year,
                record=f"{r.id}:{r.title}",
            )
            if res.series_id is None:
                continue
            sid = res.series_id
            if r.seasons:
                fw.add(sid, 0, "seasons", r.seasons, at)
                for n in range(1, r.seasons + 1):
                    resolver.ensure_season(sid, n)
                    fw.add(sid, n, "exists", True, at)
            if r.genres:
                fw.add(sid, 0, "jw_genres", list(r.genres), at)
            if r.countries:
                fw.add(sid, 0, "countries", list(r.countries), at)
            if r.release_year:
                fw.add(sid, 0, "release_year", r.release_year, at)
            if r.imdb_score is not None:
                fw.add(sid, 0, "imdb_score", r.imdb_score, at)
            if r.imdb_votes is not None:
                fw.add(sid, 0, "imdb_votes", r.imdb_votes, at)
            if r.runtime_minutes:
                fw.add(sid, 0, "runtime_minutes", r.runtime_minutes, at)
            if r.description:
                fw.add(sid, 0, "description", r.description, at)
        c = _flush(resolver, fw)
        report.notes.append(f"{resolver.created} series created, {resolver.issues} ambiguous")
        return c

    return loader


def load_justwatch_credits(
    result: ReadResult[Any], snapshot: date
) -> Callable[[Connection, int, ImportReport], Counts]:
    def loader(conn: Connection, doc_id: int, report: ImportReport) -> Counts:
        from renewcast.store.schema import series_xrefs

        at = day_start(snapshot)
        shows = dict(
            conn.execute(
                select(series_xrefs.c.value, series_xrefs.c.series_id).where(
                    series_xrefs.c.scheme == "justwatch"
                )
            ).all()
        )
        # the cast of a one-season show is public at its premiere
        one_season = _one_season_premieres(conn, set(shows.values()), at)
        person_ids = {
            jw: pid
            for pid, jw in conn.execute(select(people.c.id, people.c.justwatch_id)).all()
            if jw is not None
        }
        new_people = []
        for r in result.records:
            if r.title_id in shows and r.person_id not in person_ids:
                person_ids[r.person_id] = -1
                new_people.append(
                    {
                        "name": r.name,
                        "norm_name": normalize_title(r.name),
                        "justwatch_id": r.person_id,
                    }
                )
        for i in range(0, len(new_people), 5000):
            conn.execute(people.insert(), new_people[i : i + 5000])
        if new_people:
            person_ids = {
                jw: pid
                for pid, jw in conn.execute(select(people.c.id, people.c.justwatch_id)).all()
                if jw is not None
            }
        rows = []
        skipped = 0
        for r in result.records:
            sid = shows.get(r.title_id)
            if sid is None:
                skipped += 1
                continue
            known = one_season.get(sid, at)
            rows.append(
                {
                    "key": f"justwatch|{r.title_id}|{r.person_id}|{r.character or ''}",
                    "series_id": sid,
                    "person_id": person_ids[r.person_id],
                    "character": r.character,
                    "role": r.role,
                    "billing": r.billing,
                    "season_number": 0,
                    "document_id": doc_id,
                    "known_at": known,
                }
            )
        report.notes.append(f"{skipped} credits of films skipped")
        return upsert_keyed(
            conn,
            credits,
            rows,
            compare=("series_id", "person_id", "billing", "known_at"),
            supersedes=report.supersedes,
        )

    return loader


def _one_season_premieres(
    conn: Connection, series_ids: set[int], snapshot: datetime
) -> dict[int, datetime]:
    import json

    seasons_known: dict[int, set[int]] = {}
    premieres: dict[int, datetime] = {}
    for sid, season, attr, value, _known_at in conn.execute(
        select(
            facts.c.series_id,
            facts.c.season_number,
            facts.c.attribute,
            facts.c.value,
            facts.c.known_at,
        ).where(facts.c.attribute.in_(["exists", "premiere"]), facts.c.known_at <= snapshot)
    ):
        if sid not in series_ids:
            continue
        if attr == "exists":
            seasons_known.setdefault(sid, set()).add(season)
        elif season in (0, 1):
            d = day_start(date.fromisoformat(json.loads(value)))
            premieres[sid] = min(d, premieres.get(sid, d))
    return {
        sid: min(p, snapshot) for sid, p in premieres.items() if seasons_known.get(sid, {1}) <= {1}
    }
