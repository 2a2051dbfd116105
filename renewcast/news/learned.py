"""The trained part of the news reader: which candidates are series with a stated status, which
status, and how far to trust each claim.

Three estimators, each with ``fit`` / ``predict_proba`` and a JSON form (no pickles):

- :class:`LinearModel` ``mention`` — is this title candidate a series whose status the article
  states? (a person, a platform, a film or a passing comparison is not);
- :class:`LinearModel` ``status`` — for a (candidate, sentence) pair, which status does the sentence
  state for it, if any;
- :class:`ClaimScorer` — every candidate claim (from the pattern rules and from the two models
  above) gets a calibrated probability that it is right: series, status and season (boosted
  trees and a random forest, averaged);
- :class:`LinearModel` ``speaker`` — for a claim and a person or organisation the article names
  (quoted, reported as saying, or just named), are they stating the series' future?

:func:`read_claims` runs them over one article. Training and honest (grouped, out-of-sample)
evaluation live in :mod:`renewcast.news.train`.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renewcast.news.candidates import Gazetteer, ParsedArticle, parse_article
from renewcast.news.claims import Speaker
from renewcast.news.features import (
    Features,
    article_rows,
    cue_features,
    has_anaphor,
    pair_features,
    speaker_rows,
)
from renewcast.news.seasons import likeliest_season, season_mentions, season_support
from renewcast.news.speakers import ArticlePeople

if TYPE_CHECKING:
    import numpy as np

STATUSES = ("renewed", "cancelled", "ended", "limited", "pending")
VIAS = ("direct", "anaphor", "indirect", "colon", "list", "carried")
KEEP_PRIOR = 0.02  # candidates less likely than this to be a judged series get no pairs
MIN_PAIR_PROB = 0.02  # a status the status model gives less than this makes no claim
MODEL_FILE = "extraction.json.gz"


class ModelError(Exception):
    """The extraction model file is missing or unreadable."""


@dataclass(slots=True)
class LinearModel:
    """Logistic regression over sparse string features (binary or multinomial)."""

    classes: list[str]
    vocab: dict[str, int]
    coef: list[list[float]]  # one row per class (one row for binary: the positive class)
    intercept: list[float]
    # the weights as numpy arrays, made on the first prediction (the lists stay the JSON form)
    _arrays: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def fit(
        cls,
        rows: Sequence[Features],
        labels: Sequence[str],
        c: float = 0.5,
        min_count: int = 2,
        seed: int = 0,
    ) -> LinearModel:
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        counts: dict[str, int] = {}
        for r in rows:
            for k in r:
                counts[k] = counts.get(k, 0) + 1
        vocab = {k: i for i, k in enumerate(sorted(k for k, n in counts.items() if n >= min_count))}
        x = _matrix(rows, vocab)
        classes = sorted(set(labels))
        y = np.array([classes.index(v) for v in labels])
        coef: list[list[float]] = []
        intercept: list[float] = []
        # one-vs-rest binary fits (liblinear): fast on sparse rows, deterministic with a seed
        targets = [1] if len(classes) == 2 else list(range(len(classes)))
        for j in targets:
            m = LogisticRegression(C=c, max_iter=3000, solver="liblinear", random_state=seed)
            m.fit(x, (y == j).astype(int))
            coef.append([round(float(v), 6) for v in m.coef_[0]])
            intercept.append(round(float(m.intercept_[0]), 6))
        return cls([str(k) for k in classes], vocab, coef, intercept)

    def predict_proba(self, rows: Sequence[Features]) -> np.ndarray:
        import numpy as np

        x = _matrix(rows, self.vocab)
        if self._arrays is None:
            # w.T as a C-ordered array: the same values the product read from a transposed view
            w = np.ascontiguousarray(np.asarray(self.coef, dtype=float).T)
            self._arrays = (w, np.asarray(self.intercept, dtype=float))
        wt, b = self._arrays
        z = x @ wt + b
        if len(self.classes) == 2:
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1.0 - p1, p1])
        p = 1.0 / (1.0 + np.exp(-z))  # one-vs-rest, normalised
        return np.asarray(p / np.maximum(p.sum(axis=1, keepdims=True), 1e-12))

    def to_json(self) -> dict[str, Any]:
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        return {
            "classes": self.classes,
            "features": names,
            "coef": [[round(v, 6) for v in row] for row in self.coef],
            "intercept": [round(v, 6) for v in self.intercept],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> LinearModel:
        vocab = {k: i for i, k in enumerate(obj["features"])}
        return cls(list(obj["classes"]), vocab, obj["coef"], obj["intercept"])


def _matrix(rows: Sequence[Features], vocab: Mapping[str, int]) -> Any:
    import numpy as np
    from scipy.sparse import csr_matrix

    data: list[float] = []
    cols: list[int] = []
    ptr = [0]
    index = vocab.get
    for r in rows:
        for k, v in r.items():
            j = index(k)
            if j is not None and v:
                cols.append(j)
                data.append(float(v))
        ptr.append(len(cols))
    return csr_matrix(
        (np.array(data), np.array(cols, dtype=np.int32), np.array(ptr, dtype=np.int32)),
        shape=(len(rows), len(vocab)),
    )


SCORER_TREES: dict[str, Any] = {
    "n_estimators": 300,
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_child_samples": 20,
}
#: the random forest beside the boosted trees (round 14 of docs/news.md): averaged with them, the
#: top of the ranking holds across seeds, where the boosted trees alone move with their draw
SCORER_FOREST: dict[str, Any] = {"n_estimators": 200, "min_samples_leaf": 10, "max_features": 0.3}


@dataclass(slots=True)
class ForestTree:
    """One fitted decision tree in plain arrays: a row goes left at a node when its feature is
    at most the node's threshold; ``value`` is the share of right claims at a leaf; a leaf has
    no children (-1)."""

    left: list[int]
    right: list[int]
    feature: list[int]
    threshold: list[float]
    value: list[float]


@dataclass(frozen=True, slots=True)
class _PackedForest:
    """Every tree's nodes in one set of arrays (children as global indices), walked for all rows
    and trees at once."""

    left: np.ndarray
    right: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    value: np.ndarray
    roots: np.ndarray

    @classmethod
    def of(cls, trees: Sequence[ForestTree]) -> _PackedForest:
        import numpy as np

        offsets = np.cumsum([0] + [len(t.left) for t in trees[:-1]])

        def children(side: str) -> np.ndarray:
            parts = []
            for off, t in zip(offsets, trees, strict=True):
                c = np.asarray(getattr(t, side), dtype=np.int64)
                parts.append(np.where(c >= 0, c + off, -1))
            return np.concatenate(parts)

        def flat(name: str, dtype: Any) -> np.ndarray:
            return np.concatenate([np.asarray(getattr(t, name), dtype=dtype) for t in trees])

        feature = flat("feature", np.int64)
        return cls(
            children("left"),
            children("right"),
            np.maximum(feature, 0),
            flat("threshold", np.float64),
            flat("value", np.float64),
            offsets.astype(np.int64),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The mean over trees of each row's leaf value (``x`` as the forest reads it)."""
        import numpy as np

        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        while True:
            left = self.left[node]
            inner = left >= 0
            if not inner.any():
                return np.asarray(self.value[node].mean(axis=1))
            go_left = x[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, left, self.right[node]), node)


@dataclass(slots=True)
class ClaimScorer:
    """P(claim is right) over a candidate claim's dense features: the mean of gradient-boosted
    trees (LightGBM) and a random forest (scikit-learn's, kept as plain arrays)."""

    columns: list[str]
    booster: str  # LightGBM's text form
    triggers: list[str]
    forest: list[ForestTree] = field(default_factory=list)
    _model: Any = None
    _packed: _PackedForest | None = None

    @classmethod
    def fit(
        cls, rows: Sequence[Features], labels: Sequence[int], triggers: list[str], seed: int = 0
    ) -> ClaimScorer:
        import lightgbm as lgb
        import numpy as np
        from sklearn.ensemble import RandomForestClassifier

        columns = sorted({k for r in rows for k in r})
        x = np.array([[r.get(c, 0.0) for c in columns] for r in rows], dtype=float)
        y = np.asarray(labels)
        m = lgb.LGBMClassifier(
            **SCORER_TREES,
            subsample=0.8,
            subsample_freq=1,
            colsample_bytree=0.8,
            random_state=seed,
            deterministic=True,
            force_row_wise=True,
            n_jobs=1,
            verbose=-1,
        )
        m.fit(x, y)
        rf = RandomForestClassifier(**SCORER_FOREST, random_state=seed, n_jobs=1)
        rf.fit(x, y)
        assert list(rf.classes_) == [0, 1], "the claim scorer needs right and wrong claims"
        forest = []
        for est in rf.estimators_:
            t = est.tree_
            counts = t.value[:, 0, :]  # per class, in the order of rf.classes_ (0, 1)
            share = counts[:, 1] / counts.sum(axis=1)
            forest.append(
                ForestTree(
                    t.children_left.tolist(),
                    t.children_right.tolist(),
                    t.feature.tolist(),
                    t.threshold.tolist(),
                    share.tolist(),
                )
            )
        return cls(columns, m.booster_.model_to_string(), triggers, forest)

    def predict(self, rows: Sequence[Features]) -> np.ndarray:
        import lightgbm as lgb
        import numpy as np

        if not rows:
            return np.zeros(0)
        if self._model is None:
            self._model = lgb.Booster(model_str=self.booster)
        x = np.array([[r.get(c, 0.0) for c in self.columns] for r in rows], dtype=float)
        boosted = np.asarray(self._model.predict(x, num_threads=1))
        if not self.forest:
            return boosted
        if self._packed is None:
            self._packed = _PackedForest.of(self.forest)
        # the forest reads features as scikit-learn does: as 32-bit floats
        forest = self._packed.predict(x.astype(np.float32).astype(np.float64))
        return np.asarray(0.5 * boosted + 0.5 * forest)

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "booster": self.booster,
            "triggers": self.triggers,
            "forest": [
                {
                    "left": t.left,
                    "right": t.right,
                    "feature": t.feature,
                    "threshold": t.threshold,
                    "value": t.value,
                }
                for t in self.forest
            ],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> ClaimScorer:
        forest = [
            ForestTree(
                list(t["left"]),
                list(t["right"]),
                list(t["feature"]),
                list(t["threshold"]),
                list(t["value"]),
            )
            for t in obj.get("forest") or []
        ]
        return cls(list(obj["columns"]), str(obj["booster"]), list(obj["triggers"]), forest)


@dataclass(slots=True)
class ExtractionModel:
    mention: LinearModel
    status: LinearModel
    scorer: ClaimScorer
    threshold: float
    speaker: LinearModel
    speaker_threshold: float
    season: LinearModel
    gazetteer_titles: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    _gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer(self.gazetteer_titles)
        return self._gazetteer

    def to_json(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "threshold": self.threshold,
            "gazetteer": self.gazetteer_titles,
            "mention": self.mention.to_json(),
            "status": self.status.to_json(),
            "scorer": self.scorer.to_json(),
            "speaker": self.speaker.to_json(),
            "speaker_threshold": self.speaker_threshold,
            "season": self.season.to_json(),
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> ExtractionModel:
        return cls(
            LinearModel.from_json(obj["mention"]),
            LinearModel.from_json(obj["status"]),
            ClaimScorer.from_json(obj["scorer"]),
            float(obj["threshold"]),
            LinearModel.from_json(obj["speaker"]),
            float(obj["speaker_threshold"]),
            LinearModel.from_json(obj["season"]),
            list(obj.get("gazetteer") or []),
            dict(obj.get("meta") or {}),
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")).encode()
        with gzip.GzipFile(path, "wb", mtime=0) as fh:
            fh.write(data)

    @classmethod
    def load(cls, path: Path) -> ExtractionModel:
        try:
            with gzip.open(path, "rb") as fh:
                return cls.from_json(json.loads(fh.read()))
        except FileNotFoundError as e:
            raise ModelError(
                f"{path}: no extraction model; run `renewcast train extraction` to build one"
            ) from e
        except (OSError, ValueError, KeyError) as e:
            raise ModelError(f"{path}: not a readable extraction model ({e})") from e


def default_model_path() -> Path:
    return Path(str(resources.files("renewcast.news").joinpath("models", MODEL_FILE)))


@lru_cache(maxsize=1)
def load_default_model() -> ExtractionModel:
    return ExtractionModel.load(default_model_path())


# ---- from an article to scored claims -------------------------------------------------------


@dataclass(slots=True)
class PairScores:
    """The status model's best sentence and probability per status, for one candidate."""

    best: dict[str, tuple[float, int]] = field(default_factory=dict)
    n_pairs: int = 0


def link_pairs(pa: ParsedArticle, prior: Mapping[str, float]) -> list[tuple[str, int, str]]:
    """(candidate key, sentence, how linked) for the candidates worth judging: every sentence that
    names one, and sentences that refer back ("the series", "it") to the last one named in the
    same paragraph, else to the article's most likely series."""
    kept = [k for k in pa.candidates if prior.get(k, 0.0) >= KEEP_PRIOR]
    if not kept:
        return []
    main = max(kept, key=lambda k: prior[k])
    named: dict[int, dict[str, int]] = {}
    for k in kept:
        for o in pa.candidates[k].occurrences:
            d = named.setdefault(o.sent, {})
            d[k] = min(d.get(k, o.char_start), o.char_start)
    pairs: list[tuple[str, int, str]] = []
    last: str | None = None
    last_line = -1
    for si, sent in enumerate(pa.sents):
        line = pa.sent_line[si]
        if si in named:
            for k in sorted(named[si], key=named[si].__getitem__):
                pairs.append((k, si, "named"))
            last = max(named[si], key=named[si].__getitem__)
            last_line = line
        elif has_anaphor([t.text.lower() for t in sent]):
            focus = last if last is not None and last_line == line else main
            pairs.append((focus, si, "anaphor"))
    return pairs


MAX_CONTEXT = 8


def series_context(pa: ParsedArticle, key: str, evidence: str) -> list[str]:
    """The article's sentences that name a series, other than a claim's own (at most
    :data:`MAX_CONTEXT`, in article order): where a season left unsaid in the claim's sentence
    may be stated."""
    cand = pa.candidates.get(key)
    if cand is None:
        return []
    own = " ".join(evidence.split())
    out: list[str] = []
    for si in sorted({o.sent for o in cand.occurrences}):
        text = pa.sents[si].text
        if " ".join(text.split()) != own and text not in out:
            out.append(text)
    return out[:MAX_CONTEXT]


def _surface(pa: ParsedArticle, key: str, rule: Mapping[str, Any] | None) -> str:
    """The series as the article writes it (the rule claim's title if it is no candidate)."""
    cand = pa.candidates.get(key)
    if cand is not None:
        return cand.surface
    return str(rule["series"]) if rule is not None else key


def claim_rows(
    pa: ParsedArticle,
    rule_claims: Sequence[Mapping[str, Any]],
    prior: Mapping[str, float],
    pair_scores: Mapping[str, PairScores],
    triggers: Sequence[str],
    season_model: LinearModel,
) -> list[tuple[tuple[str, str, int | None], Features, str, Mapping[str, Any] | None]]:
    """Every candidate claim of an article with its features: (key, features, evidence, rule claim).

    A candidate claim is a rule claim, or a status the status model gives a candidate at least
    :data:`MIN_PAIR_PROB`; its season is the season model's reading of its sentence."""
    from renewcast.news.mentions import norm_title

    # the season model's reading of a sentence for a series and status, read once per claim row
    supports: dict[tuple[str, str, str], dict[int | None, float]] = {}

    def support(key: str, status: str, text: str, title: str) -> dict[int | None, float]:
        found = supports.get((key, status, text))
        if found is None:
            found = supports[(key, status, text)] = season_support(
                season_model, text, status, title, series_context(pa, key, text)
            )
        return found

    # every rule claim is scored (a headline and a body sentence may make the same claim with
    # different strength); the likeliest per series is kept later
    by_key: dict[tuple[str, str, int | None], list[Mapping[str, Any]]] = {}
    for c in rule_claims:
        key = pa.canonical(norm_title(str(c["series"])))
        status = str(c["status"])
        season = c.get("season")
        ev_text = str(c.get("evidence") or "")
        # the rules' arithmetic is kept, except where the sentence numbers several seasons (a
        # list of series with one number each) or none: there the season model reads it
        if season is None or len(season_mentions(ev_text)) > 1:
            season = likeliest_season(support(key, status, ev_text, _surface(pa, key, c)))
        by_key.setdefault((key, status, season), []).append(c)
    keys = {k[0] for k in by_key} | set(pair_scores)
    n_rules = len(rule_claims)
    # where the candidate stands among the article's: an article judges a few of its many titles
    ranked = sorted(prior.values(), reverse=True)
    top_prior = ranked[0] if ranked else 0.0
    top_status = {
        s: max([ps.best.get(s, (0.0, -1))[0] for ps in pair_scores.values()] + [0.0])
        for s in STATUSES
    }
    out = []
    for key in sorted(keys):
        ps = pair_scores.get(key, PairScores())
        top = max(STATUSES, key=lambda s: ps.best.get(s, (0.0, -1))[0]) if ps.best else None
        statuses_by_rules = {k[1] for k in by_key if k[0] == key}
        for status in STATUSES:
            lp, lsent = ps.best.get(status, (0.0, -1))
            found: list[tuple[tuple[str, str, int | None], Mapping[str, Any] | None, str]] = [
                (k, c, str(c.get("evidence") or ""))
                for k, cs in by_key.items()
                if k[0] == key and k[1] == status
                for c in cs
            ]
            if not found:
                if lp < MIN_PAIR_PROB or lsent < 0:
                    continue
                text = pa.sents[lsent].text
                season = likeliest_season(support(key, status, text, pa.candidates[key].surface))
                found = [((key, status, season), None, text)]
            for k, rc, text in found:
                f: Features = {}
                if rc is not None:
                    f["rule"] = 1.0
                    f["hedged"] = float(bool(rc.get("hedged")))
                    f["done"] = float(bool(rc.get("done")))
                    f["final"] = float(bool(rc.get("final")))
                    f["official"] = {True: 1.0, False: -1.0}.get(rc.get("official"), 0.0)  # type: ignore[arg-type]
                    f["rule_confidence"] = float(rc.get("confidence") or 0.0)
                    for v in VIAS:
                        f[f"via_{v}"] = float(rc.get("via") == v)
                    for t in triggers:
                        f[f"trigger_{t}"] = float(rc.get("trigger") == t)
                f["p_status"] = lp
                f["p_other"] = max(
                    [ps.best.get(o, (0.0, -1))[0] for o in STATUSES if o != status] + [0.0]
                )
                f["status_top"] = float(top == status)
                f["prior"] = prior.get(key, 0.0)
                f["prior_rank"] = math.log1p(sum(p > f["prior"] for p in ranked))
                f["prior_rel"] = f["prior"] / top_prior if top_prior > 0 else 0.0
                f["p_status_rel"] = lp / top_status[status] if top_status[status] > 0 else 0.0
                f["n_pairs"] = math.log1p(ps.n_pairs)
                f["season_none"] = float(k[2] is None)
                # how sure the season model is of the claim's season: a claim is right only if
                # its season is, and the scorer saw no sign of that before
                sup = support(key, status, text, _surface(pa, key, rc))
                ranked_p = sorted(sup.values(), reverse=True)
                f["season_p"] = sup.get(k[2], 0.0)
                f["season_best"] = float(f["season_p"] >= ranked_p[0])
                f["season_margin"] = ranked_p[0] - (ranked_p[1] if len(ranked_p) > 1 else 0.0)
                f["season_options"] = math.log1p(len(sup))
                f["n_rule_claims"] = math.log1p(n_rules)
                f["n_keys"] = math.log1p(len(keys))
                f["rule_statuses"] = float(len(statuses_by_rules))
                for s in STATUSES:
                    f[f"is_{s}"] = float(s == status)
                cf = cue_features(text)
                for s in (*STATUSES, "neg", "hedge"):
                    f[f"cue_{s}"] = cf.get(f"cue:{s}", 0.0)
                f["cue_match"] = cf.get(f"cue:{status}", 0.0)
                out.append((k, f, text, rc))
    return out


def score_pairs(
    pa: ParsedArticle, prior: Mapping[str, float], status_model: LinearModel
) -> dict[str, PairScores]:
    pairs = link_pairs(pa, prior)
    if not pairs:
        return {}
    rows = [pair_features(pa, pa.candidates[k], si, via) for k, si, via in pairs]
    proba = status_model.predict_proba(rows)
    out: dict[str, PairScores] = {}
    for (k, si, _), p in zip(pairs, proba, strict=True):
        ps = out.setdefault(k, PairScores())
        ps.n_pairs += 1
        for j, c in enumerate(status_model.classes):
            if c in STATUSES and p[j] > ps.best.get(c, (0.0, -1))[0]:
                ps.best[c] = (float(p[j]), si)
    return out


def mention_priors(pa: ParsedArticle, mention_model: LinearModel) -> dict[str, float]:
    rows = article_rows(pa)
    if not rows:
        return {}
    proba = mention_model.predict_proba([f for _, f in rows])
    return {k: float(p[1]) for (k, _), p in zip(rows, proba, strict=True)}


@dataclass(slots=True)
class ScoredClaim:
    key: tuple[str, str, int | None]
    series: str
    evidence: str
    confidence: float
    rule: Mapping[str, Any] | None


def read_claims(
    text: str,
    headline: str | None,
    rule_claims: Sequence[Mapping[str, Any]],
    model: ExtractionModel,
    nlp: Any,
) -> list[ScoredClaim]:
    """Every candidate claim of one article with its calibrated confidence, the best claim per
    series only (an article states one status per series), most confident first."""
    pa = parse_article(text, nlp, model.gazetteer, headline)
    prior = mention_priors(pa, model.mention)
    pairs = score_pairs(pa, prior, model.status)
    rows = claim_rows(pa, rule_claims, prior, pairs, model.scorer.triggers, model.season)
    if not rows:
        return []
    probs = model.scorer.predict([r[1] for r in rows])
    best: dict[str, ScoredClaim] = {}
    for (k, _, evidence, rc), p in zip(rows, probs, strict=True):
        series = model.gazetteer.title(k[0]) or (
            str(rc["series"]) if rc is not None else pa.candidates[k[0]].surface
        )
        sc = ScoredClaim(k, series, evidence, float(p), rc)
        if k[0] not in best or sc.confidence > best[k[0]].confidence:
            best[k[0]] = sc
    kept = list(best.values())
    # a model-only claim about a piece of a longer title in the same sentence ("Lockwood" inside
    # "Lockwood and Co") is the longer title's claim read twice
    kept = [
        c
        for c in kept
        if c.rule is not None
        or not any(
            o is not c and o.evidence == c.evidence and f" {c.key[0]} " in f" {o.key[0]} "
            for o in kept
        )
    ]
    return sorted(kept, key=lambda c: -c.confidence)


def main_series(people: ArticlePeople, keys: Iterable[str]) -> str | None:
    """Of these title keys, the one the article names in the most sentences."""
    counts = {k: sum(f" {k} " in f" {s} " for s in people.sentences) for k in keys}
    return max(counts, key=lambda k: (counts[k], k)) if counts else None


def speaker_probabilities(
    model: LinearModel, people: ArticlePeople, series: str, evidence: str, main: bool
) -> list[tuple[str, str | None, float]]:
    """(name, role, probability that they state the series' future) for everyone the article names."""
    rows = speaker_rows(people, series, evidence, main)
    if not rows:
        return []
    proba = model.predict_proba([f for _, _, f in rows])
    return [(n, r, float(p[1])) for (n, r, _), p in zip(rows, proba, strict=True)]


def select_speakers(
    model: LinearModel,
    threshold: float,
    people: ArticlePeople,
    series: str,
    evidence: str,
    main: bool,
) -> list[Speaker]:
    """The people (and organisations' statements) the speaker model puts at or over
    ``threshold`` for one claim, likeliest first."""
    probs = speaker_probabilities(model, people, series, evidence, main)
    kept = sorted((p for p in probs if p[2] >= threshold), key=lambda p: -p[2])
    return [Speaker(n, r) for n, r, _ in kept]
