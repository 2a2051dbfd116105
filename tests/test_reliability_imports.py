"""Imports survive any line: a bad line is a named problem (file, line, field), the good lines are
stored, and ``extract`` and ``news add`` read a JSONL file the same way (lines end at "\\n" only).
Includes property-based fuzzing of the JSONL and Top 10 TSV readers. Every input is invented here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from renewcast.cli import app
from renewcast.news.article import Article, jsonl_articles, url_problem
from renewcast.sources.base import RowProblem, SourceError

runner = CliRunner()


def _line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


GOOD = dict(
    id="a1",
    url="https://news.example/harbour-lights-renewed",
    published="2024-04-02",
    title="Harbour Lights renewed for a second season",
    text="Harbour Lights has been renewed for a second season, its streamer said on Tuesday.",
)


def hostile_archive() -> str:
    lines = [
        _line(**GOOD),
        "[" * 3000,  # nested too deeply for the json module
        _line(**{**GOOD, "id": "a3", "url": "http://127.0.0.1:99999/"}),
        _line(**{**GOOD, "id": "a4", "url": "http://[::1/a"}),
        _line(**{**GOOD, "id": "a5", "published": "the 5th of never"}),
        _line(**{**GOOD, "id": "a6", "text": None}),
        # U+2028 and U+0085 are legal inside a JSON string: one line, one article
        _line(
            **{
                **GOOD,
                "id": "a7",
                "url": "https://news.example/copper-orchard",
                "title": "The Copper Orchard\u2028ends",
                "text": "The Copper Orchard will end\u0085after its third season, "
                "its creator confirmed.",
            }
        ),
        '{"id": "a8", "text": "unfinished',
        _line(
            **{
                **GOOD,
                "id": "a9",
                "url": "https://news.example/nine-rooms",
                "text": "Nine Quiet Rooms is cancelled after one season, the network said.",
            }
        ),
    ]
    return "\n".join(lines) + "\n"


EXPECTED_PROBLEMS = {(2, None), (3, "url"), (4, "url"), (5, "published"), (6, "text"), (8, None)}


def test_the_reader_names_every_bad_line_and_keeps_the_good_ones() -> None:
    items = list(jsonl_articles(hostile_archive(), "arch.jsonl"))
    problems = [i for i in items if isinstance(i, RowProblem)]
    good = [i for i in items if not isinstance(i, RowProblem)]
    assert {(p.line, p.field) for p in problems} == EXPECTED_PROBLEMS
    assert all(p.file == "arch.jsonl" for p in problems)
    assert [(n, a.id) for n, a in good] == [(1, "a1"), (7, "a7"), (9, "a9")]
    assert "\u2028" in good[1][1].title and "\u0085" in good[1][1].text


def test_news_add_stores_the_good_lines_and_reports_the_rest(tmp_path: Path) -> None:
    from renewcast.news.ingest import add_path
    from renewcast.store.db import connect

    path = tmp_path / "arch.jsonl"
    path.write_text(hostile_archive(), encoding="utf-8")
    engine = connect(f"sqlite:///{tmp_path / 's.db'}")
    report = add_path(engine, path)
    assert len(report.added) == 3
    assert {(p.line, p.field) for p in report.problems} == EXPECTED_PROBLEMS


def test_extract_reads_the_same_articles_as_news_add(tmp_path: Path) -> None:
    path = tmp_path / "arch.jsonl"
    path.write_text(hostile_archive(), encoding="utf-8")
    res = runner.invoke(app, ["extract", str(path)])
    assert res.exit_code == 0, res.output
    ids = [json.loads(line)["id"] for line in res.stdout.split("\n") if line.strip()]
    assert ids == ["a1", "a7", "a9"]
    assert "Traceback" not in res.output


def _latin1_archive() -> tuple[bytes, bytes]:
    """(broken, fixed): line 2's title saved as Latin-1 in the broken file."""
    lines = [
        _line(**GOOD),
        _line(
            **{
                **GOOD,
                "id": "b2",
                "url": "https://news.example/cafe",
                "title": "Café Meridian",
                "text": "Café Meridian has been renewed for a third season, its studio said.",
            }
        ),
        _line(
            **{
                **GOOD,
                "id": "b3",
                "url": "https://news.example/nine-rooms",
                "title": "Nine Quiet Rooms",
                "text": "Nine Quiet Rooms is cancelled after one season, the network said.",
            }
        ),
    ]
    fixed = ("\n".join(lines) + "\n").encode("utf-8")
    return fixed.replace("Café".encode(), b"Caf\xe9"), fixed


def _titles(engine: Any) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from renewcast.store.schema import documents

    with engine.connect() as conn:
        rows = conn.execute(select(documents.c.uri, documents.c.title).order_by(documents.c.uri))
        return [(r.uri, r.title) for r in rows]


def test_a_line_that_is_not_utf8_is_a_named_problem_and_a_fixed_file_heals(
    tmp_path: Path,
) -> None:
    """As the sync readers: the line is left out (not stored with U+FFFD) and reported by file
    and line; adding the fixed file then stores it, as adding the fixed file alone would."""
    from renewcast.news.ingest import add_path
    from renewcast.store.db import connect

    broken, fixed = _latin1_archive()
    path = tmp_path / "arch.jsonl"
    path.write_bytes(broken)
    healed = connect(f"sqlite:///{tmp_path / 'healed.db'}")
    report = add_path(healed, path)
    assert len(report.added) == 2
    (problem,) = report.problems
    assert (problem.file, problem.line) == (str(path), 2) and "not valid UTF-8" in problem.message
    assert "\ufffd" not in str(_titles(healed))
    path.write_bytes(fixed)
    assert len(add_path(healed, path).added) == 1
    alone = connect(f"sqlite:///{tmp_path / 'alone.db'}")
    add_path(alone, path)
    assert _titles(healed) == _titles(alone)
    assert ("https://news.example/cafe", "Café Meridian") in _titles(healed)


def test_extract_skips_and_names_a_line_that_is_not_utf8_in_a_file_and_on_stdin(
    tmp_path: Path,
) -> None:
    broken, _ = _latin1_archive()
    path = tmp_path / "arch.jsonl"
    path.write_bytes(broken)
    for args, stdin, name in (([str(path)], None, str(path)), ([], broken, "<stdin>")):
        res = runner.invoke(app, ["extract", *args], input=stdin)
        assert res.exit_code == 0, res.output
        ids = [json.loads(line)["id"] for line in res.stdout.split("\n") if line.strip()]
        assert ids == ["a1", "b3"], name
        # one line, the path whole however long (no wrapping inside it)
        assert f"{name}:2: not valid UTF-8" in res.stderr


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:99999/", "http://[::1/a", "https://[zz]:80/", "http://h:-1/"]
)
def test_news_add_of_a_malformed_url_is_a_clean_error(url: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["news", "add", url, "--db", str(tmp_path / "s.db")])
    assert res.exit_code != 0
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output and url[:10] in res.output


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:99999/", "http://[::1/a", "javascript:alert(1)", "http://", "x" * 3000],
)
def test_url_problem_never_raises(url: str) -> None:
    assert url_problem(url)


def test_canonical_url_never_raises() -> None:
    from renewcast.news.fetch import canonical_url

    assert canonical_url("http://Example.org:99999/a/") == "http://example.org:99999/a"
    assert canonical_url("http://[::1/a") == "http://[::1/a"


# ------------------------------------------------------------------ fuzzing the readers
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "url": st.text(max_size=40)
        | st.from_regex(r"https?://[\w.\[\]:%-]{0,20}/?", fullmatch=True),
        "published": json_values | st.dates().map(str),
        "title": json_values,
        "text": st.text() | json_values,
        "publisher": json_values,
    },
)
jsonl_line = st.one_of(
    records.map(lambda r: json.dumps(r, ensure_ascii=False)),
    st.text(max_size=80),
    st.integers(1, 5000).map(lambda n: "[" * n),
)


@FUZZ
@given(st.lists(jsonl_line, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_fuzz_jsonl_reader_never_raises(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    items = list(jsonl_articles(text, "fuzz.jsonl"))
    for item in items:
        if isinstance(item, RowProblem):
            assert item.file == "fuzz.jsonl" and item.line is not None
        else:
            n, article = item
            assert isinstance(article, Article) and 1 <= n <= max(1, text.count("\n") + 1)
    # the same text read from a file and from lines gives the same answer
    from_lines = list(jsonl_articles(text.split("\n"), "fuzz.jsonl"))
    assert [type(i) for i in from_lines] == [type(i) for i in items]


TSV_HEADER = "week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed"
tsv_cell = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_characters="\t\n\r", blacklist_categories=["Cs"]),
        max_size=12,
    ),
    st.sampled_from(["2024-03-03", "TV (English)", "1", "N/A", "-5", "1e400", "99999999999999"]),
)
tsv_row = st.lists(tsv_cell, min_size=0, max_size=8).map("\t".join)


@FUZZ
@given(
    st.lists(tsv_row, max_size=8),
    st.booleans(),
    st.binary(max_size=12),
)
def test_fuzz_top10_tsv_reader_never_raises(rows: list[str], header: bool, junk: bytes) -> None:
    from renewcast.sources.netflix_top10 import parse_global

    body = "\n".join(([TSV_HEADER] if header else []) + rows).encode("utf-8") + junk
    try:
        result = parse_global(body, "fuzz.tsv")
    except SourceError as e:
        assert "fuzz.tsv" in str(e)
        return
    for p in result.problems:
        assert p.file == "fuzz.tsv"
    for r in result.records:
        assert r.show_title and r.rank >= 1
