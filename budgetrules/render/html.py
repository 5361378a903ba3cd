"""The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the
authorised credits per fund and year, every column in <details>, charts, findings and carry-overs."""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from ..core.money import format_amount
from ..core.records import SEVERITIES
from . import charts
from .view import FundView, LineRow, ReportDoc, count_by_severity, localise_dates, read_doc, reserve_columns, to_decimal
from .labels import SEVERITY_PLURALS, character_label, column_label, reserve_label, severity_label, summary_text, title_of, words

CSS = """
:root { --ink:#1d1d1f; --muted:#5b5b66; --rule:#d0d4dc; --head:#1f4e79; --section:#ddebf7; --sub:#f2f4f7;
        --total:#bdd7ee; --error:#f8cbad; --warning:#ffe699; --info:#ddebf7; --neg:#b3261e; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink);
       margin: 0; background: #fff; font-size: 14px; line-height: 1.4; }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; border-bottom: 3px solid var(--head); padding-bottom: 10px; }
h1 { font-size: 24px; margin: 0 0 4px; color: var(--head); }
h2 { font-size: 20px; margin: 32px 0 8px; color: var(--head); border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
p.sub { margin: 0; color: var(--muted); }
nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav a { color: var(--head); }
.badges { margin: 10px 0 0; display: flex; gap: 8px; flex-wrap: wrap; }
.badge { padding: 2px 10px; border-radius: 10px; font-weight: bold; font-size: 13px; }
.badge.error { background: var(--error); } .badge.warning { background: var(--warning); }
.badge.info { background: var(--info); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; text-align: left; }
thead th { background: var(--head); color: #fff; font-weight: bold; position: sticky; top: 0; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.neg { color: var(--neg); }
td.code { white-space: nowrap; color: var(--muted); }
tr.subtotal td { font-weight: bold; background: var(--sub); }
tr.section td { font-weight: bold; background: var(--section); }
tr.total td { font-weight: bold; background: var(--total); border-top: 2px solid var(--head); }
td.d1 { padding-left: 26px; } td.d2 { padding-left: 44px; } td.d3 { padding-left: 62px; }
td.d4 { padding-left: 80px; } td.d5 { padding-left: 98px; } td.d6 { padding-left: 116px; }
.scroll { overflow-x: auto; max-width: 100%; }
table.detail { font-size: 11px; }
table.detail td:nth-child(2) { min-width: 170px; }
table.detail td, table.detail th { padding: 2px 5px; }
details { margin: 4px 0; }
details > summary { cursor: pointer; color: var(--head); }
.cite { color: var(--muted); font-size: 12px; margin-top: 2px; }
td.sev { white-space: nowrap; font-weight: bold; }
table.findings { table-layout: fixed; }
table.findings col.sev { width: 125px; } table.findings col.rule { width: 200px; }
table.findings col.fund { width: 62px; } table.findings col.year { width: 56px; }
table.findings col.line { width: 104px; } table.findings col.amount { width: 130px; }
table.findings td { overflow-wrap: anywhere; }
table.carry, table.beyond { font-size: 12.5px; }
tr.sev-error td.sev { background: var(--error); } tr.sev-warning td.sev { background: var(--warning); }
tr.sev-info td.sev { background: var(--info); }
figure { margin: 12px 0 18px; }
figcaption { font-weight: bold; font-size: 14px; margin: 0 0 4px; }
svg.chart { max-width: 100%; height: auto; display: block; }
.waterfalls { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.waterfalls figure { flex: 0 1 520px; margin: 6px 0; }
.note { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; padding: 24px 20px 32px; }
@media print { thead th { position: static; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
"""


def render_html(doc: dict[str, Any], *, lang: str = "fr") -> str:
    """Return one self-contained HTML page (UTF-8 text) of a `run`, `audit` or `funds show` document."""
    lang = "en" if lang == "en" else "fr"
    report = read_doc(doc)
    return _Page(report, lang).render()


def _amount_cell(value: Decimal | None, lang: str, extra: str = "") -> str:
    if value is None:
        return f'<td class="num{extra}"></td>'
    neg = " neg" if value < 0 else ""
    return f'<td class="num{neg}{extra}">{escape(format_amount(value, lang))}</td>'


def _detail_blocks(columns: list[str]) -> list[list[str]]:
    """The year in two tables, as RULES.md tells it: the build-up of the authorised credits, then the close."""
    build = [c for c in columns if c in charts.WATERFALL_STEPS or c == "authorised"]
    close = [c for c in columns if c in ("authorised", "executed", "available", "carry_out", "lapsed")]
    other = [c for c in columns if c not in build and c not in close]
    blocks = [b for b in (build, close, other) if b and b != ["authorised"]]
    return blocks or [columns]


def _year_text(value: Any) -> str:
    return "" if value is None else escape(str(value))


class _Page:
    def __init__(self, report: ReportDoc, lang: str) -> None:
        self.r = report
        self.lang = lang
        self.w = words(lang)
        self._uid = 0

    def uid(self, stem: str) -> str:
        self._uid += 1
        return f"{stem}-{self._uid}"

    # -- page ------------------------------------------------------------------------------------------

    def render(self) -> str:
        title = title_of(self.r.kind, self.r.scenario, self.r.title, self.lang)
        body = [self.header(title)]
        body.append("<main>")
        for fund in self.r.funds:
            body.append(self.fund_section(fund))
        if self.r.findings is not None:
            body.append(self.findings_section())
            body.append(self.source_section())
        if self.r.carry_over is not None:
            body.append(self.carry_section())
        if self.r.beyond_period is not None:
            body.append(self.beyond_section())
        body.append("</main>")
        body.append(f'<footer><p>{escape(self.w["generated_by"])}'
                    + (f' {escape(self.r.cog_title)}.' if self.r.cog_title else '') + '</p></footer>')
        return ("<!DOCTYPE html>\n"
                f'<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                '<meta name="generator" content="budgetrules">\n'
                f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
                + "\n".join(part for part in body if part) + "\n</body>\n</html>\n")

    def header(self, title: str) -> str:
        parts = ["<header>", f"<h1>{escape(title)}</h1>"]
        if self.r.cog_title:
            parts.append(f'<p class="sub">{escape(self.r.cog_title)}</p>')
        if self.r.findings is not None:
            counts = count_by_severity(self.r)
            parts.append('<p class="badges">' + "".join(
                f'<span class="badge {s}">{counts[s]} {escape(self._plural(s, counts[s]))}</span>'
                for s in SEVERITIES) + "</p>")
        links = [(f"fonds-{f.code}", f"{f.code} — {f.label}") for f in self.r.funds]
        if self.r.findings is not None:
            links.append(("constats", self.w["findings_title"]))
            if self.r.source_findings:
                links.append(("tableaux-publies", self.w["source_title"]))
        if self.r.carry_over is not None:
            links.append(("reports", self.w["carry_title"]))
        if self.r.beyond_period is not None:
            links.append(("au-dela", self.w["beyond_title"]))
        if links:
            parts.append(f'<nav aria-label="{escape(self.w["nav"])}"><ul>' + "".join(
                f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in links) + "</ul></nav>")
        parts.append("</header>")
        return "\n".join(parts)

    def _plural(self, severity: str, n: int) -> str:
        one, many = SEVERITY_PLURALS[self.lang][severity]
        return one if (n <= 1 if self.lang == "fr" else n == 1) else many

    # -- funds -----------------------------------------------------------------------------------------

    def fund_section(self, fund: FundView) -> str:
        column = fund.headline
        heading = self.w["authorised_per_fund"] if column == "authorised" else self.w["base_per_fund"]
        parts = [f'<section id="fonds-{escape(fund.code)}">',
                 f"<h2>{escape(fund.code)} — {escape(fund.label)}</h2>",
                 f"<h3>{escape(heading)}</h3>",
                 f'<p class="note">{escape(column_label(column, self.lang))} — {escape(self.w["unit_note"])}</p>',
                 self.cog_table(fund, column)]
        if len(fund.columns) > 1:
            for year in fund.years:
                parts.append(f"<details><summary>{escape(self.w['detail_details'].format(year=year))}</summary>"
                             + "".join(f'<div class="scroll">{self.detail_table(fund, year, cols)}</div>'
                                       for cols in _detail_blocks(fund.columns))
                             + "</details>")
        if fund.reserve:
            parts.append(self.reserve_table(fund))
        parts.append(self.fund_charts(fund))
        parts.append("</section>")
        return "\n".join(parts)

    def _label_cell(self, line: LineRow) -> str:
        depth = min(line.depth, 6)
        cls = f' class="d{depth}"' if depth else ""
        return f"<td{cls}>{escape(line.label)}</td>"

    @staticmethod
    def _row_class(line: LineRow) -> str:
        if not line.is_subtotal:
            return ""
        return ' class="section"' if line.depth == 0 else ' class="subtotal"'

    def cog_table(self, fund: FundView, column: str) -> str:
        head = (f'<thead><tr><th>{escape(self.w["code"])}</th><th>{escape(self.w["label"])}</th>'
                + "".join(f'<th class="num">{escape(y)}</th>' for y in fund.years)
                + f'<th>{escape(self.w["character"])}</th></tr></thead>')
        rows = []
        for line in fund.lines:
            rows.append(f"<tr{self._row_class(line)}><td class=\"code\">{escape(line.code)}</td>"
                        + self._label_cell(line)
                        + "".join(_amount_cell(line.amount(y, column), self.lang) for y in fund.years)
                        + f"<td>{escape(character_label(line.character, self.lang))}</td></tr>")
        rows.append(f'<tr class="total"><td></td><td>{escape(self.w["fund_total"])}</td>'
                    + "".join(_amount_cell(fund.totals.get(y, {}).get(column), self.lang) for y in fund.years)
                    + "<td></td></tr>")
        return f'<table class="cog">{head}<tbody>{"".join(rows)}</tbody></table>'

    def detail_table(self, fund: FundView, year: str, cols: list[str]) -> str:
        head = (f'<thead><tr><th>{escape(self.w["code"])}</th><th>{escape(self.w["label"])}</th>'
                + "".join(f'<th class="num">{escape(column_label(c, self.lang))}</th>' for c in cols)
                + "</tr></thead>")
        rows = []
        for line in fund.lines:
            rows.append(f"<tr{self._row_class(line)}><td class=\"code\">{escape(line.code)}</td>"
                        + self._label_cell(line)
                        + "".join(_amount_cell(line.amount(year, c), self.lang) for c in cols) + "</tr>")
        rows.append(f'<tr class="total"><td></td><td>{escape(self.w["fund_total"])}</td>'
                    + "".join(_amount_cell(fund.totals.get(year, {}).get(c), self.lang) for c in cols) + "</tr>")
        return f'<table class="detail">{head}<tbody>{"".join(rows)}</tbody></table>'

    def reserve_table(self, fund: FundView) -> str:
        keys = reserve_columns(fund.reserve)
        head = "".join(f'<th{"" if k == "year" else " class=num"}>{escape(reserve_label(k, self.lang))}</th>'
                       for k in keys)
        rows = []
        for item in fund.reserve:
            cells = []
            for key in keys:
                value = item.get(key)
                amount = None
                if key != "year" and isinstance(value, str):
                    try:
                        amount = Decimal(value)
                    except ArithmeticError:
                        amount = None
                cells.append(_amount_cell(amount, self.lang) if amount is not None
                             else f"<td>{escape('' if value is None else str(value))}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return (f"<h3>{escape(self.w['reserve_title'].format(code=fund.code))}</h3>"
                f'<div class="scroll"><table class="reserve"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>')

    def fund_charts(self, fund: FundView) -> str:
        parts = []
        if fund.has("authorised") and fund.has("executed") and charts.has_figures(fund, ("authorised", "executed")):
            parts.append(self._figure(charts.authorised_vs_executed(fund, self.lang, self.uid(f"ae-{fund.code}")),
                                      self.w["chart_auth_exec"]))
        if (fund.has("authorised") and fund.has("base") and len(fund.columns) > 2
                and charts.has_figures(fund, charts.WATERFALL_STEPS + ("authorised",))):
            falls = [charts.waterfall(fund, y, self.lang, self.uid(f"wf-{fund.code}-{y}")) for y in fund.years]
            falls = [f for f in falls if f]
            if falls:
                parts.append('<div class="waterfalls">' + "".join(f"<figure>{f}</figure>" for f in falls) + "</div>")
        if fund.has("lapsed") and charts.has_figures(fund, ("lapsed",)):
            parts.append(self._figure(charts.lapsed(fund, self.lang, self.uid(f"lapsed-{fund.code}")),
                                      self.w["chart_lapsed"]))
        if not parts:
            if fund.has("authorised") and len(fund.columns) > 2:
                return f'<p class="note">{escape(self.w["no_chart_zero"])}</p>'
            present = ", ".join(column_label(c, self.lang) for c in fund.columns) or "—"
            return f'<p class="note">{escape(self.w["no_chart"].format(columns=present))}</p>'
        return (f"<h3>{escape(self.w['charts'])}</h3>\n" + "\n".join(parts)
                + f'\n<p class="note">{escape(self.w["chart_note"])}</p>')

    @staticmethod
    def _figure(svg: str, caption: str) -> str:
        return f"<figure><figcaption>{escape(caption)}</figcaption>{svg}</figure>"

    # -- findings and statements ----------------------------------------------------------------------

    def _findings_table(self, findings: list[dict[str, Any]]) -> str:
        head = "".join(f"<th>{escape(self.w[k])}</th>" for k in ("severity", "rule", "fund", "year", "line", "message"))
        head += f'<th class="num">{escape(self.w["amount"])}</th>'
        rows = []
        for f in findings:
            severity = f.get("severity") or ""
            line = f.get("line") or ""
            label = self.r.line_label(f.get("fund") or "", line)
            line_cell = (f'<td class="code"><abbr title="{escape(label)}">{escape(line)}</abbr></td>' if label
                         else f'<td class="code">{escape(line)}</td>')
            cite = f'<div class="cite">{escape(f.get("citation") or "")}</div>' if f.get("citation") else ""
            rows.append(f'<tr class="sev-{escape(severity)}"><td class="sev">{escape(severity_label(severity, self.lang))}'
                        f'</td><td class="code">{escape(f.get("rule") or "")}</td><td>{escape(f.get("fund") or "")}</td>'
                        f"<td>{_year_text(f.get('year'))}</td>{line_cell}"
                        f"<td>{escape(localise_dates(f.get('message'), self.lang))}{cite}</td>"
                        + _amount_cell(to_decimal(f.get("amount")), self.lang) + "</tr>")
        cols = "".join(f'<col class="{c}">' for c in ("sev", "rule", "fund", "year", "line", "message", "amount"))
        return (f'<table class="findings"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')

    def findings_section(self) -> str:
        findings = self.r.findings or []
        parts = ['<section id="constats">', f"<h2>{escape(self.w['findings_title'])}</h2>",
                 f'<p class="note">{escape(summary_text(count_by_severity(self.r), self.lang))}</p>']
        if not findings:
            parts.append(f"<p>{escape(self.w['none_findings'])}</p>")
        for severity in SEVERITIES + ("",):
            group = [f for f in findings if (f.get("severity") or "") == severity
                     or (severity == "" and f.get("severity") not in SEVERITIES)]
            if not group:
                continue
            name = SEVERITY_PLURALS[self.lang][severity][1].capitalize() if severity else "—"
            parts.append(f"<h3>{escape(name)} ({len(group)})</h3>")
            parts.append(self._findings_table(group))
        parts.append("</section>")
        return "\n".join(parts)

    def source_section(self) -> str:
        if not self.r.source_findings:
            return ""
        return "\n".join(['<section id="tableaux-publies">', f"<h2>{escape(self.w['source_title'])}</h2>",
                          f'<p class="note">{escape(self.w["source_sub"])}</p>',
                          self._findings_table(self.r.source_findings), "</section>"])

    def carry_section(self) -> str:
        rows = self.r.carry_over or []
        parts = ['<section id="reports">', f"<h2>{escape(self.w['carry_title'])}</h2>"]
        if not rows:
            parts.append(f"<p>{escape(self.w['none_carry'])}</p></section>")
            return "\n".join(parts)
        keys = ("co_authorised", "co_executed", "co_eligible", "co_carried", "co_lapsed")
        head = ("".join(f"<th>{escape(self.w[k])}</th>" for k in ("fund", "line", "label", "years"))
                + "".join(f'<th class="num">{escape(self.w[k])}</th>' for k in keys)
                + f"<th>{escape(self.w['rule'])}</th>")
        body = []
        for r in rows:
            body.append(f"<tr><td>{escape(r.get('fund') or '')}</td><td class=\"code\">{escape(r.get('line') or '')}</td>"
                        f"<td>{escape(self.r.line_label(r.get('fund') or '', r.get('line')))}</td>"
                        f"<td class=\"code\">{_year_text(r.get('from_year'))} → {_year_text(r.get('to_year'))}</td>"
                        + "".join(_amount_cell(to_decimal(r.get(k)), self.lang)
                                  for k in ("authorised", "executed", "eligible", "carried", "lapsed"))
                        + f"<td class=\"code\">{escape(r.get('rule') or '')}</td></tr>")
        parts.append(f'<div class="scroll"><table class="carry"><thead><tr>{head}</tr></thead>'
                     f'<tbody>{"".join(body)}</tbody></table></div>')
        parts.append("</section>")
        return "\n".join(parts)

    def beyond_section(self) -> str:
        rows = self.r.beyond_period or []
        parts = ['<section id="au-dela">', f"<h2>{escape(self.w['beyond_title'])}</h2>"]
        if not rows:
            parts.append(f"<p>{escape(self.w['none_beyond'])}</p></section>")
            return "\n".join(parts)
        head = ("".join(f"<th>{escape(self.w[k])}</th>"
                        for k in ("fund", "line", "label", "from_year", "target_year", "column"))
                + f'<th class="num">{escape(self.w["amount"])}</th><th>{escape(self.w["rule"])}</th>')
        body = []
        for r in rows:
            body.append(f"<tr><td>{escape(r.get('fund') or '')}</td><td class=\"code\">{escape(r.get('line') or '')}</td>"
                        f"<td>{escape(self.r.line_label(r.get('fund') or '', r.get('line')))}</td>"
                        f"<td>{_year_text(r.get('from_year'))}</td><td>{_year_text(r.get('year'))}</td>"
                        f"<td>{escape(column_label(r.get('column') or '', self.lang))}</td>"
                        + _amount_cell(to_decimal(r.get("amount")), self.lang)
                        + f"<td class=\"code\">{escape(r.get('rule') or '')}</td></tr>")
        parts.append(f'<div class="scroll"><table class="beyond"><thead><tr>{head}</tr></thead>'
                     f'<tbody>{"".join(body)}</tbody></table></div>')
        parts.append("</section>")
        return "\n".join(parts)
