"""The mapping file: which accounts of the books feed which fund line or receipt account.

A YAML file (its format is written in the bundled example,
funds/canssm-2022-2024/mappings/canssm-fec.yaml): `expenses` maps account numbers or prefixes of
classes 6 (charges) and 2 (investment) to a leaf line of a fund, `receipts` prefixes of class 7 to an
account of the fund's reuse table with its forecasts (amounts in euros, read exactly as Decimal), and
`ignore` lists prefixes deliberately left out; an account goes to the rule of its longest prefix
(`Mapping.find`). `load_mapping` checks the file against the COG's funds and reports every problem at
once (InputErrors, file:line, with the nearest valid key). Accounts are those of the FEC's CompteNum
(article A47 A-1 of the Livre des procédures fiscales)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.money import ValueProblem, parse_amount
from ..io.yaml import Collector, LineDict, display_path, line_of, load_yaml
from ..core.errors import unknown_message

TOP_KEYS = ("name", "description", "fund", "expenses", "receipts", "ignore")
EXPENSE_KEYS = ("fund", "line")
RECEIPT_KEYS = ("fund", "account", "forecast", "to_line")
EXPENSE_CLASSES = ("2", "6")
RECEIPT_CLASSES = ("7",)
BUDGET_CLASSES = EXPENSE_CLASSES + RECEIPT_CLASSES


@dataclass(frozen=True)
class Rule:
    """Where the accounts starting with `prefix` go: a fund line (expenses) or a receipt account."""

    prefix: str
    kind: str  # expense | receipt | ignore
    fund: str = ""
    line: str = ""  # expense: the fund line; receipt: the optional to_line
    account: str = ""  # receipt: the account of the fund's reuse table
    forecast: dict[int, Decimal] = field(default_factory=dict)
    source_line: int = 0


@dataclass
class Mapping:
    """A mapping file, read and checked."""

    file: str
    name: str
    rules: list[Rule]  # longest prefix first
    periods: dict[str, tuple[int, int]]  # fund -> (first year, last year)
    reserve_funds: frozenset[str] = frozenset()  # funds whose expenses are drawn on a reserve (fnmo_expense)

    def find(self, account: str) -> Rule | None:
        """The rule of the longest prefix of `account`, or None."""
        for rule in self.rules:
            if account.startswith(rule.prefix):
                return rule
        return None


def _funds() -> dict[str, Any]:
    from ..io.fundfile import load_funds
    from ..io.paths import bundled_fund_files

    return load_funds(bundled_fund_files())


def load_mapping(path: Path | str, funds: dict[str, Any] | None = None) -> Mapping:
    """Read and check a mapping file; every problem is reported at once (InputErrors, file:line)."""
    shown = display_path(path)
    data = load_yaml(path, shown)
    c = Collector(shown)
    funds = _funds() if funds is None else funds
    if not c.check_keys(data, TOP_KEYS, where="the mapping file"):
        c.raise_if_any()
    default_fund = data.get("fund")
    if default_fund is not None and str(default_fund) not in funds:
        c.add(line_of(data, "fund"), unknown_message("fund", default_fund, funds))
        default_fund = None
    rules: list[Rule] = []
    seen: dict[str, int] = {}

    def prefix_of(key: Any, where: str, line: int) -> str | None:
        if isinstance(key, bool) or not isinstance(key, (str, int)) or not str(key).strip():
            c.add(line, f"'{key}' in {where} is not an account number or prefix: write it in quotes, e.g. \"6063\"")
            return None
        text = str(key).strip()
        if text in seen:
            c.add(line, f"account prefix '{text}' is given twice (first at line {seen[text]})")
            return None
        seen[text] = line
        return text

    def fund_of(spec: Any, line: int) -> str | None:
        fund = spec.get("fund", default_fund) if isinstance(spec, dict) else default_fund
        if fund is None:
            c.add(line, "no fund: give 'fund' here or at the top of the file")
            return None
        if str(fund) not in funds:
            c.add(line_of(spec, "fund") if isinstance(spec, dict) else line, unknown_message("fund", fund, funds))
            return None
        return str(fund)

    def leaf(fund: str, code: Any, line: int, what: str) -> str | None:
        leaves = funds[fund].leaf_codes
        if str(code) not in leaves:
            c.add(line, unknown_message(f"{fund} line", code, leaves) + f" ({what} must be a leaf of {fund})")
            return None
        return str(code)

    expenses = data.get("expenses") or {}
    if not isinstance(expenses, dict):
        c.add(line_of(data, "expenses"), "'expenses' must map account prefixes to fund lines")
        expenses = {}
    for key, spec in expenses.items():
        line = line_of(expenses, key)
        prefix = prefix_of(key, "expenses", line)
        if isinstance(spec, dict):
            c.check_keys(spec, EXPENSE_KEYS, ("line",), where=f"expenses '{key}'")
        elif not isinstance(spec, str):
            c.add(line, f"expenses '{key}': give a line code (e.g. A-I-1) or {{fund: BNASS, line: PA-F-COL}}")
            continue
        fund = fund_of(spec, line)
        code = spec.get("line") if isinstance(spec, dict) else spec
        if prefix is None or fund is None or code is None:
            continue
        if prefix[0] not in EXPENSE_CLASSES:
            c.add(line, f"account prefix '{prefix}' is of class {prefix[0]}: expenses are accounts of class 6 "
                        "(charges) or 2 (investment)")
            continue
        code = leaf(fund, code, line_of(spec, "line") if isinstance(spec, dict) else line, "an expense line")
        if code is not None:
            rules.append(Rule(prefix, "expense", fund, code, source_line=line))

    receipts = data.get("receipts") or {}
    if not isinstance(receipts, dict):
        c.add(line_of(data, "receipts"), "'receipts' must map account prefixes to receipt accounts")
        receipts = {}
    for key, spec in receipts.items():
        line = line_of(receipts, key)
        prefix = prefix_of(key, "receipts", line)
        if spec is None:  # "7084:" alone: the account itself, no forecast
            spec = LineDict()
            spec.line, spec.key_lines = line, {}
        if not c.check_keys(spec, RECEIPT_KEYS, where=f"receipts '{key}'"):
            continue
        fund = fund_of(spec, line)
        if prefix is None or fund is None:
            continue
        if prefix[0] not in RECEIPT_CLASSES:
            c.add(line, f"account prefix '{prefix}' is of class {prefix[0]}: receipts are accounts of class 7")
            continue
        account = str(spec.get("account", prefix))
        table = [a.account for a in funds[fund].receipts.accounts]
        if funds[fund].receipts.mode == "accounts" and account not in table:
            c.add(line_of(spec, "account") if "account" in spec else line,
                  unknown_message(f"{fund} receipt account", account, table)
                  + " (the accounts of the « Tableau de réutilisation des autres recettes »)")
            continue
        to_line = spec.get("to_line")
        if to_line is not None:
            to_line = leaf(fund, to_line, line_of(spec, "to_line"), "to_line")
        forecast: dict[int, Decimal] = {}
        raw = spec.get("forecast") or {}
        if not isinstance(raw, dict):
            c.add(line_of(spec, "forecast"), "'forecast' maps years to amounts, e.g. {2022: \"120 000\"}")
            raw = {}
        for year, amount in raw.items():
            yline = line_of(raw, year)
            if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
                c.add(yline, f"'{year}' is not a year")
                continue
            try:
                forecast[year] = parse_amount(amount)
            except ValueProblem as exc:
                c.add(yline, str(exc))
        rules.append(Rule(prefix, "receipt", fund, to_line or "", account, forecast, line))

    ignore = data.get("ignore") or []
    if not isinstance(ignore, list):
        c.add(line_of(data, "ignore"), "'ignore' is a list of account prefixes, e.g. [\"28\", \"68\"]")
        ignore = []
    for i, key in enumerate(ignore):
        prefix = prefix_of(key, "ignore", line_of(ignore, i))
        if prefix is not None:
            rules.append(Rule(prefix, "ignore", source_line=line_of(ignore, i)))
    c.raise_if_any()
    rules.sort(key=lambda r: (-len(r.prefix), r.prefix))
    periods = {code: (f.first_year, f.last_year) for code, f in funds.items()}
    reserve_funds = frozenset(code for code, f in funds.items() if f.reserve_fund is not None)
    return Mapping(shown, str(data.get("name", "")), rules, periods, reserve_funds)
