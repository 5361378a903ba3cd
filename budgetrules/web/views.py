"""The pages as HTML, built from the documents (never from the engine's state) with the project's
catalogues of words (`render.labels`) and sentences (`render.messages`). Plain HTML: forms that GET
their inputs (so every page has a URL to paste in an e-mail), tables, `<details>` to open a finding
onto its explanation; one stylesheet and one small script, both served by this server.

Every value from a document or a request is escaped (`esc`)."""
from __future__ import annotations

from typing import Any, Mapping

from ..core.errors import Problem
from ..core.money import format_amount
from ..documents import ExplainDocument, FundTable, RunDocument, VirementDocument
from ..render.labels import column_label, group_label, severity_label, summary_text
from ..render.messages import finding_text, text
from .state import Cog
from .layout import (NAV, amount_cell, explanation_table, cog_field, day, downloads, errors_box, esc, field, form, fund_field, leaf_choices,  # noqa: F401
                     line_select, money, page, permalink, scenario_field, select, sentence, url, w)


# -- home --------------------------------------------------------------------------------------

def home(lang: str, cogs: tuple[Cog, ...]) -> str:
    cards = "".join(f'<li><a href="{esc(url(path, {}, lang))}">{esc(w(lang, key))}</a> — {esc(w(lang, key + "_what"))}</li>'
                    for path, key in NAV)
    rows = "".join(f"<tr><td>{esc(code)}</td><td>{esc(f.label)}</td><td>{f.first_year}-{f.last_year}</td>"
                   f"<td class=n>{len(f.leaves)}</td></tr>" for c in cogs for code, f in c.funds.items())
    table = (f'<table class="plain"><thead><tr><th>{esc(w(lang, "fund"))}</th><th>{esc(w(lang, "label"))}</th>'
             f'<th>{esc(w(lang, "years"))}</th><th class=n>{esc(w(lang, "web_leaves"))}</th></tr></thead>'
             f'<tbody>{rows}</tbody></table>')
    body = (f'<p class="lead">{esc(w(lang, "web_home_intro"))}</p><ul class="cards">{cards}</ul>'
            f'<h2>{esc(w(lang, "web_funds_title"))}</h2>{table}'
            f'<p>{esc(w(lang, "web_api_intro"))} <a href="/api/openapi.json">/api/openapi.json</a></p>')
    return page(lang, w(lang, "web_home_title"), body, here="/", cog=cogs[0] if len(cogs) == 1 else None)


def message_page(lang: str, title: str, message: str, here: str) -> str:
    return page(lang, title, f'<div class="errors" role="alert"><p>{esc(message)}</p></div>', here=here)


# -- virement ----------------------------------------------------------------------------------

VERDICT_CLASS = {"permitted": "ok", "permitted_with_notice": "notice", "requires_dm": "dm", "refused": "refused"}


def virement_page(lang: str, *, cogs: tuple[Cog, ...], cog: Cog, scenarios: list[dict[str, str]],
                  params: dict[str, str], doc: VirementDocument | None, problems: list[Problem],
                  chained: list[dict[str, Any]]) -> str:
    fund = params.get("fund") or None
    leaves = leaf_choices(cog, fund, lang)
    f = cog.funds.get(fund or "")
    years = [(str(y), str(y)) for y in (f.years if f else range(cog.first_year, cog.last_year + 1))]
    bounds = f' min="{cog.first_year}-01-01" max="{cog.last_year}-12-31"'
    dm_open = " open" if any(params.get(k) for k in ("dm", "board_vote", "approval")) else ""
    fields = (cog_field(cogs, cog, lang) + fund_field(cog, fund, lang)
              + line_select("from", w(lang, "web_from"), leaves, params.get("from"), lang)
              + line_select("to", w(lang, "web_to"), leaves, params.get("to"), lang)
              + field("amount", w(lang, "amount"), params.get("amount"), hint=w(lang, "web_amount_hint"),
                      attrs=' placeholder="400 k€" autocomplete="off"')
              + field("date", w(lang, "web_date"), params.get("date"), kind="date", hint=w(lang, "web_date_hint"),
                      attrs=bounds)
              + select("year", w(lang, "year"), years, params.get("year"), empty=w(lang, "web_year_auto"))
              + scenario_field(scenarios, params.get("scenario"), lang))
    dm = (f'<details class="dm"{dm_open}><summary>{esc(w(lang, "web_dm"))}</summary><div class="grid">'
          + field("dm", w(lang, "web_dm_ref"), params.get("dm"), attrs=' placeholder="DM-2023-02"')
          + field("board_vote", w(lang, "web_board_vote"), params.get("board_vote"), kind="date")
          + field("approval", w(lang, "web_approval"), params.get("approval"), kind="date")
          + "</div></details>")
    body = f'<p class="lead">{esc(w(lang, "web_virement_intro"))}</p>'
    body += form("/virement", lang, fields, w(lang, "web_check"), extra=' id="virement-form"').replace(
        '</div><p><button', '</div>' + dm + '<p><button', 1)
    body += errors_box(problems, lang)
    if doc is not None:
        body += virement_answer(doc, lang, params, chained, f)
    return page(lang, w(lang, "web_virement_title"), body, here="/virement", params=params, cog=cog)


def verdict_sentence(verdict: str, doc: Any, lang: str) -> str:
    """"autorisé, avec information sous 15 jours": the renderer's words, with the fund's notice delay."""
    from ..render.virement import verdict_text

    return verdict_text(verdict, doc.notice_days, doc.notice_unit, lang)


def virement_answer(doc: VirementDocument, lang: str, params: dict[str, str], chained: list[dict[str, Any]],
                    fund: Any) -> str:
    verdict = verdict_sentence(doc.verdict, doc, lang)
    label = (lambda code: fund.by_code[code].label if fund is not None and code in fund.by_code else "")
    what = w(lang, "web_virement_what", fund=doc.fund, source=doc.source_line, target=doc.target_line,
             amount=money(doc.amount, lang), date=day(doc.date, lang))
    notice = (w(lang, "web_notify_by", who=doc.notify, date=day(doc.notify_by, lang)) if doc.notify_by
              else w(lang, "web_no_notice"))
    out = [f'<section class="answer" id="verdict"><h2>{esc(w(lang, "web_verdict"))}</h2>',
           f'<p class="what">{esc(what)}</p>',
           f'<p class="verdict verdict-{VERDICT_CLASS.get(doc.verdict, "dm")}" data-verdict="{esc(doc.verdict)}">'
           f'{esc(verdict)}</p>',
           f'<dl class="facts"><dt>{esc(w(lang, "web_who_signs"))}</dt>'
           f'<dd id="authority">{esc(text(doc.authority, {"dm_ref": doc.dm_ref}, lang))}</dd>'
           f'<dt>{esc(w(lang, "web_notify"))}</dt><dd id="notice">{esc(notice)}</dd></dl>']
    if doc.chains:
        items = "".join(f"<li>{esc(chain_text(c, lang))}</li>" for c in chained)
        out.append(f'<div class="chain" role="note" id="chain"><h3>{esc(w(lang, "web_chain_title", rule=doc.chain_rule))}</h3>'
                   f'<p>{esc(w(lang, "web_chain_text"))}</p><ul>{items}</ul></div>')
    out.append(f'<h3>{esc(w(lang, "web_reasons"))}</h3><ul class="reasons">'
               + "".join(f"<li>{esc(sentence(text(r.key, r.params, lang), lang))}</li>" for r in doc.reasons) + "</ul>")
    out.append(f'<h3>{esc(w(lang, "web_rules"))}</h3><ul class="rules">'
               + "".join(f'<li><code>{esc(rule)}</code> — {esc(citation)}</li>' for rule, citation in doc.rules)
               + "</ul>")
    head = "".join(f"<th class=n>{esc(w(lang, k))}</th>" for k in ("web_authorised_before", "web_available_before",
                                                                   "web_authorised_after", "web_available_after"))
    rows = ""
    for code in doc.before:
        b, a = doc.before[code], doc.after[code]
        rows += (f"<tr><td><code>{esc(code)}</code></td><td>{esc(label(code))}</td>"
                 + "".join(f"<td class=n>{esc(money(v, lang, False))}</td>"
                           for v in (b["authorised"], b["available"], a["authorised"], a["available"])) + "</tr>")
    out.append(f'<h3>{esc(w(lang, "web_two_lines", year=doc.year))}</h3>'
               f'<table class="plain" id="two-lines"><thead><tr><th>{esc(w(lang, "line"))}</th>'
               f'<th>{esc(w(lang, "label"))}</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
               f'<p class="note">{esc(w(lang, "unit_note"))}</p>')
    out.append(downloads(lang, "/virement", params))
    out.append(permalink(lang, url("/virement", params, lang)))
    out.append("</section>")
    return "".join(out)


def chain_text(chained: dict[str, Any], lang: str) -> str:
    if not chained.get("from"):
        return chained["source"]
    return w(lang, "web_chain_item", source=chained["source"], source_line=chained["from"], target_line=chained["to"],
             amount=money(chained["amount"], lang), date=day(chained["date"], lang))


# -- available ---------------------------------------------------------------------------------

def available_page(lang: str, *, cogs: tuple[Cog, ...], cog: Cog, scenarios: list[dict[str, str]],
                   params: dict[str, str], doc: Any, problems: list[Problem]) -> str:
    fund = params.get("fund") or None
    bounds = f' min="{cog.first_year}-01-01" max="{cog.last_year}-12-31"'
    fields = (cog_field(cogs, cog, lang) + fund_field(cog, fund, lang)
              + line_select("line", w(lang, "web_from"), leaf_choices(cog, fund, lang), params.get("line"), lang)
              + field("date", w(lang, "web_date"), params.get("date"), kind="date", attrs=bounds)
              + scenario_field(scenarios, params.get("scenario"), lang))
    body = f'<p class="lead">{esc(w(lang, "web_available_intro"))}</p>'
    body += form("/available", lang, fields, w(lang, "web_show"))
    body += errors_box(problems, lang)
    if doc is not None:
        body += available_answer(doc, lang, params)
    return page(lang, w(lang, "web_available_title"), body, here="/available", params=params, cog=cog)


def available_answer(doc: Any, lang: str, params: dict[str, str]) -> str:
    from ..render.virement import short, verdict_legend

    title = w(lang, "available_title", fund=doc.fund, line=doc.line, label=doc.label, date=day(doc.date, lang))
    summary = w(lang, "available_summary", authorised=money(doc.authorised, lang), executed=money(doc.executed, lang),
                available=money(doc.available, lang), movable=money(doc.movable, lang))
    chains = any(t.chains for t in doc.targets)  # the column only when a chain exists
    keys = ("to_line", "label", "group", "verdict", "signs", "notify_by") + (("chains_with",) if chains else ())
    head = "".join(f"<th>{esc(w(lang, k, rule=doc.chain_rule))}</th>" for k in keys) + f'<th class=n>{esc(w(lang, "largest"))}</th><th></th>'
    rows = []
    for t in doc.targets:
        verdict = verdict_sentence(t.verdict, doc, lang)
        ask = url("/virement", {"cog": params.get("cog"), "fund": doc.fund, "from": doc.line, "to": t.line,
                                "amount": format_amount(t.largest, "fr") if t.largest > 0 else "",
                                "date": doc.date.isoformat(), "scenario": params.get("scenario")}, lang)
        rows.append(f'<tr data-line="{esc(t.line)}" data-verdict="{esc(t.verdict)}"><td><code>{esc(t.line)}</code></td>'
                    f"<td>{esc(t.label)}</td><td>{esc(group_label(t.group, lang, doc.group_labels) if t.group else '')}</td>"
                    f'<td><span class="pill verdict-{VERDICT_CLASS.get(t.verdict, "dm")}">{esc(short(doc, t.verdict))}</span> '
                    f'{esc(verdict)} <code title="{esc(t.citation)}">{esc(t.rule)}</code></td>'
                    f"<td>{esc(text(t.authority, {}, lang))}</td><td>{esc(day(t.notify_by, lang))}</td>"
                    + (f"<td>{esc(', '.join(t.chains))}</td>" if chains else "") + f"{amount_cell(t.largest, lang)}"
                    f'<td><a href="{esc(ask)}">{esc(w(lang, "web_check"))}</a></td></tr>')
    return (f'<section class="answer" id="available"><h2>{esc(title)}</h2><p class="summary" id="available-summary">'
            f'{esc(summary)}</p><div class="scroll"><table class="plain" id="targets"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>'
            f'<p class="note">{esc(verdict_legend(doc, {t.verdict for t in doc.targets}, lang))}</p>'
            + downloads(lang, "/available", params) + permalink(lang, url("/available", params, lang)) + "</section>")


# -- explanation -------------------------------------------------------------------------------

def explain_page(lang: str, *, cogs: tuple[Cog, ...], cog: Cog, scenarios: list[dict[str, str]],
                 params: dict[str, str], doc: ExplainDocument | None, problems: list[Problem]) -> str:
    from ..core.records import COLUMNS

    fund = params.get("fund") or None
    f = cog.funds.get(fund or "")
    lines = [(ln.code, f"{ln.code} — {ln.label}") for ln in f.lines] if f else []
    years = [(str(y), str(y)) for y in (f.years if f else range(cog.first_year, cog.last_year + 1))]
    fields = (cog_field(cogs, cog, lang) + fund_field(cog, fund, lang)
              + select("line", w(lang, "line"), lines, params.get("line"), empty=w(lang, "web_choose"))
              + select("year", w(lang, "year"), years, params.get("year"), empty=w(lang, "web_choose"))
              + select("column", w(lang, "column"), [(c, column_label(c, lang)) for c in COLUMNS],
                       params.get("column") or "authorised")
              + field("as_of", w(lang, "web_as_of"), params.get("as_of"), kind="date", hint=w(lang, "web_as_of_hint"))
              + scenario_field(scenarios, params.get("scenario"), lang))
    body = f'<p class="lead">{esc(w(lang, "web_explain_intro"))}</p>' + form("/explain", lang, fields, w(lang, "web_show"))
    body += errors_box(problems, lang)
    if doc is not None:
        title = f"{column_label(doc.column, lang)} — {doc.fund} {doc.line} {doc.year}"
        if doc.as_of:
            title += " — " + w(lang, "as_of", date=day(doc.as_of, lang))
        title += (" : " if lang == "fr" else ": ") + money(doc.value, lang)
        body += (f'<section class="answer"><h2 id="figure">{esc(title)}</h2>' + explanation_table(doc, lang) + downloads(lang, "/explain", params)
                 + permalink(lang, url("/explain", params, lang)) + "</section>")
    return page(lang, w(lang, "web_explain_title"), body, here="/explain", params=params, cog=cog)


# -- audit -------------------------------------------------------------------------------------

def audit_page(lang: str, *, cogs: tuple[Cog, ...], cog: Cog, scenarios: list[dict[str, str]], params: dict[str, str],
               doc: RunDocument | None, explanations: Mapping[int, ExplainDocument | None], problems: list[Problem],
               posted: str | None = None) -> str:
    fields = (cog_field(cogs, cog, lang) + scenario_field(scenarios, params.get("scenario"), lang, default=False)
              + field("as_of", w(lang, "web_audit_date"), params.get("as_of"), kind="date",
                      hint=w(lang, "web_audit_date_hint")))
    body = f'<p class="lead">{esc(w(lang, "web_audit_intro"))}</p>' + form("/audit", lang, fields, w(lang, "web_audit_run"))
    hidden_lang = '<input type="hidden" name="lang" value="en">' if lang == "en" else ""
    hidden_cog = f'<input type="hidden" name="cog" value="{esc(cog.id)}">' if len(cogs) > 1 else ""
    body += (f'<details class="paste"{" open" if posted is not None else ""}><summary>{esc(w(lang, "web_or_paste"))}'
             f'</summary><form method="post" action="/audit" class="ask">{hidden_lang}{hidden_cog}'
             f'<p><input type="file" accept=".yaml,.yml,.json" data-fill="scenario_text" aria-label="'
             f'{esc(w(lang, "web_load_file"))}" data-too-large="{esc(w(lang, "web_too_large"))}"></p>'
             f'<textarea name="scenario_text" rows="10" spellcheck="false" aria-label="{esc(w(lang, "web_scenario"))}">'
             f'{esc(posted or "")}</textarea>'
             f'<p><label>{esc(w(lang, "web_audit_date"))} <input type="date" name="as_of" '
             f'value="{esc(params.get("as_of") or "")}"></label></p>'
             f'<p><button type="submit">{esc(w(lang, "web_audit_run"))}</button></p></form></details>')
    body += errors_box(problems, lang)
    if doc is not None:
        body += audit_answer(doc, explanations, lang, params, cog, posted)
    return page(lang, w(lang, "web_audit_title"), body, here="/audit", params=params, cog=cog)


def audit_answer(doc: RunDocument, explanations: Mapping[int, ExplainDocument | None], lang: str,
                 params: dict[str, str], cog: Cog, posted: str | None) -> str:
    counts = doc.summary
    out = [f'<section class="answer" id="audit"><h2>{esc(doc.scenario)}</h2>',
           f'<p class="summary" id="summary">{esc(summary_text(counts, lang))}</p>']
    scope = doc.funds
    if scope:
        years = sorted({y for t in scope for y in t.years})
        out.append(f'<p class="note">{esc(w(lang, "scope", funds=", ".join(t.code for t in scope), first=years[0], last=years[-1], file=doc.scenario_file))}</p>')
    if posted is not None:
        out.append(f'<p class="note">{esc(w(lang, "web_posted_note"))}</p>')
        out.append(_posted_downloads(lang, posted, cog, params.get("as_of")))
    else:
        out.append(downloads(lang, "/audit", params))
        out.append(permalink(lang, url("/audit", params, lang)))
    index = {id(f): i for i, f in enumerate(doc.findings)}
    for severity in ("error", "warning", "info"):
        items = [f for f in doc.findings if f.severity == severity]
        out.append(f'<section class="severity sev-{severity}" data-severity="{severity}">'
                   f'<h3>{esc(severity_heading(severity, len(items), lang))}</h3>')
        if not items:
            out.append(f'<p class="note">{esc(w(lang, "none_findings"))}</p>')
        groups: dict[tuple[str, Any], list[Any]] = {}
        for f in items:
            groups.setdefault((f.fund or "", f.year), []).append(f)
        for (fund, year), found in groups.items():
            heading = f"{fund} {year}" if fund and year else fund or (str(year) if year else w(lang, "web_no_finding_group"))
            out.append(f'<h4>{esc(heading)}</h4><ul class="findings">')
            for f in found:
                i = index[id(f)]
                out.append(finding_item(f, i, explanations.get(i), lang, params, posted is not None))
            out.append("</ul>")
        out.append("</section>")
    if doc.table_findings:
        out.append(f'<details class="tables"><summary>{esc(w(lang, "tables"))} ({len(doc.table_findings)})</summary>'
                   '<ul class="findings">' + "".join(
                       f'<li><span class="badge sev-{f.severity}">{esc(severity_label(f.severity, lang))}</span> '
                       f'<code>{esc(f.rule)}</code> {esc(sentence(finding_text(f, lang), lang))}</li>'
                       for f in doc.table_findings) + "</ul></details>")
    out.append(statement_table(doc, lang))
    out.append("</section>")
    return "".join(out)


def severity_heading(severity: str, n: int, lang: str) -> str:
    """"Erreurs (20)", "Avertissement (1)"."""
    from ..render.labels import SEVERITY_PLURALS

    one, many = SEVERITY_PLURALS["en" if lang == "en" else "fr"][severity]
    word = one if n == 1 or (n == 0 and lang == "fr") else many
    return f"{word[0].upper()}{word[1:]} ({n})"


def finding_item(f: Any, i: int, explanation: ExplainDocument | None, lang: str, params: dict[str, str],
                 posted: bool) -> str:
    amount = f' — <span class="amount">{esc(money(f.amount, lang))}</span>' if f.amount is not None else ""
    summary = (f'<summary><span class="badge sev-{f.severity}">{esc(severity_label(f.severity, lang))}</span> '
               f'<code>{esc(f.rule)}</code> {esc(sentence(finding_text(f, lang), lang))}{amount}</summary>')
    facts = (f'<dl class="facts"><dt>{esc(w(lang, "citation"))}</dt><dd>{esc(f.citation)}</dd>'
             f'<dt>{esc(w(lang, "source"))}</dt><dd><code>{esc(f.source or "")}</code></dd></dl>')
    if explanation is not None:
        link = ""
        if not posted:
            link = url("/explain", {"scenario": params.get("scenario"), "cog": params.get("cog"), "fund": explanation.fund,
                                    "line": explanation.line, "year": explanation.year, "column": explanation.column}, lang)
            link = f' <a href="{esc(link)}">{esc(w(lang, "web_open_explain"))}</a>'
        detail = (f'<p class="explain-head">{esc(w(lang, "web_explanation", column=column_label(explanation.column, lang), line=explanation.line, year=explanation.year, value=money(explanation.value, lang)))}{link}</p>'
                  + explanation_table(explanation, lang))
    else:
        detail = f'<p class="note">{esc(w(lang, "web_no_explanation"))}</p>'
    return (f'<li><details class="finding" id="finding-{i}" data-rule="{esc(f.rule)}">{summary}'
            f'<div class="detail">{facts}{detail}</div></details></li>')


def statement_table(doc: RunDocument, lang: str) -> str:
    title = f'<h3 id="statement">{esc(w(lang, "statement"))}</h3>'
    if not doc.statement:
        return title + f'<p class="note">{esc(w(lang, "none_carry"))}</p>'
    cols = ("co_authorised", "co_executed", "co_eligible", "co_carried", "co_lapsed")
    head = (f"<th>{esc(w(lang, 'fund'))}</th><th>{esc(w(lang, 'line'))}</th><th>{esc(w(lang, 'from_year'))}</th>"
            f"<th>{esc(w(lang, 'to_year'))}</th>" + "".join(f"<th class=n>{esc(w(lang, c))}</th>" for c in cols)
            + f"<th>{esc(w(lang, 'rule'))}</th>")
    rows = "".join(f"<tr><td>{esc(s.fund)}</td><td><code>{esc(s.line)}</code></td><td>{s.from_year}</td><td>{s.to_year}</td>"
                   + "".join(f"<td class=n>{esc(money(v, lang, False))}</td>"
                             for v in (s.authorised, s.executed, s.eligible, s.carried, s.lapsed))
                   + f'<td><code title="{esc(s.citation)}">{esc(s.rule)}</code></td></tr>' for s in doc.statement)
    return title + f'<table class="plain" id="statement-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _posted_downloads(lang: str, posted: str, cog: Cog, as_of: str | None) -> str:
    forms = "".join(
        f'<form method="post" action="/audit.{fmt}" class="inline">'
        f'<input type="hidden" name="cog" value="{esc(cog.id)}">'
        + (f'<input type="hidden" name="as_of" value="{esc(as_of)}">' if as_of else "")
        + ('<input type="hidden" name="lang" value="en">' if lang == "en" else "")
        + f'<input type="hidden" name="scenario_text" value="{esc(posted)}"><button type="submit" class="download">'
          f'{fmt.upper()}</button></form>' for fmt in ("xlsx", "csv"))
    return f'<div class="downloads">{esc(w(lang, "web_download"))} {forms}</div>'


# -- credits -----------------------------------------------------------------------------------

def credits_page(lang: str, *, cogs: tuple[Cog, ...], cog: Cog, scenarios: list[dict[str, str]],
                 params: dict[str, str], doc: RunDocument | None, problems: list[Problem]) -> str:
    fund = params.get("fund") or None
    bounds = f' min="{cog.first_year}-01-01" max="{cog.last_year}-12-31"'
    fields = (cog_field(cogs, cog, lang) + fund_field(cog, fund, lang)
              + field("as_of", w(lang, "web_as_of"), params.get("as_of"), kind="date", hint=w(lang, "web_as_of_hint"),
                      attrs=bounds)
              + scenario_field(scenarios, params.get("scenario"), lang))
    body = f'<p class="lead">{esc(w(lang, "web_credits_intro"))}</p>' + form("/credits", lang, fields, w(lang, "web_show"))
    body += errors_box(problems, lang)
    if doc is not None:
        for table in doc.funds:
            body += credits_table(table, doc, lang, params)
        body += downloads(lang, "/credits", params) + permalink(lang, url("/credits", params, lang))
    return page(lang, w(lang, "web_credits_title"), body, here="/credits", params=params, cog=cog)


def credits_table(table: FundTable, doc: RunDocument, lang: str, params: dict[str, str]) -> str:
    """The fund in the COG's form: its lines in table order (subtotals as sums of their leaves), the
    authorised credits year by year, then the executed and the available credits; at a date, authorised,
    executed and available on that date."""
    if doc.as_of is not None:
        when = day(doc.as_of, lang)
        blocks = [("authorised", [doc.as_of.year], w(lang, "web_authorised_at", date=when)),
                  ("executed", [doc.as_of.year], w(lang, "web_executed_at", date=when)),
                  ("available", [doc.as_of.year], w(lang, "web_available_at", date=when))]
    else:
        blocks = [(column, table.years, column_label(column, lang)) for column in ("authorised", "executed", "available")]
    if doc.as_of is not None:
        head = (f'<tr><th>{esc(w(lang, "code"))}</th><th>{esc(w(lang, "label"))}</th>'
                + "".join(f'<th class="n block">{esc(title)}</th>' for _, _, title in blocks) + "</tr>")
    else:
        top = "".join(f'<th colspan="{len(years)}" class="block">{esc(title)}</th>' for _, years, title in blocks)
        sub = "".join(f'<th class="n{" block" if i == 0 else ""}">{y}</th>' for _, years, _ in blocks
                      for i, y in enumerate(years))
        head = (f'<tr><th rowspan="2">{esc(w(lang, "code"))}</th><th rowspan="2">{esc(w(lang, "label"))}</th>{top}</tr>'
                f'<tr>{sub}</tr>')
    link_params = {"scenario": params.get("scenario"), "cog": params.get("cog"), "fund": table.code,
                   "as_of": params.get("as_of")}
    rows = []
    for line in table.lines:
        cells = []
        for column, years, _ in blocks:
            for y in years:
                value = line.years[y][column]
                link = url("/explain", dict(link_params, line=line.code, year=y, column=column), lang)
                cells.append(amount_cell(value, lang, link))
        kind = "leaf" if line.leaf else "subtotal"
        rows.append(f'<tr class="{kind} depth-{min(line.depth, 4)}" data-line="{esc(line.code)}">'
                    f'<td><code>{esc(line.code)}</code></td><td class="label">{esc(line.label)}</td>{"".join(cells)}</tr>')
    totals = "".join(amount_cell(table.totals[y][column], lang) for column, years, _ in blocks for y in years)
    foot = f'<tr class="total"><td></td><td>{esc(w(lang, "total_fund"))}</td>{totals}</tr>'
    caption = f"{table.code} — {table.label}"
    if doc.as_of is not None:
        caption += f" — {w(lang, 'as_of', date=day(doc.as_of, lang))}"
    return (f'<section class="answer"><h2>{esc(caption)}</h2><div class="scroll"><table class="cog" id="credits-{esc(table.code)}">'
            f'<thead>{head}</thead><tbody>{"".join(rows)}</tbody><tfoot>{foot}</tfoot></table></div>'
            f'<p class="note">{esc(w(lang, "unit_note"))} {esc(w(lang, "web_figure_link"))}</p></section>')
