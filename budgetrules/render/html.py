"""The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched): each fund in the
COG's form (authorised, then executed and available credits per year; carried and lapsed), the build-up of each
year's credits in <details>, charts (with the line overruns), findings with their source, what was read from the
books (FEC, render/books_html.py), and carry-overs."""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from ..core.money import format_amount
from ..core.records import SEVERITIES
from . import charts
from .overruns import line_overruns, overruns_chart
from .report_css import CSS
from .view import (FundView, LineRow, ReportDoc, count_by_severity, localise_dates, read_doc, reserve_columns, source_rule,
                   to_decimal)
from .labels import (SEVERITY_PLURALS, character_label, chart_group, column_label, group_label, reserve_label,
                     severity_label, summary_text, title_of, words)


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


CLOSE = ("carry_out", "lapsed")


def cog_blocks(fund: FundView) -> list[str]:
    """The columns of the fund's table in the COG's form: the authorised credits, then (a run or an audit)
    the executed and available credits, each a block of the fund's years — the form the COG asks for the
    closing presentation to the board; a `funds show` document has its base only."""
    if fund.has("authorised") and fund.has("executed"):
        return [c for c in ("authorised", "executed", "available") if fund.has(c)]
    return [fund.headline]


def year_details(fund: FundView) -> list[str]:
    """The columns shown year by year in <details>: the build-up of the authorised credits (base → authorised),
    and any column neither the COG-form table nor the close table shows."""
    shown = set(cog_blocks(fund)) | set(CLOSE)
    cols = [c for c in fund.columns if c in charts.WATERFALL_STEPS or c == "authorised" or c not in shown]
    return cols if [c for c in cols if c not in ("base", "authorised")] else []  # a base alone: no build-up


def moved_lines(fund: FundView, year: str, cols: list[str]) -> set[str]:
    """The lines of the year's build-up: those with a non-zero amount in a column between the base and the
    authorised credits (indexation, carry-over, virements …), and the subtotals above them. On every other
    line the authorised credit is the COG base, as the fund's table shows: the build-up leaves them out."""
    steps = [c for c in cols if c not in ("base", "authorised")]
    parents = {line.code: line.parent for line in fund.lines}
    shown: set[str] = set()
    for line in fund.lines:
        if any(line.amount(year, c) for c in steps):
            code: str | None = line.code
            while code and code not in shown:
                shown.add(code)
                code = parents.get(code)
    return shown


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
        if self.r.books is not None:
            # imported here: that module writes its amounts with this one's cells
            from .books_html import books_section

            body.append(books_section(self.r.books, self.lang))
        if self.r.carry_over is not None:
            body.append(self.carry_section())
        if self.r.beyond_period is not None:
            body.append(self.beyond_section())
        if self.r.participation:
            from .books_html import view_section
            from .participation import participation_view

            title, view = participation_view(self.r.participation, self.lang)
            body.append(view_section(view, "participation", title, self.lang))
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
                links.append(("tableaux-publies", self.w["source_title"].format(rule=source_rule(self.r))))
        if self.r.books is not None:
            links.append(("ecritures", self.w["books_title"]))
        if self.r.carry_over is not None:
            links.append(("reports", self.w["carry_title"]))
        if self.r.beyond_period is not None:
            links.append(("au-dela", self.w["beyond_title"]))
        if self.r.participation:
            from .text import participation_words

            links.append(("participation", participation_words(self.r.participation, self.lang)[0]))
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
        blocks = cog_blocks(fund)
        if len(blocks) > 1:
            heading, note = self.w["cog_form_title"], self.w["unit_note"]
        else:
            heading = self.w["authorised_per_fund"] if blocks[0] == "authorised" else self.w["base_per_fund"]
            note = f'{column_label(blocks[0], self.lang)} — {self.w["unit_note"]}'
        parts = [f'<section id="fonds-{escape(fund.code)}" class="fund">',
                 f"<h2>{escape(fund.code)} — {escape(fund.label)}</h2>",
                 f"<h3>{escape(heading)}</h3>",
                 f'<p class="note">{escape(note)}</p>',
                 f'<div class="scroll">{self.cog_table(fund, blocks)}</div>']
        close = [c for c in CLOSE if fund.has(c)]
        if close and len(blocks) > 1:
            parts.append(f"<h3>{escape(self.w['close_title'])}</h3>")
            parts.append(f'<div class="scroll">{self.cog_table(fund, close, character=False)}</div>')
        cols = year_details(fund)
        if cols:
            for year in fund.years:
                shown = moved_lines(fund, year, cols)
                note = self.w["buildup_note" if shown else "buildup_none"].format(year=year)
                table = f'<div class="scroll">{self.detail_table(fund, year, cols, shown)}</div>' if shown else ""
                parts.append(f"<details><summary>{escape(self.w['buildup_details'].format(year=year))}</summary>"
                             f'<p class="note">{escape(note)}</p>{table}</details>')
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

    def cog_table(self, fund: FundView, columns: list[str], *, character: bool = True) -> str:
        """Code, label, then for each column a block of the fund's years; subtotals in the COG's order."""
        years = fund.years
        tail = f'<th rowspan="2">{escape(self.w["character"])}</th>' if character else ""
        if len(columns) == 1:
            head = (f'<thead><tr><th>{escape(self.w["code"])}</th><th>{escape(self.w["label"])}</th>'
                    + "".join(f'<th class="num">{escape(y)}</th>' for y in years)
                    + tail.replace(' rowspan="2"', "") + "</tr></thead>")
        else:
            head = (f'<thead><tr class="blocks"><th rowspan="2">{escape(self.w["code"])}</th>'
                    f'<th rowspan="2">{escape(self.w["label"])}</th>'
                    + "".join(f'<th colspan="{len(years)}" class="block">{escape(column_label(c, self.lang))}</th>'
                              for c in columns)
                    + tail + "</tr><tr>"
                    + "".join(f'<th class="num{" block" if i == 0 else ""}">{escape(y)}</th>'
                              for _ in columns for i, y in enumerate(years))
                    + "</tr></thead>")

        def cells(amount_of: Any) -> str:
            return "".join(_amount_cell(amount_of(y, c), self.lang, " block" if i == 0 and len(columns) > 1 else "")
                           for c in columns for i, y in enumerate(years))

        rows = []
        for line in fund.lines:
            rows.append(f"<tr{self._row_class(line)}><td class=\"code\">{escape(line.code)}</td>"
                        + self._label_cell(line) + cells(line.amount)
                        + (f"<td>{escape(character_label(line.character, self.lang))}</td>" if character else "")
                        + "</tr>")
        rows.append(f'<tr class="total"><td></td><td>{escape(self.w["fund_total"])}</td>'
                    + cells(lambda y, c: fund.totals.get(y, {}).get(c)) + ("<td></td>" if character else "") + "</tr>")
        return f'<table class="cog">{head}<tbody>{"".join(rows)}</tbody></table>'

    def detail_table(self, fund: FundView, year: str, cols: list[str], shown: set[str]) -> str:
        """The build-up of the year's authorised credits, in the COG's order, for the lines in `shown`."""
        head = (f'<thead><tr><th>{escape(self.w["code"])}</th><th>{escape(self.w["label"])}</th>'
                + "".join(f'<th class="num">{escape(column_label(c, self.lang))}</th>' for c in cols)
                + "</tr></thead>")
        rows = []
        for line in fund.lines:
            if line.code not in shown:
                continue
            rows.append(f"<tr{self._row_class(line)}><td class=\"code\">{escape(line.code)}</td>"
                        + self._label_cell(line)
                        + "".join(_amount_cell(line.amount(year, c), self.lang) for c in cols) + "</tr>")
        rows.append(f'<tr class="total"><td></td><td>{escape(self.w["fund_total"])}</td>'
                    + "".join(_amount_cell(fund.totals.get(year, {}).get(c), self.lang) for c in cols)
                    + "</tr>")
        return f'<table class="detail">{head}<tbody>{"".join(rows)}</tbody></table>'

    def reserve_table(self, fund: FundView) -> str:
        keys = reserve_columns(fund.reserve)
        head = "".join(f'<th{"" if k == "year" else " class=num"}>{escape(reserve_label(k, self.lang, fund.reserve_labels))}</th>'
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
            overruns = line_overruns(fund)
            marks: dict[tuple[str, str], list[str]] = {}
            for o in overruns:
                marks.setdefault((chart_group(o.line.character, o.line.group), o.year), []).append(
                    f"{o.line.code} {format_amount(o.amount, self.lang)}")
            tips = {(g, y): self.w["overrun_marks"].format(group=group_label(g, self.lang, fund.group_labels), year=y, items=", ".join(items))
                    for (g, y), items in marks.items()}
            parts.append(self._figure(charts.authorised_vs_executed(fund, self.lang, self.uid(f"ae-{fund.code}"), tips),
                                      self.w["chart_auth_exec"]))
            if overruns:
                parts.append(self._figure(overruns_chart(fund, overruns, self.lang, self.uid(f"overruns-{fund.code}")),
                                          self.w["chart_overruns"])
                             + f'<p class="note">{escape(self.w["overrun_note"])}</p>')
            else:
                parts.append(f'<p class="note">{escape(self.w["no_overrun"])}</p>')
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
            cite = escape(f.get("citation") or "")
            if f.get("source"):  # where the finding comes from: the scenario's file:line (or the fund file's)
                cite += (f'{" " if cite else ""}<span class="src{"" if cite else " alone"}">{escape(self.w["source"])}'
                         f'{" : " if self.lang == "fr" else ": "}<code>{escape(f["source"])}</code></span>')
            cite = f'<div class="cite">{cite}</div>' if cite else ""
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
        return "\n".join(['<section id="tableaux-publies">', f"<h2>{escape(self.w['source_title'].format(rule=source_rule(self.r)))}</h2>",
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
