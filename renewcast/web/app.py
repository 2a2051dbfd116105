"""The web app: server-rendered pages, the JSON API under ``/api/``, Atom feeds and watch endpoints.

``create_app(db)`` builds a FastAPI app on the same store as the CLI; ``serve`` runs it with
uvicorn. Pages work without JavaScript (forms are GET forms; the chart has a table twin); the only
scripts are the bundled Plotly (served from the installed ``plotly`` package, never a CDN) and a
small ``app.js``. Every read takes ``as_of``. Writes (watches) need ``Authorization: Bearer
$RENEWCAST_TOKEN``; without a configured token they are refused (403).
"""

from __future__ import annotations

import hmac
import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from renewcast.answer.compose import COUNTS, NOT_COUNTED, model_label
from renewcast.answer.render_markdown import headline
from renewcast.store.freshness import data_as_of_line
from renewcast.web.docs import add_api_docs
from renewcast.web.lists import Filters
from renewcast.web.service import NotFound, Service, today
from renewcast.web.timeline import odds_figure, timeline_figure
from renewcast.web.twins import JsonSuffix, twin_headers, twin_url, wants_json

HERE = Path(__file__).resolve().parent
TOKEN_ENV = "RENEWCAST_TOKEN"
MIN_DATE, MAX_DATE = date(1990, 1, 1), date(2999, 12, 31)
MAX_ID = 2_147_483_647
MAX_QUERY = 200
MAX_FILTER = 64
STATUSES = ("renewed", "cancelled", "ended", "limited", "pending")
BUBBLE_SORTS = ("odds", "-odds", "series", "decision", "release")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response that does not set them itself.

    A plain ASGI middleware: Starlette's ``@app.middleware("http")`` runs each request through
    a second task and a memory stream (≈ 0.3 ms of CPU a request)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                have = {bytes(k).lower() for k, _ in headers}
                headers.extend((k, v) for k, v in SECURITY_HEADERS if k not in have)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class JsonBody(Response):
    """A JSON response whose body the service encoded already (the bytes FastAPI's
    ``JSONResponse`` would send: UTF-8, no spaces)."""

    media_type = "application/json"


# ----------------------------------------------------------------------------- parameters
# The parameter parsers are ``async def`` although they never wait: FastAPI runs a plain ``def``
# dependency in its thread pool, a hand-off to a worker thread and back (two GIL switches and a
# wake-up of the event loop) per request for a few string operations.
async def as_of_param(
    as_of: Annotated[
        str | None,
        Query(
            max_length=10,
            description="Only what was known by the end of this day (UTC), YYYY-MM-DD; "
            "empty = today.",
            examples=["2022-09-01"],
        ),
    ] = None,
) -> date | None:
    """A date from a query string; empty (a blank date field in a GET form) means today."""
    if as_of is None or not as_of.strip():
        return None
    try:
        day = date.fromisoformat(as_of.strip())
    except ValueError:
        raise HTTPException(
            422, f"as_of {as_of!r} is not a date; use YYYY-MM-DD, e.g. 2022-09-01"
        ) from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise HTTPException(422, f"as_of must be between {MIN_DATE} and {MAX_DATE}")
    return day


AsOf = Annotated[date | None, Depends(as_of_param)]
Season = Annotated[
    int | None, Query(ge=1, le=100, description="Season asked about (default: the next one).")
]


async def page_season(
    season: Annotated[str | None, Query(max_length=8, description="Season; empty = next.")] = None,
) -> int | None:
    """The season picker of a GET form: empty means the next season."""
    if season is None or not season.strip():
        return None
    try:
        n = int(season.strip())
    except ValueError:
        raise HTTPException(422, f"season {season!r} is not a number") from None
    if not 1 <= n <= 100:
        raise HTTPException(422, "season must be between 1 and 100")
    return n


PageSeason = Annotated[int | None, Depends(page_season)]
SeriesId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="Series id in the store.")]
Limit = Annotated[int, Query(ge=1, le=200, description="At most this many rows.")]
FilterStr = Annotated[str | None, Query(max_length=MAX_FILTER)]


def _clean(text: str | None) -> str | None:
    """Query text without control characters (NUL cannot reach PostgreSQL); blank → None."""
    if text is None:
        return None
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()
    return text or None


async def filters_param(
    platform: FilterStr = None,
    language: FilterStr = None,
    kind: FilterStr = None,
    status: Annotated[
        str | None,
        Query(max_length=MAX_FILTER, description="renewed, cancelled, ended, limited or pending"),
    ] = None,
) -> Filters:
    wanted = _clean(status)
    if wanted is not None:
        # an unknown status matches nothing: refuse it before it costs a list computation
        if wanted.casefold() not in STATUSES:
            raise HTTPException(422, f"status must be one of {', '.join(STATUSES)}")
        wanted = wanted.casefold()
    return Filters(_clean(platform), _clean(language), _clean(kind), wanted)


ListFilters = Annotated[Filters, Depends(filters_param)]
BubbleSort = Annotated[
    str,
    Query(
        pattern="^(odds|-odds|series|decision|release)$",
        description="odds (highest first), -odds (lowest first), series, decision or release "
        "(soonest first).",
    ),
]
PageNo = Annotated[int, Query(ge=1, le=10_000, description="Page of `limit` rows, from 1.")]


# ----------------------------------------------------------------------------- auth
bearer = HTTPBearer(auto_error=False, description=f"The API token in ${TOKEN_ENV}.")


def require_token(
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    expected = os.environ.get(TOKEN_ENV, "")
    if creds is None or not creds.credentials:
        raise HTTPException(
            401,
            "this endpoint writes; send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not expected:
        raise HTTPException(403, f"writes are disabled: the server has no {TOKEN_ENV} set")
    if not hmac.compare_digest(creds.credentials.encode(), expected.encode()):
        raise HTTPException(403, "the token is not valid")


Writer = Annotated[None, Depends(require_token)]


class WatchIn(BaseModel):
    # Unknown fields are refused, so no request can ask for private webhook targets (that is the
    # server's RENEWCAST_ALLOW_PRIVATE_WEBHOOKS, never a request's choice).
    model_config = ConfigDict(extra="forbid")

    series: str | None = Field(None, max_length=MAX_QUERY, description="Title (forgiving).")
    series_id: int | None = Field(None, ge=1, le=MAX_ID)
    webhook_url: str = Field(..., min_length=8, max_length=2000)
    season: int | None = Field(None, ge=1, le=100)
    threshold: float | None = Field(None, gt=0.0, lt=1.0)


AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No bearer token."},
    403: {"description": "Bad token, or writes disabled."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown series."}}


# ----------------------------------------------------------------------------- the app
def _when(value: object) -> str:
    """A stored moment for people: "2026-12-05 18:42 UTC" (any other value as it is)."""
    from datetime import UTC, datetime

    try:
        t = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    t = t.astimezone(UTC) if t.tzinfo else t.replace(tzinfo=UTC)
    return t.strftime("%Y-%m-%d %H:%M UTC")


def create_app(db: str | None = None, *, warm: bool = False) -> FastAPI:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from starlette.templating import Jinja2Templates

    from renewcast.store.db import connect

    engine = connect(db)
    svc = Service(engine)
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["pct"] = lambda p: f"{round(100 * p)}%" if isinstance(p, int | float) else "—"
    env.globals["headline"] = headline
    env.filters["model_label"] = model_label
    env.filters["when"] = _when
    templates = Jinja2Templates(env=env)
    app = FastAPI(
        title="renewcast",
        version="0.1.0",
        description="Will there be another season? Status with sources, odds, cast and dates. "
        "Every read takes `as_of` (YYYY-MM-DD): only what was known by the end of that day.",
        docs_url=None,
        redoc_url=None,
    )
    add_api_docs(app)
    app.state.service = svc
    app.add_middleware(JsonSuffix)
    app.add_middleware(SecurityHeaders)

    def wants_html(request: Request) -> bool:
        if wants_json(request):
            return False
        return not request.url.path.startswith(("/api/", "/feeds/", "/openapi"))

    def page(
        request: Request,
        name: str,
        ctx: dict[str, Any],
        status: int = 200,
        *,
        data: Any = None,
    ) -> Response:
        """The HTML page, or its JSON twin (``data``: the page's /api/ response)."""
        headers = twin_headers(request)
        if data is not None and wants_json(request):
            return JSONResponse(data, status, headers=headers)
        base = {
            "request": request,
            "as_of": ctx.get("as_of"),
            "q": ctx.get("q", ""),
            "data_as_of": data_as_of_line(svc.sources(ctx.get("as_of"))),
            "json_url": twin_url(request) if data is not None else None,
        }
        return templates.TemplateResponse(
            request, name, {**base, **ctx}, status_code=status, headers=headers
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if wants_html(request):
            return page(
                request,
                "error.html",
                {"status": 404, "message": str(exc), "suggestions": exc.suggestions},
                404,
            )
        return JSONResponse({"detail": str(exc), "suggestions": exc.suggestions}, 404)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        if wants_html(request):
            msg = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
            return page(
                request, "error.html", {"status": 422, "message": msg, "suggestions": []}, 422
            )
        return JSONResponse({"detail": errors}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request) and exc.status_code >= 400:
            return page(
                request,
                "error.html",
                {"status": exc.status_code, "message": str(exc.detail), "suggestions": []},
                exc.status_code,
            )
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)

    # ------------------------------------------------------------------ assets
    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return FileResponse(
            plotly_js_path(),
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, as_of: AsOf) -> Response:
        data = svc.home(as_of)
        return page(request, "index.html", {"as_of": as_of, "home": data}, data=data)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        as_of: AsOf,
        q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
        limit: Annotated[int, Query(ge=1, le=20)] = 8,
    ) -> Response:
        data = search_result(q, as_of, limit)
        sure = [m for m in data["matches"] if m["score"] >= 0.85]
        if sure and not wants_json(request):
            best = max(sure, key=lambda m: m["score"])
            return RedirectResponse(series_url(best["series_id"], as_of=as_of), 303)
        ctx = {"as_of": as_of, "q": data["query"], "matches": data["matches"]}
        return page(request, "search.html", ctx, data=data)

    def search_result(q: str, as_of: date | None, limit: int) -> dict[str, Any]:
        """The search page's data and /api/search's answer (404 with suggestions on no match)."""
        text = _clean(q) or ""
        matches = svc.search_or_404(text, as_of, limit) if text else []
        for m in matches:
            m["url"] = series_url(m["series_id"], as_of=as_of)
        return {"query": text, "as_of": as_of.isoformat() if as_of else None, "matches": matches}

    @app.get("/series/{series_id}", response_class=HTMLResponse, include_in_schema=False)
    def series_page(
        request: Request, series_id: SeriesId, as_of: AsOf, season: PageSeason
    ) -> Response:
        data = svc.series_page(series_id, season, as_of)
        return page(
            request,
            "series.html",
            {
                "as_of": as_of,
                "d": data,
                "a": data["answer"],
                "profile": data["profile"],
                "chart": data["chart"],
                "timeline": timeline_figure(data["answer"]["status_evidence"]),
                "counts_words": COUNTS,
                "not_counted": NOT_COUNTED,
                "odds_chart": odds_figure(
                    data["odds_history"], (data["answer"]["forecast"] or {}).get("data_gap")
                ),
                "season_param": season,
                "season_choices": season_choices(data),
                "feed_url": f"/feeds/series/{series_id}.atom",
                "api_url": series_url(series_id, season=season, as_of=as_of).replace(
                    "/series/", "/api/series/", 1
                ),
            },
            data=data,
        )

    @app.get("/bubble", response_class=HTMLResponse, include_in_schema=False)
    def bubble_page(
        request: Request,
        as_of: AsOf,
        filters: ListFilters,
        limit: Limit = 25,
        sort: BubbleSort = "odds",
        page_no: Annotated[PageNo, Query(alias="page")] = 1,
    ) -> Response:
        data = svc.bubble(as_of, filters, limit, sort=sort, page=page_no)
        ctx = {
            "as_of": as_of,
            "data": data,
            "filters": filters,
            "facets": svc.facets(as_of),
            "link": lambda **kw: list_url(request, **kw),
        }
        return page(request, "bubble.html", ctx, data=data)

    @app.get("/decisions", response_class=HTMLResponse, include_in_schema=False)
    def decisions_page(
        request: Request, as_of: AsOf, filters: ListFilters, limit: Limit = 50
    ) -> Response:
        data = svc.decisions(as_of, filters, limit).to_json()
        return page(
            request,
            "decisions.html",
            {
                "as_of": as_of,
                "data": data,
                "filters": filters,
                "facets": svc.facets(as_of),
                "feed_url": "/feeds/changes.atom?"
                + urlencode({k: v for k, v in filters.to_json().items() if v}),
            },
            data=data,
        )

    @app.get("/accuracy", response_class=HTMLResponse, include_in_schema=False)
    def accuracy_page(request: Request) -> Response:
        data = svc.accuracy()
        return page(request, "accuracy.html", {"data": data}, data=data or {})

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(request: Request, as_of: AsOf) -> Response:
        data = sources_data(as_of)
        return page(
            request,
            "sources.html",
            {"as_of": as_of, "sources": data["sources"], "news": data["news_articles"]},
            data=data,
        )

    def sources_data(as_of: date | None) -> dict[str, Any]:
        """The /sources page's data and /api/sources' answer."""
        items = svc.sources(as_of)
        return {
            "as_of": as_of.isoformat() if as_of else None,
            "data_as_of": data_as_of_line(items),
            "sources": [f.to_json() for f in items],
            "news_articles": svc.news_dating(as_of),
        }

    # ------------------------------------------------------------------ API
    @app.get("/api/sources", tags=["sources"])
    def api_sources(as_of: AsOf) -> dict[str, Any]:
        """Each source's last successful update, latest data date and last error."""
        return sources_data(as_of)

    @app.get("/api/accuracy", tags=["lists"])
    def api_accuracy() -> dict[str, Any]:
        """How the weekly forecasts fared against the outcomes known since: AUC, Brier and
        calibration of the odds and of the starting point (base rate), by half-year, and the
        reliability diagram (empty until forecasts are materialised by `renewcast sync`)."""
        return svc.accuracy() or {}

    @app.get("/api/search", tags=["series"], responses=NOT_FOUND)
    def api_search(
        as_of: AsOf,
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)],
        limit: Annotated[int, Query(ge=1, le=20)] = 8,
    ) -> dict[str, Any]:
        """Series matching ``q``: exact title or alias, then titles it begins, then typos
        (more popular first within each); with year, platform and next-season status.
        404 with ``suggestions`` when nothing matches."""
        return search_result(q, as_of, limit)

    @app.get("/api/home", tags=["lists"])
    def api_home(as_of: AsOf) -> dict[str, Any]:
        """The home page's data: recent decisions, the closest calls, renewed seasons to come."""
        return svc.home(as_of)

    @app.get(
        "/api/ask",
        tags=["series"],
        responses=NOT_FOUND,
        response_model=dict[str, Any],
        response_class=JsonBody,
    )
    def api_ask(
        as_of: AsOf,
        season: Season = None,
        q: Annotated[
            str | None, Query(max_length=MAX_QUERY, description="Series title (forgiving).")
        ] = None,
        series_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    ) -> Response:
        """The answer of ``renewcast ask``: status, deciding source, evidence, odds, cast, dates."""
        if series_id is None:
            text = _clean(q)
            if not text:
                raise HTTPException(422, "give q (a series title) or series_id")
            series_id = svc.resolve(text, as_of)
        return JsonBody(svc.answer_json(series_id, season, as_of))

    @app.get("/api/series/{series_id}", tags=["series"], responses=NOT_FOUND)
    def api_series(series_id: SeriesId, as_of: AsOf, season: Season = None) -> dict[str, Any]:
        """Everything on the series page: answer, catalog profile, Top 10 chart data."""
        return svc.series_page(series_id, season, as_of)

    @app.get("/api/forecast/open", tags=["lists"])
    def api_open(
        as_of: AsOf,
        filters: ListFilters,
        limit: Limit = 25,
        sort: BubbleSort = "odds",
        page_no: Annotated[PageNo, Query(alias="page")] = 1,
    ) -> dict[str, Any]:
        """ "On the bubble": seasons awaiting a decision, highest odds of renewal first."""
        return svc.bubble(as_of, filters, limit, sort=sort, page=page_no)

    @app.get("/api/decisions", tags=["lists"])
    def api_decisions(as_of: AsOf, filters: ListFilters, limit: Limit = 50) -> dict[str, Any]:
        """Latest decisions (renewed, cancelled, ended, limited), newest first."""
        return svc.decisions(as_of, filters, limit).to_json()

    @app.get("/api/facets", tags=["lists"])
    def api_facets(as_of: AsOf) -> dict[str, list[str]]:
        """The values the list filters take (platform, language, kind) and the statuses."""
        return {**svc.facets(as_of), "status": list(STATUSES)}

    # ------------------------------------------------------------------ feeds
    def feed(request: Request, title: str, feed_id: str, decisions: list[Any]) -> Response:
        from renewcast.web.feeds import atom_feed

        base = str(request.base_url).rstrip("/")
        body = atom_feed(
            title=title,
            feed_id=feed_id,
            self_url=str(request.url),
            site_url=f"{base}/decisions",
            decisions=decisions,
            series_url=base + "/series/{id}?season={season}",
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    atom: dict[int | str, dict[str, Any]] = {
        200: {"content": {"application/atom+xml": {}}, "description": "An Atom feed."}
    }

    @app.get("/feeds/changes.atom", tags=["feeds"], response_class=Response, responses=atom)
    def feed_all(
        request: Request, as_of: AsOf, filters: ListFilters, limit: Limit = 50
    ) -> Response:
        """Status changes of every series (filterable like the decisions list)."""
        lst = svc.decisions(as_of, filters, limit)
        return feed(request, "renewcast: status changes", "changes", lst.decisions)

    @app.get(
        "/feeds/series/{series_id}.atom",
        tags=["feeds"],
        response_class=Response,
        responses={**atom, **NOT_FOUND},
    )
    def feed_series(request: Request, series_id: SeriesId, as_of: AsOf) -> Response:
        """Status changes of one series (every decided season)."""
        title = svc.title(series_id)
        items = svc.history(series_id, as_of)
        return feed(request, f"renewcast: {title}", f"series/{series_id}", items)

    @app.get(
        "/feeds/platform/{platform}.atom", tags=["feeds"], response_class=Response, responses=atom
    )
    def feed_platform(
        request: Request,
        platform: Annotated[str, PathParam(min_length=1, max_length=MAX_FILTER)],
        as_of: AsOf,
        limit: Limit = 50,
    ) -> Response:
        """Status changes of the series on one platform."""
        name = _clean(platform) or ""
        lst = svc.decisions(as_of, Filters(platform=name), limit)
        return feed(request, f"renewcast: {name}", f"platform/{name.lower()}", lst.decisions)

    # feed readers and link checkers send HEAD too (kept out of the OpenAPI document)
    for path, endpoint in (
        ("/feeds/changes.atom", feed_all),
        ("/feeds/series/{series_id}.atom", feed_series),
        ("/feeds/platform/{platform}.atom", feed_platform),
    ):
        app.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False)

    # ------------------------------------------------------------------ watches (writes)
    @app.get("/api/watches", tags=["watches"], responses=AUTH_RESPONSES)
    def api_watches(_: Writer) -> dict[str, Any]:
        """Every watch (needs the token: it lists webhook URLs)."""
        from renewcast.alerts import list_watches

        with engine.connect() as conn:
            return {"watches": [w.to_json() for w in list_watches(conn)]}

    @app.post("/api/watches", tags=["watches"], status_code=201, responses=AUTH_RESPONSES)
    def api_add_watch(_: Writer, body: WatchIn) -> dict[str, Any]:
        """Watch a series' season; the webhook gets a signed POST when it changes."""
        from renewcast.alerts import WatchError, add_watch

        if body.series_id is not None:
            sid = body.series_id
            svc.title(sid)
        elif body.series and _clean(body.series):
            sid = svc.resolve(_clean(body.series) or "", None)
        else:
            raise HTTPException(422, "give series (a title) or series_id")
        try:
            watch, secret = add_watch(
                engine,
                sid,
                body.webhook_url,
                season=body.season,
                threshold=body.threshold,
            )
        except WatchError as e:
            raise HTTPException(422, str(e)) from e
        return {"watch": watch.to_json(), "secret": secret}

    @app.delete("/api/watches/{watch_id}", tags=["watches"], responses=AUTH_RESPONSES)
    def api_remove_watch(
        _: Writer, watch_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]
    ) -> dict[str, Any]:
        """Stop a watch (its delivery log is kept)."""
        from renewcast.alerts import remove_watch

        if not remove_watch(engine, watch_id):
            raise HTTPException(404, f"no watch with id {watch_id}")
        return {"id": watch_id, "active": False}

    @app.post("/api/watches/check", tags=["watches"], responses=AUTH_RESPONSES)
    def api_check(_: Writer) -> dict[str, Any]:
        """Evaluate every watch now and deliver the webhooks whose season changed."""
        from renewcast.alerts import check_watches

        return check_watches(engine).to_json()

    @app.get("/api/watches/{watch_id}/deliveries", tags=["watches"], responses=AUTH_RESPONSES)
    def api_deliveries(
        _: Writer, watch_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]
    ) -> dict[str, Any]:
        """The delivery log of one watch, newest first."""
        from renewcast.alerts import delivery_log

        with engine.connect() as conn:
            rows = delivery_log(conn, watch_id)
        return {
            "deliveries": [
                {
                    "id": r.id,
                    "event": r.event,
                    "attempts": r.attempts,
                    "ok": r.ok,
                    "status_code": r.status_code,
                    "error": r.error,
                    "created_at": r.created_at.isoformat(),
                }
                for r in rows
            ]
        }

    if warm:
        _warm(svc)
    return app


def season_choices(data: dict[str, Any]) -> list[int]:
    """Seasons the page's picker offers: 2 .. one past the latest known or asked."""
    known = [int(s["number"]) for s in data["profile"]["seasons"]]
    top = max([int(data["answer"]["season"]), *known])
    return list(range(2, top + 2))


def series_url(series_id: int, *, season: int | None = None, as_of: date | None = None) -> str:
    params = {k: v for k, v in (("season", season), ("as_of", as_of)) if v}
    return f"/series/{series_id}" + (f"?{urlencode(params)}" if params else "")


def list_url(request: Request, **changes: Any) -> str:
    """The current list page's URL with some query parameters changed (None drops one)."""
    params = dict(request.query_params)
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    params = {k: v for k, v in params.items() if v}
    return request.url.path + (f"?{urlencode(params)}" if params else "")


def plotly_js_path() -> Path:
    """plotly.js as bundled in the installed ``plotly`` Python package (no CDN)."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():  # pragma: no cover - a broken plotly install
        raise HTTPException(503, f"{path} is missing: reinstall the plotly package")
    return path


def _warm(svc: Service) -> None:
    """Compute today's lists in the background so the first visitor does not wait for them, then
    one answer today and one a year earlier: a process's first answer pays ≈ 80 ms of first uses
    (imports, each statement shape, the forecast's stored seasons), each worker its own."""
    import threading

    def run() -> None:
        try:
            recent = svc.decisions(None, Filters(), 50)
            svc.open_board(None)
            svc.home(None)
            for d in recent.decisions[:1]:
                svc.answer(d.series_id, None, None)
                svc.answer(d.series_id, None, today() - timedelta(days=365))
        except Exception:  # pragma: no cover - warming is best effort; requests compute again
            pass

    threading.Thread(target=run, name="renewcast-warm", daemon=True).start()


#: seconds a thread may hold the GIL while another waits for it (CPython's default is 5 ms)
SWITCH_INTERVAL = 0.001
#: where ``serve --workers N`` tells its worker processes which store to open
SERVE_DB_ENV = "RENEWCAST_SERVE_DB"


def serve(db: str | None, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the app with uvicorn. A request hands the GIL between threads several times (event
    loop, thread pool); while the background refresher recomputes stale answers in pure Python,
    each hand-off waits up to the switch interval: 1 ms instead of 5 ms keeps cached reads fast
    during writes (``bench/bench_switch_interval.py``: p95 15 ms instead of 44 ms).

    ``workers`` > 1 runs that many processes on one socket (uvicorn's supervisor): one process
    computes one answer at a time under the interpreter lock, so this is how the server uses
    more than one core. Each keeps its own caches and warms them at start."""
    import uvicorn

    from renewcast.store.db import resolve_url

    if workers <= 1:
        uvicorn.run(worker_app(db), host=host, port=port, log_level="info")
        return
    os.environ[SERVE_DB_ENV] = resolve_url(db)
    uvicorn.run(
        "renewcast.web.app:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
    )


def worker_app(db: str | None = None) -> FastAPI:
    """The app one server process runs (``serve``; with ``--workers`` each worker calls this
    with no argument and opens the store named by :data:`SERVE_DB_ENV`)."""
    import sys

    sys.setswitchinterval(SWITCH_INTERVAL)
    return create_app(db or os.environ.get(SERVE_DB_ENV), warm=True)
