"""JSON twins of the pages: ``/bubble.json`` or ``Accept: application/json`` gets the page's data.

A page's twin is exactly its ``/api/`` response (the same service call with the same parameters).
The ``.json`` suffix is handled by :class:`JsonSuffix`, an ASGI middleware that strips it before
routing and marks the request, so every page route serves its twin without a second route.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

NOT_PAGES = ("/api/", "/feeds/", "/static/", "/assets/", "/openapi", "/docs", "/redoc")
HOME_TWINS = ("/.json", "/index.json")


def _is_page(path: str) -> bool:
    return not path.startswith(NOT_PAGES)


class JsonSuffix:
    """Route ``/x.json`` as ``/x`` with ``request.state.json_twin`` set (``/index.json`` is ``/``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if path.endswith(".json") and _is_page(path):
                bare = "/" if path in HOME_TWINS else path[: -len(".json")]
                scope = {**scope, "path": bare, "raw_path": bare.encode()}
                scope["state"] = {**scope.get("state", {}), "json_twin": True}
        await self.app(scope, receive, send)


def wants_json(request: Request) -> bool:
    """The ``.json`` twin, or an ``Accept`` header that prefers JSON to HTML."""
    if request.scope.get("state", {}).get("json_twin"):
        return True
    accept = request.headers.get("accept", "").lower()
    if "application/json" not in accept:
        return False
    html = accept.find("text/html")
    return html < 0 or accept.find("application/json") < html


def twin_url(request: Request) -> str:
    """The ``.json`` URL of the page being served, with its query string."""
    path = request.url.path
    path = "/index.json" if path == "/" else path + ".json"
    query = urlencode(list(request.query_params.multi_items()))
    return path + (f"?{query}" if query else "")


def twin_headers(request: Request) -> dict[str, Any]:
    return {
        "Vary": "Accept",
        "Link": f'<{twin_url(request)}>; rel="alternate"; type="application/json"',
    }
