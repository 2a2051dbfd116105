"""The learned claim filter: features, selection of season variants, model files, grouped folds."""

from __future__ import annotations

import json
from pathlib import Path

from renewcast.news.claim_filter import (
    ArticleContext,
    ClaimFilter,
    apply_filter,
    candidates,
    feature_names,
    features,
    load_filter,
    select,
)
from renewcast.news.claims import Claim
from renewcast.news.train_claims import _groups

TEXT = (
    "Harbor Lights premiered in 2022 and was cancelled after one season.\n"
    "Fans of Harbor Lights are upset. Netflix has cancelled the drama, the streamer said."
)


def _claims() -> list[Claim]:
    return [
        Claim(
            "Harbor Lights",
            "cancelled",
            None,
            "Netflix has cancelled the drama.",
            100,
            140,
            trigger="cancel",
            via="anaphor",
            confidence=0.7,
        ),
        Claim(
            "Blue Point",
            "renewed",
            2,
            "Blue Point may be renewed for season 2.",
            150,
            190,
            hedged=True,
            trigger="renew",
        ),
    ]


def _model(weights: dict[str, float], threshold: float = 0.5) -> ClaimFilter:
    names = feature_names()
    return ClaimFilter(
        tuple(names),
        tuple(0.0 for _ in names),
        tuple(1.0 for _ in names),
        tuple(weights.get(n, 0.0) for n in names),
        0.0,
        threshold,
    )


def test_season_variants_come_from_the_rest_of_the_article() -> None:
    claims = _claims()
    ctx = ArticleContext.build(claims, TEXT, "")
    cands = candidates(claims, ctx)
    seasons = {(c.variant, c.claim.season) for c in cands if c.group == 0}
    assert ("rule", None) in seasons and ("after_next", 2) in seasons  # "after one season"
    assert all(c.group == 1 and c.variant == "rule" for c in cands if c.claim.hedged)
    x = features(cands[0], cands, ctx)
    assert len(x) == len(feature_names())
    assert x[feature_names().index("series_written")] > 0  # the title is written twice


def test_the_most_probable_variant_wins_and_hedged_claims_pass() -> None:
    claims = _claims()
    prefers_variant = _model({"variant=after_next": 3.0, "season_none": -3.0})
    out = apply_filter(claims, TEXT, "", prefers_variant)
    assert [(c.series, c.status, c.season, c.hedged) for c in out] == [
        ("Harbor Lights", "cancelled", 2, False),
        ("Blue Point", "renewed", 2, True),
    ]
    assert 0.5 <= out[0].confidence <= 1.0
    rejects_all = _model({}, threshold=0.9)
    assert [c.series for c in apply_filter(claims, TEXT, "", rejects_all)] == ["Blue Point"]
    assert apply_filter(claims, TEXT, "", None) == claims


def test_select_keeps_one_claim_per_key() -> None:
    claims = _claims()[:1] * 2
    ctx = ArticleContext.build(claims, TEXT, "")
    cands = [c for c in candidates(claims, ctx) if c.variant == "rule"]
    assert len(select(claims, cands, [0.9, 0.8], 0.5)) == 1


def test_model_json_round_trip_and_mismatched_or_missing_files(tmp_path: Path) -> None:
    model = _model({"confidence": 1.5}, threshold=0.35)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_json()))
    assert load_filter(path) == model
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**model.to_json(), "names": ["other"]}))
    assert load_filter(bad) is None
    assert load_filter(tmp_path / "missing.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert load_filter(broken) is None


def test_grouped_folds_never_put_an_article_in_train_and_test() -> None:
    folds = _groups(list(range(23)), 5)  # type: ignore[arg-type]
    assert sorted(k for f in folds for k in f) == list(range(23))
    for f in folds:
        assert set(f).isdisjoint(k for g in folds if g is not f for k in g)
