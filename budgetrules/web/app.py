"""The ASGI application of `budgetrules serve` (FastAPI on Starlette): the JSON API under /api (its
OpenAPI description at /api/openapi.json) and the pages (Virement, Audit, Credits, Explain).

    from budgetrules.web.app import create_app
    app = create_app(make_settings())      # uvicorn.run(app) / TestClient(app)

Safety, by construction: a request body is at most `Settings.max_body` bytes (413 beyond, counted
as it streams, whatever Content-Length says); with `allowed_hosts` (loopback serving) a request
whose Host header names another host is refused (a page elsewhere cannot reach the API through a
rebound DNS name); pages carry a content security policy allowing nothing but this server; the
settings are frozen and every request runs its own engine run."""
from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..core.errors import InputErrors, excerpt
from .state import Settings

log = logging.getLogger("budgetrules.web")

API_TITLE = "budgetrules"
API_DESCRIPTION = """The budget rules of a COG's budget annex as a web API: the funds and their tables,
the scenarios of the server's folders, a scenario's credits (`run`, optionally at a date), its
audit, the provenance of one figure (`explain`), the verdict on a virement and a fund's virement
matrix; `run` and `audit` also take a scenario posted in the request body (YAML or JSON, at most
1 MB). The answers are the command line's JSON documents (`--format json`). A request that cannot
be used is answered 4xx with `{"errors": [{"where", "line", "message"}]}`, the same problems
(file:line, nearest valid value) as the command line prints."""


def errors_body(problems: list[dict[str, Any]]) -> dict[str, Any]:
    return {"errors": problems}


def input_errors_response(exc: InputErrors, status: int = 422) -> JSONResponse:
    return JSONResponse(errors_body([{"where": p.file, "line": p.line, "message": p.message} for p in exc.problems]),
                        status_code=status)


def one_error(where: str, message: str, status: int) -> JSONResponse:
    return JSONResponse(errors_body([{"where": where, "line": 0, "message": message}]), status_code=status)


class BodyLimit:
    """Refuse a request body over `limit` bytes with 413: at once when Content-Length says so, else
    as soon as the streamed body goes past it (the handler never sees more)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > self.limit):
            response = one_error("request body", f"the request body is larger than {self.limit} bytes (the limit)", 413)
            await response(scope, receive, send)
            return
        received = 0
        limit = self.limit

        async def limited() -> dict:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise StarletteHTTPException(413, f"the request body is larger than {limit} bytes (the limit)")
            return message

        await self.app(scope, limited, send)


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                 b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
]


class SecurityHeaders:
    """Every response says: no sniffing, no referrer, no framing, nothing loaded from elsewhere."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers") or []) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: Settings) -> FastAPI:
    """The application for these settings (frozen; nothing else is shared between requests)."""
    from . import api, pages

    app = FastAPI(title=API_TITLE, description=API_DESCRIPTION, version=_version(),
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    app.state.settings = settings
    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    pages.mount_static(app)

    @app.exception_handler(InputErrors)
    async def _input(request: Request, exc: InputErrors) -> Response:
        return input_errors_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body", "header")]
            message = str(err.get("msg", "invalid value"))
            expected = (err.get("ctx") or {}).get("expected")
            if expected and str(expected) not in message:
                message += f" ({expected})"
            problems.append({"where": ".".join(loc) or "request", "line": 0, "message": excerpt(message, 300)})
        return JSONResponse(errors_body(problems), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith("/api") and exc.status_code == 404:
            return pages.not_found(request)
        where = "request body" if exc.status_code == 413 else "request"
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        return one_error(where, message, exc.status_code)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        # the traceback goes to the server's log, one line to the client
        log.exception("internal error on %s %s", request.method, request.url.path)
        message = (f"internal error ({type(exc).__name__}: {excerpt(str(exc), 120)}) — a bug of budgetrules, not a "
                   "problem of the request; the server's log has the traceback")
        response = one_error("server", message, 500) if request.url.path.startswith("/api") else \
            pages.crashed(request, message)
        # this answer comes from Starlette's outermost layer, past the middleware that adds these
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_body)  # type: ignore[arg-type]
    if settings.allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))  # type: ignore[arg-type]

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("budgetrules")
    except Exception:  # noqa: BLE001 - running from a checkout that is not installed
        return "0"


SCENARIO_BODY: dict[str, Any] = {
    "type": "object",
    "description": "A scenario (docs/scenarios.md): its name, the funds it runs on (codes), its assumptions, its "
                   "events and its expectations. Fund files cannot be named in a posted scenario.",
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "funds": {"type": "array", "items": {"type": "string"}},
        "assumptions": {"type": "object"},
        "events": {"type": "array", "items": {"type": "object"}},
        "expect": {"type": "array", "items": {"type": "object"}},
        "audit_date": {"type": "string", "format": "date"},
    },
    "required": ["name"],
    "example": {"name": "A virement in June", "funds": ["BNGA"],
                "events": [{"kind": "virement", "year": 2023, "fund": "BNGA", "from": "A-I-1", "to": "A-I-2-INFO",
                            "amount": "400 k€", "date": "2023-06-01", "notified": "2023-06-05"}]},
}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's description, with the errors as this API writes them: every 4xx and the 500 are
    `Errors` (FastAPI's own `HTTPValidationError` shape is never sent)."""
    from .schemas import Errors

    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    errors_schema = Errors.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in errors_schema.pop("$defs", {}).items():
        components[name] = sub
    components["Errors"] = errors_schema
    components["ScenarioBody"] = SCENARIO_BODY
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            responses = op.setdefault("responses", {})
            responses["422"] = dict(ref, description="The request cannot be used: every problem, with the parameter "
                                                      "or file:line and the nearest valid value")
            responses["500"] = dict(ref, description="An internal error (a bug): one line, no traceback")
            if method == "post":
                responses["413"] = dict(ref, description="The request body is larger than the limit (1 MB)")
    return schema
