"""Training and honest evaluation of the news reader (``renewcast train|eval extraction``).

The corpus is every labelled article under the data folder (``news/articles.jsonl`` +
``news/labels.jsonl`` and ``news/train/``). Evaluation is k-fold cross-validation with folds
grouped by an article's story (its first labelled series), and in each test fold no series of
that fold is seen in training: training rows about a test-fold series are dropped, and the
gazetteer of known titles is built from the training folds only. Every model is fitted inside
the fold; the figures are the out-of-fold predictions scored against the labels.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from renewcast.news.candidates import Gazetteer, ParsedArticle, parse_article
from renewcast.news.features import Features, article_rows, pair_features
from renewcast.news.learned import (
    STATUSES,
    ClaimScorer,
    ExtractionModel,
    LinearModel,
    PairScores,
    claim_rows,
    link_pairs,
)
from renewcast.news.mentions import norm_title
from renewcast.news.pipeline import reader_nlp
from renewcast.sources.base import SourceError

VERSION = "extraction-learned/1"
SEED = 20261203
FOLDS = 5
TARGET_PRECISION = 0.85

Progress = Callable[[str], None]


@dataclass(slots=True)
class LabelledArticle:
    id: str
    text: str
    headline: str | None
    gold: list[dict[str, Any]]
    rule_claims: list[dict[str, Any]] = field(default_factory=list)
    parsed: ParsedArticle | None = None

    @property
    def group(self) -> str:
        return norm_title(str(self.gold[0]["series"])) if self.gold else f"article:{self.id}"

    @property
    def series(self) -> set[str]:
        return {norm_title(str(g["series"])) for g in self.gold}


def corpus_files(data_dir: Path) -> list[tuple[Path, Path]]:
    pairs = [
        (data_dir / "news" / "articles.jsonl", data_dir / "news" / "labels.jsonl"),
        (data_dir / "news" / "train" / "articles.jsonl", data_dir / "news" / "train" / "labels.jsonl"),
    ]
    found = [(a, lab) for a, lab in pairs if a.exists() and lab.exists()]
    if not found:
        raise SourceError(
            f"{data_dir}: no labelled news (news/articles.jsonl + news/labels.jsonl); "
            "pass --data with the shared data folder"
        )
    return found


def load_corpus(data_dir: Path) -> tuple[list[LabelledArticle], str]:
    """The labelled articles and a digest of the files they came from."""
    digest = hashlib.sha256()
    out: list[LabelledArticle] = []
    for art_path, lab_path in corpus_files(data_dir):
        gold: dict[str, list[dict[str, Any]]] = {}
        raw = lab_path.read_bytes()
        digest.update(raw)
        for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                gold[str(obj["id"])] = [g for g in obj["gold"] if g.get("status") in STATUSES]
            except (ValueError, KeyError, TypeError) as e:
                raise SourceError(f"{lab_path}:{n}: not a label line ({e})") from e
        raw = art_path.read_bytes()
        digest.update(raw)
        for n, line in enumerate(raw.decode("utf-8").split("\n"), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                raise SourceError(f"{art_path}:{n}: not JSON ({e})") from e
            aid = str(obj.get("id"))
            if aid in gold:
                out.append(
                    LabelledArticle(aid, str(obj.get("text") or ""), obj.get("title"), gold[aid])
                )
    out.sort(key=lambda a: a.id)
    return out, digest.hexdigest()[:16]


def grouped_folds(articles: Sequence[LabelledArticle], k: int = FOLDS) -> list[int]:
    """Fold of each article: stories (first labelled series) dealt to folds, largest first."""
    sizes: dict[str, int] = {}
    for a in articles:
        sizes[a.group] = sizes.get(a.group, 0) + 1
    load = [0] * k
    fold_of_group: dict[str, int] = {}
    for g in sorted(sizes, key=lambda g: (-sizes[g], g)):
        f = min(range(k), key=lambda i: (load[i], i))
        fold_of_group[g] = f
        load[f] += sizes[g]
    return [fold_of_group[a.group] for a in articles]


# ---- preparing articles ---------------------------------------------------------------------


def rule_claims_for(articles: Sequence[LabelledArticle], progress: Progress | None = None) -> None:
    """The pattern rules' claims (hedged ones too) for every article, in place."""
    from renewcast.news.article import Article
    from renewcast.news.extract import extract_candidates

    t0 = time.monotonic()
    for i, a in enumerate(articles, 1):
        ex = extract_candidates(Article(a.id, None, None, None, a.headline, a.text))
        a.rule_claims = [rule_claim_json(c) for c in ex.claims]
        if progress and i % 50 == 0:
            progress(f"rules: {i}/{len(articles)} articles ({time.monotonic() - t0:.0f} s)")


def rule_claim_json(c: Any) -> dict[str, Any]:
    d: dict[str, Any] = c.to_json()
    d.update(trigger=c.trigger, via=c.via, done=c.done)
    return d


def parse_all(articles: Sequence[LabelledArticle], gazetteer: Gazetteer | None) -> None:
    nlp = reader_nlp()
    for a in articles:
        a.parsed = parse_article(a.text, nlp, gazetteer, a.headline)


# ---- the three training sets ----------------------------------------------------------------


def _overlaps(sentence: str, evidence: str) -> bool:
    s = " ".join(sentence.split())
    e = " ".join(evidence.split())
    return bool(e) and (e in s or (len(s) >= 15 and s in e))


def mention_examples(
    articles: Iterable[LabelledArticle], hidden: set[str]
) -> tuple[list[Features], list[str]]:
    rows: list[Features] = []
    labels: list[str] = []
    for a in articles:
        assert a.parsed is not None
        gold = a.series
        for key, f in article_rows(a.parsed):
            if key in hidden:
                continue
            rows.append(f)
            labels.append("yes" if key in gold else "no")
    return rows, labels


def pair_examples(
    articles: Iterable[LabelledArticle], priors: Mapping[str, Mapping[str, float]], hidden: set[str]
) -> tuple[list[Features], list[str]]:
    rows: list[Features] = []
    labels: list[str] = []
    for a in articles:
        pa = a.parsed
        assert pa is not None
        prior = priors[a.id]
        gold = {norm_title(str(g["series"])): g for g in a.gold}
        pairs = [p for p in link_pairs(pa, prior) if p[0] not in hidden]
        labs = {}
        for k, si, _ in pairs:
            g = gold.get(k)
            labs[(k, si)] = (
                str(g["status"]) if g and _overlaps(pa.sents[si].text, str(g["evidence"])) else "none"
            )
        for k, g in gold.items():  # a list item or heading: the evidence names no series
            mine = [si for (kk, si) in labs if kk == k]
            if mine and all(labs[(k, si)] == "none" for si in mine):
                labs[(k, mine[0])] = str(g["status"])
        for k, si, via in pairs:
            rows.append(pair_features(pa, pa.candidates[k], si, via, prior[k]))
            labels.append(labs[(k, si)])
    return rows, labels


def gold_keys(a: LabelledArticle) -> set[tuple[str, str, int | None]]:
    return {(norm_title(str(g["series"])), str(g["status"]), g.get("season")) for g in a.gold}


# ---- fitting --------------------------------------------------------------------------------


@dataclass(slots=True)
class Fitted:
    mention: LinearModel
    status: LinearModel
    scorer: ClaimScorer


def _priors(articles: Sequence[LabelledArticle], model: LinearModel) -> dict[str, dict[str, float]]:
    from renewcast.news.learned import mention_priors

    return {a.id: mention_priors(a.parsed, model) for a in articles if a.parsed is not None}


def _pair_scores(
    articles: Sequence[LabelledArticle], priors: Mapping[str, Mapping[str, float]], model: LinearModel
) -> dict[str, dict[str, PairScores]]:
    from renewcast.news.learned import score_pairs

    return {a.id: score_pairs(a.parsed, priors[a.id], model) for a in articles if a.parsed is not None}


def _triggers(articles: Iterable[LabelledArticle], n: int = 30) -> list[str]:
    counts: dict[str, int] = {}
    for a in articles:
        for c in a.rule_claims:
            t = str(c.get("trigger") or "")
            counts[t] = counts.get(t, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))[:n]


def fit_models(
    train: Sequence[LabelledArticle], hidden: set[str], seed: int = SEED, inner_folds: int = 3
) -> Fitted:
    """Fit the three models on ``train``; rows about ``hidden`` series are never seen.

    The claim scorer is trained on out-of-fold outputs of the first two models (inner folds
    grouped like the outer ones), so it learns how far to trust them on articles they never saw."""
    folds = grouped_folds(train, inner_folds)
    oof_prior: dict[str, dict[str, float]] = {}
    oof_pairs: dict[str, dict[str, PairScores]] = {}
    for f in range(inner_folds):
        tr = [a for a, k in zip(train, folds, strict=True) if k != f]
        te = [a for a, k in zip(train, folds, strict=True) if k == f]
        inner_hidden = hidden | {s for a in te for s in a.series}
        m = LinearModel.fit(*mention_examples(tr, inner_hidden), seed=seed)
        pr_tr = _priors(tr, m)
        pr_te = _priors(te, m)
        s = LinearModel.fit(*pair_examples(tr, pr_tr, inner_hidden), seed=seed)
        oof_prior.update(pr_te)
        oof_pairs.update(_pair_scores(te, pr_te, s))
    mention = LinearModel.fit(*mention_examples(train, hidden), seed=seed)
    priors = _priors(train, mention)
    status = LinearModel.fit(*pair_examples(train, priors, hidden), seed=seed)
    triggers = _triggers(train)
    rows: list[Features] = []
    labels: list[int] = []
    for a in train:
        assert a.parsed is not None
        gk = gold_keys(a)
        for key, f, _, _ in claim_rows(a.parsed, a.rule_claims, oof_prior[a.id], oof_pairs[a.id], triggers):
            if key[0] in hidden:
                continue
            rows.append(f)
            labels.append(int(key in gk))
    scorer = ClaimScorer.fit(rows, labels, triggers, seed=seed)
    return Fitted(mention, status, scorer)


def predict_claims(
    fitted: Fitted, articles: Sequence[LabelledArticle]
) -> dict[str, list[tuple[tuple[str, str, int | None], float, str]]]:
    """Per article: the best claim per series, (key, confidence, evidence)."""
    priors = _priors(articles, fitted.mention)
    pairs = _pair_scores(articles, priors, fitted.status)
    out: dict[str, list[tuple[tuple[str, str, int | None], float, str]]] = {}
    for a in articles:
        assert a.parsed is not None
        rows = claim_rows(a.parsed, a.rule_claims, priors[a.id], pairs[a.id], fitted.scorer.triggers)
        probs = fitted.scorer.predict([r[1] for r in rows])
        best: dict[str, tuple[tuple[str, str, int | None], float, str]] = {}
        for (key, _, ev, _), p in zip(rows, probs, strict=True):
            if key[0] not in best or p > best[key[0]][1]:
                best[key[0]] = (key, float(p), ev)
        out[a.id] = sorted(best.values(), key=lambda x: -x[1])
    return out


# ---- evaluation -----------------------------------------------------------------------------


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_json(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(p, 4),
                "recall": round(r, 4), "f1": round(f1, 4)}


def score(
    articles: Sequence[LabelledArticle],
    predictions: Mapping[str, list[tuple[tuple[str, str, int | None], float, str]]],
    threshold: float,
) -> dict[str, Any]:
    overall = Counts()
    by_status = {s: Counts() for s in STATUSES}
    for a in articles:
        gk = gold_keys(a)
        pk = {k for k, p, _ in predictions.get(a.id, []) if p >= threshold}
        for k in gk:
            c = by_status[k[1]]
            if k in pk:
                c.tp += 1
                overall.tp += 1
            else:
                c.fn += 1
                overall.fn += 1
        for k in pk - gk:
            by_status[k[1]].fp += 1
            overall.fp += 1
    return {"overall": overall.as_json(), "by_status": {s: c.as_json() for s, c in by_status.items()}}


def pr_curve(
    articles: Sequence[LabelledArticle],
    predictions: Mapping[str, list[tuple[tuple[str, str, int | None], float, str]]],
) -> list[dict[str, float]]:
    pts = []
    for t in [round(0.05 * i, 2) for i in range(1, 20)]:
        o = score(articles, predictions, t)["overall"]
        pts.append({"threshold": t, "precision": o["precision"], "recall": o["recall"], "f1": o["f1"]})
    return pts


def choose_threshold(curve: Sequence[Mapping[str, float]], target: float = TARGET_PRECISION) -> float:
    """The lowest threshold whose precision reaches ``target`` (else the one with the best F1)."""
    ok = [p for p in curve if p["precision"] >= target and p["recall"] > 0]
    if ok:
        return float(min(ok, key=lambda p: p["threshold"])["threshold"])
    return float(max(curve, key=lambda p: p["f1"])["threshold"])


def cross_validate(
    articles: Sequence[LabelledArticle],
    k: int = FOLDS,
    seed: int = SEED,
    fraction: float = 1.0,
    catalog_titles: Sequence[str] = (),
    progress: Progress | None = None,
) -> dict[str, list[tuple[tuple[str, str, int | None], float, str]]]:
    """Out-of-fold predictions for every article (training on ``fraction`` of each training
    split, for the learning curve)."""
    folds = grouped_folds(articles, k)
    out: dict[str, list[tuple[tuple[str, str, int | None], float, str]]] = {}
    rng = random.Random(seed)
    for f in range(k):
        t0 = time.monotonic()
        test = [a for a, x in zip(articles, folds, strict=True) if x == f]
        train = [a for a, x in zip(articles, folds, strict=True) if x != f]
        if fraction < 1.0:
            train = sorted(rng.sample(train, max(10, int(len(train) * fraction))), key=lambda a: a.id)
        hidden = {s for a in test for s in a.series}
        gaz = Gazetteer([*catalog_titles, *(str(g["series"]) for a in train for g in a.gold)])
        parse_all(train, gaz)
        parse_all(test, gaz)
        fitted = fit_models(train, hidden, seed)
        out.update(predict_claims(fitted, test))
        if progress:
            progress(f"fold {f + 1}/{k}: {len(train)} training, {len(test)} test articles "
                     f"({time.monotonic() - t0:.0f} s)")
    return out


def train_final(
    articles: Sequence[LabelledArticle],
    threshold: float,
    meta: dict[str, Any],
    catalog_titles: Sequence[str] = (),
    seed: int = SEED,
) -> ExtractionModel:
    titles = sorted({*catalog_titles, *(str(g["series"]) for a in articles for g in a.gold)})
    gaz = Gazetteer(titles)
    parse_all(articles, gaz)
    fitted = fit_models(articles, set(), seed)
    return ExtractionModel(fitted.mention, fitted.status, fitted.scorer, threshold, titles, meta)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
