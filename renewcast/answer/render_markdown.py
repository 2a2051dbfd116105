"""The explainer article: the seed's four questions answered from an :class:`Answer`.

:func:`explainer` turns the answer into sections of lines, each line either backed by cited
sources (with links and dates) or marked as a forecast; :func:`to_markdown` and :func:`to_html`
(Jinja2 template ``templates/answer.html``) and the terminal renderer all print that one structure,
so the three formats always say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from renewcast.answer.compose import Answer, evidence_counts, has_odds, model_label
from renewcast.hygiene import terminal_text
from renewcast.status import Evidence, is_ended_list
from renewcast.status.summary import ended_list_clause, ordinal

OUTLOOK_ORDER = ("likely", "uncertain", "unlikely")
OUTLOOK_HEAD = {
    "likely": "Expected back",
    "uncertain": "Uncertain",
    "unlikely": "Unlikely to return",
}


@dataclass(frozen=True, slots=True)
class Cite:
    label: str
    url: str | None
    published: str | None  # ISO date, or YYYY-MM for a date known only to the month


@dataclass(slots=True)
class Line:
    text: str
    cites: list[Cite] = field(default_factory=list)
    forecast: bool = False
    quote: bool = False  # text is a quotation
    attribution: str | None = None  # who said it
    note: bool = False  # a statement about what renewcast has (no source needed)


@dataclass(slots=True)
class Section:
    heading: str
    lead: list[Line] = field(default_factory=list)
    groups: list[tuple[str, list[Line]]] = field(default_factory=list)


@dataclass(slots=True)
class Explainer:
    title: str
    dek: str
    status: str
    sections: list[Section]
    sources: list[Cite]
    data_as_of: str = ""  # "Data as of: Netflix Top 10 to the week ending …" for the sources used
    namesakes: str = ""  # "Not to be confused with …": other series of the same title

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _d(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


#: how a citation of an article without a publication date is dated
UNDATED = "undated"


def _human(iso: str | None) -> str:
    if not iso:
        return ""
    if iso == UNDATED:
        return iso
    if len(iso) == 7:  # "2011-05": a date known only to the month
        return date.fromisoformat(f"{iso}-01").strftime("%B %Y")
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B %Y')}"


def _cite_of(e: Evidence) -> Cite:
    """The citation of a statement: its source, link and date — "undated" when it has none."""
    return Cite(e.source, e.url, UNDATED if e.undated else e.date_label)


def _ev_line(e: Evidence) -> Line:
    text = e.claim
    if e.undated and e.known_at is not None:
        text += f" (undated; added on {e.known_at.date().isoformat()})"
    attribution = e.speaker
    return Line(
        text=text,
        cites=[Cite(e.source, e.url, e.date_label)],
        quote=bool(e.quote and e.kind == "news" and attribution),
        attribution=attribution,
    )


def _confirmed(a: Answer) -> Section:
    st = a.status
    sec = Section(f"Has {a.series} season {a.season} been confirmed?")
    d = st.deciding
    lead = Line(_lead_sentence(a), [_cite_of(d)] if d else [])
    if not d:
        lead.note = True
    sec.lead.append(lead)
    shown = [e for e in st.evidence if e is not d and e not in st.verdict.context]
    if shown:
        sec.groups.append(("What the sources say", [_ev_line(e) for e in shown]))
    hints = [e for e in st.evidence if evidence_counts(st, e) == "hint"]
    if hints:
        sec.groups.append(("Hopes and hints (not decisions)", [_ev_line(e) for e in hints]))
    # statements the news reader could not read with confidence: shown, but not counted
    unclear = [e for e in st.evidence if evidence_counts(st, e) == "unclear"]
    if unclear:
        sec.groups.append(("Unclear mentions (not counted)", [_ev_line(e) for e in unclear]))
    if st.disagreements:
        sec.groups.append(("Sources that disagree", [_ev_line(e) for e in st.disagreements]))
    if st.superseded:
        sec.groups.append(
            ("Earlier decisions, since overtaken", [_ev_line(e) for e in st.superseded])
        )
    sec.lead.extend(_forecast_lines(a))
    return sec


def _lead_sentence(a: Answer) -> str:
    st = a.status
    s, t = a.season, a.series
    kind = st.verdict.question.kind
    if st.status == "pending" and kind == "beyond":
        return f"Not decided: {st.verdict.reason}."
    if st.status == "pending":
        return f"Not yet: season {s} of {t} has been neither confirmed nor cancelled."
    if st.status == "renewed" and kind in ("released", "no-season"):
        return f"Yes: {st.summary}"
    if st.status == "renewed":
        final = f"a {ordinal(s)} and final season" if st.final else f"season {s}"
        return f"Yes: {t} has been renewed for {final}."
    d = st.deciding
    if st.status in ("cancelled", "ended") and d is not None and is_ended_list(d):
        return (
            f"No: {t} did not continue. It is on Wikipedia's list of ended Netflix series, "
            f"{ended_list_clause(st.status)}."
        )
    if st.status == "cancelled":
        return f"No: {t} was cancelled, so there will be no season {s}."
    if st.status == "limited":
        return f"No: {t} is a limited series, so no season {s} is planned."
    return f"No: {t} has ended, so there will be no season {s}."


def _pct(p: Any) -> str:
    try:
        return f"{float(p) * 100:.0f}%"
    except (TypeError, ValueError):
        return str(p)


def _forecast_lines(a: Answer) -> list[Line]:
    fc = a.forecast
    if fc is None or not has_odds(fc):
        if a.status.status in ("pending", "renewed") and a.forecast_note:
            return [Line(f"No odds: {a.forecast_note}.", note=True)]
        return []
    model = model_label(fc)
    out = [
        Line(
            f"Forecast: the chance of a season {a.season} is {_pct(fc.get('p_renewal'))} "
            f"({model}).",
            forecast=True,
        )
    ]
    expl = fc.get("explanation")
    items = [str(x) for x in expl] if isinstance(expl, list) else [str(expl)] if expl else []
    if items:
        out.append(Line("Why:", forecast=True))
        out.extend(Line(f"• {x}", forecast=True) for x in items)
    return out


def _cast(a: Answer) -> Section:
    sec = Section(f"Who might star in {a.series} season {a.season}?")
    st = a.status
    if st.status not in ("cancelled", "ended", "limited") and st.verdict.question.kind != "next":
        why = st.verdict.reason or f"season {a.season} has already been released"
        sec.lead.append(Line(f"No outlook: {why}.", note=True))
        return sec
    if not a.cast:
        sec.lead.append(Line("The sources we have name no cast for this series.", note=True))
        return sec
    if a.status.status in ("cancelled", "ended", "limited"):
        sec.lead.append(
            Line(f"With no season {a.season} coming, nobody is expected back.", note=True)
        )
    for outlook in OUTLOOK_ORDER:
        lines = [
            Line(
                f"{c.actor}" + (f" as {c.character}" if c.character else "") + f" — {c.why}",
                [Cite(c.source, c.url, UNDATED if c.undated else _d(c.published))],
            )
            for c in a.cast
            if c.outlook == outlook
        ]
        if lines:
            sec.groups.append((OUTLOOK_HEAD[outlook], lines))
    return sec


def _story(a: Answer) -> Section:
    sec = Section(f"What could happen in {a.series} season {a.season}?")
    st = a.status
    if st.status in ("cancelled", "ended", "limited") or st.verdict.question.kind != "next":
        why = (
            f"there will be no season {a.season} ({st.status})"
            if st.status in ("cancelled", "ended", "limited")
            else st.verdict.reason or f"season {a.season} has already been released"
        )
        sec.lead.append(Line(f"Nothing to look ahead to: {why}.", note=True))
        return sec
    if not a.storylines:
        sec.lead.append(
            Line("No story hints for the next season appear in the sources we have.", note=True)
        )
        return sec
    lines = []
    for s in a.storylines:
        who = None
        if s.speaker:
            who = f"{s.speaker}, {s.role}" if s.role else s.speaker
        lines.append(
            Line(
                s.text,
                [Cite(s.source, s.url, UNDATED if s.undated else _d(s.published))],
                quote=s.kind == "quote",
                attribution=who,
            )
        )
    sec.groups.append(("", lines))
    return sec


def _when(a: Answer) -> Section:
    sec = Section(f"When could {a.series} season {a.season} be released?")
    for w in a.when:
        sec.lead.append(
            Line(
                w.text + (f" ({w.source})" if w.kind == "forecast" else ""),
                [] if w.kind == "forecast" else [Cite(w.source, w.url, _d(w.published))],
                forecast=w.kind == "forecast",
            )
        )
    if a.when_note:
        d = a.status.deciding
        cites = (
            [Cite(d.source, d.url, d.date_label)]
            if d is not None and a.status.status in ("cancelled", "ended", "limited")
            else []
        )
        sec.lead.append(Line(a.when_note, cites, note=not cites))
    return sec


def headline(series: str, season: int) -> str:
    """The seed's question: "Will there be a Partner Track season 2?" (or "a season 2 of The …",
    "an Orange Is the New Black season 8?")."""
    if series.split(" ", 1)[0].lower() in ("the", "a", "an"):
        return f"Will there be a season {season} of {series}?"
    return f"Will there be {_article(series)} {series} season {season}?"


def _article(word: str) -> str:
    """ "a" or "an" before a title, by how its start is said ("an Ozark", "a One Piece",
    "a Unicorn", "an 1899", "an 11.22.63")."""
    w = word.lower()
    if w.startswith(("one", "uni", "use", "usu", "eu", "ura")):
        return "a"
    if w[:1] in "aeiou" or w.startswith(("8", "11", "18")):
        return "an"
    return "a"


def explainer(a: Answer) -> Explainer:
    when = f"as of {_human(a.as_of.isoformat())}" if a.as_of else "as of today"
    return Explainer(
        title=headline(a.series, a.season),
        dek=f"Status: {a.status.status}, {when}. Every statement below links to its source "
        "or is marked as a forecast.",
        status=a.status.status,
        sections=[_confirmed(a), _cast(a), _story(a), _when(a)],
        sources=[
            Cite(s["source"], s["url"], UNDATED if s["undated"] else s["published"])
            for s in a.sources()
        ],
        data_as_of=a.data_as_of_line(),
        namesakes=_namesakes(a),
    )


def _namesakes(a: Answer) -> str:
    if not a.namesakes:
        return ""
    others = ", ".join(f"{t} (id {i})" for i, t in a.namesakes)
    kind = "another series" if len(a.namesakes) == 1 else "other series"
    return f"Not to be confused with {others}, {kind} of this title."


# ------------------------------------------------------------------------------ markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _md_escape(text: str) -> str:
    """Source text as Markdown text: HTML and Markdown syntax escaped, control characters and
    bidi overrides dropped (the Markdown is often read in a terminal)."""
    text = terminal_text(text)
    text = "".join(_HTML_SPECIAL.get(ch, ch) for ch in text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_url(url: str) -> str | None:
    """An http(s) URL safe inside ``(…)`` of a Markdown link, or None (no link)."""
    if not re.match(r"(?i)https?://", url):
        return None
    return quote(terminal_text(url), safe="/:?#@!$&'*+,;=%~.-_")


def _md_cite(c: Cite) -> str:
    label = _md_escape(c.label)
    day = f", {_human(c.published)}" if c.published else ""
    url = _md_url(c.url) if c.url else None
    return f"[{label}]({url}){day}" if url else f"{label}{day}"


_QUOTES = '“”" '


def _md_line(line: Line) -> str:
    text = _md_escape(line.text)
    if line.quote:
        if not text.startswith(("“", '"')):
            text = "“" + text.strip(_QUOTES) + "”"
        if line.attribution:
            text += f" — {_md_escape(line.attribution)}"
    if line.forecast:
        text = f"*{text}* **[forecast]**"
    if line.cites:
        text += " (" + "; ".join(_md_cite(c) for c in line.cites) + ")"
    return text


def to_markdown(a: Answer) -> str:
    ex = explainer(a)
    out = [
        f"# {_md_escape(ex.title)}",
        "",
        f"*{_md_escape(ex.dek)}*",
        "",
        f"*{_md_escape(ex.data_as_of)}*",
        "",
    ]
    if ex.namesakes:
        out += [f"*{_md_escape(ex.namesakes)}*", ""]
    for sec in ex.sections:
        out += [f"## {_md_escape(sec.heading)}", ""]
        for line in sec.lead:
            out += [_md_line(line), ""]
        for head, lines in sec.groups:
            if head:
                out += [f"**{_md_escape(head)}:**", ""]
            for line in lines:
                prefix = "> " if line.quote else "- "
                out.append(prefix + _md_line(line))
                if line.quote:
                    out.append("")
            out.append("")
    out += ["## Sources", ""]
    out += [f"- {_md_cite(c)}" for c in ex.sources]
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------------------ html


def to_html(a: Answer) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("renewcast.answer", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["human"] = _human
    return env.get_template("answer.html").render(ex=explainer(a))
