"""The spaCy pipeline of the learned news reader.

Reading an article needs words and sentences, not a neural parse: every decision after that is
made by trained models over the words (:mod:`renewcast.news.learned`), so the pipeline is a
tokenizer and a rule-based sentence splitter — fast enough to read a large archive on one core.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from renewcast.news.nlp import DECADE

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=1)
def reader_nlp() -> Language:
    """English tokenizer + sentencizer (no statistical components, loads in milliseconds)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 6_000_000
    nlp.tokenizer.token_match = DECADE.match  # type: ignore[union-attr]
    nlp.add_pipe("sentencizer")
    return nlp
