"""The import machinery every loader shares: one transaction per file, an import log, idempotent writes.

``run_import`` opens a transaction, registers the source document, runs a loader and commits; on any
error the transaction rolls back (nothing half-written) and the failure is logged in its own
transaction. Writers compare with what is stored, so importing the same file twice adds and changes
nothing.

A new version of a file (same source and file name, other content) *replaces* what the earlier
versions stored: rows it states again are moved to it, rows only the earlier versions stated are
deleted, and so are series nothing refers to any more. Importing a broken file and then the fixed
one leaves the store as importing the fixed one alone would. A new version that lacks an optional
column the stored version had is refused: it would turn known values into unknown ones.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, select, update

from renewcast.sources.base import ABSENT_COLUMN, RowProblem
from renewcast.store.schema import (
    documents,
    facts,
    import_log,
    import_problems,
    inserted_id,
    metadata,
    seasons,
    series,
    series_aliases,
    series_xrefs,
)

MAX_PROBLEMS_STORED = 1000


@dataclass(slots=True)
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass(slots=True)
class ImportReport:
    source: str
    uri: str
    status: str  # ok | unchanged | failed
    counts: Counts = field(default_factory=Counts)
    problems: list[RowProblem] = field(default_factory=list)
    message: str | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    # earlier versions of this file: what they stored is replaced by this import
    supersedes: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "uri": self.uri,
            "status": self.status,
            "added": self.counts.added,
            "updated": self.counts.updated,
            "unchanged": self.counts.unchanged,
            "problems": len(self.problems),
            "problem_samples": [str(p) for p in self.problems[:5]],
            "notes": self.notes,
            "message": self.message,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class DocumentInfo:
    kind: str
    source: str
    uri: str
    sha256: str
    known_at: datetime
    title: str | None = None
    publisher: str | None = None
    published: datetime | None = None
    canonical_url: str | None = None
    content_hash: str | None = None
    text: str | None = None
    raw: str | None = None


def now() -> datetime:
    return datetime.now(UTC)


def register_document(conn: Connection, info: DocumentInfo) -> tuple[int, bool]:
    """The document's id, and whether it was new."""
    row = conn.execute(
        select(documents.c.id).where(
            documents.c.source == info.source, documents.c.sha256 == info.sha256
        )
    ).first()
    if row:
        return int(row[0]), False
    values = {
        "kind": info.kind,
        "source": info.source,
        "uri": info.uri,
        "sha256": info.sha256,
        "known_at": info.known_at,
        "fetched_at": now(),
        "title": info.title,
        "publisher": info.publisher,
        "published": info.published,
        "canonical_url": info.canonical_url,
        "content_hash": info.content_hash,
        "text": info.text,
        "raw": info.raw,
    }
    return inserted_id(conn.execute(documents.insert().values(**values))), True


Loader = Callable[[Connection, int, ImportReport], Counts]


def run_import(
    engine: Engine, doc: DocumentInfo, loader: Loader, *, problems: Sequence[RowProblem] = ()
) -> ImportReport:
    """Run ``loader(conn, document_id, report)`` in one transaction and log the outcome."""
    report = ImportReport(source=doc.source, uri=doc.uri, status="ok", problems=list(problems))
    started = now()
    t0 = time.perf_counter()
    try:
        with engine.begin() as conn:
            load_document(conn, doc, loader, report)
        c = report.counts
        report.status = "unchanged" if c.added == 0 and c.updated == 0 else "ok"
    except Exception as e:  # the transaction rolled back: nothing of this file is stored
        report.status = "failed"
        report.message = f"{doc.uri}: {type(e).__name__}: {e}"
        report.counts = Counts()
    report.seconds = time.perf_counter() - t0
    log_import(engine, report, doc.sha256, started)
    return report


def load_document(
    conn: Connection, doc: DocumentInfo, loader: Loader, report: ImportReport
) -> None:
    """Register ``doc`` and run its loader inside the caller's transaction; a new version of a
    file replaces what its earlier versions stored (see the module docstring)."""
    doc_id, _new = register_document(conn, doc)
    if doc.kind == "file":
        report.supersedes = earlier_versions(conn, doc, doc_id)
        _refuse_dropped_columns(conn, report)
    report.counts = loader(conn, doc_id, report)
    if report.supersedes:
        report.counts.updated += retract(conn, report.supersedes)
        report.notes.append(
            f"replaces what {len(report.supersedes)} earlier version(s) of the file stored"
        )


@dataclass(slots=True)
class PlannedImport:
    """One document of a source and the loader that writes its rows."""

    doc: DocumentInfo
    loader: Loader
    problems: Sequence[RowProblem] = ()


def run_imports(engine: Engine, planned: Sequence[PlannedImport]) -> list[ImportReport]:
    """Import several documents of one source in **one** transaction: all of them or none.

    When one loader fails every report is ``failed`` (the first failure's message on it, a note
    on the others) and nothing of any of them is stored; each outcome is logged.
    """
    reports = [
        ImportReport(source=p.doc.source, uri=p.doc.uri, status="ok", problems=list(p.problems))
        for p in planned
    ]
    started = now()
    t0 = time.perf_counter()
    current = 0
    try:
        with engine.begin() as conn:
            for i, (p, report) in enumerate(zip(planned, reports, strict=True)):
                current = i
                load_document(conn, p.doc, p.loader, report)
        for report in reports:
            c = report.counts
            report.status = "unchanged" if c.added == 0 and c.updated == 0 else "ok"
    except Exception as e:  # the transaction rolled back: nothing of this source is stored
        failed = planned[current].doc.uri
        for i, report in enumerate(reports):
            report.status = "failed"
            report.counts = Counts()
            report.message = (
                f"{failed}: {type(e).__name__}: {e}"
                if i == current
                else f"not stored: {failed} of the same source failed"
            )
    seconds = time.perf_counter() - t0
    for p, report in zip(planned, reports, strict=True):
        report.seconds = seconds
        log_import(engine, report, p.doc.sha256, started)
    return reports


def earlier_versions(conn: Connection, doc: DocumentInfo, doc_id: int) -> list[int]:
    """Documents of the same source and file name with other content: this file's older versions."""
    name = PurePath(doc.uri).name
    rows = conn.execute(
        select(documents.c.id, documents.c.uri).where(
            documents.c.source == doc.source, documents.c.kind == "file", documents.c.id != doc_id
        )
    )
    return [int(i) for i, uri in rows if PurePath(uri).name == name]


def _refuse_dropped_columns(conn: Connection, report: ImportReport) -> None:
    """Raise when this version lacks an optional column that the stored version had."""
    absent = {p.field for p in report.problems if p.message == ABSENT_COLUMN and p.field}
    if not absent or not report.supersedes:
        return
    shas = select(documents.c.sha256).where(documents.c.id.in_(report.supersedes))
    before = {
        str(f)
        for (f,) in conn.execute(
            select(import_problems.c.field)
            .join(import_log, import_log.c.id == import_problems.c.import_id)
            .where(
                import_log.c.sha256.in_(shas),
                import_log.c.status != "failed",
                import_problems.c.message == ABSENT_COLUMN,
            )
        )
    }
    dropped = sorted(absent - before)
    if dropped:
        raise ValueError(
            f"column(s) {', '.join(dropped)} missing, but the stored version of this file has "
            "them; refusing to replace their values with unknown ones (a changed file format?). "
            "Restore the column(s) and sync again; the stored version is kept"
        )


def _document_tables() -> list[Table]:
    return [
        t
        for t in metadata.sorted_tables
        if "document_id" in t.c and t is not documents and t.c.document_id.foreign_keys
    ]


def _series_tables() -> list[Table]:
    """Tables whose rows refer to a series (not the series' own aliases and cross-references)."""
    own = {series_aliases.name, series_xrefs.name, seasons.name}
    return [
        t
        for t in metadata.sorted_tables
        if "series_id" in t.c
        and t.name not in own
        and any(fk.column.table is series for fk in t.c.series_id.foreign_keys)
    ]


def retract(conn: Connection, doc_ids: Sequence[int]) -> int:
    """Delete what documents ``doc_ids`` still hold, the documents, and series left unreferenced.

    Returns how many rows were deleted (series and their own rows not counted)."""
    tables = _document_tables()
    touched: set[int] = set()
    for t in tables:
        if "series_id" in t.c:
            touched.update(
                int(sid)
                for (sid,) in conn.execute(
                    select(t.c.series_id).where(t.c.document_id.in_(doc_ids)).distinct()
                )
                if sid is not None
            )
    removed = 0
    for t in reversed(tables):
        removed += conn.execute(delete(t).where(t.c.document_id.in_(doc_ids))).rowcount or 0
    conn.execute(delete(documents).where(documents.c.id.in_(doc_ids)))
    orphans = sorted(touched)
    for t in _series_tables():
        if not orphans:
            break
        used = {
            int(sid)
            for i in range(0, len(orphans), 500)
            for (sid,) in conn.execute(
                select(t.c.series_id).where(t.c.series_id.in_(orphans[i : i + 500])).distinct()
            )
        }
        orphans = [s for s in orphans if s not in used]
    for i in range(0, len(orphans), 500):
        chunk = orphans[i : i + 500]
        for owned in (series_aliases, series_xrefs, seasons):
            conn.execute(delete(owned).where(owned.c.series_id.in_(chunk)))
        conn.execute(delete(series).where(series.c.id.in_(chunk)))
    return removed


def log_import(engine: Engine, report: ImportReport, sha256: str | None, started: datetime) -> None:
    with engine.begin() as conn:
        log_id = inserted_id(
            conn.execute(
                import_log.insert().values(
                    source=report.source,
                    uri=report.uri,
                    sha256=sha256,
                    started_at=started,
                    finished_at=now(),
                    status=report.status,
                    added=report.counts.added,
                    updated=report.counts.updated,
                    unchanged=report.counts.unchanged,
                    problems=len(report.problems),
                    message="\n".join(filter(None, [report.message, *report.notes])) or None,
                )
            )
        )
        rows = [
            {
                "import_id": log_id,
                "file": p.file,
                "line": p.line,
                "field": p.field,
                "message": p.message,
            }
            for p in report.problems[:MAX_PROBLEMS_STORED]
        ]
        if rows:
            conn.execute(import_problems.insert(), rows)


def upsert_keyed(
    conn: Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    *,
    compare: Sequence[str],
    scope: Any = None,
    supersedes: Sequence[int] = (),
) -> Counts:
    """Insert rows by their unique ``key``; update those whose ``compare`` columns changed.

    ``scope`` (a WHERE clause) limits which stored rows are preloaded for comparison. An unchanged
    row stored by an earlier version of the file (``supersedes``) moves to the new document.
    """
    counts = Counts()
    key_col = table.c.key
    cols = [table.c.id, key_col, table.c.document_id, *(table.c[c] for c in compare)]
    q = select(*cols)
    if scope is not None:
        q = q.where(scope)
    existing = {r[1]: (r[0], r[2], tuple(r[3:])) for r in conn.execute(q)}
    older = set(supersedes)
    inserts: list[dict[str, Any]] = []
    moved: list[int] = []
    seen: set[str] = set()
    doc_id = None
    for row in rows:
        key = row["key"]
        doc_id = row.get("document_id")
        if key in seen:
            continue
        seen.add(key)
        old = existing.get(key)
        if old is None:
            inserts.append(row)
            continue
        new_vals = tuple(row.get(c) for c in compare)
        if _same(old[2], new_vals):
            counts.unchanged += 1
            if old[1] in older:
                moved.append(old[0])
        else:
            conn.execute(table.update().where(table.c.id == old[0]).values(**row))
            counts.updated += 1
    for i in range(0, len(moved), 5000):
        conn.execute(
            update(table).where(table.c.id.in_(moved[i : i + 5000])).values(document_id=doc_id)
        )
    for i in range(0, len(inserts), 5000):
        conn.execute(table.insert(), inserts[i : i + 5000])
    counts.added += len(inserts)
    return counts


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    for x, y in zip(a, b, strict=True):
        if isinstance(x, float) or isinstance(y, float):
            if x is None or y is None:
                if x is not y:
                    return False
            elif abs(float(x) - float(y)) > 1e-9 * max(1.0, abs(float(x))):
                return False
        elif x != y:
            return False
    return True


class FactWriter:
    """Writes one document's dated facts: one row per (fact, document), never moved between sources.

    Every source keeps its own row for a fact it states, so a query can ask both "when was this
    public" (``known_at``) and "which source said so, and when was that source available"
    (``documents.known_at``) — a store synced later, with more sources, still holds the rows a store
    synced earlier had. Within one document a fact stated several times keeps its earliest date.
    """

    def __init__(self, conn: Connection, document_id: int) -> None:
        self.conn = conn
        self.document_id = document_id
        self.counts = Counts()
        self._stored: dict[tuple[int, int, str, str], tuple[int, datetime]] = {}
        for fid, sid, season, attr, value, known_at in conn.execute(
            select(
                facts.c.id,
                facts.c.series_id,
                facts.c.season_number,
                facts.c.attribute,
                facts.c.value,
                facts.c.known_at,
            ).where(facts.c.document_id == document_id)
        ):
            self._stored[(sid, season, attr, value)] = (fid, known_at)
        self._pending: dict[tuple[int, int, str, str], dict[str, Any]] = {}
        self._updates: dict[int, datetime] = {}

    def add(
        self, series_id: int, season: int, attribute: str, value: Any, known_at: datetime
    ) -> None:
        encoded = json.dumps(value, default=str, sort_keys=True)
        k = (series_id, season, attribute, encoded)
        pending = self._pending.get(k)
        if pending is not None:
            pending["known_at"] = min(pending["known_at"], known_at)
            return
        stored = self._stored.get(k)
        if stored is None:
            self._pending[k] = {
                "series_id": series_id,
                "season_number": season,
                "attribute": attribute,
                "value": encoded,
                "document_id": self.document_id,
                "known_at": known_at,
            }
            return
        fid, old_at = stored
        new_at = min(known_at, self._updates.get(fid, known_at))
        if fid in self._updates or new_at != old_at:
            self._updates[fid] = new_at
        else:
            self._updates.setdefault(fid, old_at)

    def flush(self) -> Counts:
        rows = list(self._pending.values())
        for i in range(0, len(rows), 5000):
            self.conn.execute(facts.insert(), rows[i : i + 5000])
        self.counts.added += len(rows)
        stored_at = {fid: at for fid, at in self._stored.values()}
        for fid, at in self._updates.items():
            if at != stored_at[fid]:
                self.conn.execute(facts.update().where(facts.c.id == fid).values(known_at=at))
                self.counts.updated += 1
            else:
                self.counts.unchanged += 1
        self._pending = {}
        self._updates = {}
        return self.counts
