"""Shared test fixtures: the real data in ../shared, and a fresh store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RENEWCAST_SHARED", REPO.parent / "shared")).resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
