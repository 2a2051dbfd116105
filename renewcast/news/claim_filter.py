"""A learned accept/reject filter on the status claims the rules propose.

The rules (:mod:`renewcast.news.claims`, list and colon layouts in :mod:`renewcast.news.extract`)
propose candidate claims; claims whose sentence names no season also get *season variants* from
the rest of the article ("cancelled" + "after one season" in another sentence → season 2). Each
candidate is described by a few numbers (:func:`features`: status, trigger, how the series was
found, position, how often the series is written in the article, list context, ...) and a
logistic regression trained on the hand labels (:mod:`renewcast.news.train_claims`, grouped
cross-validation by article) gives the probability that the claim is right. A claim and its season
variants compete: the most probable one is kept when it clears the model's threshold.

The model is a small JSON file of coefficients (``models/claim_filter.json``); without it the rules'
claims pass unchanged. Hedged claims are not statements of status and are left as they are.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from renewcast.news.claims import STATUSES, Claim, season_expressions
from renewcast.news.mentions import norm_title

MODEL_PATH = Path(__file__).with_name("models") / "claim_filter.json"

TRIGGERS = (
    "renew",
    "return",
    "back",
    "cancel",
    "cancellation",
    "axe",
    "end",
    "final",
    "last",
    "limited",
    "order",
    "pick",
    "save",
    "conclude",
    "list",
    "colon",
    "carried",
)
VIAS = ("direct", "indirect", "anaphor", "list", "colon", "carried", "context")
_HISTORY = re.compile(
    r"\b(originally|previously|formerly|back in|once|had been|was initially|in (19|20)\d\d)\b", re.I
)
_NEGATION = re.compile(r"\b(not|n't|no|never|without)\b|n’t", re.I)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A claim to accept or reject; ``group`` ties a claim to the season variants made from it."""

    claim: Claim
    group: int
    variant: str  # "rule" | "named_max" | "named_mode" | "after_next"


@dataclass(frozen=True, slots=True)
class ArticleContext:
    text: str
    title: str
    series_counts: dict[str, int]  # norm title → claims about it
    named_seasons: Counter[int]
    after_counts: Counter[int]
    top_series: str | None

    @classmethod
    def build(cls, claims: list[Claim], text: str, title: str) -> ArticleContext:
        named: Counter[int] = Counter()
        after: Counter[int] = Counter()
        for line in text[:20_000].splitlines():
            for e in season_expressions(line):
                (after if e.kind == "after" else named)[e.number] += 1
        counts = Counter(norm_title(c.series) for c in claims if not c.hedged)
        top = counts.most_common(1)[0][0] if counts else None
        return cls(text, title, dict(counts), named, after, top)


def candidates(claims: list[Claim], ctx: ArticleContext) -> list[Candidate]:
    """The rules' claims, plus season variants for unhedged claims that name no season."""
    out: list[Candidate] = []
    for g, c in enumerate(claims):
        out.append(Candidate(c, g, "rule"))
        if c.hedged or c.season is not None or c.status == "limited":
            continue
        seen: set[int] = set()
        for variant, season in _season_guesses(c.status, ctx):
            if season is None or season in seen or not 0 < season < 40:
                continue
            seen.add(season)
            out.append(Candidate(replace(c, season=season, via="context"), g, variant))
    return out


def _season_guesses(status: str, ctx: ArticleContext) -> list[tuple[str, int | None]]:
    named_max = max(ctx.named_seasons) if ctx.named_seasons else None
    mode = ctx.named_seasons.most_common(1)[0][0] if ctx.named_seasons else None
    after = max(ctx.after_counts) if ctx.after_counts else None
    after_next = None
    if after is not None:
        after_next = after + 1 if status in ("cancelled", "renewed", "pending") else after
    return [("after_next", after_next), ("named_max", named_max), ("named_mode", mode)]


def feature_names() -> list[str]:
    return [
        *(f"status={s}" for s in STATUSES),
        *(f"trigger={t}" for t in (*TRIGGERS, "other")),
        *(f"via={v}" for v in VIAS),
        "variant=after_next",
        "variant=named_max",
        "variant=named_mode",
        "season_none",
        "season_mentions",
        "final",
        "official",
        "reported",
        "confidence",
        "position",
        "early",
        "in_title",
        "series_written",
        "series_in_evidence",
        "series_quoted",
        "series_words",
        "series_is_top",
        "series_claims",
        "article_series",
        "same_sentence",
        "evidence_words",
        "negation",
        "history",
        "statuses_for_series",
    ]


def features(cand: Candidate, all_cands: list[Candidate], ctx: ArticleContext) -> list[float]:
    c = cand.claim
    key = norm_title(c.series)
    trig = c.trigger if c.trigger in TRIGGERS else "other"
    text_len = max(len(ctx.text), 1)
    written = _count_written(c.series, ctx.text)
    same_sentence = sum(1 for o in all_cands if o.variant == "rule" and o.claim.start == c.start)
    statuses = {o.claim.status for o in all_cands if norm_title(o.claim.series) == key}
    ev = c.evidence
    vals: dict[str, float] = {
        f"status={c.status}": 1.0,
        f"trigger={trig}": 1.0,
        f"via={c.via}": 1.0,
        "season_none": float(c.season is None),
        "season_mentions": math.log1p(ctx.named_seasons.get(c.season or -1, 0)),
        "final": float(c.final),
        "official": float(c.official is True),
        "reported": float(c.official is False),
        "confidence": c.confidence,
        "position": c.start / text_len,
        "early": float(c.start < 300),
        "in_title": float(bool(ctx.title) and key in norm_title(ctx.title)),
        "series_written": math.log1p(written),
        "series_in_evidence": float(key in norm_title(ev)),
        "series_quoted": float(_quoted(c.series, ctx.text)),
        "series_words": float(min(len(key.split()), 6)),
        "series_is_top": float(key == ctx.top_series),
        "series_claims": math.log1p(ctx.series_counts.get(key, 0)),
        "article_series": math.log1p(len(ctx.series_counts)),
        "same_sentence": math.log1p(same_sentence),
        "evidence_words": math.log1p(len(ev.split())),
        "negation": float(bool(_NEGATION.search(ev))),
        "history": float(bool(_HISTORY.search(ev))),
        "statuses_for_series": float(len(statuses)),
    }
    if cand.variant != "rule":
        vals[f"variant={cand.variant}"] = 1.0
    return [vals.get(n, 0.0) for n in feature_names()]


def _count_written(series: str, text: str) -> int:
    words = re.findall(r"\w+", series)
    if not words:
        return 0
    rx = r"\b" + r"\W{1,3}".join(re.escape(w) for w in words) + r"\b"
    return len(re.findall(rx, text, re.I))


def _quoted(series: str, text: str) -> bool:
    return bool(re.search(r"[\"“‘']\s*" + re.escape(series) + r"\s*[\"”’']", text))


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """Logistic regression over standardised features, as stored in the model JSON."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, x: list[float]) -> float:
        z = self.intercept
        for v, m, s, w in zip(x, self.mean, self.scale, self.coef, strict=True):
            z += w * (v - m) / s
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def to_json(self) -> dict[str, object]:
        return {
            "names": list(self.names),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, obj: dict[str, object]) -> ClaimFilter:
        def floats(name: str) -> tuple[float, ...]:
            raw = obj[name]
            assert isinstance(raw, list)
            return tuple(float(v) for v in raw)

        names = obj["names"]
        assert isinstance(names, list)
        intercept, threshold = obj["intercept"], obj["threshold"]
        assert isinstance(intercept, int | float) and isinstance(threshold, int | float)
        return cls(
            tuple(str(n) for n in names),
            floats("mean"),
            floats("scale"),
            floats("coef"),
            float(intercept),
            float(threshold),
        )


@lru_cache(maxsize=4)
def load_filter(path: Path = MODEL_PATH) -> ClaimFilter | None:
    """The shipped model, or None when there is none (or it was made for other features)."""
    try:
        model = ClaimFilter.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, AssertionError):
        return None
    return model if list(model.names) == feature_names() else None


def apply_filter(
    claims: list[Claim], text: str, title: str, model: ClaimFilter | None
) -> list[Claim]:
    """Claims the model accepts (confidence = its probability); hedged claims pass unchanged."""
    if model is None:
        return claims
    ctx = ArticleContext.build(claims, text, title)
    cands = candidates(claims, ctx)
    probs = [0.0 if c.claim.hedged else model.probability(features(c, cands, ctx)) for c in cands]
    return select(claims, cands, probs, model.threshold)


def select(
    claims: list[Claim], cands: list[Candidate], probs: list[float], threshold: float
) -> list[Claim]:
    """Per rule claim, its most probable version (itself or a season variant) when that clears
    ``threshold``; hedged claims pass unchanged."""
    best: dict[int, tuple[float, Claim]] = {}
    for cand, p in zip(cands, probs, strict=True):
        if cand.claim.hedged:
            continue
        if cand.group not in best or p > best[cand.group][0]:
            best[cand.group] = (p, cand.claim)
    out: list[Claim] = []
    seen: set[tuple[str, str, int | None]] = set()
    for g, c in enumerate(claims):
        if c.hedged:
            out.append(c)
            continue
        p, chosen = best[g]
        if p >= threshold and chosen.key not in seen:
            seen.add(chosen.key)
            out.append(replace(chosen, confidence=p))
    return out
