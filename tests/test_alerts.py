"""Watchlist and webhooks: one signed delivery when an ingested article flips a watched season.

The store is a copy of the session's synced store (this module writes watches and an article).
The webhook receiver is a real HTTP server on 127.0.0.1 (private addresses allowed explicitly).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from renewcast.alerts import (
    SIGNATURE_HEADER,
    State,
    WatchError,
    add_watch,
    changes,
    check_watches,
    check_webhook_url,
    deliver,
    delivery_log,
    get_watch,
    list_watches,
    sign,
    verify,
)


class Receiver:
    """A webhook endpoint on loopback that records requests and answers with scripted codes."""

    def __init__(self, codes: list[int] | None = None) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.codes = list(codes or [])
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                outer.requests.append((dict(self.headers.items()), self.rfile.read(n)))
                code = outer.codes.pop(0) if outer.codes else 204
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def engine(synced_db: str, tmp_path_factory: pytest.TempPathFactory, copy_store: Any) -> Any:
    from renewcast.store.db import connect

    return connect(copy_store(synced_db, tmp_path_factory.mktemp("alerts") / "store.db"))


def pending_series(engine: Any) -> tuple[int, str, int]:
    """A series whose next season is pending today (Wikipedia's current list says so)."""
    from renewcast.status import resolve_status
    from renewcast.store.schema import facts, series

    with engine.connect() as conn:
        rows = conn.execute(
            select(series.c.id, series.c.title)
            .join(facts, facts.c.series_id == series.c.id)
            .where(facts.c.attribute == "status", facts.c.value == json.dumps("pending"))
            .order_by(series.c.title)
        ).all()
        for sid, title in rows:
            r = resolve_status(conn, sid)
            # a plain multi-word title, so the news extractor links it (not "1992")
            plain = re.fullmatch(r"[A-Za-z][A-Za-z'-]*(?: [A-Za-z][A-Za-z'-]*)+", title)
            if r.status == "pending" and r.latest_season == 1 and plain:
                return int(sid), str(title), r.season
    pytest.fail("no series is pending in the synced store")


# ------------------------------------------------------------------ the acceptance test
def test_one_signed_delivery_when_an_article_cancels_a_watched_season(
    engine: Any, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renewcast.news.article import Article
    from renewcast.news.ingest import add_articles, extract_documents

    monkeypatch.delenv("RENEWCAST_WEBHOOK_SECRET", raising=False)
    sid, title, season = pending_series(engine)
    watch, secret = add_watch(engine, sid, receiver.url, allow_private=True)
    assert secret and watch.season is None

    first = check_watches(engine, sleep=lambda s: None)
    assert first.deliveries == [] and first.unchanged == first.checked >= 1
    assert receiver.requests == []

    text = (
        f"Netflix cancels {title} after one season\n\n"
        "This is a test article written for renewcast's alert tests. "
        f"Netflix has cancelled {title}. There will be no second season of {title}, "
        "the streamer confirmed on Monday."
    )
    article = Article(
        id="renewcast-test-cancellation",
        text=text,
        url="https://deadline.com/renewcast-test/cancellation",
        published=datetime.now(UTC) - timedelta(hours=2),
        title=text.splitlines()[0],
        publisher="Deadline",
    )
    report = add_articles(engine, [article], uri="<test article>")
    assert len(report.added) == 1
    extract_documents(engine, doc_ids=report.added)

    second = check_watches(engine, sleep=lambda s: None)
    assert len(second.deliveries) == 1 and second.deliveries[0].ok
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    headers = {k.lower(): v for k, v in headers.items()}
    assert verify(body, secret, headers[SIGNATURE_HEADER.lower()])
    assert not verify(body, "not-the-secret", headers[SIGNATURE_HEADER.lower()])
    payload = json.loads(body)
    assert payload["event"] == "status_changed"
    assert payload["series_id"] == sid
    assert payload["previous"]["status"] == "pending"
    assert payload["current"]["status"] == "cancelled"
    assert payload["current"]["season"] == season
    assert payload["current"]["source"] == "Deadline"

    third = check_watches(engine, sleep=lambda s: None)
    assert third.deliveries == [] and len(receiver.requests) == 1  # nothing new: no resend

    with engine.connect() as conn:
        log = delivery_log(conn, watch.id)
    assert len(log) == 1 and log[0].ok and log[0].attempts == 1 and log[0].status_code == 204


# ------------------------------------------------------------------ delivery behaviour
def test_retries_with_backoff_then_succeeds(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENEWCAST_WEBHOOK_SECRET", "shared-secret")
    rec = Receiver(codes=[503, 502, 200])
    try:
        sid, _, _ = pending_series(engine)
        watch, secret = add_watch(engine, sid, rec.url, allow_private=True)
        assert secret is None  # signed with the environment's secret
        waits: list[float] = []
        res = deliver(engine, watch, "test", {"event": "test"}, sleep=waits.append)
        assert res.ok and res.attempts == 3 and res.status_code == 200
        assert waits == [0.5, 1.0]
        assert len(rec.requests) == 3
        for headers, body in rec.requests:
            assert headers[SIGNATURE_HEADER] == sign(body, "shared-secret")
    finally:
        rec.close()


def test_client_errors_are_not_retried_and_attempts_are_bounded(
    engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RENEWCAST_WEBHOOK_SECRET", "s")
    rec = Receiver(codes=[410, 500, 500, 500, 500, 500])
    try:
        sid, _, _ = pending_series(engine)
        watch, _ = add_watch(engine, sid, rec.url, allow_private=True)
        gone = deliver(engine, watch, "test", {"n": 1}, sleep=lambda s: None)
        assert not gone.ok and gone.attempts == 1 and gone.error == "HTTP 410"
        down = deliver(engine, watch, "test", {"n": 2}, sleep=lambda s: None)
        assert not down.ok and down.attempts == 4 and down.status_code == 500
        with engine.connect() as conn:
            log = {r.id: r for r in delivery_log(conn, watch.id)}
        assert log[down.id].attempts == 4 and not log[down.id].ok
    finally:
        rec.close()


def test_unreachable_webhook_is_logged(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENEWCAST_WEBHOOK_SECRET", "s")
    rec = Receiver()
    url = rec.url
    rec.close()  # nothing listens there any more
    sid, _, _ = pending_series(engine)
    watch, _ = add_watch(engine, sid, url, allow_private=True)
    res = deliver(engine, watch, "test", {"n": 3}, sleep=lambda s: None)
    assert not res.ok and res.attempts == 4 and res.error == "unreachable"


# ------------------------------------------------------------------ refusing addresses
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
    ],
)
def test_private_webhooks_are_refused(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", raising=False)
    with pytest.raises(WatchError, match="allow-private"):
        check_webhook_url(url)
    check_webhook_url(url, allow_private=True)
    monkeypatch.setenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", "1")
    check_webhook_url(url)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "https://user:pw@example.com/x"]
)
def test_non_http_webhooks_are_refused(url: str) -> None:
    with pytest.raises(WatchError):
        check_webhook_url(url, allow_private=True)


def test_add_watch_refuses_loopback_and_bad_thresholds(
    engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", raising=False)
    sid, _, _ = pending_series(engine)
    with engine.connect() as conn:
        before = len(list_watches(conn))
    with pytest.raises(WatchError, match="loopback"):
        add_watch(engine, sid, "http://127.0.0.1:9/hook")
    with pytest.raises(WatchError, match="between 0 and 1"):
        add_watch(engine, sid, "http://127.0.0.1:9/hook", threshold=1.5, allow_private=True)
    with pytest.raises(WatchError, match="no series"):
        add_watch(engine, 10**9, "http://127.0.0.1:9/hook", allow_private=True)
    with engine.connect() as conn:
        assert len(list_watches(conn)) == before
        assert get_watch(conn, 10**9) is None


# ------------------------------------------------------------------ what counts as a change
def _state(status: str, p: float | None, season: int = 2) -> State:
    return State(season, status, p, None, None, "")


def test_changes_status_and_threshold_crossings() -> None:
    assert changes(_state("pending", 0.4), _state("pending", 0.45), 0.5) == []
    up = changes(_state("pending", 0.4), _state("pending", 0.6), 0.5)
    assert [c["kind"] for c in up] == ["threshold_crossed"] and up[0]["direction"] == "up"
    down = changes(_state("pending", 0.6), _state("pending", 0.4), 0.5)
    assert down[0]["direction"] == "down"
    assert changes(_state("pending", 0.4), _state("pending", 0.6), None) == []
    flip = changes(_state("pending", 0.4), _state("cancelled", None), 0.5)
    assert [c["kind"] for c in flip] == ["status_changed"]
    assert flip[0]["to"] == {"season": 2, "status": "cancelled"}
    nxt = changes(_state("renewed", None, 2), _state("pending", 0.3, 3), 0.5)
    assert [c["kind"] for c in nxt] == ["status_changed"]


def test_signature_is_hmac_sha256_of_the_body() -> None:
    import hashlib
    import hmac

    body = b'{"event": "status_changed"}'
    expected = hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert sign(body, "k") == f"sha256={expected}"
    assert verify(body, "k", f"sha256={expected}")
    assert not verify(body + b" ", "k", f"sha256={expected}")
    assert not verify(body, "k", None)


# ------------------------------------------------------------------ API and CLI equivalents
def test_watch_api_with_token(
    engine: Any, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    monkeypatch.setenv("RENEWCAST_TOKEN", "t0ken")
    monkeypatch.delenv("RENEWCAST_WEBHOOK_SECRET", raising=False)
    auth = {"Authorization": "Bearer t0ken"}
    sid, title, _ = pending_series(engine)
    with TestClient(create_app(str(engine.url))) as client:
        body = {"series": title, "webhook_url": receiver.url, "threshold": 0.5}
        refused = client.post("/api/watches", json=body, headers=auth)
        assert refused.status_code == 422 and "loopback" in refused.json()["detail"]
        # a request can never allow a private target; only the server setting can
        bad = client.post("/api/watches", json={**body, "allow_private": True}, headers=auth)
        assert bad.status_code == 422
        monkeypatch.setenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", "1")
        r = client.post("/api/watches", json=body, headers=auth)
        assert r.status_code == 201, r.text
        created = r.json()
        assert created["watch"]["series_id"] == sid and len(created["secret"]) == 64
        wid = created["watch"]["id"]
        listed = client.get("/api/watches", headers=auth).json()["watches"]
        assert wid in [w["id"] for w in listed]
        assert all("secret" not in w for w in listed)  # never shown again
        check = client.post("/api/watches/check", headers=auth)
        assert check.status_code == 200 and check.json()["checked"] >= 1
        assert client.get(f"/api/watches/{wid}/deliveries", headers=auth).json() == {
            "deliveries": []
        }
        assert client.delete(f"/api/watches/{wid}", headers=auth).json()["active"] is False
        assert client.delete("/api/watches/999999", headers=auth).status_code == 404


def test_watch_cli(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from renewcast.cli import app

    monkeypatch.delenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", raising=False)
    monkeypatch.delenv("RENEWCAST_WEBHOOK_SECRET", raising=False)
    _, title, _ = pending_series(engine)
    db = str(engine.url)
    runner = CliRunner()
    hook = "http://127.0.0.1:9/hook"
    refused = runner.invoke(app, ["watch", "add", title, "--webhook", hook, "--db", db])
    assert refused.exit_code == 1 and "loopback" in refused.output
    ok = runner.invoke(
        app,
        ["watch", "add", title, "--webhook", hook, "--allow-private", "--json", "--db", db],
    )
    assert ok.exit_code == 0, ok.output
    wid = json.loads(ok.stdout)["watch"]["id"]
    listed = runner.invoke(app, ["watch", "list", "--json", "--db", db])
    assert wid in [w["id"] for w in json.loads(listed.stdout)]
    assert runner.invoke(app, ["watch", "remove", str(wid), "--db", db]).exit_code == 0
