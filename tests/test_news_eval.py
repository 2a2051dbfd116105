"""Extraction scored against the hand labels of the real news articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renewcast.news.evaluate import evaluate
from renewcast.sources.base import SourceError


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


def test_out_of_fold_claims_are_written_with_whether_a_label_states_them(tmp_path: Path) -> None:
    from renewcast.news.train import LabelledArticle, write_claims

    art = LabelledArticle(
        "t1",
        "Quiet Harbour Nights is renewed for a third season.",
        None,
        [{"series": "Quiet Harbour Nights", "status": "renewed", "season": 3}],
    )
    preds = {
        "t1": [
            (("quiet harbour nights", "renewed", 3), 0.81234, "is renewed", ()),
            (("quiet harbour nights", "renewed", 4), 0.3, "is renewed", ()),
            (("velvet road", "cancelled", None), 0.2, "", ()),
        ]
    }
    out = tmp_path / "claims.jsonl"
    write_claims([art], preds, out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["right"], r["right_any_season"]) for r in rows] == [
        (True, True), (False, True), (False, False),
    ]  # fmt: skip
    assert rows[0]["confidence"] == 0.8123 and rows[0]["article"] == "t1"
