"""The command line's conventions: `python -m renewcast`, `--version`, `--json` everywhere, one
output format, first-run errors without side effects, as-of warnings, search and list, tables and
wrapping."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from renewcast import __version__
from renewcast.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_python_m_renewcast_prints_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "renewcast", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage:" in out.stdout
    for command in ("sync", "show", "ask", "search", "list", "forecast", "serve", "news"):
        assert command in out.stdout
    assert "RENEWCAST_DB" in out.stdout and "RENEWCAST_TOKEN" in out.stdout


def test_version() -> None:
    r = run("--version")
    assert r.exit_code == 0
    assert r.stdout.strip() == f"renewcast {__version__}"


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):  # a command group
            out += _commands(cmd, f"{prefix}{name} ")
        else:
            out.append((prefix + name, cmd))
    return out


def test_every_command_takes_json() -> None:
    commands = _commands(typer.main.get_group(app))
    assert len(commands) >= 16
    missing = [n for n, c in commands if not any("--json" in p.opts for p in c.params)]
    assert missing == []


# ------------------------------------------------------------------ first run
@pytest.mark.parametrize(
    "args",
    [
        ["ask", "Wednesday"],
        ["show", "Wednesday"],
        ["search", "wed"],
        ["list"],
        ["forecast", "--open"],
    ],
)
def test_read_commands_need_a_store_and_create_nothing(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "nowhere" / "x.db"
    r = run(*args, "--db", str(db))
    assert r.exit_code == 1
    assert f"no store at {db}; run `renewcast sync` first" in r.output
    assert not db.parent.exists()


def test_an_empty_store_says_to_sync(tmp_path: Path) -> None:
    from renewcast.store.db import connect

    db = tmp_path / "empty.db"
    connect(str(db))  # what a writer leaves: the schema, no data
    r = run("ask", "Wednesday", "--db", str(db))
    assert r.exit_code == 1 and "is empty; run `renewcast sync` first" in r.output


# ------------------------------------------------------------------ on the real data
def test_one_output_format(synced_db: str) -> None:
    r = run("ask", "Partner Track", "-f", "markdown", "--json", "--db", synced_db)
    assert r.exit_code == 1 and "two formats" in r.output
    r = run("ask", "Partner Track", "-f", "nonsense", "--db", synced_db)
    assert r.exit_code == 1 and "not known" in r.output
    a = run("ask", "Partner Track", "--as-of", "2022-09-01", "--json", "--db", synced_db)
    b = run("ask", "Partner Track", "--as-of", "2022-09-01", "-f", "json", "--db", synced_db)
    assert a.exit_code == b.exit_code == 0
    assert json.loads(a.stdout)["status"] == json.loads(b.stdout)["status"] == "pending"


def test_as_of_outside_the_data(synced_db: str) -> None:
    late = run("show", "Partner Track", "--as-of", "2999-01-01", "--json", "--db", synced_db)
    assert late.exit_code == 0
    assert "after the data ends: the data covers" in late.stderr
    json.loads(late.stdout)  # stdout stays clean JSON
    early = run("ask", "Partner Track", "--as-of", "2000-01-01", "--db", synced_db)
    assert early.exit_code == 1
    assert "before the data starts" in early.stderr
    assert "was not known yet by 2000-01-01: the data first has it on" in early.stderr


def test_search_ranks_prefixes_first_and_fails_with_suggestions(synced_db: str) -> None:
    r = run("search", "wedn", "--json", "--db", synced_db)
    assert r.exit_code == 0
    first = json.loads(r.stdout)["matches"][0]
    assert first["title"] == "Wednesday" and first["year"] and first["platform"] == "Netflix"
    assert first["status"] in ("renewed", "cancelled", "ended", "limited", "pending")
    table = run("search", "witcher", "--limit", "3", "--db", synced_db)
    assert (
        table.exit_code == 0 and table.stdout.index("The Witcher") < table.stdout.index("2019") + 40
    )
    miss = run("search", "Stranjer Thinks Forever", "--db", synced_db)
    assert (
        miss.exit_code == 1 and "did you mean" in miss.stderr and "Stranger Things" in miss.stderr
    )


def test_list_by_status_and_platform(synced_db: str) -> None:
    r = run(
        "list",
        "--status",
        "renewed",
        "--platform",
        "Netflix",
        "--as-of",
        "2024-06-30",
        "--limit",
        "5",
        "--json",
        "--db",
        synced_db,
    )
    assert r.exit_code == 0
    rows = json.loads(r.stdout)["decisions"]
    assert rows and all(d["status"] == "renewed" and d["platform"] == "Netflix" for d in rows)
    assert all(d["decided_at"] <= "2024-06-30" for d in rows)
    p = run(
        "list", "--status", "pending", "--as-of", "2024-06-30", "--limit", "5", "--db", synced_db
    )
    assert p.exit_code == 0 and "awaiting a decision" in p.stdout and "(forecast)" in p.stdout
    bad = run("list", "--status", "maybe", "--db", synced_db)
    assert bad.exit_code == 1 and "not known" in bad.stderr


# ------------------------------------------------------------------ text output
def test_backtest_prints_date_errors_as_a_table() -> None:
    from rich.console import Console

    from renewcast.cli.forecast import _interval_table

    summary = {
        "decision_timing": {
            "n": 12,
            "without_p50": 1,
            "median_abs_days": 30.5,
            "coverage_80": 0.75,
        },
        "release_window": {
            "n": 8,
            "without_p50": 0,
            "median_abs_days": 41,
            "coverage_80": 0.625,
            "with_cadence": {"n": 5, "without_p50": 0, "median_abs_days": 20, "coverage_80": 0.8},
            "peer_curve_only": {"n": 0, "without_p50": 0},
        },
    }
    out = io.StringIO()
    Console(file=out, width=100).print(_interval_table(summary))
    text = out.getvalue()
    assert "{" not in text  # no Python dict text
    assert "decision date" in text and "30.5" in text and "75%" in text and "62%" in text


def test_text_answers_wrap_with_a_hanging_indent_and_keep_urls_whole() -> None:
    from rich.console import Console

    from renewcast.answer.render_text import _hanging

    url = "https://example.org/news/2024/05/a-made-up-article-about-a-renewal-decision"
    out = io.StringIO()
    console = Console(file=out, width=40)
    _hanging(console, f"An invented sentence that is long enough to wrap twice ({url})", "  • ")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("  • ") and len(lines) >= 3
    assert all(line.startswith("    ") for line in lines[1:])
    assert any(url in line for line in lines)  # never cut inside


# ------------------------------------------------------------------ progress
def test_ask_shows_a_spinner_on_stderr_only(
    synced_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from renewcast.cli import common

    err = io.StringIO()
    monkeypatch.setattr(common, "_stderr", lambda: Console(file=err, force_terminal=True))
    r = run("ask", "Partner Track", "--as-of", "2023-06-30", "--db", synced_db)
    assert r.exit_code == 0
    assert "answering for Partner Track" in err.getvalue()  # the spinner, on stderr
    assert "answering for" not in r.stdout and "Partner Track" in r.stdout
    err.truncate(0)
    r = run("ask", "Partner Track", "--as-of", "2023-06-30", "--json", "--db", synced_db)
    assert r.exit_code == 0 and "answering for" not in err.getvalue()
    json.loads(r.stdout)
    monkeypatch.setattr(common, "_stderr", lambda: Console(file=err, force_terminal=False))
    with common.working("another step"):  # stderr not a terminal: no spinner
        pass
    assert "another step" not in err.getvalue()
