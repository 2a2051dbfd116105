"""API documentation pages (Swagger UI at ``/docs``, ReDoc at ``/redoc``) served from local files.

The Swagger UI and ReDoc bundles come from the installed ``fastapi-offline`` package (MIT; it ships
swagger-ui-dist, Apache-2.0, and redoc, MIT, unmodified) and are served under ``/assets/api-docs/``,
so the pages work offline and under the app's content-security policy: no CDN, no inline script
(Swagger UI is started by ``/static/docs.js``, which reads the OpenAPI URL from a data attribute).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/assets/api-docs"
# ReDoc builds its search index in a Web Worker started from a blob: URL; the rest is the app's CSP.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def assets_dir() -> Path:
    """The folder of swagger-ui-bundle.js, swagger-ui.css and redoc.standalone.js."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def _page(title: str, head: str, body: str) -> HTMLResponse:
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" type="image/png" href="{ASSETS}/favicon.png">\n{head}</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCS_CSP})


def add_api_docs(app: FastAPI) -> None:
    """Mount the bundles and add ``/docs`` and ``/redoc`` (the app is built with both off)."""
    openapi = escape(app.openapi_url or "/openapi.json", quote=True)
    app.mount(ASSETS, StaticFiles(directory=str(assets_dir())), name="api-docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _page(
            f"{app.title} API — Swagger UI",
            f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">\n',
            f'<div id="swagger-ui" data-openapi-url="{openapi}"></div>\n'
            f'<script src="{ASSETS}/swagger-ui-bundle.js"></script>\n'
            '<script src="/static/docs.js"></script>\n',
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _page(
            f"{app.title} API — ReDoc",
            "",
            f'<redoc spec-url="{openapi}"></redoc>\n'
            f'<script src="{ASSETS}/redoc.standalone.js"></script>\n',
        )
