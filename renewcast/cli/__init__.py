"""The ``renewcast`` command line: thin Typer commands over the package's functions.

Every command takes ``--json``; progress goes to stderr; errors say what to do and exit non-zero.
Heavy libraries are imported inside commands so that quick commands stay quick.

One module per command group; importing them registers their commands on ``app`` in this order.
"""

from __future__ import annotations

from importlib import import_module

from renewcast.cli.common import app

# the order here is the order of `renewcast --help`
for _group in ("catalog", "update", "news", "answer", "forecast", "serving", "evaluate"):
    import_module(f"renewcast.cli.{_group}")

__all__ = ["app", "main"]


def main() -> None:
    app()
