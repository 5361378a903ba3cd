"""The workbook report (openpyxl): one sheet per fund in the COG's form, the year column by column,
the findings, the published-table checks, what was read from the books (FEC, render/books_xlsx.py), and the
carry-over statement. Amounts are exact numbers."""
from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from .html import cog_blocks
from .view import (FundView, ReportDoc, count_by_severity, localise_dates, read_doc, reserve_columns, source_rule,
                   to_decimal)
from .labels import character_label, column_label, group_label, reserve_label, severity_label, summary_text, title_of, words

# Number formats. The [$-40C] / [$€-1809] locale tags make LibreOffice show French ("1 234 567,89 €")
# or English ("€1,234,567.89") separators whatever the reader's own locale; Excel keeps its system's.
EURO_FORMAT = {
    "fr": '[$-40C]#,##0.00\\ "€";[Red]\\-#,##0.00\\ "€"',
    "en": '[$€-1809]#,##0.00;[Red]\\-[$€-1809]#,##0.00',
}
# Millions: the cell keeps the exact euro amount, two trailing commas divide the display by 10^6.
MEUR_FORMAT = {
    "fr": '[$-40C]#,##0.00,,\\ "M€";[Red]\\-#,##0.00,,\\ "M€"',
    "en": '[$€-1809]#,##0.00,,"M";[Red]\\-[$€-1809]#,##0.00,,"M"',
}
FONT_NAME = "Calibri"  # Excel's default; LibreOffice substitutes a metric-compatible face
HEADER_ROW = 4  # rows 1-2: title and subtitle, row 3 blank: the table starts at row 4 on every sheet

_FILL_HEADER = "1F4E79"
_FILL_SECTION = "DDEBF7"
_FILL_SUBTOTAL = "F2F2F2"
_FILL_TOTAL = "BDD7EE"
_SEVERITY_FILL = {"error": "F8CBAD", "warning": "FFE699", "info": "DDEBF7"}


def render_xlsx(doc: dict[str, Any], *, lang: str = "fr", meur_funds: frozenset[str] = frozenset()) -> bytes:
    """Return the .xlsx file (bytes) of a `run`, `audit` or `funds show` JSON document.

    `meur_funds` names the funds whose COG-form sheet displays millions of euros (the cells still hold
    exact euros). Every other amount is displayed in euros with two decimals."""
    from openpyxl import Workbook

    report = read_doc(doc)
    wb = Workbook()
    wb.remove(wb.active)
    book = _Book(wb, lang)
    for fund in report.funds:
        book.fund_sheet(report, fund, meur=fund.code in meur_funds)
        if fund.reserve:
            book.reserve_sheet(fund)
    if report.funds:
        book.detail_sheet(report)
    if report.findings is not None:
        book.findings_sheet(report)
        if report.source_findings:
            book.source_sheet(report)
    if report.books is not None:
        # imported here: that module writes with this one's _Book
        from .books_xlsx import books_sheet

        books_sheet(book, report)
    if report.carry_over is not None:
        book.carry_sheet(report)
    if report.beyond_period is not None:
        book.beyond_sheet(report)
    if report.participation:
        from .books_xlsx import view_sheet
        from .participation import participation_view

        title, view = participation_view(report.participation, lang)
        view_sheet(book, report, view, book.w["sheet_participation"], title)
    if not wb.worksheets:  # an empty document still opens
        ws = wb.create_sheet(words(lang)["sheet_findings"])
        ws.cell(1, 1, title_of(report.kind, report.scenario, report.title, lang))
    wb.properties.creator = "budgetrules"
    wb.properties.title = title_of(report.kind, report.scenario, report.title, lang)
    wb.properties.language = "fr-FR" if lang == "fr" else "en-GB"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class _Book:
    """Sheet writers sharing the workbook, the language and the styles."""

    def __init__(self, wb: Any, lang: str) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.wb = wb
        self.lang = lang
        self.w = words(lang)
        self.euro = EURO_FORMAT["en" if lang == "en" else "fr"]
        self.meur = MEUR_FORMAT["en" if lang == "en" else "fr"]
        self.Alignment = Alignment
        # Every font names its face: a nameless bold font falls back to a serif face in LibreOffice.
        self.font = Font(name=FONT_NAME, size=10)
        self.bold = Font(name=FONT_NAME, size=10, bold=True)
        self.title_font = Font(name=FONT_NAME, bold=True, size=14, color=_FILL_HEADER)
        self.sub_font = Font(name=FONT_NAME, size=10, italic=True, color="595959")
        self.header_font = Font(name=FONT_NAME, size=10, bold=True, color="FFFFFF")
        self.center = Alignment(horizontal="center", vertical="top")
        self.fill = {name: PatternFill("solid", fgColor=color) for name, color in
                     {"header": _FILL_HEADER, "section": _FILL_SECTION, "subtotal": _FILL_SUBTOTAL,
                      "total": _FILL_TOTAL, **{f"sev_{k}": v for k, v in _SEVERITY_FILL.items()}}.items()}
        thin = Side(style="thin", color="808080")
        self.top_border = Border(top=thin)
        self.bottom_border = Border(bottom=thin)

    # -- helpers ---------------------------------------------------------------------------------------

    def _sheet(self, name: str, *, wide: bool = False) -> Any:
        ws = self.wb.create_sheet(_sheet_name(name, {s.title for s in self.wb.worksheets}))
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A3 if wide else ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.gridLines = False
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        return ws

    def _titles(self, ws: Any, title: str, subtitle: str = "") -> None:
        ws.cell(1, 1, title).font = self.title_font
        if subtitle:
            ws.cell(2, 1, subtitle).font = self.sub_font

    def _header(self, ws: Any, headers: list[str], widths: list[float], numeric_from: int | None = None,
                row: int = HEADER_ROW) -> None:
        from openpyxl.utils import get_column_letter

        for i, (text, width) in enumerate(zip(headers, widths), start=1):
            cell = ws.cell(row, i, text)
            cell.font = self.header_font
            cell.fill = self.fill["header"]
            right = numeric_from is not None and i >= numeric_from
            cell.alignment = self.Alignment(horizontal="right" if right else "left", vertical="center",
                                            wrap_text=True)
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.row_dimensions[row].height = 32

    def _cell(self, ws: Any, row: int, col: int, value: Any) -> Any:
        cell = ws.cell(row, col, value)
        cell.font = self.font
        return cell

    def _year(self, ws: Any, row: int, col: int, value: Any) -> Any:
        cell = self._cell(ws, row, col, int(value) if isinstance(value, str) and value.isdigit() else value)
        cell.alignment = self.center
        return cell

    def _amount(self, ws: Any, row: int, col: int, value: Decimal | None, fmt: str | None = None) -> Any:
        cell = self._cell(ws, row, col, value)
        cell.number_format = fmt or self.euro
        return cell

    def _fit_rows(self, ws: Any, first: int, last: int, widths: dict[int, float]) -> None:
        """Give wrapped rows their height: LibreOffice does not grow them by itself on import."""
        for row in range(first, last + 1):
            lines = 1
            for col, width in widths.items():
                text = ws.cell(row, col).value
                if isinstance(text, str) and text:
                    per_line = max(int(width * 1.15), 1)
                    lines = max(lines, -(-len(text) // per_line))
            ws.row_dimensions[row].height = 13.5 * lines + 2

    def _empty(self, ws: Any, text: str) -> None:
        ws.cell(HEADER_ROW + 1, 1, text).font = self.sub_font

    # -- sheets ----------------------------------------------------------------------------------------

    def fund_sheet(self, report: ReportDoc, fund: FundView, *, meur: bool) -> None:
        """The COG's form: code, label indented by depth, then a block of the fund's years for the authorised
        credits and, for a run or an audit, for the executed and the available credits (the block's name
        above its years, row 3); subtotals, fund total; the character of each line."""
        from openpyxl.utils import get_column_letter

        blocks = cog_blocks(fund)
        years = fund.years
        ws = self._sheet(fund.code, wide=len(blocks) > 1)
        what = (self.w["cog_form_title"] if len(blocks) > 1 else
                self.w["authorised_per_fund"] if blocks[0] == "authorised" else self.w["base_per_fund"])
        self._titles(ws, self.w["fund_sheet_title"].format(code=fund.code, label=fund.label),
                     f"{title_of(report.kind, report.scenario, report.title, self.lang)} — "
                     + self.w["fund_sheet_sub_meur" if meur else "fund_sheet_sub"].format(what=what))
        amounts = len(blocks) * len(years)
        headers = [self.w["code"], self.w["label"]] + [y for _ in blocks for y in years] + [self.w["character"]]
        widths = [14.0, 70.0 if len(blocks) > 1 else 84.0] + [(15.0 if meur else 17.0)] * amounts + [13.0]
        self._header(ws, headers, widths, numeric_from=3)
        for j in range(3, 3 + amounts):  # year headers as numbers, right-aligned
            year = ws.cell(HEADER_ROW, j).value
            ws.cell(HEADER_ROW, j).value = int(year) if str(year).isdigit() else year
        last = 3 + amounts
        ws.cell(HEADER_ROW, last).alignment = self.Alignment(horizontal="left", vertical="center", indent=1)
        if len(blocks) > 1:  # the name of each block above its years
            for j in range(1, last + 1):
                ws.cell(HEADER_ROW - 1, j).fill = self.fill["header"]
            for i, column in enumerate(blocks):
                first = 3 + i * len(years)
                cell = ws.cell(HEADER_ROW - 1, first, column_label(column, self.lang))
                cell.font = self.header_font
                cell.alignment = self.Alignment(horizontal="center", vertical="center")
                ws.merge_cells(f"{get_column_letter(first)}{HEADER_ROW - 1}:"
                               f"{get_column_letter(first + len(years) - 1)}{HEADER_ROW - 1}")
            ws.print_title_rows = f"{HEADER_ROW - 1}:{HEADER_ROW}"
        fmt = self.meur if meur else self.euro
        cells = [(c, y) for c in blocks for y in years]
        row = HEADER_ROW
        for line in fund.lines:
            row += 1
            self._cell(ws, row, 1, line.code)
            label = self._cell(ws, row, 2, line.label)
            label.alignment = self.Alignment(horizontal="left", indent=2 * line.depth)
            for j, (column, year) in enumerate(cells, start=3):
                self._amount(ws, row, j, line.amount(year, column), fmt)
            self._cell(ws, row, last, character_label(line.character, self.lang)).alignment = \
                self.Alignment(horizontal="left", indent=1)
            if line.is_subtotal:
                fill = self.fill["section"] if line.depth == 0 else self.fill["subtotal"]
                for j in range(1, last + 1):
                    ws.cell(row, j).font = self.bold
                    ws.cell(row, j).fill = fill
        row += 1
        self._cell(ws, row, 2, self.w["fund_total"])
        for j, (column, year) in enumerate(cells, start=3):
            self._amount(ws, row, j, fund.totals.get(year, {}).get(column), fmt)
        for j in range(1, last + 1):
            ws.cell(row, j).font = self.bold
            ws.cell(row, j).fill = self.fill["total"]
            ws.cell(row, j).border = self.top_border
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)

    def reserve_sheet(self, fund: FundView) -> None:
        """A fund kept as a reserve (FNMO): opening, resources, expenses, closing per year."""
        ws = self._sheet(self.w["sheet_reserve"].format(code=fund.code))
        self._titles(ws, self.w["reserve_title"].format(code=fund.code), fund.label)
        keys = reserve_columns(fund.reserve)
        self._header(ws, [reserve_label(k, self.lang, fund.reserve_labels) for k in keys], [8.0] + [20.0] * (len(keys) - 1), numeric_from=2)
        for row, item in enumerate(fund.reserve, start=HEADER_ROW + 1):
            for j, key in enumerate(keys, start=1):
                value = item.get(key)
                if key == "year":
                    self._year(ws, row, j, value)
                elif isinstance(value, str) and _is_amount(value):
                    self._amount(ws, row, j, to_decimal(value))
                else:
                    self._cell(ws, row, j, value)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 2)

    def detail_sheet(self, report: ReportDoc) -> None:
        """Every column of RULES.md for every line and year (fund, year, lines in table order, total)."""
        ws = self._sheet(self.w["sheet_detail"], wide=True)
        columns = [c for c in _union_columns(report.funds)]
        self._titles(ws, self.w["detail_title"], title_of(report.kind, report.scenario, report.title, self.lang))
        headers = [self.w["fund"], self.w["code"], self.w["label"], self.w["character"], self.w["group"],
                   self.w["year"]] + [column_label(c, self.lang) for c in columns]
        widths = [9.0, 14.0, 70.0, 11.0, 16.0, 7.0] + [17.0] * len(columns)
        self._header(ws, headers, widths, numeric_from=7)
        row = HEADER_ROW
        for fund in report.funds:
            for year in fund.years:
                for line in fund.lines:
                    row += 1
                    self._cell(ws, row, 1, fund.code)
                    self._cell(ws, row, 2, line.code)
                    self._cell(ws, row, 3, line.label).alignment = self.Alignment(horizontal="left", indent=2 * line.depth)
                    self._cell(ws, row, 4, character_label(line.character, self.lang))
                    self._cell(ws, row, 5, group_label(line.group, self.lang, fund.group_labels) if line.group else "")
                    self._year(ws, row, 6, year)
                    for j, c in enumerate(columns, start=7):
                        self._amount(ws, row, j, line.amount(year, c))
                    if line.is_subtotal:
                        for j in range(1, 7 + len(columns)):
                            ws.cell(row, j).font = self.bold
                            ws.cell(row, j).fill = self.fill["subtotal"]
                row += 1
                self._cell(ws, row, 1, fund.code)
                self._cell(ws, row, 3, self.w["fund_total"])
                self._year(ws, row, 6, year)
                for j, c in enumerate(columns, start=7):
                    self._amount(ws, row, j, fund.totals.get(year, {}).get(c))
                for j in range(1, 7 + len(columns)):
                    ws.cell(row, j).font = self.bold
                    ws.cell(row, j).fill = self.fill["total"]
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 4)
        if row > HEADER_ROW:
            from openpyxl.utils import get_column_letter

            ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(6 + len(columns))}{row}"

    def _findings_table(self, ws: Any, findings: list[dict[str, Any]], empty: str) -> None:
        headers = [self.w["severity"], self.w["rule"], self.w["fund"], self.w["year"], self.w["line"],
                   self.w["message"], self.w["citation"], self.w["source"], self.w["amount"]]
        widths = [14.0, 24.0, 8.0, 7.0, 13.0, 70.0, 55.0, 30.0, 17.0]
        self._header(ws, headers, widths, numeric_from=9)
        ws.cell(HEADER_ROW, 4).alignment = self.Alignment(horizontal="center", vertical="center")
        if not findings:
            self._empty(ws, empty)
            return
        top = self.Alignment(vertical="top", wrap_text=True)
        for row, f in enumerate(findings, start=HEADER_ROW + 1):
            severity = f.get("severity") or ""
            sev = self._cell(ws, row, 1, severity_label(severity, self.lang))
            if f"sev_{severity}" in self.fill:
                sev.fill = self.fill[f"sev_{severity}"]
            self._cell(ws, row, 2, f.get("rule"))
            self._cell(ws, row, 3, f.get("fund"))
            self._cell(ws, row, 4, f.get("year"))
            self._cell(ws, row, 5, f.get("line"))
            self._cell(ws, row, 6, localise_dates(f.get("message"), self.lang))
            self._cell(ws, row, 7, f.get("citation"))
            self._cell(ws, row, 8, f.get("source"))  # file:line, as the document gives it
            self._amount(ws, row, 9, to_decimal(f.get("amount")))
            for j in range(1, 10):
                ws.cell(row, j).alignment = self.center if j == 4 else top
        self._fit_rows(ws, HEADER_ROW + 1, HEADER_ROW + len(findings), {6: widths[5], 7: widths[6], 8: widths[7]})
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)

    def findings_sheet(self, report: ReportDoc) -> None:
        ws = self._sheet(self.w["sheet_findings"])
        self._titles(ws, f"{self.w['findings_title']} — {title_of(report.kind, report.scenario, report.title, self.lang)}",
                     summary_text(count_by_severity(report), self.lang))
        self._findings_table(ws, report.findings or [], self.w["none_findings"])

    def source_sheet(self, report: ReportDoc) -> None:
        ws = self._sheet(self.w["sheet_source"])
        self._titles(ws, self.w["source_title"].format(rule=source_rule(report)), self.w["source_sub"])
        self._findings_table(ws, report.source_findings, self.w["none_source"])

    def _centre_year_headers(self, ws: Any) -> None:
        """Columns 4 and 5 of the carry-over and beyond-period sheets: the year of origin and the target."""
        for j in (4, 5):
            ws.cell(HEADER_ROW, j).alignment = self.Alignment(horizontal="center", vertical="center", wrap_text=True)

    def _origin(self, ws: Any, row: int, report: ReportDoc, r: dict, target_year: Any) -> None:
        """Columns 1 to 5 of those sheets: fund, line, its label, the year of origin and the target year."""
        self._cell(ws, row, 1, r.get("fund"))
        self._cell(ws, row, 2, r.get("line"))
        self._cell(ws, row, 3, report.line_label(r.get("fund", ""), r.get("line")))
        self._year(ws, row, 4, r.get("from_year"))
        self._year(ws, row, 5, target_year)

    def carry_sheet(self, report: ReportDoc) -> None:
        ws = self._sheet(self.w["sheet_carry"])
        self._titles(ws, self.w["carry_title"], title_of(report.kind, report.scenario, report.title, self.lang))
        headers = [self.w["fund"], self.w["line"], self.w["label"], self.w["from_year"], self.w["to_year"],
                   self.w["co_authorised"], self.w["co_executed"], self.w["co_eligible"], self.w["co_carried"],
                   self.w["co_lapsed"], self.w["rule"]]
        self._header(ws, headers, [8.0, 13.0, 44.0, 10.0, 10.0, 18.0, 18.0, 18.0, 18.0, 18.0, 22.0], numeric_from=4)
        ws.cell(HEADER_ROW, 11).alignment = self.Alignment(horizontal="left", vertical="center", indent=1)
        self._centre_year_headers(ws)
        rows = report.carry_over or []
        if not rows:
            self._empty(ws, self.w["none_carry"])
            return
        for row, r in enumerate(rows, start=HEADER_ROW + 1):
            self._origin(ws, row, report, r, r.get("to_year"))
            for j, key in enumerate(("authorised", "executed", "eligible", "carried", "lapsed"), start=6):
                self._amount(ws, row, j, to_decimal(r.get(key)))
            self._cell(ws, row, 11, r.get("rule")).alignment = self.Alignment(horizontal="left", indent=1)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)

    def beyond_sheet(self, report: ReportDoc) -> None:
        ws = self._sheet(self.w["sheet_beyond"])
        self._titles(ws, self.w["beyond_title"], title_of(report.kind, report.scenario, report.title, self.lang))
        headers = [self.w["fund"], self.w["line"], self.w["label"], self.w["from_year"], self.w["target_year"],
                   self.w["column"], self.w["amount"], self.w["rule"]]
        self._header(ws, headers, [8.0, 13.0, 44.0, 10.0, 10.0, 20.0, 18.0, 22.0])
        self._centre_year_headers(ws)
        ws.cell(HEADER_ROW, 7).alignment = self.Alignment(horizontal="right", vertical="center")
        ws.cell(HEADER_ROW, 8).alignment = self.Alignment(horizontal="left", vertical="center", indent=1)
        rows = report.beyond_period or []
        if not rows:
            self._empty(ws, self.w["none_beyond"])
            return
        for row, r in enumerate(rows, start=HEADER_ROW + 1):
            self._origin(ws, row, report, r, r.get("year"))
            self._cell(ws, row, 6, column_label(r.get("column") or "", self.lang))
            self._amount(ws, row, 7, to_decimal(r.get("amount")))
            self._cell(ws, row, 8, r.get("rule")).alignment = self.Alignment(horizontal="left", indent=1)


def _is_amount(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _union_columns(funds: list[FundView]) -> list[str]:
    from ..core.records import COLUMNS

    present = {c for fund in funds for c in fund.columns}
    return [c for c in COLUMNS if c in present]


def _sheet_name(name: str, taken: set[str]) -> str:
    """A legal, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    clean = "".join("-" if ch in '[]:*?/\\' else ch for ch in name).strip("'")[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate
