"""The command line's conventions: `python -m renewcast`, `--version`, the command groups."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from renewcast import __version__
from renewcast.cli import app


def test_python_m_renewcast_prints_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "renewcast", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage:" in out.stdout
    for command in ("sync", "show", "ask", "forecast", "serve", "news", "watch"):
        assert command in out.stdout


def test_version() -> None:
    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0
    assert r.stdout.strip() == f"renewcast {__version__}"
