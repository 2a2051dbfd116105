"""Terminal rendering of an :class:`Answer` (``renewcast ask``): the explainer's sections, with
sources and dates dimmed after each line and forecasts marked."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console
from rich.markup import escape as escape_markup

from renewcast.answer.compose import Answer
from renewcast.answer.render_markdown import Cite, Line, explainer
from renewcast.hygiene import terminal_text


def escape(text: str) -> str:
    """Source text for the terminal: no escape sequences or bidi controls, no rich markup."""
    return escape_markup(terminal_text(text))


STATUS_STYLE = {
    "pending": "bold yellow",
    "renewed": "bold green",
    "cancelled": "bold red",
    "ended": "bold red",
    "limited": "bold magenta",
}


_QUOTES = '“”" '


def _cite(c: Cite) -> str:
    day = f", {c.published}" if c.published else ""
    link = f" {c.url}" if c.url else ""
    return f"{c.label}{day}{link}"


def _line(line: Line, bullet: str = "") -> str:
    text = escape(line.text)
    if line.quote:
        text = "[italic]“" + text.strip(_QUOTES) + "”[/]"
        if line.attribution:
            text += f" — {escape(line.attribution)}"
    if line.forecast:
        text = f"[blue]{text}[/] [bold blue]\\[forecast][/]"
    elif line.note:
        text = f"[dim]{text}[/]"
    if line.cites:
        text += " [dim](" + escape("; ".join(_cite(c) for c in line.cites)) + ")[/]"
    return bullet + text


def _hanging(console: Console, markup: str, bullet: str = "") -> None:
    """One line wrapped at spaces with a hanging indent under ``bullet``. A word longer than the
    line (a URL) is never broken inside: it gets a line of its own and runs past the edge, so it
    stays whole to copy or click."""
    from rich.text import Text

    width = max(console.width, 20)
    indent = " " * len(bullet)
    lines: list[Text] = []
    line = Text(bullet)
    fresh = True  # nothing but the bullet/indent on this line yet
    for word in Text.from_markup(markup).split(" "):
        if not word.plain:
            continue
        if not fresh and line.cell_len + 1 + word.cell_len > width:
            lines.append(line)
            line, fresh = Text(indent), True
        if not fresh:
            line.append(" ")
        line.append_text(word)
        fresh = False
    lines.append(line)
    for out in lines:
        console.print(out, crop=False, no_wrap=True, overflow="ignore", highlight=False)


def print_answer(a: Answer, console: Console | None = None) -> None:
    console = console or Console()
    ex = explainer(a)
    style = STATUS_STYLE.get(ex.status, "bold")
    console.print(f"[bold]{escape(ex.title)}[/]", highlight=False)
    console.print(f"[{style}]{ex.status.upper()}[/]  [dim]{escape(ex.dek)}[/]", highlight=False)
    console.print(f"[dim]{escape(ex.data_as_of)}[/]", highlight=False)
    if ex.namesakes:
        console.print(f"[dim]{escape(ex.namesakes)}[/]", highlight=False)
    for sec in ex.sections:
        console.print()
        console.print(f"[bold underline]{escape(sec.heading)}[/]", highlight=False)
        for line in sec.lead:
            if line.text.startswith("• "):  # a listed reason: hang under its bullet
                _hanging(console, _line(replace(line, text=line.text[2:])), "• ")
            else:
                _hanging(console, _line(line))
        for head, lines in sec.groups:
            if head:
                console.print(f"[bold]{escape(head)}[/]", highlight=False)
            for line in lines:
                _hanging(console, _line(line), "  • ")
