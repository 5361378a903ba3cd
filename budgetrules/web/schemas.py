"""The shapes of the API's answers, for its OpenAPI description (pydantic models).

The server does not build its answers through these models: a response body is
`budgetrules.render.json.to_json(document)`, the same JSON as the command line's `--format json`.
These models describe that JSON so that other systems (and the fuzzing test, which checks every
response against them) know what they get. Amounts are strings with two decimals ("36670000.00"),
so that no reader loses a cent; dates are ISO."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Amount = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{2}$", examples=["36670000.00"])]
Severity = Literal["error", "warning", "info"]
Verdict = Literal["permitted", "permitted_with_notice", "requires_dm", "refused"]


class Shape(BaseModel):
    """A document's shape: its keys typed, and room for keys a later version adds (a client reads what
    it knows; the fuzz test still checks every key described here)."""

    model_config = ConfigDict(extra="allow")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(Strict):
    """One input problem, as the command line prints it (`where:line: message`)."""

    where: str = Field(description="the parameter (fund, from, amount…), or the scenario file, that is wrong")
    line: int = Field(description="the line in that file (0 when the problem is not in a file)")
    message: str = Field(description="what is wrong, with the nearest valid value (\"did you mean\")")


class Errors(Strict):
    """The answer to a request that cannot be used (4xx), or to a failure of the server (500)."""

    errors: list[Problem]


class CogInfo(Shape):
    id: str
    title: str
    funds: list[str]
    first_year: int
    last_year: int


class FundInfo(Shape):
    """One line of `budgetrules funds --format json`."""

    fund: str
    label: str
    period: str
    unit: str
    leaves: int
    subtotals: int
    file: str


class ScenarioInfo(Shape):
    id: str = Field(description="the path of the scenario in its folder: the value of `scenario=`")
    folder: str


class Finding(Shape):
    rule: str
    severity: Severity
    fund: Optional[str]
    year: Optional[int]
    line: Optional[str]
    message: str
    citation: str
    amount: Optional[Amount]
    source: Optional[str]
    key: str
    about_tables: bool = False


class LineTable(Shape):
    line: str
    label: str
    character: Optional[str]
    group: Optional[str]
    parent: Optional[str]
    years: dict[str, dict[str, Amount]] = Field(description="year -> column -> amount")
    reference: Optional[dict[str, Amount]] = None
    reference_published: Optional[Amount] = None
    estimated: Optional[list[int]] = None


class ExtraTotal(Shape):
    code: str
    label: str
    members: list[str]
    years: dict[str, dict[str, Amount]]
    reference: Optional[dict[str, Amount]] = None


class FundTable(Shape):
    fund: str
    label: str
    unit: Literal["EUR"]
    years: list[int]
    lines: list[LineTable]
    totals: dict[str, dict[str, Amount]]
    extra_totals: Optional[list[ExtraTotal]] = None
    reserve: Optional[list[dict[str, Any]]] = Field(None, description="a reserve fund's statement, year by year")


class CarryStatement(Shape):
    fund: str
    line: str
    from_year: int
    to_year: int
    authorised: Amount
    executed: Amount
    eligible: Amount
    carried: Amount
    lapsed: Amount
    rule: str
    citation: str


class Beyond(Shape):
    fund: str
    line: str
    year: int
    column: str
    amount: Amount
    rule: str
    from_year: int
    source: Optional[str]
    citation: str


class Scope(Shape):
    scenario_file: str
    funds: list[str]
    years: list[int]
    audit_date: Optional[dt.date] = None


class RunAnswer(Shape):
    """The document of `run`, `audit` (kind "audit", with its summary) and `funds show`."""

    scenario: str
    funds: list[FundTable]
    findings: list[Finding]
    carry_over_statement: list[CarryStatement]
    beyond_period: list[Beyond]
    as_of: Optional[dt.date] = None
    execution_from_books: Optional[dict[str, Any]] = None
    kind: Optional[Literal["audit"]] = None
    title: Optional[str] = None
    summary: Optional[dict[str, int]] = None
    summary_about_tables: Optional[dict[str, int]] = None
    scope: Optional[Scope] = None


class Contribution(Shape):
    column: str
    line: str
    rule: str
    citation: str
    amount: Amount
    source: str
    note: str
    date: Optional[dt.date] = Field(None, description="the day the contribution takes effect")
    date_defaulted: bool = Field(False, description="the date is the default of an event that gave none")


class ExplainAnswer(Shape):
    """The contributions (signed) that add up to one figure."""

    fund: str
    line: str
    year: int
    column: str
    value: Amount
    contributions: list[Contribution]
    as_of: Optional[dt.date] = None


class RuleRef(Shape):
    rule: str
    citation: str


class VirementAnswer(Shape):
    """The verdict on one virement: who signs, who is told by when, the rules, the two lines before
    and after, and the recorded virements it would chain with (R-FUNG-CHAIN)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    fund: str
    year: int
    from_: str = Field(alias="from")
    to: str
    amount: Amount
    date: dt.date
    verdict: Verdict
    authority: str
    notify_by: Optional[dt.date]
    notify: Optional[str]
    rules: list[RuleRef]
    reasons: list[str]
    before: dict[str, dict[str, Amount]]
    after: dict[str, dict[str, Amount]]
    chains_with: Optional[list[str]] = None


class MatrixCell(Shape):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    from_: Optional[str] = Field(alias="from", description="A group; null: the lines without a group")
    to: Optional[str] = Field(description="A group; null: the lines without a group")
    verdict: Verdict
    rule: str


class MatrixAnswer(Shape):
    fund: str
    groups: list[Optional[str]] = Field(description="The fund's fungibility groups; null: the lines without a group")
    matrix: list[MatrixCell]


class AvailableTarget(Shape):
    to: str
    label: str
    group: Optional[str]
    verdict: Verdict
    rule: str
    citation: str
    authority: str
    notify_by: Optional[dt.date]
    largest: Amount
    chains_with: list[str]


class Notice(Shape):
    """The notice delay of a virement made with notice: so many days or calendar months."""

    count: int
    unit: Literal["days", "months"]


class AvailableAnswer(Shape):
    """On a date, the credit available on a line and what could move out of it, line by line."""

    fund: str
    line: str
    label: str
    date: dt.date
    authorised: Amount
    executed: Amount
    available: Amount
    movable: Amount = Field(description="the most that may leave the line: the least available from the date to "
                                        "the end of the year")
    notice: Optional[Notice]
    notify: Optional[str]
    targets: list[AvailableTarget]


class Health(Shape):
    status: Literal["ok"]
    version: str
    cogs: list[str]
