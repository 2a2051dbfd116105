"""`eval extraction`: extraction quality against hand labels."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from renewcast.cli.common import (
    JsonOpt,
    _stderr,
    app,
    emit_json,
    fail,
    open_store,
    print_problems,
)

eval_app = typer.Typer(help="Measure extraction against hand labels.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("extraction")
def eval_extraction(
    labels: Annotated[Path, typer.Argument(help="labels.jsonl: {id, gold: [claim, ...]} a line.")],
    articles: Annotated[
        Path | None,
        typer.Option("--articles", help="Articles JSONL (default: articles.jsonl beside LABELS)."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Link series to this store's catalog (default: no catalog)."),
    ] = None,
    misses: Annotated[int, typer.Option("--misses", help="Misses to list in the table.")] = 40,
    as_json: JsonOpt = False,
) -> None:
    """Extract the labelled articles and print precision, recall and F1 per status."""
    from renewcast.news.article import Article, read_jsonl
    from renewcast.news.evaluate import evaluate, read_gold
    from renewcast.news.extract import extract_article
    from renewcast.sources.base import SourceError, decode_text, read_bytes

    path = articles or labels.with_name("articles.jsonl")
    try:
        gold = read_gold(labels)
        text, problems = decode_text(read_bytes(path), str(path))
    except SourceError as e:
        fail(f"{e} (pass --articles FILE for the articles JSONL)")
    catalog = None
    if db is not None:
        from renewcast.news.mentions import StoreCatalog

        catalog = StoreCatalog.from_engine(open_store(db, existing=True))
    arts: dict[str, Article] = {}
    for item in read_jsonl(text, name=str(path)):
        if isinstance(item, Article):
            arts[item.id] = item
        else:
            problems.append(item)
    wanted = [i for i in gold if i in arts]
    if not wanted:
        fail(f"none of the {len(gold)} labelled ids is in {path}")
    pred = {}
    for n, aid in enumerate(wanted, start=1):
        pred[aid] = extract_article(arts[aid], catalog).to_json()
        if not as_json and n % 20 == 0:
            _stderr().print(f"extracted {n}/{len(wanted)}", highlight=False)
    report = evaluate(pred, labels, ids=wanted)
    if as_json:
        emit_json(report.to_json())
    else:
        sys.stdout.write(report.to_table(max_misses=misses) + "\n")
    missing = len(gold) - len(wanted)
    if missing:
        _stderr().print(f"[yellow]{missing} labelled id(s) not in {path}[/]", highlight=False)
    print_problems(problems)
