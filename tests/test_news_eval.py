"""Extraction scored against the hand labels of the real news articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renewcast.news.article import Article, read_jsonl
from renewcast.news.evaluate import evaluate
from renewcast.news.extract import extract_article
from renewcast.sources.base import SourceError

# Measured on the labelled articles without a catalog (round 5 of the claim rules, with the
# mentions of 2026-11-24 06:45): all 99 articles overall 0.869 (renewed 0.91, cancelled 0.85,
# ended 0.82, limited 1.00 on 5 gold claims, pending 0.90); held-out third (numeric id % 3 == 0)
# 0.889. Target 0.85 overall and above 0.75 per status: reached. Floors sit a little under the
# measure so that mention changes made at the same time do not break the build over one claim.
# The learned claim filter did not beat the rules in grouped cross-validation; no model ships.
MIN_OVERALL_F1 = 0.85
MIN_STATUS_F1 = 0.76  # weakest measured: ended 0.82, cancelled 0.85


@pytest.fixture(scope="module")
def scored(data_dir: Path):  # type: ignore[no-untyped-def]
    news = data_dir / "news"
    ids = [
        json.loads(x)["id"] for x in (news / "labels.jsonl").read_text().splitlines() if x.strip()
    ]
    with (news / "articles.jsonl").open(encoding="utf-8") as f:
        arts = {a.id: a for a in read_jsonl(f) if isinstance(a, Article)}
    pred = {i: extract_article(arts[i]).to_json() for i in ids if i in arts}
    return evaluate(pred, news / "labels.jsonl"), pred


def test_overall_and_per_status_f1(scored) -> None:  # type: ignore[no-untyped-def]
    report, _ = scored
    assert report.articles == 99
    assert report.overall.f1 >= MIN_OVERALL_F1, report.to_table()
    for status, score in report.by_status.items():
        assert score.f1 >= MIN_STATUS_F1, (status, report.to_table(max_misses=0))


def test_report_renders_and_lists_misses(scored) -> None:  # type: ignore[no-untyped-def]
    report, _ = scored
    table = report.to_table()
    assert "overall" in table and "renewed" in table
    out = report.to_json()
    assert set(out["by_status"]) >= {"renewed", "cancelled", "ended", "limited", "pending"}
    kinds = {m["kind"] for m in out["misses"]}
    assert kinds <= {"false positive", "false negative"}
    assert len(out["misses"]) == report.overall.fp + report.overall.fn


def test_matching_ignores_case_punctuation_and_leading_the(tmp_path: Path) -> None:
    gold = tmp_path / "labels.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "x",
                "gold": [
                    {
                        "series": "Lockwood & Co.",
                        "status": "cancelled",
                        "season": 2,
                        "evidence": "e",
                        "speakers": [{"name": "Jo Bloggs", "role": "creator"}],
                    },
                    {
                        "series": "The Runaways",
                        "status": "cancelled",
                        "season": None,
                        "evidence": "f",
                        "speakers": [],
                    },
                ],
            }
        )
        + "\n"
    )
    pred = {
        "x": {
            "claims": [
                {
                    "series": "lockwood and co",
                    "status": "cancelled",
                    "season": 2,
                    "evidence": "e",
                    "speakers": [{"name": "Jo Bloggs", "role": None}],
                    "hedged": False,
                },
                {
                    "series": "Runaways",
                    "status": "cancelled",
                    "season": None,
                    "evidence": "f",
                    "speakers": [],
                },
                {
                    "series": "Other",
                    "status": "renewed",
                    "season": 2,
                    "evidence": "g",
                    "speakers": [],
                    "hedged": True,
                },
            ]
        }
    }
    rep = evaluate(pred, gold)
    assert (rep.overall.tp, rep.overall.fp, rep.overall.fn) == (2, 0, 0)
    assert rep.speaker_accuracy == 1.0
    rep2 = evaluate(pred, gold, include_hedged=True)
    assert rep2.overall.fp == 1


def test_missing_labels_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="labels file not found"):
        evaluate({}, tmp_path / "nope.jsonl")
