"""The learned news reader: title candidates, season reading, models and their file format.

All sentences here are invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renewcast.news.candidates import Gazetteer, lexicon, parse_article, split_lines
from renewcast.news.features import article_rows, cue_features, pair_features
from renewcast.news.learned import (
    ClaimScorer,
    ExtractionModel,
    LinearModel,
    ModelError,
    link_pairs,
    load_default_model,
)
from renewcast.news.pipeline import reader_nlp
from renewcast.news.seasons import (
    likeliest_season,
    season_mentions,
    season_options,
    season_support,
)
from renewcast.news.train import LabelledArticle, choose_threshold, grouped_folds, pr_curve, score

TEXT = (
    "Harbor Lights Renewed for Season 3 at Streamflix\n"
    "Streamflix has renewed the coastal drama “Harbor Lights” for a third season, the streamer "
    "said on Tuesday. Creator Mara Quill said the writers are already at work.\n"
    "Meanwhile, Copper Valley will not return: the western was cancelled after one season.\n"
    "Cancelled shows:\n"
    "Glass Orchard\n"
)


def test_split_lines_keeps_offsets() -> None:
    text = "Headline here\n\n  A paragraph.\n"
    assert [(o, t) for o, t in split_lines(text)] == [(0, "Headline here"), (17, "A paragraph.")]
    assert all(TEXT[o : o + len(t)] == t for o, t in split_lines(TEXT))


def test_candidates_cover_titles_and_their_pieces() -> None:
    pa = parse_article(TEXT, reader_nlp())
    keys = set(pa.candidates)
    assert {"harbor lights", "copper valley", "glass orchard"} <= keys
    hl = pa.candidates["harbor lights"]
    assert any(o.quoted for o in hl.occurrences)
    assert pa.headline == 0
    assert "season 3" not in keys  # a season is not a title


def test_gazetteer_finds_known_titles_whatever_their_case() -> None:
    gaz = Gazetteer(["Copper Valley", "Us"])
    pa = parse_article("fans of Copper valley were upset.", reader_nlp(), gaz)
    assert pa.candidates["copper valley"].occurrences[0].gazetteer
    assert "us" not in gaz  # too short to match safely


def test_gazetteer_takes_titles_no_shape_rule_would() -> None:
    gaz = Gazetteer(["Tuesday", "1776", "iGhost", "The 300"])
    text = "Netflix renewed Tuesday and iGhost but cancelled 1776 and The 300."
    pa = parse_article(text, reader_nlp(), gaz)
    assert {"tuesday", "1776", "ighost", "300"} <= set(pa.candidates)
    assert "1776" not in parse_article(text, reader_nlp()).candidates  # a number alone is no title


def test_short_names_of_long_titles_read_as_the_catalog_title() -> None:
    gaz = Gazetteer(["Mara Quill's Lantern Road", "Grey's Orchard", "It's a Long Way"])
    assert gaz.aliases == {"lantern road": "mara quills lantern road"}
    pa = parse_article("Lantern Road is back. Mara Quill's Lantern Road", reader_nlp(), gaz)
    assert "lantern road" not in pa.candidates
    cand = pa.candidates["mara quills lantern road"]
    assert len(cand.occurrences) == 2  # the longer reading of the second place, once
    assert gaz.title("lantern road") == "Mara Quill's Lantern Road"


def test_features_describe_context() -> None:
    pa = parse_article(TEXT, reader_nlp())
    rows = dict(article_rows(pa))
    f = rows["harbor lights"]
    assert f["in_headline"] == 1.0 and f["quoted"] == 1.0
    assert f.get("r1:for") == 1.0 or f.get("r1:renewed") == 1.0
    cancelled = rows["copper valley"]
    assert "s:cancelled" in cancelled
    sent = pa.candidates["copper valley"].occurrences[0].sent
    pf = pair_features(pa, pa.candidates["copper valley"], sent, "named")
    assert pf["cue:cancelled"] == 1.0 and pf["via=named"] == 1.0
    item = pa.candidates["glass orchard"]
    pi = pair_features(pa, item, item.occurrences[0].sent, "named")
    assert pi.get("short_line") == 1.0 and pi.get("p1:cancelled") == 1.0


def test_cue_features_pair_status_words_with_negation_and_hedges() -> None:
    f = cue_features("The show has not been renewed yet.")
    assert f["cue:renewed"] == 1.0 and f["cue:neg"] == 1.0
    assert "cue:renewed:neg=1:hedge=0" in f
    assert "cue:hedge" in cue_features("It could return for another season.")


def test_anaphors_link_to_the_last_named_series() -> None:
    text = "Nightfall Bay is a hit.\nThe series was renewed for a second season on Friday.\n"
    pa = parse_article(text, reader_nlp())
    pairs = link_pairs(pa, {"nightfall bay": 0.9})
    assert ("nightfall bay", 1, "anaphor") in pairs


@pytest.mark.parametrize(
    ("text", "kind", "values"),
    [
        ("The drama was renewed for a fourth and final season.", "ordinal", (4,)),
        ("It was cancelled after one season.", "counted", (1,)),
        ("The show wraps its 12-season run this spring.", "counted", (12,)),
        ("The network renewed it through season 5.", "numbered", (5,)),
        ("Seasons 3 and 4 are coming.", "numbered", (3, 4)),
        ("It was picked up for a sixth and seventh season.", "ordinal", (6, 7)),
        ("Fans get two more seasons.", "more", (2,)),
        ("The S3 finale aired.", "short", (3,)),
        ("The network dropped its freshman drama.", "age", (1,)),
        ("A third-year comedy is on the bubble.", "age", (3,)),
    ],
)
def test_season_mentions(text: str, kind: str, values: tuple[int, ...]) -> None:
    (m,) = season_mentions(text)
    assert (m.kind, m.values) == (kind, values)


def test_no_season_mentioned() -> None:
    assert season_mentions("The show is officially coming back.") == []


def test_words_of_the_title_are_no_season() -> None:
    text = "The Freshman Year was renewed."
    assert [m.kind for m in season_mentions(text)] == ["age"]
    assert [v for v, _ in season_options(text, "renewed", "The Freshman Year")] == [None]


@pytest.mark.parametrize(
    ("text", "status", "context", "season"),
    [
        ("The drama was renewed for a fourth and final season.", "renewed", (), 4),
        ("It was cancelled after one season.", "cancelled", (), 2),
        ("After two seasons, the comedy was cancelled.", "cancelled", (), 3),
        ("The network renewed it through season 5.", "renewed", (), 5),
        ("The show is officially coming back.", "renewed", (), None),
        ("The comedy has been cancelled.", "cancelled", ("The comedy ran for two seasons.",), 3),
        ("The network has cancelled its freshman drama.", "cancelled", (), 2),
    ],
)
def test_shipped_season_model(
    text: str, status: str, context: tuple[str, ...], season: int | None
) -> None:
    model = load_default_model()
    assert likeliest_season(season_support(model.season, text, status, None, context)) == season


def test_season_support_is_what_the_claim_scorer_reads() -> None:
    model = load_default_model()
    # no number, no season word: "no season" is the only reading, and a sure one
    assert season_support(model.season, "The show is coming back.", "renewed") == {None: 1.0}
    text = "After three seasons, the network renewed the drama for a fourth."
    support = season_support(model.season, text, "renewed")
    assert set(support) >= {3, 4}
    assert all(0.0 <= p <= 1.0 for p in support.values())
    # the season chosen is the likeliest reading
    assert likeliest_season(support) == 4
    assert likeliest_season({None: 0.4, 2: 0.4}) is None  # ties: no season first
    assert likeliest_season({3: 0.4, 2: 0.4}) == 2  # then the lower number


def test_lexicon_lists_are_lower_case_and_unique() -> None:
    lex = lexicon()
    for name in ("connectors", "never_title", "series_nouns", "speech_verbs", "role_nouns"):
        words = lex[name]
        assert len(words) == len(set(words)), name
        assert all(w == w.lower() for w in words), name
    assert set(lex["status_cues"]) == {"renewed", "cancelled", "ended", "limited", "pending"}
    for name in ("contrasts", "not_denials", "clause_breaks"):
        words = lex["season_denials"][name]
        assert len(words) == len(set(words)) and all(w == w.lower() for w in words), name


def _toy_rows() -> tuple[list[dict[str, float]], list[str]]:
    rows = [{"w:renewed": 1.0}, {"w:cancelled": 1.0}, {"w:other": 1.0}] * 10
    labels = ["renewed", "cancelled", "none"] * 10
    return rows, labels


def test_linear_model_fits_predicts_and_round_trips() -> None:
    rows, labels = _toy_rows()
    m = LinearModel.fit(rows, labels, seed=1)
    p = m.predict_proba([{"w:renewed": 1.0}])
    assert m.classes[int(p.argmax())] == "renewed"
    again = LinearModel.from_json(json.loads(json.dumps(m.to_json())))
    assert (
        again.predict_proba([{"w:cancelled": 1.0}]) == m.predict_proba([{"w:cancelled": 1.0}])
    ).all()
    binary = LinearModel.fit(rows, ["yes" if v != "none" else "no" for v in labels], seed=1)
    assert binary.predict_proba([{"w:other": 1.0}])[0, 1] < 0.5


def test_claim_scorer_and_model_file(tmp_path: Path) -> None:
    rows = [{"a": float(i % 2), "b": float(i % 3)} for i in range(60)]
    labels = [i % 2 for i in range(60)]
    scorer = ClaimScorer.fit(rows, labels, ["renew"], seed=1)
    assert scorer.predict([{"a": 1.0, "b": 0.0}])[0] > 0.5
    lin = LinearModel.fit(*_toy_rows(), seed=1)
    model = ExtractionModel(
        lin, lin, scorer, 0.5, lin, 0.3, lin, ["Harbor Lights"], {"version": "test"}
    )
    path = tmp_path / "m.json.gz"
    model.save(path)
    first = path.read_bytes()
    model.save(path)
    assert path.read_bytes() == first  # deterministic bytes
    back = ExtractionModel.load(path)
    assert back.threshold == 0.5 and "harbor lights" in back.gazetteer
    assert back.speaker_threshold == 0.3 and back.speaker.vocab == lin.vocab
    assert (
        back.scorer.predict([{"a": 1.0, "b": 0.0}])[0] == scorer.predict([{"a": 1.0, "b": 0.0}])[0]
    )
    with pytest.raises(ModelError, match="renewcast train extraction"):
        ExtractionModel.load(tmp_path / "missing.json.gz")
    (tmp_path / "bad.json.gz").write_bytes(b"not gzip")
    with pytest.raises(ModelError, match="not a readable"):
        ExtractionModel.load(tmp_path / "bad.json.gz")


def test_claim_scorers_forest_predicts_what_scikit_learns_forest_predicts() -> None:
    """The forest is kept as plain arrays; read back, it gives scikit-learn's probabilities, and
    the scorer's confidence is the mean of the forest's and the boosted trees'."""
    import random

    import lightgbm as lgb
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier

    from renewcast.news.learned import SCORER_FOREST

    rng = random.Random(7)
    rows = [
        {"p": rng.random(), "q": rng.random(), "r": float(rng.randint(0, 3))} for _ in range(400)
    ]
    labels = [int(r["p"] + 0.3 * r["r"] + rng.random() * 0.5 > 1.1) for r in rows]
    scorer = ClaimScorer.from_json(
        json.loads(json.dumps(ClaimScorer.fit(rows, labels, [], seed=3).to_json()))
    )
    x = np.array([[r[c] for c in scorer.columns] for r in rows])
    forest = RandomForestClassifier(**SCORER_FOREST, random_state=3, n_jobs=1).fit(x, labels)
    trees = lgb.Booster(model_str=scorer.booster).predict(x, num_threads=1)
    want = 0.5 * forest.predict_proba(x)[:, 1] + 0.5 * trees
    assert np.allclose(scorer.predict(rows), want, rtol=0, atol=1e-12)
    assert len(scorer.forest) == SCORER_FOREST["n_estimators"]


def _article(aid: str, series: str, status: str = "renewed") -> LabelledArticle:
    return LabelledArticle(
        aid, "x", None, [{"series": series, "status": status, "season": 2, "evidence": "x"}]
    )


def test_grouped_folds_keep_a_story_in_one_fold() -> None:
    arts = [_article(f"a{i}", f"Show {i % 7}") for i in range(40)]
    folds = grouped_folds(arts, 5)
    by_group: dict[str, set[int]] = {}
    for a, f in zip(arts, folds, strict=True):
        by_group.setdefault(a.group, set()).add(f)
    assert all(len(v) == 1 for v in by_group.values())
    assert len(set(folds)) == 5


def test_scoring_and_threshold_choice() -> None:
    arts = [_article("a1", "Show One"), _article("a2", "Show Two", "cancelled")]
    preds = {
        "a1": [
            (("show one", "renewed", 2), 0.9, "e", ()),
            (("show x", "renewed", None), 0.3, "e", ()),
        ],
        "a2": [(("show two", "renewed", 2), 0.6, "e", ())],
    }
    s = score(arts, preds, 0.5)
    assert s["overall"]["tp"] == 1 and s["overall"]["fp"] == 1 and s["overall"]["fn"] == 1
    curve = pr_curve(arts, preds)
    assert choose_threshold(curve) == 0.65  # the lowest threshold with precision >= 0.85


def test_scoring_with_and_without_the_season() -> None:
    arts = [_article("a1", "Show One"), _article("a2", "Show Two", "cancelled")]
    preds = {
        "a1": [(("show one", "renewed", 3), 0.9, "e", ())],  # right status, other season
        "a2": [(("show two", "cancelled", 2), 0.8, "e", ())],
    }
    strict = score(arts, preds, 0.5)["overall"]
    loose = score(arts, preds, 0.5, season=False)["overall"]
    assert (strict["tp"], strict["fp"], strict["fn"]) == (1, 1, 1)
    assert (loose["tp"], loose["fp"], loose["fn"]) == (2, 0, 0)


def test_nested_keys_found_at_once_as_pair_by_pair() -> None:
    from renewcast.news.features import _nesting

    text = (
        "Russian Dolls and Doll Parts: The Russian Doll Files was renewed, unlike Doll Parts.\n"
        "“Files” and The Files of Doll are both over; Russian Dolls Doll is back.\n"
    )
    pa = parse_article(text, reader_nlp(), Gazetteer(["The Russian Doll Files", "Doll"]))
    assert len(pa.candidates) > 5
    for key in pa.candidates:
        others = [k for k in pa.candidates if k != key]
        pairwise = (
            any(f" {key} " in f" {k} " for k in others),
            any(f" {k} " in f" {key} " for k in others),
        )
        assert _nesting(pa, key) == pairwise, key
    assert pa.nesting is not None and pa.nesting[1]
