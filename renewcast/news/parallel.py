"""Extraction at scale on Dask: a local cluster by default, a real scheduler when given.

The driver cuts the work into partitions of articles and keeps only a bounded number of them in
flight (so a huge archive never sits in memory at once); workers run the pure
:func:`renewcast.news.jobs.extract_many` (spaCy is loaded once per worker process and stays
loaded) and send back plain JSON results, which the driver hands on as they complete — for the
store, :func:`renewcast.news.ingest.extract_documents` writes each one at once, so a run that
stops keeps what finished and a rerun continues. Each article is extracted on its own, so the
results are identical to the single-process run whatever the partitioning.

A local cluster runs ``workers`` processes with one thread each. With ``scheduler`` (an address
such as ``tcp://10.0.0.5:8786``) the work goes to that cluster's workers, which must run the
same renewcast code: the driver checks each worker's extractor version before submitting.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from renewcast.news.article import Article
from renewcast.news.jobs import DocInput, DocResult, extract_many, extractor_version, load_inputs

if TYPE_CHECKING:
    from distributed import Client
    from sqlalchemy import Engine

    from renewcast.news.mentions import Catalog


class ParallelError(RuntimeError):
    """The Dask cluster could not be started or reached, or its workers run other code."""


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    address: str
    workers: int
    local: bool
    code: str  # the workers' extraction code version


def _warm() -> str:
    """Runs on each worker: load the spaCy model once and report the extraction code version."""
    from renewcast.news.nlp import get_nlp

    get_nlp()
    return extractor_version(None).split(".")[0]


@contextmanager
def dask_client(
    workers: int = 2, scheduler: str | None = None, *, timeout: float = 20.0
) -> Iterator[Client]:
    """A client for ``scheduler``, or for a new local cluster of ``workers`` single-threaded
    processes (closed on exit)."""
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=f"{timeout}s")
        else:
            with warnings.catch_warnings():  # its HTTP port is taken when two clusters run
                warnings.filterwarnings("ignore", message=r"Port \d+ is already in use")
                cluster = LocalCluster(
                    n_workers=max(1, workers),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        hint = (
            "start one with `dask scheduler` and `dask worker ADDRESS`, or leave out --scheduler"
            if scheduler
            else "try fewer --workers"
        )
        raise ParallelError(f"cannot reach {where} ({e}); {hint}") from e
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def check_workers(client: Client) -> ClusterInfo:
    """Load spaCy on every worker and make sure they all run the same extraction code (each
    result is stored with the code version of the worker that made it)."""
    versions: dict[str, str] = client.run(_warm)
    if not versions:
        raise ParallelError(f"the Dask cluster at {_address(client)} has no workers")
    if len(set(versions.values())) > 1:
        listing = ", ".join(f"{addr}: {v}" for addr, v in sorted(versions.items()))
        raise ParallelError(
            f"the Dask workers run different extraction code ({listing}); install the same "
            "renewcast on every worker"
        )
    code = next(iter(versions.values()))
    return ClusterInfo(_address(client), len(versions), client.cluster is not None, code)


def _address(client: Client) -> str:
    return str(client.scheduler_info().get("address", "?"))


def run_partitions(
    client: Client,
    partitions: Iterable[Sequence[DocInput]],
    catalog: Catalog | None,
    *,
    in_flight: int | None = None,
) -> Iterator[DocResult]:
    """Submit partitions lazily (at most ``in_flight`` at a time) and yield results as they
    complete. A partition whose worker died gives an error result for each of its documents."""
    from distributed import as_completed

    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = in_flight or 2 * n_workers + 1
    cat = client.scatter(catalog, broadcast=True) if catalog is not None else None
    source = iter(partitions)
    pending: dict[Any, list[int]] = {}
    ac = as_completed()

    def submit_next() -> bool:
        part = next(source, None)
        if part is None:
            return False
        fut = client.submit(extract_many, list(part), cat, pure=False)
        pending[fut] = [it.doc_id for it in part]
        ac.add(fut)
        return True

    for _ in range(limit):
        if not submit_next():
            break
    for fut in ac:
        ids = pending.pop(fut)
        try:
            results: list[DocResult] = fut.result()
        except Exception as e:  # a worker died or the task could not run
            results = [DocResult(i, None, error=f"Dask task failed: {e}") for i in ids]
        finally:
            fut.release()
        submit_next()
        yield from results


def extract_on_dask(
    engine: Engine,
    ids: Sequence[int],
    catalog: Catalog | None,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    partition_size: int = 8,
    version: str | None = None,
) -> Iterator[DocResult]:
    """Extract stored documents ``ids`` on Dask; documents are read from the store one
    partition at a time, just before they are submitted."""

    def partitions() -> Iterator[list[DocInput]]:
        for i in range(0, len(ids), partition_size):
            with engine.connect() as conn:
                yield load_inputs(conn, ids[i : i + partition_size])

    with dask_client(workers, scheduler) as client:
        check_workers(client)
        yield from run_partitions(client, partitions(), catalog)


def extract_articles(
    articles: Iterable[Article],
    catalog: Catalog | None = None,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    partition_size: int = 8,
) -> Iterator[tuple[Article, DocResult]]:
    """Extract articles (no store) on Dask; yields (article, result) as results complete."""
    by_index: dict[int, Article] = {}

    def partitions() -> Iterator[list[DocInput]]:
        part: list[DocInput] = []
        for n, a in enumerate(articles):
            by_index[n] = a
            part.append(DocInput(n, a))
            if len(part) >= partition_size:
                yield part
                part = []
        if part:
            yield part

    with dask_client(workers, scheduler) as client:
        check_workers(client)
        for res in run_partitions(client, partitions(), catalog):
            yield by_index.pop(res.doc_id), res


@contextmanager
def progress_bar(
    description: str, *, transient: bool = False
) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr; yields ``on_progress(done, total)``."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=transient,
    ) as progress:
        task = progress.add_task(description, total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield on_progress
