"""Documents and tables from a run: the JSON document of CLI.md, and the same content as text,
markdown or CSV tables in the COG's form (hierarchy, subtotals, years as columns)."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from typing import Any, Iterable

from ..engine import Result
from ..model.fund import Fund
from ..core.money import format_amount, json_amount
from ..core.records import COLUMNS, SEVERITIES, Finding

LABELS = {
    "fr": {"base": "base COG", "indexation": "actualisation", "charge_transfer": "transfert de charges",
           "carry_in": "report entrant", "receipts": "recettes", "reserve_in": "réserve",
           "virements_in": "virements reçus", "virements_out": "virements émis", "authorised": "autorisé",
           "executed": "exécuté", "available": "disponible", "carry_out": "reporté", "lapsed": "annulé",
           "code": "Code", "label": "Intitulé", "line": "Ligne", "year": "Année", "from_year": "Origine",
           "to_year": "Vers", "eligible": "reportable", "carried": "reporté", "rule": "Règle",
           "severity": "Gravité", "fund": "Fonds", "message": "Constat", "amount": "Montant",
           "citation": "Référence COG", "error": "erreur", "warning": "avertissement", "info": "information",
           "findings": "Constats", "tables": "Constats sur les tableaux publiés de la COG",
           "statement": "État détaillé de l'origine des crédits non consommés (reports)",
           "beyond": "Montants au-delà de la période de la COG", "authorised_table": "Crédits autorisés",
           "reserve": "Réserve du fonds", "opening": "ouverture", "resources": "ressources",
           "expenses": "dépenses", "closing": "clôture", "column": "Colonne", "none": "aucun"},
    "en": {"base": "COG base", "indexation": "indexation", "charge_transfer": "charge transfer",
           "carry_in": "carried in", "receipts": "receipts", "reserve_in": "reserve",
           "virements_in": "transfers in", "virements_out": "transfers out", "authorised": "authorised",
           "executed": "executed", "available": "available", "carry_out": "carried out", "lapsed": "lapsed",
           "code": "Code", "label": "Label", "line": "Line", "year": "Year", "from_year": "From",
           "to_year": "To", "eligible": "eligible", "carried": "carried", "rule": "Rule",
           "severity": "Severity", "fund": "Fund", "message": "Finding", "amount": "Amount",
           "citation": "COG reference", "error": "error", "warning": "warning", "info": "info",
           "findings": "Findings", "tables": "Findings about the COG's published tables",
           "statement": "Detailed statement of the origin of unconsumed credits (carry-overs)",
           "beyond": "Amounts beyond the COG period", "authorised_table": "Authorised credits",
           "reserve": "Fund reserve", "opening": "opening", "resources": "resources",
           "expenses": "expenses", "closing": "closing", "column": "Column", "none": "none"},
}


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def people_text(message: str, lang: str) -> str:
    """A finding's message for people: ISO dates become 15/06/2023 in French (JSON keeps ISO)."""
    return _ISO_DATE.sub(r"\3/\2/\1", message) if lang == "fr" else message


def finding_dict(f: Finding, lang: str = "fr") -> dict[str, Any]:
    from .messages import finding_text

    return {"rule": f.rule, "severity": f.severity, "fund": f.fund, "year": f.year, "line": f.line,
            "message": finding_text(f, lang), "citation": f.citation,
            "amount": json_amount(f.amount) if f.amount is not None else None, "source": f.source, "key": f.key}


def reserve_row_dict(row: Any) -> dict[str, Any]:
    """A reserve statement row as the JSON document shows it (amounts as strings)."""
    out: dict[str, Any] = {"year": row.year, "opening": json_amount(row.opening), "available": json_amount(row.available)}
    out.update({f"resource_{k}": json_amount(v) for k, v in row.resources_by_kind.items()})
    out.update({"resources": json_amount(row.resources), "expenses": json_amount(row.expenses)})
    out.update({f"expense_{k}": json_amount(v) for k, v in row.expenses_by_line.items()})
    out["closing"] = json_amount(row.closing)
    return out


def sort_findings(findings: Iterable[Finding], funds: list[str] | None = None) -> list[Finding]:
    """By severity, then fund (in the order given, e.g. the COG's), year, line and rule."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    place = {code: i for i, code in enumerate(funds or [])}
    return sorted(findings, key=lambda f: (order[f.severity], place.get(f.fund or "", len(place)), f.fund or "",
                                           f.year or 0, f.line or "", f.rule))


def run_document(result: Result, funds: list[str] | None = None, years: list[int] | None = None) -> dict[str, Any]:
    """The `run --format json` document of CLI.md (amounts as strings with two decimals)."""
    chosen = [f for code, f in result.funds.items() if funds is None or code in funds]
    doc_funds = []
    for fund in chosen:
        ys = [y for y in fund.years if years is None or y in years]
        lines = []
        for line in fund.lines:
            is_leaf = fund.is_leaf(line.code)
            lines.append({"line": line.code, "label": line.label, "character": line.character if is_leaf else None,
                          "group": line.group, "parent": line.parent,
                          "years": {str(y): {c: json_amount(v) for c, v in result.row(fund.code, line.code, y).items()}
                                    for y in ys}})
        doc_funds.append({"fund": fund.code, "label": fund.label, "unit": "EUR", "years": ys, "lines": lines,
                          "totals": {str(y): {c: json_amount(v) for c, v in result.total(fund.code, y).items()}
                                     for y in ys}})
        if fund.code in result.reserve_statements:
            doc_funds[-1]["reserve"] = [reserve_row_dict(row) for row in result.reserve_statements[fund.code]]
    codes = {f.code for f in chosen}
    last = max((f.last_year for f in chosen), default=0)

    def keep(fund: str | None, year: int | None) -> bool:
        # a finding dated after the period (a decision to carry the last year's credits) belongs
        # to the last year it judges
        in_years = years is None or year is None or year in years or (year > last and last in years)
        return (fund is None or fund in codes) and in_years

    findings = [finding_dict(f) for f in sort_findings(result.findings, list(result.funds)) if keep(f.fund, f.year)]
    findings += [dict(finding_dict(f), about_tables=True) for f in sort_findings(result.table_findings,
                                                                                 list(result.funds))
                 if keep(f.fund, f.year)]
    statement = [{"fund": s.fund, "line": s.line, "from_year": s.from_year, "to_year": s.to_year,
                  "authorised": json_amount(s.authorised), "executed": json_amount(s.executed),
                  "eligible": json_amount(s.eligible), "carried": json_amount(s.carried),
                  "lapsed": json_amount(s.lapsed), "rule": s.rule, "citation": s.citation}
                 for s in result.ledger.statement if keep(s.fund, s.from_year)]
    beyond = [{"fund": b.fund, "line": b.line, "year": b.year, "column": b.column, "amount": json_amount(b.amount),
               "rule": b.rule, "from_year": b.from_year, "source": b.source, "citation": b.citation}
              for b in result.ledger.beyond if keep(b.fund, b.from_year)]
    return {"scenario": result.scenario.name, "funds": doc_funds, "findings": findings,
            "carry_over_statement": statement, "beyond_period": beyond}


def to_json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# -- text / markdown / csv -------------------------------------------------------------------------
def _amt(value: str | Decimal, lang: str) -> str:
    return format_amount(Decimal(value), lang, symbol=False)


def _table(rows: list[list[str]], headers: list[str], fmt: str, numeric_from: int = 2,
           widths: dict[int, int] | None = None) -> str:
    """A text ('simple', long cells wrapped at `widths`) or markdown ('pipe') table."""
    from .texttable import render

    align = ["left"] * numeric_from + ["right"] * (len(headers) - numeric_from)
    if fmt == "md":
        rows = [[str(c).replace("|", "\\|") for c in r] for r in rows]
        return render(rows, headers, "pipe", align)
    return render(rows, headers, "simple", align, widths)


def fund_table(fund_doc: dict, fund: Fund, lang: str, fmt: str, column: str = "authorised") -> str:
    """Lines × years of one column, hierarchy indented, subtotals included, fund total last."""
    L = LABELS[lang]
    ys = fund_doc["years"]
    rows = []
    for line in fund_doc["lines"]:
        rows.append([line["line"], indented_label(line["label"], fund.depth(line["line"]), fmt,
                                                  subtotal=line["character"] is None)]
                    + [_amt(line["years"][str(y)][column], lang) for y in ys])
    rows.append(["", "TOTAL" if lang == "en" else "TOTAL du fonds"] + [_amt(fund_doc["totals"][str(y)][column], lang)
                                                                         for y in ys])
    return _table(rows, [L["code"], L["label"]] + [str(y) for y in ys], fmt)


def indented_label(label: str, depth: int, fmt: str, subtotal: bool = False, width: int = 64) -> str:
    """A COG label indented by its depth (wrapped when long in text tables, bold subtotals in markdown)."""
    if fmt == "md":
        text = "&nbsp;&nbsp;" * depth + label
        return f"**{text}**" if subtotal else text
    import textwrap

    indent = "  " * depth
    return textwrap.fill(label, width, initial_indent=indent, subsequent_indent=indent + "  ")


def detail_table(fund_doc: dict, year: int, lang: str, fmt: str) -> str:
    """Every column of RULES.md for each line of one fund-year."""
    L = LABELS[lang]
    rows = [[line["line"], line["label"][:38]] + [_amt(line["years"][str(year)][c], lang) for c in COLUMNS]
            for line in fund_doc["lines"]]
    rows.append(["", "TOTAL"] + [_amt(fund_doc["totals"][str(year)][c], lang) for c in COLUMNS])
    return _table(rows, [L["code"], L["label"]] + [L[c] for c in COLUMNS], fmt)


def findings_table(findings: list[dict], lang: str, fmt: str) -> str:
    L = LABELS[lang]
    rows = [[L[f["severity"]], f["rule"], f["fund"] or "", str(f["year"] or ""), f["line"] or "",
             people_text(f["message"], lang),
             _amt(f["amount"], lang) if f["amount"] is not None else ""] for f in findings]
    return _table(rows, [L["severity"], L["rule"], L["fund"], L["year"], L["line"], L["message"], L["amount"]], fmt,
                  numeric_from=6, widths={5: 80})


def statement_table(rows: list[dict], lang: str, fmt: str) -> str:
    L = LABELS[lang]
    body = [[s["fund"], s["line"], f"{s['from_year']} → {s['to_year']}"]
            + [_amt(s[k], lang) for k in ("authorised", "executed", "eligible", "carried", "lapsed")] + [s["rule"]]
            for s in rows]
    return _table(body, [L["fund"], L["line"], L["year"], L["authorised"], L["executed"], L["eligible"],
                         L["carried"], L["lapsed"], L["rule"]], fmt, numeric_from=3)


def _heading(text: str, fmt: str, level: int = 2) -> str:
    return f"{'#' * level} {text}" if fmt == "md" else f"{text}\n{'=' * len(text) if level <= 2 else '-' * len(text)}"


def render_run(doc: dict, result: Result, lang: str, fmt: str, detail: bool = False) -> str:
    """The run document as text or markdown: tables per fund, findings, statement."""
    L = LABELS[lang]
    out = [_heading(f"{doc['scenario']}", fmt, 1)]
    for fund_doc in doc["funds"]:
        fund = result.funds[fund_doc["fund"]]
        out.append(_heading(f"{fund.code} — {fund.label} — {L['authorised_table']} (€)", fmt))
        out.append(fund_table(fund_doc, fund, lang, fmt))
        if detail:
            for y in fund_doc["years"]:
                out.append(_heading(f"{fund.code} {y}", fmt, 3))
                out.append(detail_table(fund_doc, y, lang, fmt))
        if "reserve" in fund_doc:
            out.append(_heading(f"{fund.code} — {L['reserve']}", fmt, 3))
            keys = ["opening", "resources", "expenses", "closing"]
            rows = [[str(r["year"])] + [_amt(r[k], lang) for k in keys] for r in fund_doc["reserve"]]
            out.append(_table(rows, [L["year"]] + [L[k] for k in keys], fmt, numeric_from=1))
    out += render_findings_blocks(doc, lang, fmt)
    return "\n\n".join(out) + "\n"


def render_findings_blocks(doc: dict, lang: str, fmt: str) -> list[str]:
    L = LABELS[lang]
    out = []
    period = [f for f in doc["findings"] if not f.get("about_tables")]
    tables = [f for f in doc["findings"] if f.get("about_tables")]
    out.append(_heading(f"{L['findings']} ({len(period)})", fmt))
    out.append(findings_table(period, lang, fmt) if period else f"({L['none']})")
    if doc.get("carry_over_statement"):
        out.append(_heading(L["statement"], fmt))
        out.append(statement_table(doc["carry_over_statement"], lang, fmt))
    if doc.get("beyond_period"):
        out.append(_heading(L["beyond"], fmt))
        rows = [[b["fund"], b["line"], f"{b['from_year']} → {b['year']}", L.get(b["column"], b["column"]),
                 _amt(b["amount"], lang), b["rule"]] for b in doc["beyond_period"]]
        out.append(_table(rows, [L["fund"], L["line"], L["year"], L["column"], L["amount"], L["rule"]], fmt,
                          numeric_from=4))
    if tables:
        out.append(_heading(f"{L['tables']} ({len(tables)})", fmt))
        out.append(findings_table(tables, lang, fmt))
    books = doc.get("execution_from_books")
    if books:
        fr = lang == "fr"
        out.append(_heading("Exécution lue dans les écritures (FEC)" if fr else "Execution read from the books (FEC)",
                            fmt))
        lines = [(f"{f['file']} : {f['lines']} lignes ({f['encoding']}, {f['separator']}, {f['variant']}), "
                  f"{f['left_out_lines']} écartée(s)") if fr else
                 (f"{f['file']}: {f['lines']} lines ({f['encoding']}, {f['separator']}, {f['variant']}), "
                  f"{f['left_out_lines']} left out") for f in books["files"]]
        lines += [f"  {p}" for p in books["problems"]]
        if books["problem_count"] > len(books["problems"]):
            lines.append(f"  … {books['problem_count'] - len(books['problems'])} "
                         + ("autre(s) anomalie(s)" if fr else "more problem(s)"))
        lines += [f"  {n}" for n in books["notes"]]
        out.append("\n".join(lines))
    return out


def csv_text(rows: list[list[Any]], lang: str) -> str:
    """CSV for machines (',' and '.'), or for a spreadsheet with --lang fr (BOM, ';', decimal comma)
    or --lang en (BOM, ',', '.')."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v, lang) for v in row])
    return ("" if lang == "neutral" else "\ufeff") + buf.getvalue()


def _csv_cell(value: Any, lang: str) -> Any:
    if isinstance(value, Decimal):
        text = json_amount(value)
        return text.replace(".", ",") if lang == "fr" else text
    return "" if value is None else value


def run_csv(doc: dict, lang: str) -> str:
    """One row per fund, line and year with every column of RULES.md."""
    rows: list[list[Any]] = [["fund", "line", "label", "character", "parent", "year", *COLUMNS]]
    for fund_doc in doc["funds"]:
        for line in fund_doc["lines"]:
            for y in fund_doc["years"]:
                vals = line["years"][str(y)]
                rows.append([fund_doc["fund"], line["line"], line["label"], line["character"], line["parent"], y]
                            + [Decimal(vals[c]) for c in COLUMNS])
    return csv_text(rows, lang)


# -- audit ------------------------------------------------------------------------------------------
def audit_document(result: Result) -> dict[str, Any]:
    """The `audit --format json` document: findings, statement, summary (plus the run's tables)."""
    doc = run_document(result)
    period = [f for f in doc["findings"] if not f.get("about_tables")]
    doc["kind"] = "audit"
    doc["title"] = f"Audit — {result.scenario.name}"
    doc["summary"] = {s: sum(1 for f in period if f["severity"] == s) for s in SEVERITIES}
    doc["summary_about_tables"] = {s: sum(1 for f in doc["findings"] if f.get("about_tables") and f["severity"] == s)
                                   for s in SEVERITIES}
    doc["scope"] = {"scenario_file": result.scenario.file,
                    "funds": [f["fund"] for f in doc["funds"]],
                    "years": sorted({y for f in doc["funds"] for y in f["years"]})}
    return doc


def render_audit(doc: dict, result: Result, lang: str, fmt: str) -> str:
    """The audit as a report: title, scope, summary table, findings by severity/fund/year, statement."""
    L = LABELS[lang]
    fr = lang == "fr"
    out = [_heading(doc["title"], fmt, 1)]
    scope = doc["scope"]
    years = scope["years"]
    out.append((f"Périmètre : fonds {', '.join(scope['funds'])}, exercices {years[0]}-{years[-1]}, "
                f"scénario {scope['scenario_file']}.") if fr else
               (f"Scope: funds {', '.join(scope['funds'])}, years {years[0]}-{years[-1]}, "
                f"scenario {scope['scenario_file']}."))
    summary_rows = [[L[s], str(doc["summary"][s])] for s in SEVERITIES]
    out.append(_heading("Synthèse" if fr else "Summary", fmt))
    out.append(_table(summary_rows, [L["severity"], "Nombre" if fr else "Count"], fmt, numeric_from=1))
    verdict = doc["summary"]["error"]
    out.append(("Aucune irrégularité (constat d'erreur) sur la période." if fr else "No irregularity (error finding) "
                "in the period.") if not verdict else
               (f"{verdict} irrégularité(s) relevée(s) sur la période." if fr else f"{verdict} irregularities found."))
    period = [f for f in doc["findings"] if not f.get("about_tables")]
    for severity in SEVERITIES:
        group = [f for f in period if f["severity"] == severity]
        if not group:
            continue
        out.append(_heading(f"{L['findings']} — {L[severity]} ({len(group)})", fmt))
        keys = list(dict.fromkeys((f["fund"] or "", f["year"] or 0) for f in group))  # already in COG order
        for fund, year in keys:
            sub = [f for f in group if (f["fund"] or "", f["year"] or 0) == (fund, year)]
            out.append(_heading(f"{fund} {year or ''}".strip(), fmt, 3))
            rows = [[f["rule"], f["line"] or "", people_text(f["message"], lang),
                     _amt(f["amount"], lang) if f["amount"] else "",
                     f["citation"], f.get("source") or ""] for f in sub]
            out.append(_table(rows, [L["rule"], L["line"], L["message"], L["amount"], L["citation"], "Source"], fmt,
                              numeric_from=6, widths={2: 70, 4: 40}))
    rest = dict(doc, findings=[f for f in doc["findings"] if f.get("about_tables")])
    blocks = render_findings_blocks(rest, lang, fmt)
    out += blocks[2:]  # statement, beyond period, tables (the findings were listed above)
    return "\n\n".join(out) + "\n"


def findings_csv(doc: dict, lang: str) -> str:
    """Findings as a CSV table (about_tables flags those on the COG's own tables)."""
    rows: list[list[Any]] = [["severity", "rule", "fund", "year", "line", "message", "amount", "citation", "source",
                              "about_tables"]]
    for f in doc["findings"]:
        rows.append([f["severity"], f["rule"], f["fund"], f["year"], f["line"], f["message"],
                     Decimal(f["amount"]) if f["amount"] is not None else None, f["citation"], f.get("source"),
                     "yes" if f.get("about_tables") else "no"])
    return csv_text(rows, lang)
