"""schemathesis against /openapi.json: generated requests to every operation, no server error.

Bounded: a few examples per operation (hypothesis drives schemathesis' strategies directly; the
schemathesis pytest plugin's fixture loader does not work with this pytest). A generated
``as_of`` that is a valid date is pinned to one day so that the run fits a forecast model once
(each new day costs a model fit); invalid dates are sent as generated and must be a 4xx.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

PINNED_DAY = "2022-09-01"
AUTH = {"Authorization": "Bearer schema-token"}
EXAMPLES = 6


def _pin(case: Any) -> None:
    """A valid or missing ``as_of`` becomes the pinned day (a missing one would mean today)."""
    if not any(p.name == "as_of" for p in case.operation.query):
        return
    if case.query is None:
        case.query = {}
    value = case.query.get("as_of")
    if isinstance(value, str) and value.strip():
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            return
    case.query["as_of"] = PINNED_DAY


def test_no_server_error(synced_db: str, tmp_path: Any, copy_store: Any, monkeypatch: Any) -> None:
    """Writes too: with a valid token the watch operations run their handlers (not just 401).
    No network: host names do not resolve and any webhook POST is answered by respx."""
    import socket

    import respx

    from renewcast.news import fetch
    from renewcast.web.app import create_app

    def no_dns(host: str, *args: Any, **kwargs: Any) -> Any:
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in str(host) else socket.AF_INET, str(host))
        except OSError:
            raise socket.gaierror(socket.EAI_NONAME, "no DNS in tests") from None
        return real(host, *args, **kwargs)

    real = socket.getaddrinfo
    monkeypatch.setattr(fetch.socket, "getaddrinfo", no_dns)
    monkeypatch.setenv("RENEWCAST_TOKEN", "schema-token")
    monkeypatch.delenv("RENEWCAST_ALLOW_PRIVATE_WEBHOOKS", raising=False)
    db = copy_store(synced_db, tmp_path / "store.db")  # the watch operations write
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(db))
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {op.label for op in operations}
    assert "GET /api/ask" in labels and "POST /api/watches" in labels
    for op in operations:

        @given(case=op.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            _pin(case)
            case.call_and_validate(checks=[not_a_server_error], timeout=120, headers=AUTH)

        with respx.mock(assert_all_called=False) as mock:
            mock.route().respond(204)
            run()
