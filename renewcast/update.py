"""``renewcast update``: fetch what changed from every live source, check it, import it.

Sources, in this order (Wikipedia first: its premiere dates date what the others say):

* ``wikipedia`` — the current and ended lists of Netflix original programming through the MediaWiki
  API; a page is fetched again only when its latest revision id changed, and each snapshot is dated
  by its revision timestamp.
* ``netflix-top10`` — the official weekly global and per-country TSVs and the most-popular list.
* ``netflix-engagement`` — the configured engagement reports (``netflix-engagement/reports.txt``
  in the data directory: one URL a line, optionally followed by the publication date; else the
  reports :data:`renewcast.sources.netflix_engagement.REPORT_URLS` knows).
* ``tvmaze`` — every tracked series (``renewcast track TITLE``), one call per show, paced within
  TVmaze's limit (20 calls / 10 s); facts dated by the fetch.
* ``news`` — every feed of ``renewcast feeds``, new articles through the news ingest (public
  addresses only, dedupe, extraction); each feed is its own transaction, so a feed that fails
  leaves its articles as they were while the other feeds' new articles are stored.

For each source: every file is fetched conditionally (``If-None-Match`` / ``If-Modified-Since``
from the last good copy) into a memory buffer, parsed with the same readers ``sync`` uses, and
imported in **one transaction** for the source. Only then are the last good copies in the data
directory replaced. A failure — timeout, HTTP error, a body cut short, a changed format — leaves
that source's store rows and files as they were, is recorded with what to do, and the other
sources go on. A lock file keeps two updates apart.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select

from renewcast.sources.base import ReadResult, RowProblem, SourceError, day_start, sha256_bytes
from renewcast.sources.http import NotFound, Validators
from renewcast.store.freshness import record_check
from renewcast.store.importer import DocumentInfo, ImportReport, PlannedImport, run_imports
from renewcast.store.schema import (
    chart_entries,
    documents,
    inserted_id,
    news_feeds,
    title_relabels,
)

if TYPE_CHECKING:
    import httpx

    from renewcast.sources.tvmaze import TvmazeClient

SOURCES = ("wikipedia", "netflix-top10", "netflix-engagement", "tvmaze", "news")
STATE_FILE = "update-state.json"
LOCK_FILE = ".update.lock"
ENGAGEMENT_CONFIG = "netflix-engagement/reports.txt"

EXIT_OK = 0
EXIT_FAILED = 1  # at least one source failed; the others were updated
EXIT_BUSY = 75  # another update holds the lock (EX_TEMPFAIL: try again later)


class UpdateBusy(Exception):
    """Another ``renewcast update`` (or ``serve --refresh``) is running on this data directory."""


def default_data_dir(db_url: str) -> Path:
    """Where live downloads go: ``$RENEWCAST_DATA``, else ``live/`` beside a SQLite store, else
    the user data directory."""
    if env := os.environ.get("RENEWCAST_DATA"):
        return Path(env).expanduser()
    if db_url.startswith("sqlite:///") and db_url.removeprefix("sqlite:///") not in (
        "",
        ":memory:",
    ):
        return Path(db_url.removeprefix("sqlite:///")).parent / "live"
    from platformdirs import user_data_dir

    return Path(user_data_dir("renewcast", appauthor=False)) / "live"


@contextlib.contextmanager
def update_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's update lock, or raise :class:`UpdateBusy` at once."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UpdateBusy(
                f"another renewcast update is running on {data_dir} (lock {path}); "
                "wait for it to finish"
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# ------------------------------------------------------------------------------------ reports


@dataclass(slots=True)
class FileOutcome:
    url: str
    status: str  # downloaded | not-modified | same-content | missing (404, skipped)
    path: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "status": self.status, "path": self.path}


@dataclass(slots=True)
class SourceOutcome:
    source: str
    status: str = "unchanged"  # ok | unchanged | failed
    added: int = 0
    updated: int = 0
    files: list[FileOutcome] = field(default_factory=list)
    imports: list[ImportReport] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "added": self.added,
            "updated": self.updated,
            "files": [f.to_json() for f in self.files],
            "imports": [r.to_json() for r in self.imports],
            "problems": len(self.problems),
            "problem_samples": [str(p) for p in self.problems[:5]],
            "notes": self.notes,
            "message": self.message,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class UpdateReport:
    data_dir: str
    sources: list[SourceOutcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if any(s.status == "failed" for s in self.sources) else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {
            "data_dir": self.data_dir,
            "exit_code": self.exit_code,
            "sources": [s.to_json() for s in self.sources],
        }


# ------------------------------------------------------------------------------------ state


@dataclass(slots=True)
class Copy:
    """One file of a source as this run has it: new bytes, or the last good copy."""

    key: str
    url: str
    path: Path
    body: bytes
    changed: bool  # new bytes from the server this run
    state: dict[str, Any]  # what to remember once imported (validators, revision, …)

    @property
    def sha256(self) -> str:
        return sha256_bytes(self.body)


@dataclass(slots=True)
class Plan:
    """What a source's run will store: imports (one transaction) and the copies to keep."""

    imports: list[PlannedImport] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)


class State:
    """``update-state.json``: per file the validators, hash and extra facts of the last good copy."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, dict[str, Any]] = {}
        if path.exists():
            try:
                loaded = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                loaded = {}  # unreadable state: every file is fetched unconditionally again
            if isinstance(loaded, dict):
                self.data = {k: v for k, v in loaded.items() if isinstance(v, dict)}
        self.saved = json.loads(json.dumps(self.data))

    def get(self, key: str) -> dict[str, Any]:
        return self.data.get(key, {})

    def validators(self, key: str, path: Path) -> Validators | None:
        """The last copy's validators, only while that copy is still on disk."""
        if not path.exists():
            return None
        return Validators.from_json(self.get(key))

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True), "utf-8")
        os.replace(tmp, self.path)
        self.saved = json.loads(json.dumps(self.data))


def _write_atomic(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(body)
    os.replace(tmp, path)


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------------------------ updater


class Updater:
    """Runs the update of each source; see the module docstring."""

    def __init__(
        self,
        engine: Engine,
        data_dir: Path,
        *,
        client: httpx.Client,
        tvmaze: TvmazeClient | None = None,
        feed_client: Callable[[dict[str, str]], httpx.Client] | None = None,
        extract: bool = True,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.data = data_dir
        self.client = client
        self._tvmaze = tvmaze
        self._feed_client = feed_client
        self.extract = extract
        self.say = on_progress or (lambda _msg: None)
        self.state = State(data_dir / STATE_FILE)

    # -- driver

    def run(self, names: Sequence[str] | None = None) -> UpdateReport:
        wanted = list(names) if names else list(SOURCES)
        unknown = [n for n in wanted if n not in SOURCES]
        if unknown:
            raise ValueError(
                f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(SOURCES)}"
            )
        report = UpdateReport(str(self.data))
        for name in SOURCES:
            if name in wanted:
                self.say(f"{name}: checking")
                report.sources.append(self.run_source(name))
        return report

    def run_source(self, name: str) -> SourceOutcome:
        out = SourceOutcome(name)
        started = _now()
        t0 = time.perf_counter()
        try:
            if name == "news":
                self._news(out)
            else:
                plan = {
                    "wikipedia": self._wikipedia,
                    "netflix-top10": self._top10,
                    "netflix-engagement": self._engagement,
                    "tvmaze": self._tvmaze_plan,
                }[name](out)
                self._store(plan, out)
        except Exception as e:  # any failure stays with its source: the others go on
            what = str(e) if isinstance(e, SourceError) else f"{type(e).__name__}: {e}"
            out.status = "failed"
            kept = (
                "nothing of the feeds that failed was stored"
                if name == "news"
                else f"the store and the last good copy of {name} are unchanged"
            )
            out.message = f"{what} — {kept}; `renewcast update --source {name}` tries again"
        if out.status != "failed":
            out.status = "ok" if out.added or out.updated else "unchanged"
        out.seconds = time.perf_counter() - t0
        record_check(
            self.engine,
            name,
            started_at=started,
            finished_at=_now(),
            status=out.status,
            added=out.added,
            updated=out.updated,
            message=out.message,
        )
        self.say(f"{name}: {out.status}")
        return out

    def _store(self, plan: Plan, out: SourceOutcome) -> None:
        """Import the plan in one transaction; keep the copies only when that worked."""
        if plan.imports:
            out.imports = run_imports(self.engine, plan.imports)
            failed = [r for r in out.imports if r.status == "failed"]
            if failed:
                first = next(
                    (r for r in failed if not (r.message or "").startswith("not stored")),
                    failed[0],
                )
                raise SourceError(f"import failed: {first.message}")
            for r in out.imports:
                out.added += r.counts.added
                out.updated += r.counts.updated
                out.problems.extend(r.problems)
                out.notes.extend(r.notes)
        for copy in plan.copies:
            if copy.changed:
                _write_atomic(copy.path, copy.body)
            self.state.data[copy.key] = {
                **copy.state,
                "url": copy.url,
                "file": str(copy.path.relative_to(self.data)),
                "sha256": copy.sha256,
            }
        if plan.copies and self.state.data != self.state.saved:
            self.state.save()

    # -- shared steps

    def _stored(self, source: str, sha256: str) -> bool:
        with self.engine.connect() as conn:
            q = select(documents.c.id).where(
                documents.c.source == source, documents.c.sha256 == sha256
            )
            return conn.execute(q.limit(1)).first() is not None

    def _last_copy(self, key: str, url: str, path: Path) -> Copy:
        try:
            body = path.read_bytes()
        except OSError as e:
            raise SourceError(
                f"{url}: the server says our copy is current but {path} cannot be read "
                f"({e.strerror}); delete {self.data / STATE_FILE} to fetch everything again"
            ) from e
        return Copy(key, url, path, body, False, dict(self.state.get(key)))

    def _download(
        self,
        key: str,
        url: str,
        path: Path,
        fetch: Callable[[Validators | None], Any],
        out: SourceOutcome,
    ) -> Copy:
        """Fetch one file conditionally; the new bytes, or the last good copy when unchanged."""
        got = fetch(self.state.validators(key, path))
        fetched = {**got.validators.to_json(), "fetched_at": got.fetched_at.isoformat()}
        if got.body is None:  # the copy's fetch time stays: it is when these bytes were fetched
            out.files.append(FileOutcome(url, "not-modified", str(path)))
            copy = self._last_copy(key, url, path)
            copy.state.update(got.validators.to_json())
            return copy
        same = path.exists() and self.state.get(key).get("sha256") == sha256_bytes(got.body)
        out.files.append(FileOutcome(url, "same-content" if same else "downloaded", str(path)))
        state = dict(self.state.get(key))
        state.update(fetched)
        state.setdefault("first_seen", got.fetched_at.date().isoformat())
        return Copy(key, url, path, got.body, not same, state)

    def _plan_file(
        self,
        plan: Plan,
        copy: Copy,
        source: str,
        parse: Callable[[Copy], ReadResult[Any]],
        make_loader: Callable[[ReadResult[Any]], Any],
        known_at: Callable[[ReadResult[Any]], datetime],
        *,
        kind: str = "url",
    ) -> ReadResult[Any] | None:
        """Parse and plan the import of a copy the store does not hold yet."""
        plan.copies.append(copy)
        if self._stored(source, copy.sha256):
            return None
        result = parse(copy)
        doc = DocumentInfo(
            kind=kind, source=source, uri=copy.url, sha256=copy.sha256, known_at=known_at(result)
        )
        plan.imports.append(PlannedImport(doc, make_loader(result), result.problems))
        return result

    # -- Wikipedia

    def _wikipedia(self, out: SourceOutcome) -> Plan:
        from renewcast.sources import wikipedia as wp
        from renewcast.store import load

        plan = Plan()
        pages = (
            (wp.CURRENT_PAGE, wp.SOURCE_CURRENT, wp.CurrentSeries, load.load_wikipedia_current),
            (wp.ENDED_PAGE, wp.SOURCE_ENDED, wp.EndedSeries, load.load_wikipedia_ended),
        )
        for page, source, record_type, loader in pages:
            key = f"wikipedia/{page}"
            path = self.data / "wikipedia" / f"{page}.html"
            last = self.state.get(key)
            got, rev = wp.fetch_revision(self.client, page, self.state.validators(key, path))
            validators = {**got.validators.to_json(), "fetched_at": got.fetched_at.isoformat()}
            if rev is None or (path.exists() and rev.revid == last.get("revid")):
                out.files.append(FileOutcome(got.url, "not-modified", str(path)))
                copy = self._last_copy(key, last.get("permalink", got.url), path)
                copy.state.update(got.validators.to_json())
            else:
                body = wp.fetch_list(self.client, page, revid=rev.revid)
                permalink = f"https://en.wikipedia.org/w/index.php?title={page}&oldid={rev.revid}"
                out.files.append(FileOutcome(permalink, "downloaded", str(path)))
                state = {
                    **validators,
                    "revid": rev.revid,
                    "revision_timestamp": rev.timestamp.isoformat(),
                    "permalink": permalink,
                }
                copy = Copy(key, permalink, path, body, True, state)
            snapshot = date.fromisoformat(copy.state["revision_timestamp"][:10])

            def parse(c: Copy, rt: type = record_type, snap: date = snapshot) -> ReadResult[Any]:
                return _wiki_records(c, rt, snap)

            def known_at(_: ReadResult[Any], snap: date = snapshot) -> datetime:
                return day_start(snap)

            self._plan_file(plan, copy, source, parse, loader, known_at)
        return plan

    # -- Netflix Top 10

    def _top10(self, out: SourceOutcome) -> Plan:
        from renewcast.sources import netflix_top10 as top10
        from renewcast.store.load import RelabelIndex
        from renewcast.store.sync import chart_loader, latest_week

        plan = Plan()
        relabels = self._relabels() or RelabelIndex({})
        newest: list[date] = []
        seen_at: dict[str, datetime] = {}
        renamed: list[top10.Relabel] = []

        def loader(result: ReadResult[Any]) -> Any:
            weeks = [r.week for r in result.records if r.week is not None]
            if weeks:
                newest.append(max(weeks))
            renamed.extend(self._new_relabels(result, relabels, seen_at[result.uri]))
            return chart_loader(result, relabels)

        def most_popular_known_at(_: ReadResult[Any]) -> datetime:
            week = max(newest, default=None) or self._last_global_week()
            if week is None:
                raise SourceError(
                    "most-popular.tsv has no dates: the global list must be imported first"
                )
            return top10.published_at(week)

        def most_popular_loader(result: ReadResult[Any]) -> Any:
            return chart_loader(result, relabels, most_popular_known_at(result))

        files = (
            ("global", top10.parse_global, loader, latest_week),
            ("countries", top10.parse_countries, loader, latest_week),
            ("most-popular", top10.parse_most_popular, most_popular_loader, most_popular_known_at),
        )
        copies = []
        for short, _parse, _loader, _known in files:  # every download first: all or nothing
            key = f"netflix-top10/{short}"
            path = self.data / "netflix-top10" / top10.OFFICIAL_FILES[short]

            def fetch(v: Validators | None, name: str = short) -> Any:
                return top10.fetch_if_changed(self.client, name, v)

            copy = self._download(key, top10.official_url(short), path, fetch, out)
            seen_at[copy.url] = datetime.fromisoformat(copy.state["fetched_at"])
            copies.append(copy)
        for (short, parse, make_loader, known_at), copy in zip(files, copies, strict=True):

            def read(c: Copy, p: Callable[[bytes, str], ReadResult[Any]] = parse) -> Any:
                return p(c.body, c.url)

            self._plan_file(plan, copy, f"netflix-top10/{short}", read, make_loader, known_at)
        if renamed:  # after the chart rows: a relabel links to series they may create
            self._plan_relabels(plan, renamed)
        return plan

    def _new_relabels(self, result: ReadResult[Any], index: Any, first_seen: datetime) -> list[Any]:
        """Season titles Netflix rewrote since the rows were stored ("Season 1" → "Limited
        Series"): each becomes a relabel first seen now, added to ``index`` so the stored rows
        keep the title they were published with."""
        from renewcast.sources.netflix_top10 import Relabel, published_at
        from renewcast.store.load import chart_key

        lists = {r.list for r in result.records}
        with self.engine.connect() as conn:
            stored = {
                key: (show, title)
                for key, show, title in conn.execute(
                    select(
                        chart_entries.c.key,
                        chart_entries.c.show_title,
                        chart_entries.c.season_title,
                    ).where(chart_entries.c.list.in_(lists))
                )
            }
        found: dict[tuple[str, str, str], Relabel] = {}
        for r in result.records:
            if r.week is None or r.season_title is None:
                continue
            old = stored.get(chart_key(r.list, r.country_iso2 or "", r.category, r.week, r.rank))
            if old is None or old[0] != r.show_title or old[1] is None:
                continue
            if index.as_published(r.show_title, r.season_title, published_at(r.week)) == old[1]:
                continue
            item = Relabel(first_seen, r.show_title, old[1], r.season_title, r.line)
            if (r.show_title, old[1], r.season_title) not in found:
                found[(r.show_title, old[1], r.season_title)] = item
                index.by_new.setdefault((r.show_title, r.season_title), []).append(
                    (first_seen, old[1])
                )
        return list(found.values())

    def _plan_relabels(self, plan: Plan, renamed: list[Any]) -> None:
        from renewcast.store.load import load_relabels

        text = "\n".join(
            f"{r.first_seen.isoformat()}|{r.show_title}|{r.old_season_title}|{r.new_season_title}"
            for r in renamed
        )
        source = "netflix-top10/relabels"
        result: ReadResult[Any] = ReadResult(
            source, f"{plan.copies[0].url}#relabels", sha256_bytes(text.encode()), renamed
        )
        doc = DocumentInfo(
            kind="derived",
            source=source,
            uri=result.uri,
            sha256=result.sha256,
            known_at=min(r.first_seen for r in renamed),
        )
        plan.imports.append(PlannedImport(doc, load_relabels(result)))

    def _relabels(self) -> Any:
        """The dated season-title relabels already stored (from ``sync``'s relabel file)."""
        from renewcast.store.load import RelabelIndex

        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    title_relabels.c.show_title,
                    title_relabels.c.old_season_title,
                    title_relabels.c.new_season_title,
                    title_relabels.c.known_at.label("first_seen"),
                )
            ).all()
        return RelabelIndex.from_records(rows) if rows else None

    def _last_global_week(self) -> date | None:
        with self.engine.connect() as conn:
            week = conn.execute(
                select(func.max(chart_entries.c.week)).where(chart_entries.c.list == "global")
            ).scalar()
        return week if isinstance(week, date) else None

    # -- Netflix engagement reports

    def engagement_reports(self) -> list[tuple[str, date | None]]:
        """The configured report URLs, each with its publication date when configured."""
        from renewcast.sources.netflix_engagement import REPORT_URLS

        config = self.data / ENGAGEMENT_CONFIG
        if not config.exists():
            return [(url, None) for url in REPORT_URLS.values()]
        reports = []
        for n, line in enumerate(config.read_text("utf-8").splitlines(), start=1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            published = None
            if len(words) > 1:
                try:
                    published = date.fromisoformat(words[1])
                except ValueError:
                    raise SourceError(
                        f"{config}:{n}: {words[1]!r} is not a date; write 'URL YYYY-MM-DD' "
                        "or just the URL"
                    ) from None
            reports.append((words[0], published))
        return reports

    def _engagement(self, out: SourceOutcome) -> Plan:
        from renewcast.sources import netflix_engagement as ne
        from renewcast.store import load
        from renewcast.store.sync import report_day

        plan = Plan()
        found: list[tuple[date | None, Copy]] = []
        for url, published in self.engagement_reports():
            name = Path(url.split("?")[0]).name or "report.xlsx"
            key = f"netflix-engagement/{name}"

            def fetch(v: Validators | None, u: str = url) -> Any:
                return ne.fetch_report_if_changed(self.client, u, v)

            try:
                copy = self._download(key, url, self.data / "netflix-engagement" / name, fetch, out)
            except NotFound as e:  # one dead link must not hold back the other reports
                out.files.append(FileOutcome(url, "missing"))
                out.problems.append(RowProblem(url, None, None, str(e)))
                out.notes.append(
                    f"{url} is gone (HTTP 404): fix or remove it in {self.data / ENGAGEMENT_CONFIG}"
                )
                continue
            found.append((published, copy))
        for published, copy in found:

            def parse(c: Copy, when: date | None = published) -> ReadResult[Any]:
                return ne.parse_report(c.body, c.url, _publication(c, when))

            self._plan_file(plan, copy, ne.SOURCE, parse, load.load_engagement, report_day)
        return plan

    # -- TVmaze

    def tvmaze_client(self) -> TvmazeClient:
        if self._tvmaze is None:
            from renewcast.sources.tvmaze import TvmazeClient

            self._tvmaze = TvmazeClient(self.client, max_retries=2)
        return self._tvmaze

    def _tvmaze_plan(self, out: SourceOutcome) -> Plan:
        from renewcast.store.tvmaze import tracked

        with self.engine.connect() as conn:
            shows = tracked(conn)
        if not shows:
            out.notes.append("no series tracked on TVmaze yet: `renewcast track TITLE` adds one")
        plan = Plan()
        for _sid, show_id, title in shows:
            self.say(f"tvmaze: {title}")
            self.plan_show(plan, show_id, out)
        return plan

    def plan_show(
        self, plan: Plan, show_id: int, out: SourceOutcome, *, series_id: int | None = None
    ) -> None:
        """Fetch one show (conditionally) and plan its import."""
        from renewcast.sources.tvmaze import TvmazeNotFoundError, parse_bundle
        from renewcast.store.tvmaze import SOURCE, load_show

        client = self.tvmaze_client()
        key = f"tvmaze/{show_id}"
        path = self.data / "tvmaze" / f"show-{show_id}.json"
        last = self.state.get(key) if path.exists() else {}
        try:
            answer, _bundle = client.show_bundle(
                show_id, etag=last.get("etag"), last_modified=last.get("last_modified")
            )
        except TvmazeNotFoundError as e:
            out.files.append(FileOutcome(client.show_bundle_url(show_id), "missing"))
            out.problems.append(RowProblem(str(e).split(": ")[0], None, None, str(e)))
            return
        fetched_at = _now()
        state = {"etag": answer.etag, "last_modified": answer.last_modified}
        if answer.body is None:
            out.files.append(FileOutcome(answer.url, "not-modified", str(path)))
            copy = self._last_copy(key, answer.url, path)
            copy.state.update(state)
        else:
            same = path.exists() and last.get("sha256") == sha256_bytes(answer.body)
            out.files.append(FileOutcome(answer.url, "same-content" if same else "downloaded"))
            copy = Copy(key, answer.url, path, answer.body, not same, {**last, **state})
            if not same:
                copy.state["fetched_at"] = fetched_at.isoformat()
        known = datetime.fromisoformat(copy.state.get("fetched_at") or fetched_at.isoformat())

        def parse(c: Copy) -> ReadResult[Any]:
            problems: list[RowProblem] = []
            bundle = parse_bundle(_json(c), c.url, problems)
            result: ReadResult[Any] = ReadResult(SOURCE, c.url, c.sha256, [bundle], problems)
            return result

        self._plan_file(
            plan,
            copy,
            SOURCE,
            parse,
            lambda r: load_show(r.records[0], known, series_id=series_id),
            lambda r: known,
            kind="api",
        )

    def track(self, show_id: int, series_id: int | None = None) -> SourceOutcome:
        """Track a TVmaze show (linked to ``series_id``, else found or created by its name) and
        import it now."""
        out = SourceOutcome("tvmaze")
        plan = Plan()
        try:
            self.plan_show(plan, show_id, out, series_id=series_id)
            if not plan.imports:  # already stored: make sure the link exists
                self._link(show_id, series_id)
            self._store(plan, out)
        except SourceError as e:
            out.status = "failed"
            out.message = str(e)
            return out
        out.status = "ok" if out.added or out.updated else "unchanged"
        return out

    def _link(self, show_id: int, series_id: int | None) -> None:
        from renewcast.store.tvmaze import link, tracked_series_id

        with self.engine.begin() as conn:
            if series_id is not None and tracked_series_id(conn, show_id) is None:
                link(conn, series_id, show_id)

    # -- news feeds

    def _news(self, out: SourceOutcome) -> None:
        """Poll every feed; a feed that fails is reported and the others go on."""
        from renewcast.news.fetch import fetch_url
        from renewcast.news.ingest import add_feed_bytes, extract_documents

        with self.engine.connect() as conn:
            feeds = conn.execute(
                select(
                    news_feeds.c.id, news_feeds.c.url, news_feeds.c.etag, news_feeds.c.last_modified
                )
            ).all()
        if not feeds:
            out.notes.append("no news feeds yet: `renewcast feeds add URL` adds one")
        failures = []
        added: list[int] = []
        for feed_id, url, etag, modified in feeds:
            self.say(f"news: {url}")
            headers = Validators(etag, modified).request_headers()
            try:
                with self._client_for(headers) as feed_client:
                    page = fetch_url(url, client=feed_client)
                if page.status == 304:
                    out.files.append(FileOutcome(url, "not-modified"))
                    continue
                _check_feed_complete(page.body, url)
                out.files.append(FileOutcome(url, "downloaded"))
                with self._client_for({}) as entry_client:
                    ingest = add_feed_bytes(
                        self.engine, page.body, url, client=entry_client, source="news"
                    )
            except SourceError as e:
                failures.append(str(e))
                continue
            added.extend(ingest.added)
            out.problems.extend(ingest.problems)
            out.notes.extend(ingest.notes)
            out.added += len(ingest.added)
            name = hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
            _write_atomic(self.data / "news" / f"feed-{name}.xml", page.body)
            with self.engine.begin() as conn:
                conn.execute(
                    news_feeds.update()
                    .where(news_feeds.c.id == feed_id)
                    .values(etag=page.etag, last_modified=page.last_modified)
                )
        if added and self.extract:
            self.say(f"news: extracting {len(added)} new articles")
            done = extract_documents(self.engine, doc_ids=added)
            out.notes.append(f"{done.to_json().get('extracted', len(added))} articles extracted")
        if failures:
            raise SourceError("; ".join(failures))

    def _client_for(self, headers: dict[str, str]) -> httpx.Client:
        if self._feed_client is not None:
            return self._feed_client(headers)
        import httpx

        from renewcast.sources.base import USER_AGENT

        return httpx.Client(headers={"User-Agent": USER_AGENT, **headers}, timeout=30.0)


# ------------------------------------------------------------------------------------ helpers


def _wiki_records(copy: Copy, record_type: type, snapshot: date) -> ReadResult[Any]:
    from renewcast.sources import wikipedia as wp

    result = wp.parse_list_html(copy.body, copy.url, snapshot)
    kept = [r for r in result.records if isinstance(r, record_type)]
    if not kept:
        raise SourceError(
            f"{copy.url}: no table with Title, Premiere{' and Status' if record_type is wp.CurrentSeries else ''} "
            "columns on the page; the page layout may have changed — check it in a browser"
        )
    source = wp.SOURCE_CURRENT if record_type is wp.CurrentSeries else wp.SOURCE_ENDED
    return ReadResult(source, copy.url, copy.sha256, kept, result.problems, snapshot)


def _check_feed_complete(body: bytes, url: str) -> None:
    """A feed cut short still yields its first entries to a lenient reader: refuse it whole."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as e:
        raise SourceError(
            f"{url}: the feed is not well-formed XML ({e}); it may have been cut short or "
            "moved — try again later, or check the feed address in a browser"
        ) from e


def _publication(copy: Copy, configured: date | None) -> date | None:
    """A report's publication date: the one Netflix's known reports have, else the configured
    one, else the day renewcast first downloaded it (never earlier than it was seen)."""
    from renewcast.sources.netflix_engagement import PUBLISHED, report_period

    try:
        label = report_period(Path(copy.url.split("?")[0]).name)[0]
    except ValueError:
        label = None
    if label in PUBLISHED:
        return None  # parse_report knows it
    if configured is not None:
        return configured
    first = copy.state.get("first_seen")
    return date.fromisoformat(first) if isinstance(first, str) else _now().date()


def _json(copy: Copy) -> Any:
    from renewcast.sources.tvmaze import TvmazeSchemaError

    try:
        return json.loads(copy.body)
    except ValueError as e:
        raise TvmazeSchemaError(
            f"{copy.url}: the answer is not valid JSON ({e}); it may have been cut short — "
            "retry later"
        ) from e


def add_feed(engine: Engine, url: str, *, allow_private: bool = False) -> tuple[int, bool]:
    """Remember a feed to poll (checked like every fetch: public http(s) only); (id, new)."""
    from renewcast.news.fetch import check_url

    check_url(url, allow_private=allow_private)
    with engine.begin() as conn:
        row = conn.execute(select(news_feeds.c.id).where(news_feeds.c.url == url)).first()
        if row:
            return int(row[0]), False
        return inserted_id(conn.execute(news_feeds.insert().values(url=url, added_at=_now()))), True


def list_feeds(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(news_feeds.c.id, news_feeds.c.url, news_feeds.c.added_at).order_by(
                news_feeds.c.id
            )
        ).all()
    return [{"id": i, "url": u, "added_at": a.isoformat(timespec="seconds")} for i, u, a in rows]


def remove_feed(engine: Engine, url_or_id: str) -> bool:
    with engine.begin() as conn:
        where = (
            news_feeds.c.id == int(url_or_id)
            if url_or_id.isdigit()
            else news_feeds.c.url == url_or_id
        )
        return bool(conn.execute(news_feeds.delete().where(where)).rowcount)


# ------------------------------------------------------------------------------------ entry points


def run_update(
    engine: Engine,
    data_dir: Path,
    names: Sequence[str] | None = None,
    *,
    on_progress: Callable[[str], None] | None = None,
) -> UpdateReport:
    """One locked update with a real HTTP client; raises :class:`UpdateBusy` when another runs."""
    import httpx

    from renewcast.sources.base import USER_AGENT

    with update_lock(data_dir), httpx.Client(headers={"User-Agent": USER_AGENT}) as client:
        return Updater(engine, data_dir, client=client, on_progress=on_progress).run(names)


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """ "6h", "30m", "1d", "90s" or plain seconds → seconds (at least one minute)."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in _UNITS else "s"
    number = value[:-1] if value[-1:] in _UNITS else value
    try:
        seconds = float(number) * _UNITS[unit]
    except ValueError:
        raise ValueError(f"{text!r} is not an interval; write e.g. 6h, 30m, 1d or 3600") from None
    if seconds < 60:
        raise ValueError(f"{text!r} is shorter than a minute; sources change weekly at most")
    return seconds


class RefreshLoop:
    """``serve --refresh``: one update every ``interval`` seconds in a daemon thread, one at a
    time (the lock also keeps a cron ``renewcast update`` apart: a busy round is skipped)."""

    def __init__(
        self,
        engine: Engine,
        data_dir: Path,
        interval: float,
        *,
        report: Callable[[str], None] | None = None,
        run: Callable[[], UpdateReport] | None = None,
    ) -> None:
        import threading

        self.interval = interval
        self.say = report or (lambda _msg: None)
        self._run = run or (lambda: run_update(engine, data_dir))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="renewcast-refresh", daemon=True)
        self.rounds: list[UpdateReport | str] = []

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def run_once(self) -> UpdateReport | str:
        try:
            result: UpdateReport | str = self._run()
        except UpdateBusy as e:
            result = f"skipped: {e}"
        except Exception as e:  # a broken round must not stop the server or the next round
            result = f"failed: {type(e).__name__}: {e}"
        self.rounds.append(result)
        if isinstance(result, UpdateReport):
            summary = ", ".join(f"{s.source} {s.status}" for s in result.sources)
            self.say(f"refresh: {summary}")
        else:
            self.say(f"refresh {result}")
        return result

    def _loop(self) -> None:
        while True:  # the first round at once, then one every interval until stopped
            self.run_once()
            if self._stop.wait(self.interval):
                return
