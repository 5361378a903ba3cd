"""The JSON API (mounted under /api). Each route reads its parameters, asks `answers`, and returns the
document as `to_json` writes it (the command line's `--format json`). Routes are plain functions
(FastAPI runs them in its thread pool); the posted ones read their body, then do the same."""
from __future__ import annotations

from typing import Any, Literal, Optional

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..render.json import to_json
from . import answers, schemas
from .state import list_scenarios

router = APIRouter()

Lang = Optional[Literal["fr", "en"]]
# FastAPI fills in a parameter's Query object (its alias) when a route uses it: each route gets its own.


def q_lang() -> Any:
    return Query(None, description="Language of the sentences (messages, reasons): fr (default) or en")


def q_cog() -> Any:
    return Query(None, description="The COG (see /api/cogs); default: the server's first", examples=["bundled"])


def q_scenario() -> Any:
    return Query(None, description="A scenario of the server's folders, by its path there (see /api/scenarios); "
                                   "default: the COG's central scenario", examples=["central.yaml"])


def q_fund() -> Any:
    return Query(..., description="A fund code of the COG", examples=["BNGA"])


def q_date() -> Any:
    return Query(None, description="A date, YYYY-MM-DD", examples=["2023-06-30"])

POSTED_BODY = {
    "requestBody": {
        "required": True,
        "description": "A scenario file's content (the format of docs/scenarios.md), YAML or JSON, at most 1 MB",
        "content": {
            "application/yaml": {"schema": {"$ref": "#/components/schemas/ScenarioBody"}},
            "application/json": {"schema": {"$ref": "#/components/schemas/ScenarioBody"}},
        },
    }
}


def _settings(request: Request):
    return request.app.state.settings


def _json(doc: Any, lang: str | None) -> JSONResponse:
    return JSONResponse(to_json(doc, lang or "fr"))


@router.get("/health", response_model=schemas.Health, tags=["server"], summary="The server is up")
def health(request: Request) -> JSONResponse:
    from .app import _version

    return JSONResponse({"status": "ok", "version": _version(), "cogs": [c.id for c in _settings(request).cogs]})


@router.get("/cogs", response_model=list[schemas.CogInfo], tags=["COG"], summary="The COGs this server answers about")
def cogs(request: Request) -> JSONResponse:
    return JSONResponse([{"id": c.id, "title": c.title, "funds": list(c.funds), "first_year": c.first_year,
                          "last_year": c.last_year} for c in _settings(request).cogs])


@router.get("/funds", response_model=list[schemas.FundInfo], tags=["COG"],
            summary="The funds of a COG (budgetrules funds)")
def funds(request: Request, cog: Optional[str] = q_cog()) -> JSONResponse:
    return JSONResponse(answers.funds_list(answers.cog_of(_settings(request), cog)))


@router.get("/funds/{fund}", response_model=schemas.RunAnswer, tags=["COG"],
            summary="A fund's table in the COG's form (budgetrules funds show)")
def fund_show(request: Request, fund: str = Path(..., examples=["BNGA"]), cog: Optional[str] = q_cog(),
              year: Optional[str] = Query(None, description="Only this year", examples=["2023"]),
              lang: Lang = q_lang()) -> JSONResponse:
    return _json(answers.show(_settings(request), cog=cog, fund=fund, year=year), lang)


@router.get("/funds/{fund}/matrix", response_model=schemas.MatrixAnswer, tags=["virement"],
            summary="The verdict of every group-to-group virement of a fund (budgetrules virement FUND --matrix)")
def fund_matrix(request: Request, fund: str = Path(..., examples=["BNGA"]), cog: Optional[str] = q_cog(), lang: Lang = q_lang()) -> JSONResponse:
    return _json(answers.matrix(_settings(request), cog=cog, fund=fund), lang)


@router.get("/scenarios", response_model=list[schemas.ScenarioInfo], tags=["scenarios"],
            summary="The scenario files of the server's folders")
def scenarios(request: Request) -> JSONResponse:
    return JSONResponse(list_scenarios(_settings(request)))


@router.get("/run", response_model=schemas.RunAnswer, tags=["scenarios"],
            summary="A scenario's credits, line by line and year by year, and its findings (budgetrules run)")
def run(request: Request, scenario: Optional[str] = q_scenario(), cog: Optional[str] = q_cog(),
        fund: list[str] = Query([], description="Only these funds (repeat the parameter)", examples=[["BNGA"]]),
        year: Optional[str] = Query(None, description="Only this year", examples=["2023"]),
        as_of: Optional[str] = Query(None, description="The credits as they stood on this date (YYYY-MM-DD)",
                                     examples=["2023-06-30"]),
        lang: Lang = q_lang()) -> JSONResponse:
    doc = answers.run(_settings(request), cog=cog, scenario=scenario, funds=fund, year=year, as_of=as_of)
    return _json(doc, lang)


@router.post("/run", response_model=schemas.RunAnswer, tags=["scenarios"], openapi_extra=POSTED_BODY,
             summary="The credits and findings of the scenario posted in the body (YAML or JSON)")
async def run_posted(request: Request, cog: Optional[str] = q_cog(),
                     fund: list[str] = Query([], description="Only these funds", examples=[["BNGA"]]),
                     year: Optional[str] = Query(None, examples=["2023"]),
                     as_of: Optional[str] = Query(None, examples=["2023-06-30"]), lang: Lang = q_lang()) -> JSONResponse:
    body = await request.body()
    doc = await run_in_threadpool(answers.run, _settings(request), cog=cog, funds=fund, year=year, as_of=as_of,
                                  body=body)
    return _json(doc, lang)


def q_audit_date() -> Any:
    return Query(None, description="The audit's date (YYYY-MM-DD): a notice missing after its deadline is an error, "
                                   "one still due an info; default: the scenario's audit_date, else the day after "
                                   "the period or today", examples=["2025-01-01"])


@router.get("/audit", response_model=schemas.RunAnswer, tags=["scenarios"],
            summary="Every irregularity of a scenario and the statement of origins (budgetrules audit)")
def audit(request: Request, scenario: Optional[str] = q_scenario(), cog: Optional[str] = q_cog(),
          as_of: Optional[str] = q_audit_date(), lang: Lang = q_lang()) -> JSONResponse:
    return _json(answers.audit(_settings(request), cog=cog, scenario=scenario, as_of=as_of), lang)


@router.post("/audit", response_model=schemas.RunAnswer, tags=["scenarios"], openapi_extra=POSTED_BODY,
             summary="The audit of the scenario posted in the body (YAML or JSON)")
async def audit_posted(request: Request, cog: Optional[str] = q_cog(), as_of: Optional[str] = q_audit_date(),
                       lang: Lang = q_lang()) -> JSONResponse:
    body = await request.body()
    doc = await run_in_threadpool(answers.audit, _settings(request), cog=cog, as_of=as_of, body=body)
    return _json(doc, lang)


@router.get("/explain", response_model=schemas.ExplainAnswer, tags=["scenarios"],
            summary="The contributions that add up to one figure (budgetrules explain)")
def explain(request: Request, fund: str = q_fund(),
            line: str = Query(..., description="A line of the fund (a leaf or a subtotal)", examples=["A-I-1"]),
            year: str = Query(..., description="A year of the fund's period", examples=["2023"]),
            column: str = Query("authorised", description="A column of the year (docs/rules.md, The year, in order)", examples=["authorised"]),
            scenario: Optional[str] = q_scenario(), cog: Optional[str] = q_cog(), as_of: Optional[str] = q_date(),
            lang: Lang = q_lang()) -> JSONResponse:
    doc = answers.explain(_settings(request), cog=cog, scenario=scenario, fund=fund, line=line, year=year,
                          column=column, as_of=as_of)
    return _json(doc, lang)


@router.get("/virement", response_model=schemas.VirementAnswer, tags=["virement"],
            summary="May this virement be made, by whom, with which notice (budgetrules virement)",
            description="`from` and `to` are leaf lines of the fund; `amount` as people type it (\"400 k€\", "
                        "\"1 250 000,00 €\"); `date` (or `year`) the day of the virement, by default 31 December of "
                        "the year; a DM is `dm`, `board_vote` and `approval`. The verdict is judged after every "
                        "recorded event of the scenario.")
def virement(request: Request, fund: str = q_fund(),
             source: Optional[str] = Query(None, alias="from", description="The line the credit leaves",
                                           examples=["A-I-1"]),
             target: Optional[str] = Query(None, alias="to", description="The line the credit goes to",
                                           examples=["A-I-2-INFO"]),
             amount: Optional[str] = Query(None, description="The amount, as people type it", examples=["400 k€"]),
             date: Optional[str] = q_date(), year: Optional[str] = Query(None, examples=["2023"]),
             scenario: Optional[str] = q_scenario(), cog: Optional[str] = q_cog(),
             dm: Optional[str] = Query(None, description="Reference of a décision modificative", examples=["DM-2023-02"]),
             board_vote: Optional[str] = Query(None, description="Date the board voted the DM", examples=["2023-05-10"]),
             approval: Optional[str] = Query(None, description="Date the ministries approved the DM",
                                             examples=["2023-06-02"]),
             lang: Lang = q_lang()) -> JSONResponse:
    doc = answers.virement(_settings(request), cog=cog, fund=fund, source=source, target=target, amount=amount,
                           date=date, year=year, scenario=scenario, dm=dm, board_vote=board_vote, approval=approval)
    return _json(doc, lang)


@router.get("/available", response_model=schemas.AvailableAnswer, tags=["virement"],
            summary="What is still available on a line at a date, and what could move out of it (budgetrules available)",
            description="For every other leaf of the fund: the verdict of a virement to it, the largest amount, who "
                        "signs and the notice deadline; the scenario's notices are judged at the date.")
def available(request: Request, fund: str = q_fund(),
              line: Optional[str] = Query(None, description="A leaf line of the fund", examples=["A-I-1"]),
              date: Optional[str] = Query(None, description="The date of the question (YYYY-MM-DD)",
                                          examples=["2023-06-15"]),
              scenario: Optional[str] = q_scenario(), cog: Optional[str] = q_cog(), lang: Lang = q_lang()) -> JSONResponse:
    doc = answers.available(_settings(request), cog=cog, fund=fund, line=line, date=date, scenario=scenario)
    return _json(doc, lang)
