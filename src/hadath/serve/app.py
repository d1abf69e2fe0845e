"""The web application: API, pages, vendored static files, JSON errors and security headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from .. import __version__
from ..errors import ServeError
from ..store import Store
from .api import router
from .live import router as live_router
from .views import Views

STATIC = Path(__file__).parent / "static"
PAGES = {"/": "index.html", "/claims": "claims.html"}


def check_port(host: str, port: int) -> None:
    """Raise a ServeError, saying why, if ``hadath serve`` could not listen on host:port."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"--host {host}: no such address here ({exc.strerror})") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(f"port {port} on {host} is already in use (another hadath serve?): "
                                 f"stop it, or choose another port with --port") from None
            if exc.errno == errno.EACCES:
                raise ServeError(f"not allowed to listen on port {port} (ports below 1024 need "
                                 "privileges): choose another with --port") from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise ServeError(f"--host {host}: not an address of this machine") from None
            raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror})") from None


def allowed_hosts(host: str, extra: list[str] | None = None) -> list[str]:
    """The Host headers ``hadath serve`` answers when listening on ``host``: that address and
    the names of this machine that reach it, and ``extra`` (``--allowed-host``; ``*`` for any)."""
    import socket

    local = ["127.0.0.1", "localhost", "::1", "[::1]"]
    if host in ("0.0.0.0", "::", ""):
        names = {socket.gethostname(), socket.getfqdn()}
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
        except OSError:
            pass
        hosts = local + sorted(n for n in names if n)
    elif host in local:
        hosts = local
    else:
        hosts = [host, f"[{host}]" if ":" in host else host]
    return list(dict.fromkeys(hosts + list(extra or [])))


def create_app(store: Store | str | Path | None = None, tiles: str | None = None,
               tiles_attribution: str | None = None, hosts: list[str] | None = None,
               poll_seconds: float = 15.0) -> FastAPI:
    """The application over ``store`` (a Store, a path or URL; default as ``hadath events``).

    ``tiles``: an optional tile server URL template (``https://…/{z}/{x}/{y}.png``) drawn under
    the outlines shipped with the package, for users who are online. ``hosts``: the Host
    headers answered (others get 400, so that no other name reaches the pages or is echoed in
    a redirect; see :func:`allowed_hosts`); None answers any. ``poll_seconds``: how often the
    map asks ``/api/changes`` for what is new.
    """
    if tiles and urlsplit(tiles).scheme not in ("http", "https"):
        raise ValueError(f"tile URL must be http(s): {tiles!r}")
    app = FastAPI(title="hadath", version=__version__, docs_url=None, redoc_url=None,
                  description="Read-only API over a hadath event store: Arabic conflict news as "
                              "structured, geocoded, source-attributed events.")
    app.state.views = Views(store if isinstance(store, Store) else Store(store))
    app.state.tiles = {"url": tiles, "attribution": tiles_attribution or ""}
    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=5)
    if hosts is not None and "*" not in hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False)
    _errors(app)
    _headers(app, tiles)
    app.include_router(router)
    app.include_router(live_router)

    @app.get("/api/config", include_in_schema=False)
    def config() -> dict:
        return {"tiles": app.state.tiles, "poll_seconds": poll_seconds}

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="hadath API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png")

    for route, page in PAGES.items():
        app.add_api_route(route, _page(page), include_in_schema=False)
    app.add_api_route("/event/{event_id}", _page("event.html"), include_in_schema=False)
    app.add_api_route("/place/{key:path}", _page("place.html"), include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _page(name: str):
    path = STATIC / name

    def page() -> FileResponse:
        return FileResponse(path, media_type="text/html; charset=utf-8")
    return page


def _errors(app: FastAPI) -> None:
    """Errors as JSON: ``{"error": {"status": 400, "message": "...", "parameters": [...]}}``."""

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        params = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path"))
            params.append({"parameter": where, "message": e.get("msg", "invalid"),
                           "value": _short(e.get("input"))})
        message = "; ".join(f"{p['parameter']}: {p['message']}" for p in params)
        return JSONResponse({"error": {"status": 400, "message": message, "parameters": params}},
                            status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = "no such page or API endpoint (see /docs)"
        return JSONResponse({"error": {"status": exc.status_code, "message": message}},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _headers(app: FastAPI, tiles: str | None) -> None:
    """A strict Content-Security-Policy on the pages (no inline script, nothing from elsewhere
    but the configured tile server), and no MIME sniffing anywhere."""
    tile_origin = ""
    if tiles:  # a {s} subdomain template stands for any subdomain
        parts = urlsplit(tiles)
        tile_origin = f" {parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    csp = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
           f"img-src 'self' data:{tile_origin}; connect-src 'self'; object-src 'none'; "
           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

    app.add_middleware(_SecurityHeaders, csp=csp)


class _SecurityHeaders:
    """Adds the headers of ``_headers`` to every response as it starts (a plain ASGI
    middleware: the body passes as the app sends it, slice by slice, not through a stream)."""

    def __init__(self, app: Any, csp: str) -> None:
        self.app, self.csp = app, csp

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                if scope["path"] != "/docs":  # Swagger UI starts itself with an inline script
                    headers["Content-Security-Policy"] = self.csp
            await send(message)

        await self.app(scope, receive, with_headers)


def _short(value: object) -> object:
    if isinstance(value, str) and len(value) > 80:
        return value[:80] + "…"
    return value if isinstance(value, (str, int, float, type(None))) else str(value)[:80]
