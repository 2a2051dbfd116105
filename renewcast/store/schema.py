"""The store's schema: one SQLAlchemy Core ``MetaData`` for SQLite and PostgreSQL.

Every fact row carries the document it came from (``document_id``) and ``known_at``: the moment the
fact became public. ``--as-of D`` is a filter ``known_at <= end of day D (UTC)`` on every table.

Season-level facts use ``season_number = 0`` for "the series as a whole" so that unique keys work on
both databases (NULLs never collide in a unique index).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

SCHEMA_VERSION = 1


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC on every backend; always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: renewcast stores aware UTC datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - SQLite raw strings
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# ---------------------------------------------------------------- provenance
documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # file | url | article | feed | api
    Column("source", String(64), nullable=False),  # e.g. netflix-top10/global, news
    Column("uri", Text, nullable=False),
    Column("canonical_url", Text),
    Column("sha256", String(64), nullable=False),
    Column("content_hash", String(64)),  # normalised-text hash, for article dedupe
    Column("title", Text),
    Column("publisher", Text),
    Column("published", UTCDateTime),  # NULL: undated (no date given or found on the page)
    Column("published_precision", String(8)),  # day | month (NULL when undated)
    Column("date_source", String(16)),  # given | page | text | url | dateline | updated
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("known_at", UTCDateTime, nullable=False),
    Column("text", Text),  # articles keep their text
    Column("raw", Text),  # articles keep their raw document (HTML) when there is one
    Column("extraction", Text),  # JSON of the news extraction, once done
    Column("extractor_version", String(32)),
    UniqueConstraint("source", "sha256", name="uq_documents_source_sha"),
)
Index("ix_documents_canonical_url", documents.c.canonical_url)
Index("ix_documents_content_hash", documents.c.content_hash)
# the news' latest date by a cutoff (freshness) and headlines naming a series (answers), from the
# index alone instead of every article's row
Index(
    "ix_documents_kind_published",
    documents.c.kind,
    documents.c.published,
    documents.c.known_at,
    documents.c.title,
)

import_log = Table(
    "import_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(64), nullable=False),
    Column("uri", Text, nullable=False),
    Column("sha256", String(64)),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False),  # ok | unchanged | failed
    Column("added", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("problems", Integer, nullable=False, default=0),
    Column("message", Text),
)

import_problems = Table(
    "import_problems",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", ForeignKey("import_log.id", ondelete="CASCADE"), nullable=False),
    Column("file", Text, nullable=False),
    Column("line", Integer),
    Column("field", String(128)),
    Column("message", Text, nullable=False),
)

identity_issues = Table(
    "identity_issues",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(64), nullable=False),
    Column("record", Text, nullable=False),
    Column("candidates", Text, nullable=False),  # JSON list of series ids and titles
    Column("message", Text, nullable=False),
    UniqueConstraint("source", "record", name="uq_identity_issue"),
)

# ---------------------------------------------------------------- catalog
series = Table(
    "series",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("norm_title", Text, nullable=False),
    Column("platform", String(64)),
    Column("first_known_at", UTCDateTime, nullable=False),
)
Index("ix_series_norm_title", series.c.norm_title)

series_aliases = Table(
    "series_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("norm", Text, nullable=False),
    Column("source", String(64), nullable=False),
    UniqueConstraint("series_id", "norm", name="uq_alias"),
)
Index("ix_alias_norm", series_aliases.c.norm)

series_xrefs = Table(
    "series_xrefs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
    # justwatch | tvmaze | imdb, and "name@SOURCE": how a title-only source names the series,
    # remembered so that every later import of that source resolves the same way
    Column("scheme", String(64), nullable=False),
    Column("value", String(512), nullable=False),
    UniqueConstraint("scheme", "value", name="uq_xref"),
)

seasons = Table(
    "seasons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    UniqueConstraint("series_id", "number", name="uq_season"),
)

# A dated, sourced statement about a series (season_number 0) or one of its seasons.
# attribute: premiere, finale, episodes, seasons, limited, status, renewed_for, final_season,
# genre, kind, language, season_title, released_by, ...; value is JSON.
facts = Table(
    "facts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
    Column("season_number", Integer, nullable=False, default=0),
    Column("attribute", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
    Column("known_at", UTCDateTime, nullable=False),
    UniqueConstraint(
        "series_id", "season_number", "attribute", "value", "document_id", name="uq_fact"
    ),
)
Index("ix_facts_series", facts.c.series_id, facts.c.attribute)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("norm_name", Text, nullable=False),
    Column("justwatch_id", String(32), unique=True),
    Column("tvmaze_id", String(32), unique=True),
)
Index("ix_people_norm", people.c.norm_name)

credits = Table(
    "credits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("character", Text),
    Column("role", String(32), nullable=False),
    Column("billing", Integer),
    Column("season_number", Integer, nullable=False, default=0),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
    Column("known_at", UTCDateTime, nullable=False),
    Column("key", Text, nullable=False),
    UniqueConstraint("key", name="uq_credit_key"),
)
Index("ix_credits_series", credits.c.series_id)

# ---------------------------------------------------------------- charts
chart_entries = Table(
    "chart_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # list|country|category|week|rank
    Column("source", String(32), nullable=False),  # netflix-top10
    Column("list", String(16), nullable=False),  # global | country | most-popular
    Column("country", String(8), nullable=False, default=""),
    Column("category", String(64), nullable=False),
    Column("week", Date),
    Column("rank", Integer, nullable=False),
    Column("show_title", Text, nullable=False),
    Column("season_title", Text),
    Column("series_id", ForeignKey("series.id", ondelete="SET NULL")),
    Column("season_number", Integer),
    Column("limited", Boolean, nullable=False, default=False),
    Column("hours", Float),
    Column("views", Float),
    Column("runtime_hours", Float),
    Column("cumulative_weeks", Integer),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
    Column("known_at", UTCDateTime, nullable=False),
    UniqueConstraint("key", name="uq_chart_key"),
)
Index("ix_chart_series", chart_entries.c.series_id, chart_entries.c.week)
Index("ix_chart_list_week", chart_entries.c.list, chart_entries.c.week)
# the latest week published by a date (freshness: "Data as of" of every answer)
Index("ix_chart_list_known", chart_entries.c.list, chart_entries.c.known_at, chart_entries.c.week)

week_published = Table(
    "week_published",
    metadata,
    Column("week", Date, primary_key=True),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("backfilled", Boolean, nullable=False),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
)

title_relabels = Table(
    "title_relabels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),
    Column("show_title", Text, nullable=False),
    Column("old_season_title", Text, nullable=False),
    Column("new_season_title", Text, nullable=False),
    Column("series_id", ForeignKey("series.id", ondelete="SET NULL")),
    Column("season_number", Integer),
    Column("limited", Boolean, nullable=False),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
    Column("known_at", UTCDateTime, nullable=False),
    UniqueConstraint("key", name="uq_relabel_key"),
)

engagement_rows = Table(
    "engagement_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # report|sheet|line
    Column("report", String(16), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("kind", String(8)),
    Column("title", Text, nullable=False),
    Column("native_title", Text),
    Column("series_id", ForeignKey("series.id", ondelete="SET NULL")),
    Column("season_number", Integer),
    Column("limited", Boolean, nullable=False, default=False),
    Column("available_globally", Boolean),
    Column("release_date", Date),
    Column("hours", Float),
    Column("views", Float),
    Column("runtime_hours", Float),
    Column("sheet", Text),
    Column("line", Integer),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
    Column("known_at", UTCDateTime, nullable=False),
    UniqueConstraint("key", name="uq_engagement_key"),
)
Index("ix_engagement_series", engagement_rows.c.series_id)
# the latest period reported by a date (freshness)
Index("ix_engagement_known", engagement_rows.c.known_at, engagement_rows.c.period_end)

# ---------------------------------------------------------------- news intelligence
claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("series_id", ForeignKey("series.id", ondelete="SET NULL")),
    Column("series_text", Text, nullable=False),
    Column("platform", String(64)),
    Column("season", Integer),
    Column("status", String(16), nullable=False),
    Column("final", Boolean, nullable=False, default=False),
    Column("official", Boolean, nullable=False, default=False),
    Column("hedged", Boolean, nullable=False, default=False),
    Column("confidence", Float, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("speakers", Text),  # JSON [{"name", "role"}]
    Column("known_at", UTCDateTime, nullable=False),
)
Index("ix_claims_series", claims.c.series_id, claims.c.known_at)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("series_id", ForeignKey("series.id", ondelete="SET NULL")),
    Column("text", Text, nullable=False),
    Column("speaker", Text),
    Column("role", Text),
    Column("outlet", Text),
    Column("sentence", Text),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("known_at", UTCDateTime, nullable=False),
)
Index("ix_quotes_series", quotes.c.series_id)

cast_mentions = Table(
    "cast_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("series_id", ForeignKey("series.id", ondelete="SET NULL")),
    Column("actor", Text, nullable=False),
    Column("character", Text, nullable=False),
    Column("evidence", Text),
    Column("known_at", UTCDateTime, nullable=False),
)
Index("ix_cast_mentions_series", cast_mentions.c.series_id)


def inserted_id(result: Any) -> int:
    """The primary key of the row an INSERT just wrote."""
    pk = result.inserted_primary_key
    if pk is None:  # pragma: no cover - every table here has an integer key
        raise RuntimeError("the INSERT returned no primary key")
    return int(pk[0])


# ---------------------------------------------------------------- serving: watches and alerts (web)
# A watch follows one series (season NULL = whichever season is next) and POSTs to a webhook when
# the status changes or the probability of renewal crosses ``threshold``. ``secret`` is NULL when the
# deliveries are signed with RENEWCAST_WEBHOOK_SECRET instead of a per-watch secret.
watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
    Column("season", Integer),
    Column("webhook_url", Text, nullable=False),
    Column("threshold", Float),
    Column("secret", String(128)),
    Column("allow_private", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_watches_series", watches.c.series_id)

# What a watch last saw: one row per evaluation that changed something (and the first one).
status_snapshots = Table(
    "status_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watch_id", ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
    Column("season", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("probability", Float),
    Column("decided_at", UTCDateTime),
    Column("source", Text),
    Column("observed_at", UTCDateTime, nullable=False),
)
Index("ix_snapshots_watch", status_snapshots.c.watch_id, status_snapshots.c.id)

# Every webhook delivery attempt series: the payload sent, how many attempts, the last outcome.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watch_id", ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
    Column("event", String(32), nullable=False),  # status_changed | threshold_crossed | ...
    Column("url", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("signature", String(80), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("status_code", Integer),
    Column("ok", Boolean, nullable=False, default=False),
    Column("error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
)
Index("ix_deliveries_watch", deliveries.c.watch_id, deliveries.c.id)


# ---------------------------------------------------------------- live updates (renewcast update)
# One row per source per update run: what it did and, on failure, what happened and what to do.
source_checks = Table(
    "source_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(64), nullable=False),  # netflix-top10 | wikipedia | tvmaze | ...
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),  # ok | unchanged | failed
    Column("added", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("message", Text),
)
Index("ix_source_checks_source", source_checks.c.source, source_checks.c.id)

# RSS/Atom feeds `renewcast update` polls; the validators of the last answer make the next poll
# conditional.
news_feeds = Table(
    "news_feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(2048), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    UniqueConstraint("url", name="uq_news_feed_url"),
)

# Materialised forecasts: one row per weekly cutoff (a Top 10 publication Tuesday) saying which
# inputs it was computed from (``fingerprint``: the rows available by the cutoff and the model
# version) and which store data version it is current for; the forecasts of that cutoff alongside.
forecast_cutoffs = Table(
    "forecast_cutoffs",
    metadata,
    Column("cutoff", Date, primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("data_version", String(80), nullable=False),  # cache.data_version() when last confirmed
    Column("model_version", String(40), nullable=False),
    Column("summary", Text, nullable=False),  # JSON: mode, decided seasons, walk-forward check
    Column("seconds", Float, nullable=False),
    Column("computed_at", UTCDateTime, nullable=False),
    # zlib-compressed JSON: every season the cutoff knows as a new season, by show key, with its
    # outcome and (renewed) release window — answers for seasons without a stored forecast row
    Column("seasons", LargeBinary),
)

forecast_rows = Table(
    "forecast_rows",
    metadata,
    Column("cutoff", ForeignKey("forecast_cutoffs.cutoff", ondelete="CASCADE"), nullable=False),
    Column("show_key", Text, nullable=False),  # normalised show title (forecast/data.py)
    Column("season", Integer, nullable=False),  # the season asked about
    Column("status", String(16), nullable=False),
    Column("p_renewal", Float),
    Column("p_base", Float),  # the starting point (base rate at its age) the odds moved from
    Column("board", Boolean, nullable=False),  # open and premiered within a year: on the board
    Column("payload", LargeBinary, nullable=False),  # zlib-compressed Forecast.to_json()
    UniqueConstraint("cutoff", "show_key", "season", name="uq_forecast_rows"),
)
Index("ix_forecast_rows_board", forecast_rows.c.cutoff, forecast_rows.c.board)
