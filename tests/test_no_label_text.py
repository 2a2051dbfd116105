"""No sentence of the labelled news corpus is written into the project.

The labelled corpus (``../shared/data/news/labels.jsonl`` and ``../shared/data/news/train/labels.jsonl``)
is what extraction is measured on. Its article text stays in ``../shared``: code, comments, tests,
benchmarks and docs must not quote it, or the rules end up fitted to the sentences they are scored on.
Every gold claim's ``evidence`` is a verbatim sentence of its article; this test fails when one of
them, or any run of 8 consecutive words from one or from any article text of the corpus
(``articles.jsonl`` beside each label file), appears in a file under ``renewcast/``, ``tests/``,
``bench/`` or ``docs/``. Text is compared as lower-case words (quotes, dashes, comment markers, string
quotes and line breaks ignored), so a sentence wrapped over several comment lines is still found.

Tests that read real articles from ``../shared`` at run time are fine: the rule is about text written
into the repository.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RENEWCAST_SHARED", REPO.parent / "shared")).resolve()
LABEL_FILES = (
    SHARED / "data" / "news" / "labels.jsonl",
    SHARED / "data" / "news" / "train" / "labels.jsonl",
)
ARTICLE_FILES = tuple(p.with_name("articles.jsonl") for p in LABEL_FILES)
SCANNED_DIRS = ("renewcast", "tests", "bench", "docs")
RUN = 8  # words: a run this long copied from a real sentence is a quotation, not a coincidence
# Evidence shorter than this many words ("9. Some Title", a list heading) is a title, not a sentence:
# titles are data the project legitimately names, so only whole sentences of at least this length count.
MIN_SENTENCE_WORDS = 5
TEXT_SUFFIXES = {".py", ".md", ".txt", ".json", ".jsonl", ".html", ".htm", ".csv", ".toml", ".cfg"}
TEXT_SUFFIXES |= {".yaml", ".yml", ".ini", ".js", ".css", ".xml", ".rst", ".j2", ".jinja", ".svg"}

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'"})
_WORD = re.compile(r"[0-9a-z]+(?:'[0-9a-z]+)*")


def words(text: str) -> list[str]:
    """Lower-case words of ``text``; quotes unified, every other character a separator."""
    return _WORD.findall(text.translate(_QUOTES).lower())


def _require(paths: tuple[Path, ...]) -> None:
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        pytest.fail(
            f"corpus files not found: {', '.join(missing)} — the shared data must sit beside the repo "
            "(../shared) or RENEWCAST_SHARED must point at it"
        )


def evidence_sentences() -> list[str]:
    _require(LABEL_FILES)
    out: list[str] = []
    for path in LABEL_FILES:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            for claim in json.loads(line).get("gold") or []:
                evidence = claim.get("evidence")
                assert isinstance(evidence, str), f"{path}:{lineno}: gold claim without evidence"
                out.append(evidence)
    return out


def forbidden_runs(sentences: list[str]) -> dict[tuple[str, ...], str]:
    """Every run of ``RUN`` words of every sentence (and every short sentence whole) -> its sentence."""
    runs: dict[tuple[str, ...], str] = {}
    for sentence in sentences:
        ws = words(sentence)
        if len(ws) < MIN_SENTENCE_WORDS:
            continue
        if len(ws) < RUN:
            runs.setdefault(tuple(ws), sentence)
            continue
        for i in range(len(ws) - RUN + 1):
            runs.setdefault(tuple(ws[i : i + RUN]), sentence)
    return runs


def article_runs() -> dict[tuple[str, ...], str]:
    """Every run of ``RUN`` words of every article's title and text -> "article <id>"."""
    _require(ARTICLE_FILES)
    runs: dict[tuple[str, ...], str] = {}
    for path in ARTICLE_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            article = json.loads(line)
            ws = words(f"{article.get('title') or ''}\n{article.get('text') or ''}")
            for i in range(len(ws) - RUN + 1):
                runs.setdefault(tuple(ws[i : i + RUN]), f"text of article {article.get('id')}")
    return runs


def scanned_files() -> Iterator[Path]:
    for top in SCANNED_DIRS:
        root = REPO / top
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and path.suffix.lower() in TEXT_SUFFIXES
                and "__pycache__" not in path.parts
            ):
                yield path


def find_quotations(text: str, runs: dict[tuple[str, ...], str]) -> list[tuple[int, str]]:
    """(line number, quoted sentence) for every forbidden run found in ``text``, one hit per sentence."""
    hits: dict[str, int] = {}
    lengths = sorted({len(k) for k in runs})
    positions: list[tuple[str, int]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        positions.extend((w, lineno) for w in words(line))
    seq = [w for w, _ in positions]
    for n in lengths:
        for i in range(len(seq) - n + 1):
            sentence = runs.get(tuple(seq[i : i + n]))
            if sentence is not None and sentence not in hits:
                hits[sentence] = positions[i][1]
    return sorted((line, sentence) for sentence, line in hits.items())


def test_words_ignore_case_quotes_and_wrapping() -> None:
    wrapped = '# The Crimson Ledger\u2019s writers\n# "never got" to FINISH it'
    assert " ".join(words(wrapped)) == "the crimson ledger's writers never got to finish it"


def test_a_run_of_eight_words_is_found_across_comment_lines() -> None:
    runs = forbidden_runs(
        ["The streamer quietly dropped the Copper Hollow drama after two seasons on Tuesday."]
    )
    text = "x = 1\n# the streamer quietly dropped\n# the Copper Hollow drama after two\n"
    assert find_quotations(text, runs) == [(2, next(iter(runs.values())))]
    seven_words = "streamer quietly dropped the Copper Hollow drama"
    assert find_quotations(seven_words, runs) == []


def test_short_sentences_count_whole_and_titles_not_at_all() -> None:
    runs = forbidden_runs(
        ["Lantern Bay is over.", "Lantern Bay will not return.", "7. Lantern Bay"]
    )
    assert find_quotations("Lantern Bay is over.", runs) == []  # 4 words: a title-like line
    assert find_quotations("'Lantern Bay will not return'", runs) == [
        (1, "Lantern Bay will not return.")
    ]
    assert find_quotations("7. Lantern Bay", runs) == []


def test_no_labelled_sentence_is_written_into_the_repo() -> None:
    runs = forbidden_runs(evidence_sentences())
    assert len(runs) > 10_000  # the corpus was really loaded
    for run, source in article_runs().items():
        runs.setdefault(run, source)
    assert len(runs) > 200_000
    found: list[str] = []
    for path in scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for line, sentence in find_quotations(text, runs):
            found.append(f"{path.relative_to(REPO)}:{line}: {sentence[:90]}")
    assert not found, f"{len(found)} labelled sentence(s) quoted in the repo:\n" + "\n".join(found)
