"""Train the learned claim filter on the hand labels, with cross-validation grouped by article.

    python -m renewcast.news.train_claims [--labels L] [--articles A] [--out FILE] [--dry-run]

For every labelled article the rules' candidate claims (and their season variants) are made
without the filter; a candidate is positive when its (series, status, season) is a gold claim of
that article. A logistic regression is scored by 5-fold cross-validation grouped by article (an
article's claims are always judged by a model that never saw it; the acceptance threshold is
chosen by an inner grouped cross-validation on the training folds only), against the rules alone
on the same articles. The final model is fitted on all labels and written as JSON coefficients
(deterministic: same labels and code, same file). It is written only when cross-validation shows
it helps, unless ``--force``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from renewcast.news.article import Article, read_jsonl
from renewcast.news.claim_filter import (
    MODEL_PATH,
    ArticleContext,
    Candidate,
    ClaimFilter,
    candidates,
    feature_names,
    features,
    select,
)
from renewcast.news.claims import Claim
from renewcast.news.evaluate import Report, evaluate, read_gold
from renewcast.news.mentions import norm_title

FOLDS = 5
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(1, 15))  # 0.05 .. 0.70
C = 0.03  # strong regularisation: ~420 candidates, ~55 features


@dataclass(slots=True)
class ArticleCands:
    id: str
    claims: list[Claim]
    cands: list[Candidate]
    x: list[list[float]]
    y: list[int]


def build(labels: Path, articles: Path) -> list[ArticleCands]:
    """Candidates, features and labels for every labelled article found in ``articles``."""
    from renewcast.news.extract import extract_candidates

    gold = read_gold(labels)
    with articles.open(encoding="utf-8", errors="replace") as f:
        arts = {a.id: a for a in read_jsonl(f, name=str(articles)) if isinstance(a, Article)}
    out: list[ArticleCands] = []
    for aid, g in gold.items():
        art = arts.get(aid)
        if art is None:
            continue
        keys = {(norm_title(str(c["series"])), str(c["status"]), c.get("season")) for c in g}
        claims = extract_candidates(art).claims
        text = art.text or ""
        title = art.title or (text.splitlines()[0] if text else "")
        ctx = ArticleContext.build(claims, text, title)
        cands = candidates(claims, ctx)
        x = [features(c, cands, ctx) for c in cands]
        y = [int(c.claim.key in keys) for c in cands]
        out.append(ArticleCands(aid, claims, cands, x, y))
    return out


def _fit(data: list[ArticleCands]) -> tuple[Any, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    xs = [x for a in data for x, c in zip(a.x, a.cands, strict=True) if not c.claim.hedged]
    ys = [y for a in data for y, c in zip(a.y, a.cands, strict=True) if not c.claim.hedged]
    scaler = StandardScaler().fit(xs)
    lr = LogisticRegression(C=C, max_iter=2000, solver="lbfgs")
    lr.fit(scaler.transform(xs), ys)
    return scaler, lr


def _probs(model: tuple[Any, Any], a: ArticleCands) -> list[float]:
    scaler, lr = model
    if not a.x:
        return []
    return [float(p) for p in lr.predict_proba(scaler.transform(a.x))[:, 1]]


def _pred(a: ArticleCands, probs: list[float] | None, threshold: float) -> dict[str, Any]:
    claims = a.claims if probs is None else select(a.claims, a.cands, probs, threshold)
    return {"claims": [c.to_json() for c in claims]}


def _groups(data: list[ArticleCands], folds: int) -> list[list[int]]:
    """Deterministic grouped folds: article k goes to fold k mod ``folds``."""
    return [[k for k in range(len(data)) if k % folds == f] for f in range(folds)]


def _oof(data: list[ArticleCands], folds: int) -> list[list[float]]:
    probs: list[list[float]] = [[] for _ in data]
    for test in _groups(data, folds):
        train = [a for k, a in enumerate(data) if k not in set(test)]
        model = _fit(train)
        for k in test:
            probs[k] = _probs(model, data[k])
    return probs


def _f1(data: list[ArticleCands], probs: list[list[float]], t: float, labels: Path) -> float:
    pred = {a.id: _pred(a, p, t) for a, p in zip(data, probs, strict=True)}
    return evaluate(pred, labels, ids=[a.id for a in data]).overall.f1


def choose_threshold(data: list[ArticleCands], labels: Path, folds: int = FOLDS) -> float:
    probs = _oof(data, folds)
    return max(THRESHOLDS, key=lambda t: (_f1(data, probs, t, labels), -abs(t - 0.5)))


@dataclass(slots=True)
class CvResult:
    rules: Report
    learned: Report
    thresholds: list[float]


def cross_validate(data: list[ArticleCands], labels: Path, folds: int = FOLDS) -> CvResult:
    """Outer grouped CV; each fold's threshold from an inner grouped CV on its training part."""
    pred: dict[str, dict[str, Any]] = {}
    thresholds: list[float] = []
    for test in _groups(data, folds):
        tests = set(test)
        train = [a for k, a in enumerate(data) if k not in tests]
        t = choose_threshold(train, labels, folds)
        thresholds.append(t)
        model = _fit(train)
        for k in test:
            pred[data[k].id] = _pred(data[k], _probs(model, data[k]), t)
    ids = [a.id for a in data]
    rules = evaluate({a.id: _pred(a, None, 0.0) for a in data}, labels, ids=ids)
    return CvResult(rules, evaluate(pred, labels, ids=ids), thresholds)


def final_model(data: list[ArticleCands], labels: Path) -> ClaimFilter:
    threshold = choose_threshold(data, labels)
    scaler, lr = _fit(data)
    return ClaimFilter(
        names=tuple(feature_names()),
        mean=tuple(round(float(v), 6) for v in scaler.mean_),
        scale=tuple(round(float(v), 6) if v > 0 else 1.0 for v in scaler.scale_),
        coef=tuple(round(float(v), 6) for v in lr.coef_[0]),
        intercept=round(float(lr.intercept_[0]), 6),
        threshold=threshold,
    )


def main(argv: list[str] | None = None) -> int:
    news = Path(__file__).resolve().parents[3] / "shared" / "data" / "news"
    ap = argparse.ArgumentParser(prog="python -m renewcast.news.train_claims")
    ap.add_argument("--labels", type=Path, default=news / "labels.jsonl")
    ap.add_argument("--articles", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--dry-run", action="store_true", help="Cross-validate only; write nothing.")
    ap.add_argument("--force", action="store_true", help="Write the model even if CV says no.")
    args = ap.parse_args(argv)
    articles = args.articles or args.labels.with_name("articles.jsonl")
    data = build(args.labels, articles)
    n = sum(len(a.y) for a in data)
    print(
        f"{len(data)} articles, {n} candidates, {sum(sum(a.y) for a in data)} right",
        file=sys.stderr,
    )
    cv = cross_validate(data, args.labels)
    for name, rep in (("rules only", cv.rules), ("rules + learned filter (CV)", cv.learned)):
        o = rep.overall
        print(f"{name:28} P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f}")
        print("   " + "  ".join(f"{s} {sc.f1:.3f}" for s, sc in rep.by_status.items()))
    print(f"fold thresholds: {cv.thresholds}")
    helps = cv.learned.overall.f1 > cv.rules.overall.f1
    if args.dry_run or not (helps or args.force):
        print("model not written" + ("" if helps else " (CV shows no gain)"))
        return 0
    model = final_model(data, args.labels)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (threshold {model.threshold})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
