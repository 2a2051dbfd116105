"""`eval extraction`: extraction quality against hand labels."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from renewcast.cli.common import (
    JsonOpt,
    _stderr,
    app,
    emit_json,
    fail,
)

eval_app = typer.Typer(help="Measure extraction against hand labels.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


train_app = typer.Typer(help="Train the models behind the product.", no_args_is_help=True)
app.add_typer(train_app, name="train")


def _data_dir(path: Path | None) -> Path:
    """The shared data folder from a folder, a labels file inside it, or the default ../shared."""
    if path is None:
        for cand in (Path("../shared/data"), Path("shared/data")):
            if (cand / "news" / "labels.jsonl").exists():
                return cand
        fail("no labelled news found; give the data folder as the argument (e.g. ../shared/data)")
    if path.is_file():  # news/labels.jsonl or news/train/labels.jsonl
        for parent in path.parents:
            if (parent / "news" / "labels.jsonl").exists():
                return parent
        fail(f"{path}: not inside a data folder with news/labels.jsonl")
    return path


def _prepare(data: Path | None) -> tuple[list[Any], str, list[str]]:
    from renewcast.news import train as tr
    from renewcast.sources.base import SourceError

    folder = _data_dir(data)
    try:
        articles, digest = tr.load_corpus(folder)
    except SourceError as e:
        fail(str(e))
    _stderr().print(
        f"{len(articles)} labelled articles, {sum(len(a.gold) for a in articles)} labels "
        f"from {folder}/news",
        highlight=False,
    )
    try:
        titles = tr.read_catalog_titles(folder)
    except SourceError as e:
        fail(str(e))
    _stderr().print(f"{len(titles)} catalog titles for the gazetteer", highlight=False)
    tr.rule_claims_for(articles, progress=tr.log)
    return articles, digest, titles


@eval_app.command("extraction")
def eval_extraction(
    data: Annotated[
        Path | None,
        typer.Argument(
            help="The data folder (or a labels.jsonl inside it); default ../shared/data."
        ),
    ] = None,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds.")] = 5,
    learning_curve: Annotated[
        bool,
        typer.Option("--learning-curve", help="Also refit on 25/50/75% of each training split."),
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Confidence threshold (default: the shipped model's)."),
    ] = None,
    claims_out: Annotated[
        Path | None,
        typer.Option(
            "--claims",
            help="Also write every out-of-fold claim (JSON lines: article, series, status, "
            "season, confidence, whether a label has it) to this file, for diagnostics.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Grouped k-fold cross-validation of the news reader on every labelled article.

    Folds are grouped by story, no series sits on both sides, and the gazetteer of known titles
    is the catalog's, never the labels': these are out-of-sample figures."""
    from renewcast.news import train as tr

    articles, digest, titles = _prepare(data)
    preds, _ = tr.cross_validate(articles, k=folds, catalog_titles=titles, progress=tr.log)
    if claims_out is not None:
        tr.write_claims(articles, preds, claims_out)
    curve = tr.pr_curve(articles, preds)
    if threshold is None:
        from renewcast.news.learned import ModelError, load_default_model

        try:
            threshold = load_default_model().threshold
        except ModelError:
            threshold = tr.choose_threshold(curve)
    report: dict[str, Any] = {
        "articles": len(articles),
        "labels": sum(len(a.gold) for a in articles),
        "data": digest,
        "folds": folds,
        "grouping": "story (first labelled series); no series on both sides",
        "gazetteer": f"{len(titles)} catalog titles (none from the labels)",
        "threshold": threshold,
        **tr.score(articles, preds, threshold),
        "any_season": tr.score(articles, preds, threshold, season=False)["overall"],
        "by_source": {
            name: tr.score([a for a in articles if a.id.startswith(p)], preds, threshold)["overall"]
            for name, p in (("news/labels.jsonl", "n"), ("news/train", "t"))
        },
        "pr_curve": curve,
        "error_kinds": tr.error_kinds(articles, preds, threshold),
    }
    if learning_curve:
        points = []
        for frac in (0.25, 0.5, 0.75, 1.0):
            pr = (
                preds
                if frac == 1.0
                else tr.cross_validate(
                    articles, k=folds, fraction=frac, catalog_titles=titles, progress=tr.log
                )[0]
            )
            o = tr.score(articles, pr, threshold)["overall"]
            points.append({"fraction": frac, **o})
        report["learning_curve"] = points
    if as_json:
        emit_json(report)
        return
    sys.stdout.write(tr.report_table(report) + "\n")


@train_app.command("extraction")
def train_extraction(
    data: Annotated[
        Path | None,
        typer.Argument(
            help="The data folder (or a labels.jsonl inside it); default ../shared/data."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the model (default: the package's model file)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Train the news reader (deterministic, seeded) and write a versioned model file.

    The decision threshold is the lowest confidence whose cross-validated precision reaches the
    target; the cross-validated figures are stored in the model's metadata."""
    from renewcast.news import train as tr
    from renewcast.news.learned import default_model_path

    articles, digest, titles = _prepare(data)
    preds, stages = tr.cross_validate(articles, catalog_titles=titles, progress=tr.log)
    curve = tr.pr_curve(articles, preds)
    threshold = tr.choose_threshold(curve)
    cv = tr.score(articles, preds, threshold)
    meta = {
        "version": tr.VERSION,
        "seed": tr.SEED,
        "data": digest,
        "articles": len(articles),
        "labels": sum(len(a.gold) for a in articles),
        "catalog_titles": len(titles),
        "threshold_rule": tr.THRESHOLD_RULE,
        "environment": tr.environment(),
        "cv": cv,
        "pr_curve": curve,
    }
    model = tr.train_final(articles, stages, threshold, meta, catalog_titles=titles)
    path = out or default_model_path()
    model.save(path)
    if as_json:
        emit_json({"model": str(path), **meta})
        return
    sys.stdout.write(
        f"wrote {path} ({tr.VERSION}, data {digest}); threshold {threshold:.2f}: "
        f"cross-validated precision {cv['overall']['precision']:.3f}, "
        f"recall {cv['overall']['recall']:.3f}, F1 {cv['overall']['f1']:.3f}\n"
    )
