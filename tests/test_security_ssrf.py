"""SSRF and webhook secrets: every place that fetches a URL refuses non-public targets.

The places: ``news add URL`` / feed entries (:func:`renewcast.news.fetch.fetch_url`, which follows
redirects by hand) and webhook deliveries (:mod:`renewcast.alerts`, at add time, before every POST,
and through the API). The store here is a fresh one with one invented series; no network is used
(respx answers, or a closed port on 127.0.0.1).
"""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from renewcast.news import fetch

LOOPBACK = [
    "http://127.0.0.1/x",
    "http://127.1/x",
    "http://127.0.0.2:8080/x",
    "http://0x7f.0.0.1/x",
    "http://0x7f000001/x",
    "http://2130706433/x",
    "http://0177.0.0.1/x",
    "http://localhost/x",
    "http://LOCALHOST./x",
    "http://[::1]/x",
    "http://[0:0:0:0:0:0:0:1]/x",
    "http://[::ffff:127.0.0.1]/x",
    "http://[::ffff:7f00:1]/x",
    "http://[64:ff9b::7f00:1]/x",  # NAT64 of 127.0.0.1
    "http://[2002:7f00:1::]/x",  # 6to4 of 127.0.0.1
    "http://0.0.0.0/x",
    "http://0/x",
    "http://[::]/x",
]
LINK_LOCAL = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/x",
    "http://[::ffff:169.254.169.254]/x",
    "http://[64:ff9b::a9fe:a9fe]/x",  # NAT64 of the metadata address
]
PRIVATE = [
    "http://10.0.0.1/x",
    "http://172.16.5.4/x",
    "http://172.31.255.255/x",
    "http://192.168.1.1/x",
    "http://100.64.0.1/x",  # carrier-grade NAT
    "http://[fd00::1]/x",
    "http://[fc00::1]/x",
    "http://224.0.0.1/x",  # multicast
    "http://255.255.255.255/x",
]
HOSTILE = LOOPBACK + LINK_LOCAL + PRIVATE
PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def public_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names under .example resolve to a public address; IP literals and localhost as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host).endswith(".example"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port or 80))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)


# ------------------------------------------------------------------ news fetch (news add URL)
@pytest.mark.parametrize("url", HOSTILE)
def test_fetch_refuses_every_non_public_notation(url: str) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route().respond(200, text="<html><body>secret</body></html>")
        with pytest.raises(fetch.FetchError, match="refused"):
            fetch.fetch_url(url)
        assert not route.called


@pytest.mark.parametrize("target", HOSTILE)
def test_fetch_refuses_a_redirect_to_a_non_public_address(target: str, public_dns: None) -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.get("http://news.example/a").respond(302, headers={"Location": target})
        inner = mock.route(host__regex=r"^(?!news\.example$)").respond(200, text="secret")
        with pytest.raises(fetch.FetchError):
            fetch.fetch_url("http://news.example/a")
        assert not inner.called


def test_fetch_refuses_a_relative_redirect_chain_into_loopback(public_dns: None) -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.get("http://news.example/a").respond(301, headers={"Location": "/b"})
        mock.get("http://news.example/b").respond(
            307, headers={"Location": "http://[::ffff:127.0.0.1]:8000/admin"}
        )
        with pytest.raises(fetch.FetchError, match="loopback"):
            fetch.fetch_url("http://news.example/a")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:99999/", "http://[::1/a", "http://[zz]/", "http://a:b/", "gopher://x"]
)
def test_fetch_reports_malformed_urls_as_fetch_errors(url: str) -> None:
    with pytest.raises(fetch.FetchError):
        fetch.fetch_url(url)


# ------------------------------------------------------------------ webhooks
@pytest.fixture
def store(tmp_path: Path, add_series: Any) -> Iterator[Any]:
    from renewcast.store.db import connect, dispose_all

    engine = connect(f"sqlite:///{tmp_path / 'store.db'}")
    add_series(engine)
    yield engine
    dispose_all()


@pytest.fixture
def no_private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", raising=False)
    monkeypatch.delenv("RENEWCAST_WEBHOOK_SECRET", raising=False)


@pytest.mark.parametrize("url", HOSTILE)
def test_webhook_urls_refuse_every_non_public_notation(url: str, no_private: None) -> None:
    from renewcast.alerts import WatchError, check_webhook_url

    with pytest.raises(WatchError, match="refused"):
        check_webhook_url(url)


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


def _api(store: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    monkeypatch.setenv("RENEWCAST_TOKEN", "t0ken")
    return TestClient(create_app(str(store.url)), headers={"Authorization": "Bearer t0ken"})


def test_a_request_cannot_allow_private_webhooks(
    store: Any, no_private: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"series_id": 1, "webhook_url": "http://169.254.169.254/latest/meta-data/"}
    with _api(store, monkeypatch) as client:
        r = client.post("/api/watches", json={**body, "allow_private": True})
        assert r.status_code == 422, r.text
        assert client.post("/api/watches", json=body).status_code == 422
        assert client.get("/api/watches").json() == {"watches": []}


def test_the_server_setting_allows_private_webhooks(
    store: Any, no_private: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", "1")
    with _api(store, monkeypatch) as client:
        r = client.post(
            "/api/watches", json={"series_id": 1, "webhook_url": "http://127.0.0.1:9/h"}
        )
        assert r.status_code == 201, r.text


def test_delivery_errors_are_a_category_not_a_socket_error(
    store: Any, no_private: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused and timed out look the same to the caller: the webhook is no port scanner."""
    from renewcast.alerts import UNREACHABLE, add_watch, deliver

    monkeypatch.setenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", "1")
    watch, _ = add_watch(store, 1, f"http://127.0.0.1:{_closed_port()}/hook")
    refused = deliver(store, watch, "test", {"n": 1}, sleep=lambda s: None)

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    slow = httpx.Client(transport=httpx.MockTransport(timeout))
    timed_out = deliver(store, watch, "test", {"n": 2}, client=slow, sleep=lambda s: None)
    assert refused.error == timed_out.error == UNREACHABLE
    assert refused.attempts == timed_out.attempts == 4
    with _api(store, monkeypatch) as client:
        log = client.get(f"/api/watches/{watch.id}/deliveries").json()["deliveries"]
    assert [d["error"] for d in log] == [UNREACHABLE, UNREACHABLE]
    assert "refused" not in str(log).lower() and "errno" not in str(log).lower()


def test_a_host_that_turns_private_after_add_is_refused_with_a_category(
    store: Any, no_private: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the address is checked again before every POST; the error names no IP."""
    from renewcast.alerts import REFUSED, add_watch, deliver

    answers = {"hooks.example": PUBLIC_IP}
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port or 80))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)
    watch, _ = add_watch(store, 1, "http://hooks.example/h")
    answers["hooks.example"] = "127.0.0.1"
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route().respond(204)
        res = deliver(store, watch, "test", {"n": 1}, sleep=lambda s: None)
        assert not route.called
    assert res.error == REFUSED and "127.0.0.1" not in (res.error or "")


# ------------------------------------------------------------------ secrets at rest
def test_the_store_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    from renewcast.store.db import connect, dispose_all

    old = os.umask(0o022)
    try:
        connect(f"sqlite:///{tmp_path / 'fresh.db'}")
        loose = tmp_path / "loose.db"
        loose.touch(mode=0o644)
        connect(f"sqlite:///{loose}")
    finally:
        os.umask(old)
        dispose_all()
    for name in ("fresh.db", "loose.db"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o600, f"{name}: {oct(mode)}"


def test_rotate_secret_replaces_the_signing_secret(store: Any, no_private: None) -> None:
    from renewcast.alerts import WatchError, add_watch, rotate_secret, sign

    os.environ["RENEWCAST_ALLOW_PRIVATE_WEBHOOKS"] = "1"
    try:
        watch, first = add_watch(store, 1, "http://127.0.0.1:9/h")
    finally:
        del os.environ["RENEWCAST_ALLOW_PRIVATE_WEBHOOKS"]
    second = rotate_secret(store, watch.id)
    assert first and second != first and len(second) == 64
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["X-Renewcast-Signature"])
        return httpx.Response(204)

    from renewcast.alerts import deliver

    os.environ["RENEWCAST_ALLOW_PRIVATE_WEBHOOKS"] = "1"
    try:
        res = deliver(
            store, watch, "t", {"a": 1}, client=httpx.Client(transport=httpx.MockTransport(record))
        )
    finally:
        del os.environ["RENEWCAST_ALLOW_PRIVATE_WEBHOOKS"]
    assert res.ok and seen == [sign(b'{"a": 1}', second)]
    with pytest.raises(WatchError, match="no watch"):
        rotate_secret(store, 999)


def test_rotate_secret_command(store: Any) -> None:
    import json

    from typer.testing import CliRunner

    from renewcast.cli import app

    os.environ["RENEWCAST_ALLOW_PRIVATE_WEBHOOKS"] = "1"
    try:
        from renewcast.alerts import add_watch

        watch, first = add_watch(store, 1, "http://127.0.0.1:9/h")
    finally:
        del os.environ["RENEWCAST_ALLOW_PRIVATE_WEBHOOKS"]
    from renewcast.store.importer import DocumentInfo, register_document

    with store.begin() as conn:  # the CLI refuses a store without any document as "empty"
        register_document(
            conn, DocumentInfo("file", "test", "invented.tsv", "0" * 64, datetime.now(UTC))
        )
    runner = CliRunner()
    db = str(store.url)
    r = runner.invoke(app, ["watch", "rotate-secret", str(watch.id), "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["id"] == watch.id and len(out["secret"]) == 64 and out["secret"] != first
    missing = runner.invoke(app, ["watch", "rotate-secret", "4242", "--db", db])
    assert missing.exit_code != 0 and "no watch with id 4242" in missing.output


@pytest.mark.parametrize("url", HOSTILE)
def test_feeds_add_refuses_every_non_public_notation(url: str, store: Any) -> None:
    """`renewcast feeds add URL`: refused when added (and `update` fetches with fetch_url)."""
    from renewcast.update import add_feed, list_feeds

    with pytest.raises(fetch.FetchError, match="refused"):
        add_feed(store, url)
    assert list_feeds(store) == []
