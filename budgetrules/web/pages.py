"""The pages' routes: each reads its inputs from the query string (so its URL can be pasted in an
e-mail), asks `answers`, and returns HTML built by `views`; a problem with the inputs shows the form
again with the problems (status 422). Tables download as xlsx and CSV from the same URL with
`.xlsx` / `.csv` after the page's name. French by default, English with `lang=en`."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..core.errors import InputErrors, Problem
from . import answers, views
from .state import Settings, list_scenarios

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mount_static(app: Any) -> None:
    from starlette.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def _lang(params: dict[str, str]) -> str:
    return "en" if params.get("lang") == "en" else "fr"


def _params(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """The page's inputs from the query string (the first value of each; stripped)."""
    q = request.query_params
    return {name: q.get(name, "").strip() for name in names if q.get(name, "").strip()}


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _html(content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status)


def _cog(settings: Settings, params: dict[str, str]):
    try:
        return settings.cog(params.get("cog")), []
    except InputErrors as exc:
        return settings.cogs[0], exc.problems


def not_found(request: Request) -> Response:
    lang = "en" if request.query_params.get("lang") == "en" else "fr"
    return _html(views.message_page(lang, views.w(lang, "web_not_found_title"), views.w(lang, "web_not_found"), "/"), 404)


def crashed(request: Request, message: str) -> Response:
    lang = "en" if request.query_params.get("lang") == "en" else "fr"
    return _html(views.message_page(lang, views.w(lang, "web_crashed"), message, "/"), 500)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return _html(views.home(_lang(dict(request.query_params)), _settings(request).cogs))


# -- virement ----------------------------------------------------------------------------------

VIREMENT = ("cog", "fund", "from", "to", "amount", "date", "year", "scenario", "dm", "board_vote", "approval", "lang")


def _virement_doc(settings: Settings, p: dict[str, str]):
    return answers.virement(settings, cog=p.get("cog"), fund=p.get("fund", ""), source=p.get("from"),
                            target=p.get("to"), amount=p.get("amount"), date=p.get("date"), year=p.get("year"),
                            scenario=p.get("scenario"), dm=p.get("dm"), board_vote=p.get("board_vote"),
                            approval=p.get("approval"))


@router.get("/virement", response_class=HTMLResponse)
def virement(request: Request) -> Response:
    settings = _settings(request)
    p = _params(request, VIREMENT)
    lang = _lang(p)
    cog, problems = _cog(settings, p)
    doc, chained = None, []
    asked = any(p.get(k) for k in ("from", "to", "amount"))
    if asked and not problems:
        try:
            doc = _virement_doc(settings, p)
            if doc.chains:
                chained = answers.recorded_virements(settings, cog=p.get("cog"), scenario=p.get("scenario"),
                                                     sources=list(doc.chains))
        except InputErrors as exc:
            problems = exc.problems
    content = views.virement_page(lang, cogs=settings.cogs, cog=cog, scenarios=list_scenarios(settings), params=p,
                                  doc=doc, problems=problems, chained=chained)
    return _html(content, 422 if problems else 200)


def _answer_page(request: Request, keys: tuple[str, ...], asked: tuple[str, ...], build, view) -> Response:
    """A page that answers a question: its form, and the answer (`build(settings, params)`, a document)
    once any of the `asked` parameters is given; the input problems in the page with status 422."""
    settings = _settings(request)
    p = _params(request, keys)
    lang = _lang(p)
    cog, problems = _cog(settings, p)
    doc = None
    if any(p.get(k) for k in asked) and not problems:
        try:
            doc = build(settings, p)
        except InputErrors as exc:
            problems = exc.problems
    content = view(lang, cogs=settings.cogs, cog=cog, scenarios=list_scenarios(settings), params=p, doc=doc,
                   problems=problems)
    return _html(content, 422 if problems else 200)


# -- available ---------------------------------------------------------------------------------

AVAILABLE = ("cog", "fund", "line", "date", "scenario", "lang")


def _available_doc(settings: Settings, p: dict[str, str]):
    return answers.available(settings, cog=p.get("cog"), fund=p.get("fund", ""), line=p.get("line"),
                             date=p.get("date"), scenario=p.get("scenario"))


@router.get("/available", response_class=HTMLResponse)
def available(request: Request) -> Response:
    return _answer_page(request, AVAILABLE, ("line", "date"), _available_doc, views.available_page)


@router.get("/available.{fmt}")
def available_file(request: Request, fmt: str) -> Response:
    p = _params(request, AVAILABLE)
    return _download(request, fmt, _available_doc, p, _filename("available", p.get("fund"), p.get("line"),
                                                                   p.get("date")))


# -- audit -------------------------------------------------------------------------------------

AUDIT = ("cog", "scenario", "as_of", "lang")


def _audit(request: Request, p: dict[str, str], body: bytes | None, posted: str | None) -> Response:
    settings = _settings(request)
    lang = _lang(p)
    cog, problems = _cog(settings, p)
    doc, explanations = None, {}
    if (p.get("scenario") or body is not None) and not problems:
        try:
            doc, explanations = answers.audit_with_explanations(settings, cog=p.get("cog"), scenario=p.get("scenario"),
                                                                as_of=p.get("as_of"), body=body)
        except InputErrors as exc:
            problems = exc.problems
    content = views.audit_page(lang, cogs=settings.cogs, cog=cog, scenarios=list_scenarios(settings), params=p,
                               doc=doc, explanations=explanations, problems=problems, posted=posted)
    return _html(content, 422 if problems else 200)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request) -> Response:
    return _audit(request, _params(request, AUDIT), None, None)


async def _form(request: Request) -> dict[str, str]:
    """A posted form (application/x-www-form-urlencoded; the body is size-limited upstream)."""
    body = await request.body()
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise InputErrors([Problem("request body", 0, "a form must be UTF-8 application/x-www-form-urlencoded")]) \
            from None
    return {k: v[0] for k, v in fields.items() if v}


@router.post("/audit", response_class=HTMLResponse)
async def audit_posted(request: Request) -> Response:
    try:
        form = await _form(request)
    except InputErrors as exc:
        return _html(views.message_page("fr", "Audit", str(exc), "/audit"), 400)
    p = {k: form[k].strip() for k in ("cog", "as_of", "lang") if form.get(k, "").strip()}
    text = form.get("scenario_text", "")
    return await run_in_threadpool(_audit, request, p, text.encode("utf-8"), text)


# -- credits -----------------------------------------------------------------------------------

CREDITS = ("cog", "fund", "scenario", "as_of", "lang")


def _credits_doc(settings: Settings, p: dict[str, str]):
    if not p.get("fund"):
        raise InputErrors([Problem("fund", 0, "choose a fund")])
    return answers.run(settings, cog=p.get("cog"), scenario=p.get("scenario"), funds=[p["fund"]], as_of=p.get("as_of"))


@router.get("/credits", response_class=HTMLResponse)
def credits(request: Request) -> Response:
    return _answer_page(request, CREDITS, ("fund",), _credits_doc, views.credits_page)


# -- explain -----------------------------------------------------------------------------------

EXPLAIN = ("cog", "scenario", "fund", "line", "year", "column", "as_of", "lang")


def _explain_doc(settings: Settings, p: dict[str, str]):
    missing = [Problem(k, 0, "missing") for k in ("fund", "line", "year") if not p.get(k)]
    if missing:
        raise InputErrors(missing)
    return answers.explain(settings, cog=p.get("cog"), scenario=p.get("scenario"), fund=p["fund"], line=p["line"],
                           year=p["year"], column=p.get("column") or "authorised", as_of=p.get("as_of"))


@router.get("/explain", response_class=HTMLResponse)
def explain(request: Request) -> Response:
    return _answer_page(request, EXPLAIN, ("line", "year"), _explain_doc, views.explain_page)


# -- downloads ---------------------------------------------------------------------------------

def _filename(*parts: str | None) -> str:
    name = "-".join(re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(p).stem if p.endswith((".yaml", ".yml")) else p)
                    for p in parts if p)
    return name[:120] or "budgetrules"


def _file(request: Request, build: Callable[[Settings, dict[str, str]], Any], p: dict[str, str], fmt: str,
          name: str) -> Response:
    from ..render import render

    lang = _lang(p)
    try:
        doc = build(_settings(request), p)
    except InputErrors as exc:
        from .app import input_errors_response

        return input_errors_response(exc)
    if fmt == "xlsx":
        content: Any = render(doc, "xlsx", lang)
        media = XLSX
    else:
        content = render(doc, "csv", lang)
        media = "text/csv; charset=utf-8"
    return Response(content, media_type=media,
                    headers={"content-disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/virement.{fmt}")
def virement_file(request: Request, fmt: str) -> Response:
    p = _params(request, VIREMENT)
    return _download(request, fmt, _virement_doc, p, _filename("virement", p.get("fund"), p.get("from"), p.get("to")))


@router.get("/credits.{fmt}")
def credits_file(request: Request, fmt: str) -> Response:
    p = _params(request, CREDITS)
    return _download(request, fmt, _credits_doc, p, _filename("credits", p.get("fund"), p.get("as_of")))


@router.get("/explain.{fmt}")
def explain_file(request: Request, fmt: str) -> Response:
    p = _params(request, EXPLAIN)
    return _download(request, fmt, _explain_doc, p,
                     _filename("explain", p.get("fund"), p.get("line"), p.get("year"), p.get("column")))


def _audit_doc(settings: Settings, p: dict[str, str]):
    if not p.get("scenario") and p.get("_body") is None:
        raise InputErrors([Problem("scenario", 0, "choose a scenario")])
    body = p["_body"].encode("utf-8") if p.get("_body") is not None else None
    return answers.audit(settings, cog=p.get("cog"), scenario=p.get("scenario"), as_of=p.get("as_of"), body=body)


@router.get("/audit.{fmt}")
def audit_file(request: Request, fmt: str) -> Response:
    p = _params(request, AUDIT)
    return _download(request, fmt, _audit_doc, p, _filename("audit", p.get("scenario")))


@router.post("/audit.{fmt}")
async def audit_file_posted(request: Request, fmt: str) -> Response:
    try:
        form = await _form(request)
    except InputErrors as exc:
        from .app import input_errors_response

        return input_errors_response(exc, 400)
    p = {k: form[k] for k in ("cog", "as_of", "lang") if form.get(k)}
    p["_body"] = form.get("scenario_text", "")
    return await run_in_threadpool(_download, request, fmt, _audit_doc, p, "audit")


def _download(request: Request, fmt: str, build: Callable, p: dict[str, str], name: str) -> Response:
    if fmt not in ("xlsx", "csv"):
        return not_found(request)
    return _file(request, build, p, fmt, name)
