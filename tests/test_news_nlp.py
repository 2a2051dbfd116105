"""The shared spaCy pipeline: its attribute rules and lemmas, read from tables
(:class:`~renewcast.news.nlp.FastAttributeRules`, :class:`~renewcast.news.nlp.CachedLemmas`), set
exactly what spaCy's own attribute ruler and lemmatizer set.

All sentences here are invented."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, TAG

from renewcast.news.nlp import CachedLemmas, FastAttributeRules, get_nlp

SENTENCES = [
    "Streamflix has renewed the coastal drama “Harbor Lights” for a third season.",
    "Y'all ain't gonna believe it, but let's be honest: the show got cancelled.",
    "It was canceled after two seasons and I didn't see it coming, did you?",
    "“We're gonna keep going,” creator Mara Quill said. “C'mon, it's not over.”",
    "There is no word yet; there are rumours that there were talks.",
    "The writers had had enough, and they'd said so.  Nothin' more to add.",
    "Copper Valley: CANCELLED after three seasons (2019–2022).",
    "She gets renewed, he got axed, and 'em critics were doin' fine.",
    "Is it coming back?\n\nNobody knows, but I think you will like it.",
    "Season 4 of The Long Road Home   premieres in 2025 on Bravura+.",
]


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return get_nlp()


def _before(nlp, name: str, text: str):  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(text)
    for n, proc in nlp.pipeline:
        if n == name:
            return doc
        doc = proc(doc)
    raise AssertionError(name)


def test_the_pipeline_uses_the_table_readings(nlp) -> None:  # type: ignore[no-untyped-def]
    ruler, lemmas = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    assert isinstance(ruler, FastAttributeRules) and ruler.ok
    assert isinstance(lemmas, CachedLemmas) and lemmas.ok
    assert nlp.pipe_names.index("attribute_ruler") < nlp.pipe_names.index("lemmatizer")


@pytest.mark.parametrize("text", SENTENCES)
def test_attribute_rules_and_lemmas_set_what_spacy_sets(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    fast_rules, fast_lemmas = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    ours = _before(nlp, "attribute_ruler", text)
    theirs = ours.copy()
    for _ in range(2):  # the second pass reads remembered answers
        a, b = ours.copy(), theirs.copy()
        fast_lemmas(fast_rules(a))
        fast_rules.ruler(b)
        fast_lemmas.lemmatizer(b)
        cols = [ORTH, POS, TAG, MORPH, LEMMA, DEP, HEAD]
        assert np.array_equal(a.to_array(cols), b.to_array(cols)), [
            (t.text, t.pos_, u.pos_, t.lemma_, u.lemma_, str(t.morph), str(u.morph))
            for t, u in zip(a, b, strict=True)
            if (t.pos, t.lemma, t.morph) != (u.pos, u.lemma, u.morph)
        ]


def test_two_token_rules_and_lemma_exceptions(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Y'all ain't gonna stop: let's go.")
    lemma = {t.text: t.lemma_ for t in doc}
    assert (lemma["ai"], lemma["gon"], lemma["na"], lemma["'s"]) == ("be", "go", "to", "us")


def test_a_ruler_with_patterns_beyond_the_tables_is_left_to_spacy(nlp) -> None:  # type: ignore[no-untyped-def]
    import spacy

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a"}, {"LOWER": "b"}, {"LOWER": "c"}]], {"LEMMA": "abc"})
    assert not FastAttributeRules(ruler).ok
    ruler2 = blank.add_pipe("attribute_ruler", name="other")
    ruler2.add([[{"ORTH": "x", "OP": "+"}]], {"LEMMA": "x"})
    assert not FastAttributeRules(ruler2).ok
