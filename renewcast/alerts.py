"""Watchlist and webhook alerts: tell a URL when a watched season's status or odds change.

* :func:`add_watch` stores a watch (series, optional season, webhook URL, optional probability
  threshold) and records what the season looks like now, so that only later changes alert.
* :func:`check_watches` evaluates every active watch with :func:`renewcast.answer.compose.compose`
  (the same answer ``renewcast ask`` gives) and, when the status changed or the probability of
  renewal crossed the threshold, POSTs one JSON payload per watch and check.
* Payloads are signed: ``X-Renewcast-Signature: sha256=<hex HMAC-SHA256 of the raw body>`` with the
  watch's own secret, or ``RENEWCAST_WEBHOOK_SECRET`` when the watch has none.
* Delivery retries on connection errors, timeouts, 429 and 5xx, at most :data:`MAX_ATTEMPTS`
  times with exponential backoff; redirects are not followed. Every delivery is logged in the
  ``deliveries`` table with its attempts and outcome.
* Webhook URLs must resolve to public addresses (the checks of :func:`renewcast.news.fetch.
  check_url`, at add time and again before every delivery) unless the server allows private
  addresses (``RENEWCAST_ALLOW_PRIVATE_WEBHOOKS=1``, or ``watch add --allow-private`` by the
  operator), for local testing. The API never lets a request allow them.
* A failed delivery is reported as a category (:data:`UNREACHABLE`, :data:`REFUSED`, ``HTTP 503``),
  never the socket error: "connection refused" against "timed out" would make the webhook a port
  scanner of whatever the server can reach.
* Per-watch secrets are kept in the store, which is created readable by its owner only (see
  :func:`renewcast.store.db.connect`); :func:`rotate_secret` replaces a leaked one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, select

from renewcast.store.schema import deliveries, inserted_id, series, status_snapshots, watches

if TYPE_CHECKING:
    import httpx

SECRET_ENV = "RENEWCAST_WEBHOOK_SECRET"
ALLOW_PRIVATE_ENV = "RENEWCAST_ALLOW_PRIVATE_WEBHOOKS"
SIGNATURE_HEADER = "X-Renewcast-Signature"
MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5  # 0.5, 1, 2 s between attempts
TIMEOUT_SECONDS = 10.0
MAX_URL_CHARS = 2000
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
UNREACHABLE = "unreachable"  # no connection, refused, reset or timed out: never which one
REFUSED = "refused: the webhook host is not a public address"


class WatchError(ValueError):
    """A watch cannot be added (bad URL, refused address, unknown series, bad threshold)."""


@dataclass(slots=True)
class Watch:
    id: int
    series_id: int
    title: str
    season: int | None
    webhook_url: str
    threshold: float | None
    allow_private: bool
    active: bool
    created_at: datetime
    has_secret: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "series_id": self.series_id,
            "series": self.title,
            "season": self.season,
            "webhook_url": self.webhook_url,
            "threshold": self.threshold,
            "allow_private": self.allow_private,
            "active": self.active,
            "created_at": self.created_at.isoformat(),
            "signed_with": "watch secret" if self.has_secret else SECRET_ENV,
        }


@dataclass(frozen=True, slots=True)
class State:
    """What a watched season looks like at one moment."""

    season: int
    status: str
    probability: float | None
    decided_at: datetime | None
    source: str | None
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {
            "season": self.season,
            "status": self.status,
            "probability": self.probability,
            "decided_at": self.decided_at.date().isoformat() if self.decided_at else None,
            "source": self.source,
            "summary": self.summary,
        }


@dataclass(slots=True)
class DeliveryResult:
    id: int
    watch_id: int
    event: str
    url: str
    attempts: int
    ok: bool
    status_code: int | None
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "watch_id": self.watch_id,
            "event": self.event,
            "url": self.url,
            "attempts": self.attempts,
            "ok": self.ok,
            "status_code": self.status_code,
            "error": self.error,
        }


@dataclass(slots=True)
class CheckReport:
    checked: int = 0
    unchanged: int = 0
    deliveries: list[DeliveryResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "unchanged": self.unchanged,
            "deliveries": [d.to_json() for d in self.deliveries],
            "problems": self.problems,
        }


def _now() -> datetime:
    return datetime.now(UTC)


def private_allowed(flag: bool = False) -> bool:
    return flag or os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")


def check_webhook_url(url: str, *, allow_private: bool = False) -> None:
    """Raise :class:`WatchError` unless ``url`` is an http(s) URL to an allowed address."""
    from renewcast.news.fetch import FetchError, check_url

    if len(url) > MAX_URL_CHARS:
        raise WatchError(f"webhook URL is longer than {MAX_URL_CHARS} characters")
    try:
        check_url(url, allow_private=private_allowed(allow_private))
    except FetchError as e:
        hint = (
            f" (for local testing, pass --allow-private or set {ALLOW_PRIVATE_ENV}=1)"
            if "refused, host" in str(e)
            else ""
        )
        raise WatchError(f"webhook {e}{hint}") from e


def sign(body: bytes, secret: str) -> str:
    """The signature header value: ``sha256=`` and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str | None) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return bool(header) and hmac.compare_digest(sign(body, secret), header or "")


# ---------------------------------------------------------------------------- state


def evaluate(conn: Connection, series_id: int, season: int | None, as_of: date | None) -> State:
    """The watched season's status and probability of renewal, as ``renewcast ask`` gives them."""
    from renewcast.answer.compose import compose

    ans = compose(conn, series_id, season, as_of=as_of)
    st = ans.status
    p = ans.forecast.get("p_renewal") if ans.forecast else None
    return State(
        season=st.season,
        status=st.status,
        probability=float(p) if isinstance(p, int | float) else None,
        decided_at=st.decided_at,
        source=st.deciding.source if st.deciding else None,
        summary=st.summary,
    )


def _last_state(conn: Connection, watch_id: int) -> State | None:
    row = conn.execute(
        select(status_snapshots)
        .where(status_snapshots.c.watch_id == watch_id)
        .order_by(status_snapshots.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return State(row.season, row.status, row.probability, row.decided_at, row.source, "")


def _record(conn: Connection, watch_id: int, series_id: int, s: State) -> None:
    conn.execute(
        status_snapshots.insert().values(
            watch_id=watch_id,
            series_id=series_id,
            season=s.season,
            status=s.status,
            probability=s.probability,
            decided_at=s.decided_at,
            source=s.source,
            observed_at=_now(),
        )
    )


def changes(old: State, new: State, threshold: float | None) -> list[dict[str, Any]]:
    """What changed that a watcher asked to hear about (empty: nothing to send)."""
    out: list[dict[str, Any]] = []
    if old.status != new.status or old.season != new.season:
        out.append(
            {
                "kind": "status_changed",
                "from": {"season": old.season, "status": old.status},
                "to": {"season": new.season, "status": new.status},
            }
        )
    if threshold is not None and old.probability is not None and new.probability is not None:
        before, after = old.probability >= threshold, new.probability >= threshold
        if before != after:
            out.append(
                {
                    "kind": "threshold_crossed",
                    "threshold": threshold,
                    "direction": "up" if after else "down",
                    "from": old.probability,
                    "to": new.probability,
                }
            )
    return out


# ---------------------------------------------------------------------------- watches


def add_watch(
    engine: Engine,
    series_id: int,
    webhook_url: str,
    *,
    season: int | None = None,
    threshold: float | None = None,
    allow_private: bool = False,
    as_of: date | None = None,
) -> tuple[Watch, str | None]:
    """Store a watch and its current state. Returns the watch and its generated secret (shown
    once), or None when deliveries are signed with ``RENEWCAST_WEBHOOK_SECRET``."""
    if threshold is not None and not 0.0 < threshold < 1.0:
        raise WatchError(f"threshold {threshold} must be a probability between 0 and 1")
    if season is not None and not 1 <= season <= 100:
        raise WatchError(f"season {season} is not a season number (1-100)")
    allow = private_allowed(allow_private)
    check_webhook_url(webhook_url, allow_private=allow)
    secret = None if os.environ.get(SECRET_ENV) else secrets.token_hex(32)
    with engine.connect() as conn:
        if conn.execute(select(series.c.id).where(series.c.id == series_id)).first() is None:
            raise WatchError(f"no series with id {series_id}")
        state = evaluate(conn, series_id, season, as_of)
    with engine.begin() as conn:
        wid = inserted_id(
            conn.execute(
                watches.insert().values(
                    series_id=series_id,
                    season=season,
                    webhook_url=webhook_url,
                    threshold=threshold,
                    secret=secret,
                    allow_private=allow,
                    active=True,
                    created_at=_now(),
                )
            )
        )
        _record(conn, wid, series_id, state)
        watch = get_watch(conn, wid)
    assert watch is not None
    return watch, secret


def _watch_query() -> Any:
    return select(
        watches.c.id,
        watches.c.series_id,
        series.c.title,
        watches.c.season,
        watches.c.webhook_url,
        watches.c.threshold,
        watches.c.allow_private,
        watches.c.active,
        watches.c.created_at,
        watches.c.secret.is_not(None).label("has_secret"),
    ).join(series, series.c.id == watches.c.series_id)


def get_watch(conn: Connection, watch_id: int) -> Watch | None:
    row = conn.execute(_watch_query().where(watches.c.id == watch_id)).first()
    return Watch(*row) if row else None


def list_watches(conn: Connection, *, active_only: bool = False) -> list[Watch]:
    q = _watch_query().order_by(watches.c.id)
    if active_only:
        q = q.where(watches.c.active.is_(True))
    return [Watch(*r) for r in conn.execute(q)]


def remove_watch(engine: Engine, watch_id: int) -> bool:
    """Deactivate a watch (its snapshots and delivery log are kept). False if there is none."""
    with engine.begin() as conn:
        res = conn.execute(watches.update().where(watches.c.id == watch_id).values(active=False))
        return bool(res.rowcount)


def delivery_log(conn: Connection, watch_id: int | None = None, limit: int = 100) -> list[Any]:
    q = select(deliveries).order_by(deliveries.c.id.desc()).limit(limit)
    if watch_id is not None:
        q = q.where(deliveries.c.watch_id == watch_id)
    return list(conn.execute(q))


# ---------------------------------------------------------------------------- check + deliver


def check_watches(
    engine: Engine,
    *,
    as_of: date | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> CheckReport:
    """Evaluate every active watch; deliver one payload per watch whose season changed."""
    report = CheckReport()
    with engine.connect() as conn:
        active = list_watches(conn, active_only=True)
    for w in active:
        report.checked += 1
        with engine.connect() as conn:
            old = _last_state(conn, w.id)
            try:
                new = evaluate(conn, w.series_id, w.season, as_of)
            except LookupError as e:
                report.problems.append(f"watch {w.id}: {e}")
                continue
        found = changes(old, new, w.threshold) if old is not None else []
        if old is None or found:
            with engine.begin() as conn:
                _record(conn, w.id, w.series_id, new)
        if not found:
            report.unchanged += 1
            continue
        event = found[0]["kind"]
        payload = {
            "event": event,
            "watch_id": w.id,
            "series_id": w.series_id,
            "series": w.title,
            "changes": found,
            "previous": old.to_json() if old else None,
            "current": new.to_json(),
            "as_of": as_of.isoformat() if as_of else None,
            "sent_at": _now().isoformat(),
        }
        report.deliveries.append(deliver(engine, w, event, payload, client=client, sleep=sleep))
    return report


def rotate_secret(engine: Engine, watch_id: int) -> str:
    """Give a watch a new signing secret (returned once; the old one stops working at once)."""
    secret = secrets.token_hex(32)
    with engine.begin() as conn:
        res = conn.execute(watches.update().where(watches.c.id == watch_id).values(secret=secret))
    if not res.rowcount:
        raise WatchError(f"no watch with id {watch_id}")
    return secret


def _secret_for(engine: Engine, watch_id: int) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(select(watches.c.secret).where(watches.c.id == watch_id)).first()
    stored = row[0] if row else None
    return stored or os.environ.get(SECRET_ENV)


def deliver(
    engine: Engine,
    watch: Watch,
    event: str,
    payload: dict[str, Any],
    *,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryResult:
    """POST ``payload`` to the watch's webhook with retries; log the delivery."""
    import httpx

    body = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    secret = _secret_for(engine, watch.id)
    signature = sign(body, secret) if secret else ""
    with engine.begin() as conn:
        did = inserted_id(
            conn.execute(
                deliveries.insert().values(
                    watch_id=watch.id,
                    event=event,
                    url=watch.webhook_url,
                    payload=body.decode("utf-8"),
                    signature=signature,
                    attempts=0,
                    ok=False,
                    created_at=_now(),
                )
            )
        )
    result = DeliveryResult(did, watch.id, event, watch.webhook_url, 0, False, None, None)
    if not secret:
        result.error = (
            f"no secret to sign with: the watch has none and {SECRET_ENV} is not set; not sent"
        )
        _finish(engine, result)
        return result
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature,
        "X-Renewcast-Event": event,
        "X-Renewcast-Delivery": str(did),
        "User-Agent": "renewcast-webhook/0.1",
    }
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)
    try:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            result.attempts = attempt
            retry = _attempt(http, watch, body, headers, result)
            if not retry or attempt == MAX_ATTEMPTS:
                break
            sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
    finally:
        if own:
            http.close()
    _finish(engine, result)
    return result


def _attempt(
    http: httpx.Client, watch: Watch, body: bytes, headers: dict[str, str], r: DeliveryResult
) -> bool:
    """One POST; fills ``r``; True when it is worth trying again."""
    import httpx

    try:
        check_webhook_url(watch.webhook_url, allow_private=watch.allow_private)
    except WatchError:  # the host now resolves somewhere it must not: never send
        r.error, r.status_code = REFUSED, None
        return False
    try:
        resp = http.post(watch.webhook_url, content=body, headers=headers)
    except httpx.TransportError:  # timeouts included: the same word for every network failure
        r.error, r.status_code = UNREACHABLE, None
        return True
    r.status_code = resp.status_code
    if 200 <= resp.status_code < 300:
        r.ok, r.error = True, None
        return False
    r.error = f"HTTP {resp.status_code}"
    return resp.status_code in RETRY_STATUSES


def _finish(engine: Engine, r: DeliveryResult) -> None:
    with engine.begin() as conn:
        conn.execute(
            deliveries.update()
            .where(deliveries.c.id == r.id)
            .values(
                attempts=r.attempts,
                status_code=r.status_code,
                ok=r.ok,
                error=r.error,
                finished_at=_now(),
            )
        )
