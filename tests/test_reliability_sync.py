"""Sync converges: after a broken file, syncing the fixed file leaves the store as the fixed file
alone would, row for row. The files are small invented Top 10 TSVs written by the tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from renewcast.store.schema import chart_entries, metadata
from renewcast.store.sync import sync_dir

HEADER = (
    "week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed\truntime"
    "\tweekly_views\tcumulative_weeks_in_top_10"
)
SHOWS = [
    ("Harbour Lights", "Harbour Lights: Season 1"),
    ("The Copper Orchard", "The Copper Orchard: Season 2"),
    ("Café Meridian", "Café Meridian: Season 1"),
    ("Nine Quiet Rooms", "Nine Quiet Rooms: Limited Series"),
]


def fixed_rows() -> list[str]:
    rows = []
    for w, week in enumerate(("2024-03-03", "2024-03-10", "2024-03-17")):
        for rank, (show, season) in enumerate(SHOWS, start=1):
            hours = 1_000_000 * (10 - rank) + 10_000 * w
            rows.append(
                f"{week}\tTV (English)\t{rank}\t{show}\t{season}\t{hours}\t8.5"
                f"\t{hours // 8}\t{w + 1}"
            )
    return rows


def write(folder: Path, body: bytes) -> Path:
    top10 = folder / "netflix-top10"
    top10.mkdir(parents=True, exist_ok=True)
    (top10 / "all-weeks-global.tsv").write_bytes(body)
    return folder


def fixed_bytes() -> bytes:
    return ("\n".join([HEADER, *fixed_rows()]) + "\n").encode("utf-8")


def snapshot(engine: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows with ids replaced by what they stand for (logs left out)."""
    skip = {"import_log", "import_problems", "meta"}
    with engine.connect() as conn:
        titles = dict(
            conn.execute(
                select(metadata.tables["series"].c.id, metadata.tables["series"].c.title)
            ).all()
        )
        docs = {
            i: (src, sha)
            for i, src, sha in conn.execute(
                select(
                    metadata.tables["documents"].c.id,
                    metadata.tables["documents"].c.source,
                    metadata.tables["documents"].c.sha256,
                )
            )
        }
        out: dict[str, list[tuple[Any, ...]]] = {}
        for t in metadata.sorted_tables:
            if t.name in skip:
                continue
            rows = []
            for r in conn.execute(select(t)).mappings():
                item = []
                for col, value in r.items():
                    if col in ("id", "fetched_at", "uri"):
                        continue
                    if col == "series_id":
                        value = titles.get(value, value)
                    elif col == "document_id":
                        value = docs.get(value, value)
                    item.append((col, repr(value)))
                rows.append(tuple(item))
            out[t.name] = sorted(rows)
    return out


def _store(tmp_path: Path, name: str) -> Any:
    from renewcast.store.db import connect

    return connect(f"sqlite:///{tmp_path / name}")


def _sync(engine: Any, folder: Path) -> Any:
    (report,) = sync_dir(engine, folder)
    return report


BROKEN = {
    # a non-UTF-8 byte in a title (Latin-1 é): the line must not be stored as a guess
    "not-utf8": lambda: fixed_bytes().replace("Café".encode(), b"Caf\xe9", 1),
    # a cut download: the last third missing and the final row cut mid-field
    "cut": lambda: ("\n".join([HEADER, *fixed_rows()[:7]]) + "\n2024-03-17\tTV (Eng").encode(),
    # a wrong number in a row that the fixed file corrects
    "wrong-value": lambda: fixed_bytes().replace(b"\t9000000\t", b"\t9900000\t", 1),
    # titles shifted into the wrong column: a bogus series for every row
    "shifted": lambda: fixed_bytes().replace(b"\tHarbour Lights\t", b"\tHarbour Lights: S1\t"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_then_fixed_equals_fixed_alone(kind: str, tmp_path: Path) -> None:
    alone = _store(tmp_path, "alone.db")
    assert _sync(alone, write(tmp_path / "fixed", fixed_bytes())).status == "ok"

    healed = _store(tmp_path, "healed.db")
    broken = _sync(healed, write(tmp_path / "broken", BROKEN[kind]()))
    assert broken.status == "ok"
    fixed = _sync(healed, write(tmp_path / "fixed2", fixed_bytes()))
    assert fixed.status == "ok", fixed.message
    assert snapshot(healed) == snapshot(alone)
    # and a third sync of the same file changes nothing
    assert _sync(healed, write(tmp_path / "fixed2", fixed_bytes())).status == "unchanged"


# ------------------------------------------------------------------ the same for a Wikipedia list
WIKI_HEADER = "Title,Genre,Premiere,Seasons,Runtime,Status,Language"
WIKI_ROWS = [
    'Harbour Lights,Drama,"March 1, 2024","1 season, 8 episodes",45–50 min,Renewed,English',
    'Café Meridian,Comedy,"April 5, 2024","2 seasons, 16 episodes",30 min,Pending,French',
    'The Copper Orchard,Thriller,"May 10, 2024","1 season, 6 episodes",50 min,Pending,Spanish',
]
WIKI_NAME = "netflix-original-programming-2024-06-01.csv"


def wiki_bytes(rows: list[str]) -> bytes:
    return ("\n".join([WIKI_HEADER, *rows]) + "\n").encode("utf-8")


WIKI_BROKEN = {
    "not-utf8": lambda: wiki_bytes(WIKI_ROWS).replace("Café".encode(), b"Caf\xe9", 1),
    "cut": lambda: wiki_bytes(WIKI_ROWS[:1]) + b'The Copper Orchard,Thriller,"May',
    "wrong-status": lambda: wiki_bytes([WIKI_ROWS[0].replace("Renewed", "Ended"), *WIKI_ROWS[1:]]),
    "shifted": lambda: wiki_bytes(
        [WIKI_ROWS[0], WIKI_ROWS[1].replace("Comedy,", ""), WIKI_ROWS[2]]
    ),
}


def write_wiki(folder: Path, body: bytes) -> Path:
    wiki = folder / "wikipedia"
    wiki.mkdir(parents=True, exist_ok=True)
    (wiki / WIKI_NAME).write_bytes(body)
    return folder


@pytest.mark.parametrize("kind", sorted(WIKI_BROKEN))
def test_a_broken_wikipedia_list_then_the_fixed_one_equals_the_fixed_one_alone(
    kind: str, tmp_path: Path
) -> None:
    alone = _store(tmp_path, "alone.db")
    assert _sync(alone, write_wiki(tmp_path / "fixed", wiki_bytes(WIKI_ROWS))).status == "ok"
    healed = _store(tmp_path, "healed.db")
    assert _sync(healed, write_wiki(tmp_path / "broken", WIKI_BROKEN[kind]())).status == "ok"
    assert (
        snapshot(healed)["facts"] != snapshot(alone)["facts"]
    )  # the broken file told another story
    fixed = _sync(healed, write_wiki(tmp_path / "fixed2", wiki_bytes(WIKI_ROWS)))
    assert fixed.status == "ok", fixed.message
    assert snapshot(healed) == snapshot(alone)


def test_non_utf8_line_is_a_named_problem_and_not_stored(tmp_path: Path) -> None:
    engine = _store(tmp_path, "s.db")
    report = _sync(engine, write(tmp_path / "d", BROKEN["not-utf8"]()))
    assert any(p.line == 4 and "UTF-8" in p.message for p in report.problems), report.problems
    with engine.connect() as conn:
        shows = {r[0] for r in conn.execute(select(chart_entries.c.show_title))}
    assert "\ufffd" not in "".join(shows) and "Café Meridian" in shows


def without(column: str) -> list[str]:
    """The fixed file's lines without one column."""
    drop = HEADER.split("\t").index(column)
    return [
        "\t".join(c for i, c in enumerate(line.split("\t")) if i != drop)
        for line in [HEADER, *fixed_rows()]
    ]


def test_a_dropped_optional_column_never_nulls_stored_values(tmp_path: Path) -> None:
    engine = _store(tmp_path, "s.db")
    assert _sync(engine, write(tmp_path / "a", fixed_bytes())).status == "ok"
    before = snapshot(engine)
    lines = without("weekly_hours_viewed")
    report = _sync(engine, write(tmp_path / "b", ("\n".join(lines) + "\n").encode()))
    assert report.status == "failed"
    assert "weekly_hours_viewed" in (report.message or "") and "refusing" in (report.message or "")
    assert snapshot(engine) == before
    with engine.connect() as conn:
        hours = [r[0] for r in conn.execute(select(chart_entries.c.hours))]
    assert hours and None not in hours


def test_a_file_without_the_column_from_the_start_is_accepted(tmp_path: Path) -> None:
    engine = _store(tmp_path, "s.db")
    lines = without("runtime")
    first = _sync(engine, write(tmp_path / "a", ("\n".join(lines) + "\n").encode()))
    assert first.status == "ok" and any(p.field == "runtime" for p in first.problems)
    # a later version still without it is fine too: nothing known becomes unknown
    lines[-1] = lines[-1].replace("\t3", "\t4")
    assert _sync(engine, write(tmp_path / "b", ("\n".join(lines) + "\n").encode())).status == "ok"
