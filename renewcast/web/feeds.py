"""Atom (RFC 4287) feeds of status changes, built with ElementTree (every value escaped)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from renewcast.hygiene import xml_text
from renewcast.web.lists import Decision

ATOM = "http://www.w3.org/2005/Atom"
FEED_TAG = "tag:renewcast,2024"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element; characters XML cannot hold (NUL, other controls) are dropped, since
    ElementTree escapes markup but would write them and break the document."""
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _ts(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_id(d: Decision) -> str:
    day = d.decided_at.date() if d.decided_at else "undated"
    return f"{FEED_TAG}:decision/{d.series_id}/{d.season}/{d.status}/{day}"


def atom_feed(
    *,
    title: str,
    feed_id: str,
    self_url: str,
    site_url: str,
    decisions: Iterable[Decision],
    series_url: str,
    generated: datetime | None = None,
) -> bytes:
    """The feed document. ``series_url`` is a format string with ``{id}``, ``{season}``."""
    ET.register_namespace("", ATOM)
    # an entry is dated by its decision's real date: undated decisions are not feed entries
    items = [(d, d.decided_at) for d in decisions if d.decided_at is not None]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", f"{FEED_TAG}:{feed_id}")
    updated = max((t for _, t in items), default=generated or datetime.now(UTC))
    _sub(feed, "updated", _ts(updated))
    _sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=site_url, type="text/html")
    author = _sub(feed, "author")
    _sub(author, "name", "renewcast")
    _sub(feed, "generator", "renewcast")
    for d, decided in items:
        e = _sub(feed, "entry")
        _sub(e, "title", f"{d.title}: season {d.season} {d.status}")
        _sub(e, "id", entry_id(d))
        _sub(e, "updated", _ts(decided))
        _sub(e, "published", _ts(decided))
        _sub(
            e,
            "link",
            rel="alternate",
            type="text/html",
            href=series_url.format(id=d.series_id, season=d.season),
        )
        if d.url:
            _sub(e, "link", rel="via", href=d.url)
        _sub(e, "category", term=d.status)
        if d.meta and d.meta.platform:
            _sub(e, "category", term=d.meta.platform, label="platform")
        source = f" Source: {d.source}." if d.source else ""
        _sub(e, "summary", f"{d.summary}{source}", type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
