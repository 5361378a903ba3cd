"""Commands funds, funds show FUND, funds check [FILE…]."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import click

from . import Choice, main, output_option
from ..io.output import emit
from ..core.errors import InputErrors, Problem, unknown_message


def _bundled():
    from ..io.fundfile import load_funds
    from ..io.paths import bundled_fund_files

    return load_funds(bundled_fund_files())


class FundsGroup(click.Group):
    """`budgetrules funds` lists the funds; its subcommands show and check them."""


@main.group("funds", invoke_without_command=True, cls=FundsGroup)
@click.option("--format", "fmt", type=Choice(("table", "json", "csv", "md")), default="table", show_default=True)
@click.pass_context
def funds_cmd(ctx, fmt):
    """List the bundled funds with their period, unit and line count.

    \b
    Examples:
      budgetrules funds
      budgetrules funds show BNGA --year 2023
      budgetrules funds check
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..render.texttable import render

    from ..render.text import csv_text, to_json

    funds = _bundled()
    rows = [[f.code, f.label, f"{f.first_year}-{f.last_year}", "M€" if f.unit == "MEUR" else "€", len(f.leaves),
             len(f.lines) - len(f.leaves), f.file] for f in funds.values()]
    headers = ["fund", "label", "period", "unit", "leaves", "subtotals", "file"]
    if fmt == "json":
        emit(to_json([dict(zip(headers, r)) for r in rows]), None)
    elif fmt == "csv":
        emit(csv_text([headers] + rows, "neutral"), None)
    else:
        emit(render(rows, headers, "pipe" if fmt == "md" else "simple",
                    ("left", "left", "left", "left", "right", "right", "left")), None)


def show_document(fund, years: list[int]) -> dict:
    """The COG table of a fund as a document (leaves: amounts; subtotals: sums of leaves and the printed figure)."""
    from ..core.money import json_amount

    lines = []
    for line in fund.lines:
        leaf = fund.is_leaf(line.code)
        entry = {"line": line.code, "label": line.label, "character": line.character if leaf else None,
                 "group": line.group, "parent": line.parent, "years": {}}
        for y in years:
            value = sum((fund.base(code, y) for code in fund.leaves_under[line.code]), Decimal("0.00"))
            cell = {"base": json_amount(value)}
            if not leaf and y in line.published:
                cell["published"] = json_amount(line.published[y])
            entry["years"][str(y)] = cell
        refs = [fund.by_code[code].reference for code in fund.leaves_under[line.code]]
        if fund.reference_year is not None and any(r is not None for r in refs):
            entry["reference"] = {str(fund.reference_year): json_amount(sum((r for r in refs if r is not None),
                                                                            Decimal("0.00")))}
            if not leaf and line.reference is not None:
                entry["reference_published"] = json_amount(line.reference)
        if line.estimated:
            entry["estimated"] = list(line.estimated)
        lines.append(entry)
    totals = {str(y): {"base": json_amount(sum((fund.base(l.code, y) for l in fund.leaves), Decimal("0.00")))}
              for y in years}
    extra = []
    for total in fund.extra_totals:  # the COG's other table of totals (TOTAL DES DEPENSES DU BNASS)
        entry = {"code": total.code, "label": total.label, "members": list(total.members), "years": {}}
        for y in years:
            entry["years"][str(y)] = {"base": json_amount(sum((fund.base(m, y) for m in total.members),
                                                              Decimal("0.00")))}
            if y in total.published:
                entry["years"][str(y)]["published"] = json_amount(total.published[y])
        refs = [fund.by_code[m].reference for m in total.members]
        if fund.reference_year is not None and any(r is not None for r in refs):
            entry["reference"] = {str(fund.reference_year): json_amount(sum((r for r in refs if r is not None),
                                                                            Decimal("0.00")))}
        extra.append(entry)
    return {"scenario": f"COG {fund.code}", "funds": [{"fund": fund.code, "label": fund.label, "unit": "EUR",
                                                       "years": years, "lines": lines, "totals": totals,
                                                       "extra_totals": extra}],
            "findings": [], "carry_over_statement": [], "beyond_period": []}


@funds_cmd.command("show")
@click.argument("fund")
@click.option("--year", type=int, default=None, help="Only this year.")
@click.option("--format", "fmt", type=Choice(("table", "json", "csv", "md", "xlsx", "html")), default="table",
              show_default=True)
@click.option("--unit", type=Choice(("publication", "EUR")), default="publication", show_default=True,
              help="Amounts in the COG's unit of publication (M€ for BNGA) or in euros.")
@click.option("--lang", type=Choice(("fr", "en")), default=None, help="Number style (fr by default).")
@output_option
def show_cmd(fund, year, fmt, unit, lang, output):
    """The COG table of FUND in the COG's own form: hierarchy, subtotals, years as columns.

    \b
    Example:
      budgetrules funds show BNGA
      budgetrules funds show BNASS --year 2023 --format md
    """
    from ..core.money import format_amount
    from ..render.text import csv_text, indented_label, to_json

    funds = _bundled()
    if fund not in funds:
        raise InputErrors([Problem("FUND", 0, unknown_message("fund", fund, funds))])
    f = funds[fund]
    if year is not None and year not in f.years:
        raise InputErrors([Problem("--year", 0, f"year {year} is outside {f.first_year}-{f.last_year}")])
    years = [year] if year else f.years
    doc = show_document(f, years)
    if fmt == "json":
        emit(to_json(doc), output)
        return
    if fmt in ("xlsx", "html"):
        from ..render.reports import render_html, render_xlsx

        if fmt == "xlsx":
            emit(render_xlsx(doc, lang=lang or "fr", meur_funds=frozenset({f.code}) if f.unit == "MEUR" and
                             unit == "publication" else frozenset()), output or f"{f.code.lower()}.xlsx")
        else:
            emit(render_html(doc, lang=lang or "fr"), output)
        return
    meur = f.unit == "MEUR" and unit == "publication"
    show_ref = f.reference_year is not None and year is None
    if fmt == "csv":
        rows = [["line", "label", "character", "parent"] + ([str(f.reference_year)] if show_ref else [])
                + [str(y) for y in years]]
        for entry in doc["funds"][0]["lines"]:
            ref = entry.get("reference", {}).get(str(f.reference_year))
            rows.append([entry["line"], entry["label"], entry["character"], entry["parent"]]
                        + ([Decimal(ref) if ref else None] if show_ref else [])
                        + [Decimal(entry["years"][str(y)]["base"]) for y in years])
        emit(csv_text(rows, lang or "neutral"), output)
        return
    from ..render.texttable import render

    lang = lang or "fr"

    def differs(cell: dict) -> bool:
        return "published" in cell and Decimal(cell["published"]) != Decimal(cell["base"])

    def money(text: str | None) -> str:
        if text is None:
            return ""
        value = Decimal(text)
        if meur:
            value = value / Decimal(1_000_000)
            return format_amount(value, lang, symbol=False)
        return format_amount(value, lang, symbol=False).rsplit("," if lang == "fr" else ".", 1)[0] \
            if value == value.to_integral_value() else format_amount(value, lang, symbol=False)

    rows = []
    for entry in doc["funds"][0]["lines"]:
        label = indented_label(entry["label"], f.depth(entry["line"]), fmt, subtotal=entry["character"] is None)
        char = {"limitative": "L", "evaluative": "E", "reserve": "R", None: ""}[entry["character"]]
        cells = [money(entry["years"][str(y)]["base"]) + (" *" if y in entry.get("estimated", []) else "")
                 + (" †" if differs(entry["years"][str(y)]) else "") for y in years]
        ref = [money(entry.get("reference", {}).get(str(f.reference_year)))] if show_ref else []
        rows.append([entry["line"], label, char] + ref + cells)
    if f.programmed is False:
        rows = [r[:3] + [""] * (len(r) - 3) for r in rows]
    unit_text = "M€" if meur else "€"
    for total in doc["funds"][0]["extra_totals"]:
        rows.append(["", total["label"] if fmt != "md" else f"**{total['label']}**", ""]
                    + ([money(total.get("reference", {}).get(str(f.reference_year)))] if show_ref else [])
                    + [money(total["years"][str(y)]["base"]) + (" †" if differs(total["years"][str(y)]) else "")
                       for y in years])
    headers = ["Code", "Intitulé" if lang == "fr" else "Label", ""] + \
              ([f"Budget initial {f.reference_year}"] if show_ref else []) + [f"Budget {y}" for y in years]
    table = render(rows, headers, "pipe" if fmt == "md" else "simple",
                   ["left", "left", "left"] + ["right"] * (len(headers) - 3))
    title = f"{f.code} — {f.label} ({unit_text})"
    notes = []
    if any(ln.estimated for ln in f.lines):
        notes.append("* : donnée estimée" if lang == "fr" else "* : estimated figure")
    gaps = [(entry.get("line") or entry.get("code"), y, entry["years"][str(y)]["published"])
            for entry in doc["funds"][0]["lines"] + doc["funds"][0]["extra_totals"]
            for y in years if differs(entry["years"][str(y)])]
    if gaps:
        printed = "; ".join(f"{code} {y} : {money(p)}" for code, y, p in gaps)
        notes.append(("† sous-total recalculé (somme des lignes) ; la COG imprime " if lang == "fr" else
                      "† subtotal recomputed (sum of the lines); the COG prints ") + printed + " (R-SOURCE-TOTALS)")
    if not f.programmed and f.reserve_fund:
        notes.append(f"Pas de tableau programmé : fonds de réserve, réserve à l'ouverture "
                     f"{format_amount(f.reserve_fund.opening, lang)} ({f.reserve_fund.rule})")
    head = f"## {title}" if fmt == "md" else f"{title}\n{'=' * len(title)}"
    emit("\n\n".join([head, table] + notes) + "\n", output)


@funds_cmd.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=Choice(("table", "json", "csv", "md")), default="table", show_default=True)
@click.option("--lang", type=Choice(("fr", "en")), default=None)
@output_option
def check_cmd(files, fmt, lang, output):
    """Validate fund definitions (the bundled ones by default) and compare every published subtotal with
    the sum of its leaves (R-SOURCE-TOTALS): rounding gaps are warnings, real gaps errors.

    \b
    Example:
      budgetrules funds check
      budgetrules funds check my-cog/*.yaml
    Exit 1 when a real gap (error) is found, 2 when a file cannot be loaded.
    """
    from ..io.fundfile import load_funds
    from ..io.paths import bundled_fund_files
    from ..render.text import findings_csv, findings_table, finding_dict, sort_findings, to_json
    from ..rules.source_totals import check_source_totals

    paths = [Path(p) for p in files] if files else bundled_fund_files()
    funds = load_funds(paths)
    findings = sort_findings(x for f in funds.values() for x in check_source_totals(f))
    docs = [finding_dict(x) for x in findings]
    errors = sum(1 for x in findings if x.severity == "error")
    if fmt == "json":
        emit(to_json({"funds": list(funds), "findings": docs}), output)
    elif fmt == "csv":
        emit(findings_csv({"findings": docs}, lang or "neutral"), output)
    else:
        lang = lang or "fr"
        head = (f"{len(funds)} fund file(s) valid: {', '.join(funds)}. "
                f"R-SOURCE-TOTALS: {errors} error(s), {len(findings) - errors} rounding warning(s).")
        emit(head + "\n\n" + (findings_table(docs, lang, fmt) if docs else "") + "\n", output)
    sys.exit(1 if errors else 0)
