"""Scoring extractions against hand labels (``news/labels.jsonl``).

A predicted claim is right when its series (case-, punctuation- and leading-"the"-insensitive,
"&" = "and"), status and season all equal a gold claim of the same article. Only articles that
have labels are scored. Hedged predictions are not statements of status and are left out unless
``include_hedged``. Speaker accuracy: of the gold claims with speakers that were matched, the
share of their speakers found (by name) on the matching predicted claim.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from renewcast.news.claims import STATUSES
from renewcast.news.mentions import norm_title
from renewcast.sources.base import SourceError

Key = tuple[str, str, int | None]


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class Miss:
    id: str
    kind: str  # "false positive" | "false negative"
    series: str
    status: str
    season: int | None
    evidence: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "series": self.series,
            "status": self.status,
            "season": self.season,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class Report:
    articles: int = 0
    overall: Score = field(default_factory=Score)
    by_status: dict[str, Score] = field(default_factory=lambda: {s: Score() for s in STATUSES})
    speakers_expected: int = 0
    speakers_found: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def speaker_accuracy(self) -> float | None:
        if not self.speakers_expected:
            return None
        return self.speakers_found / self.speakers_expected

    def to_json(self) -> dict[str, Any]:
        acc = self.speaker_accuracy
        return {
            "articles": self.articles,
            "overall": self.overall.to_json(),
            "by_status": {s: sc.to_json() for s, sc in self.by_status.items()},
            "speaker_accuracy": None if acc is None else round(acc, 4),
            "speakers_expected": self.speakers_expected,
            "speakers_found": self.speakers_found,
            "misses": [m.to_json() for m in self.misses],
        }

    def to_table(self, max_misses: int = 40) -> str:
        rows = [f"{'status':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
        for name, sc in [*self.by_status.items(), ("overall", self.overall)]:
            rows.append(
                f"{name:<10} {sc.precision:6.3f} {sc.recall:6.3f} {sc.f1:6.3f} "
                f"{sc.tp:5d} {sc.fp:5d} {sc.fn:5d}"
            )
        acc = self.speaker_accuracy
        rows.append(
            f"articles scored: {self.articles}; speaker accuracy: "
            + (
                "n/a"
                if acc is None
                else f"{acc:.3f} ({self.speakers_found}/{self.speakers_expected})"
            )
        )
        if self.misses:
            rows.append(f"misses ({len(self.misses)}, first {min(max_misses, len(self.misses))}):")
            for m in self.misses[:max_misses]:
                ev = m.evidence.replace("\n", " / ")
                ev = ev if len(ev) <= 90 else ev[:87] + "..."
                rows.append(
                    f"  {m.id} {'FP' if m.kind.startswith('false p') else 'FN'} "
                    f"{m.status}/{m.season} {m.series!r}: {ev}"
                )
        return "\n".join(rows)


def read_gold(path: Path) -> dict[str, list[dict[str, Any]]]:
    """``{"id", "gold": [claim, ...]}`` per line → id → gold claims."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as e:
        raise SourceError(f"{path}: labels file not found; pass the path to labels.jsonl") from e
    gold: dict[str, list[dict[str, Any]]] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            gold[str(obj["id"])] = list(obj["gold"])
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise SourceError(f"{path}:{n}: not a label line ({e}); expected {{id, gold}}") from e
    return gold


def _key(claim: Mapping[str, Any]) -> Key:
    season = claim.get("season")
    return (norm_title(str(claim.get("series") or "")), str(claim.get("status")), season)


def evaluate(
    pred: Mapping[str, Mapping[str, Any]],
    gold_path: Path | str,
    ids: Iterable[str] | None = None,
    include_hedged: bool = False,
) -> Report:
    """Score predictions (id → ``Extraction.to_json()``) against the labels at ``gold_path``."""
    gold = read_gold(Path(gold_path))
    wanted = list(gold) if ids is None else [i for i in ids if i in gold]
    report = Report()
    for aid in wanted:
        report.articles += 1
        g_claims: dict[Key, Mapping[str, Any]] = {}
        for gold_claim in gold[aid]:
            g_claims.setdefault(_key(gold_claim), gold_claim)
        p_claims: dict[Key, Mapping[str, Any]] = {}
        for p in (pred.get(aid) or {}).get("claims", []):
            if p.get("hedged") and not include_hedged:
                continue
            p_claims.setdefault(_key(p), p)
        for k, g in g_claims.items():
            sc = report.by_status.setdefault(k[1], Score())
            if k in p_claims:
                sc.tp += 1
                report.overall.tp += 1
                _speakers(report, g, p_claims[k])
            else:
                sc.fn += 1
                report.overall.fn += 1
                report.misses.append(
                    Miss(aid, "false negative", g["series"], k[1], k[2], str(g.get("evidence", "")))
                )
        for k, p in p_claims.items():
            if k in g_claims:
                continue
            report.by_status.setdefault(k[1], Score()).fp += 1
            report.overall.fp += 1
            report.misses.append(
                Miss(
                    aid,
                    "false positive",
                    str(p.get("series")),
                    k[1],
                    k[2],
                    str(p.get("evidence", "")),
                )
            )
    return report


def _speakers(report: Report, g: Mapping[str, Any], p: Mapping[str, Any]) -> None:
    expected = [s.get("name") for s in g.get("speakers") or [] if s.get("name")]
    if not expected:
        return
    found = {norm_title(str(s.get("name"))) for s in p.get("speakers") or []}
    report.speakers_expected += len(expected)
    report.speakers_found += sum(1 for n in expected if norm_title(str(n)) in found)
