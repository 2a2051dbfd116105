"""Shared test fixtures: the real data in ../shared, and a fresh store per test."""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RENEWCAST_SHARED", REPO.parent / "shared")).resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Test files with a ``slow`` test first, the rest in their order: ``make test`` runs the
    files on two workers (pytest-xdist, ``--dist loadfile``), and a long file started last
    would leave one worker idle while it runs."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"shared data not found at {SHARED} (set RENEWCAST_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def data_dir(shared: Path) -> Path:
    return shared / "data"


@pytest.fixture(scope="session")
def seed_article(shared: Path) -> Path:
    return shared / "seed" / "partner-track-season-2.txt"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


def _pg_url() -> str | None:
    return os.environ.get("RENEWCAST_TEST_PG")


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh, empty store on SQLite and (when RENEWCAST_TEST_PG is set) on PostgreSQL."""
    from renewcast.store.db import connect, dispose_all

    if request.param == "sqlite":
        eng = connect(f"sqlite:///{tmp_path / 'store.db'}")
        yield eng
        dispose_all()
        return
    url = _pg_url()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("RENEWCAST_TEST_PG is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("RENEWCAST_TEST_PG not set (a PostgreSQL URL for tests)")
    eng = _fresh_pg(url, f"t_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}")
    yield eng
    dispose_all()


def _fresh_pg(url: str, schema_db: str):  # type: ignore[no-untyped-def]
    """Create a throwaway database on the test server and return an engine for it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from renewcast.store.db import connect

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{schema_db}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{schema_db}"'))
    admin.dispose()
    return connect(make_url(url).set(database=schema_db).render_as_string(hide_password=False))


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder ``build`` fills once per test run, for read-only use. Under pytest-xdist
    (``make test`` runs two workers) the first worker to ask builds it under a lock in the run's
    shared temporary folder and the others wait for it and reuse it; in one process it is an
    ordinary session folder."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = factory.mktemp(name)
        build(folder)
        return folder
    root = factory.getbasetemp().parent  # shared by the run's workers
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            folder.mkdir(exist_ok=True)
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def synced_db(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store synced once per test run from the real ../shared/data (read-only use)."""

    def build(folder: Path) -> None:
        from renewcast.store.db import connect
        from renewcast.store.sync import sync_dir

        reports = sync_dir(connect(f"sqlite:///{folder / 'store.db'}"), data_dir)
        failed = [r.message for r in reports if r.status == "failed"]
        assert not failed, failed

    return f"sqlite:///{built_once(tmp_path_factory, 'synced', build) / 'store.db'}"


@pytest.fixture(scope="session")
def synced_engine(synced_db: str):  # type: ignore[no-untyped-def]
    from renewcast.store.db import connect

    return connect(synced_db)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Terminate a child process (a `renewcast serve`); kill it if it does not stop in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def copy_sqlite(src_url: str, dest: Path) -> str:
    """A private copy of a SQLite store (online backup), for tests that write."""
    import sqlite3

    src = sqlite3.connect(src_url.removeprefix("sqlite:///"))
    dst = sqlite3.connect(dest)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return f"sqlite:///{dest}"


@pytest.fixture(scope="session")
def news_db(
    synced_db: str, data_dir: Path, seed_article: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The synced store plus the news archive and the seed article, ingested and extracted once.

    Read-only: a test that writes takes ``news_db_copy``.
    """

    def build(folder: Path) -> None:
        from datetime import UTC, datetime

        from renewcast.news.ingest import add_path, extract_documents
        from renewcast.store.db import connect

        engine = connect(copy_sqlite(synced_db, folder / "store.db"))
        add_path(engine, data_dir / "news" / "articles.jsonl")
        add_path(engine, seed_article, published=datetime(2022, 9, 1, tzinfo=UTC))
        report = extract_documents(engine)
        assert not report.problems, report.problems[:3]

    return f"sqlite:///{built_once(tmp_path_factory, 'news', build) / 'store.db'}"


@pytest.fixture
def news_db_copy(news_db: str, tmp_path: Path) -> str:
    return copy_sqlite(news_db, tmp_path / "store.db")


@pytest.fixture(scope="session")
def copy_store():  # type: ignore[no-untyped-def]
    """``copy_store(src_url, dest_path) -> url``: a private copy of a SQLite store for a writer."""
    return copy_sqlite


@pytest.fixture(scope="session")
def add_series():  # type: ignore[no-untyped-def]
    """``add_series(engine, title="Quiet Harbour Nights") -> id``: one invented series."""
    return add_invented_series


def add_invented_series(engine, title: str = "Quiet Harbour Nights") -> int:  # type: ignore[no-untyped-def]
    """One invented series in an empty store (for tests that need a series and nothing else)."""
    from datetime import UTC, datetime

    from renewcast.store.identity import normalize_title
    from renewcast.store.schema import inserted_id, series

    with engine.begin() as conn:
        return inserted_id(
            conn.execute(
                series.insert().values(
                    title=title,
                    norm_title=normalize_title(title),
                    platform="Netflix",
                    first_known_at=datetime(2021, 3, 1, tzinfo=UTC),
                )
            )
        )
