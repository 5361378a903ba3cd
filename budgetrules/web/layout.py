"""The building blocks of the pages: escaping, words and amounts in the page's language, URLs, the
layout (header, navigation, footer), the error box, downloads, and the form fields. Every value from
a document or a request is escaped (`esc`)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape
from typing import Any, Iterable, Mapping
from urllib.parse import urlencode

from ..core.errors import Problem
from ..core.money import format_amount
from ..documents import ExplainDocument
from ..render.labels import column_label, group_label, words
from ..render.messages import text
from .state import Cog


def esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def w(lang: str, key: str, **params: Any) -> str:
    """A word of the catalogue (labels.WORDS), with its parameters."""
    word = words(lang).get(key, key)
    return word.format(**params) if params else word


def money(value: Decimal | None, lang: str, symbol: bool = True) -> str:
    return "" if value is None else format_amount(value, lang, symbol=symbol)


def day(value: dt.date | str | None, lang: str) -> str:
    if value in (None, ""):
        return ""
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if lang == "fr" else d.isoformat()


def sentence(message: str, lang: str) -> str:
    """A sentence of the catalogue for people: ISO dates shown 15/06/2023 in French."""
    from ..render.text import people_text

    return people_text(message, lang)


def url(path: str, params: Mapping[str, Any] | Iterable[tuple[str, Any]], lang: str) -> str:
    """A page's URL with its inputs (empty ones left out) and the language when not French."""
    items = list(params.items()) if isinstance(params, Mapping) else list(params)
    pairs = []
    for key, value in items:
        if isinstance(value, (list, tuple)):
            pairs += [(key, v) for v in value if v not in (None, "")]
        elif value not in (None, ""):
            pairs.append((key, value))
    if lang == "en":
        pairs.append(("lang", "en"))
    return path + ("?" + urlencode(pairs) if pairs else "")


# -- the layout --------------------------------------------------------------------------------

NAV = (("/virement", "web_nav_virement"), ("/available", "web_nav_available"), ("/audit", "web_nav_audit"),
       ("/credits", "web_nav_credits"), ("/explain", "web_nav_explain"))


def page(lang: str, title: str, body: str, *, here: str, params: Mapping[str, Any] | None = None,
         cog: Cog | None = None) -> str:
    """The whole page: header with the navigation and the language switch, the body, the footer."""
    params = dict(params or {})
    other = "en" if lang == "fr" else "fr"
    switch = url(here, params, other)
    links = "".join(f'<a href="{esc(url(path, {}, lang))}"{" aria-current=page" if path == here else ""}>'
                    f'{esc(w(lang, key))}</a>' for path, key in NAV)
    subtitle = f'<p class="cog">{esc(cog.title)}</p>' if cog is not None else ""
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{esc(title)} — budgetrules</title>\n<link rel="stylesheet" href="/static/style.css">\n'
            f'<script src="/static/app.js" defer></script>\n</head>\n<body>\n'
            f'<header><nav><a class="brand" href="{esc(url("/", {}, lang))}">budgetrules</a>{links}'
            f'<a href="/api/openapi.json">API</a>'
            f'<a class="lang" href="{esc(switch)}" hreflang="{other}" lang="{other}">{esc(w(other, "web_lang_name"))}</a>'
            f'</nav>{subtitle}</header>\n<main>\n<h1>{esc(title)}</h1>\n{body}\n</main>\n'
            f'<footer>{esc(w(lang, "web_footer"))}</footer>\n</body>\n</html>\n')


def errors_box(problems: list[Problem], lang: str) -> str:
    if not problems:
        return ""
    items = "".join(f'<li><code>{esc(p.file)}{":" + str(p.line) if p.line else ""}</code> {esc(p.message)}</li>'
                    for p in problems)
    return f'<div class="errors" role="alert"><p>{esc(w(lang, "web_errors"))}</p><ul>{items}</ul></div>'


def downloads(lang: str, path: str, params: Mapping[str, Any], formats: Iterable[str] = ("xlsx", "csv")) -> str:
    links = " ".join(f'<a class="download" href="{esc(url(f"{path}.{fmt}", params, lang))}" download>{fmt.upper()}</a>'
                     for fmt in formats)
    return f'<p class="downloads">{esc(w(lang, "web_download"))} : {links}</p>' if lang == "fr" else \
        f'<p class="downloads">{esc(w(lang, "web_download"))}: {links}</p>'


def permalink(lang: str, link: str) -> str:
    return (f'<p class="permalink"><label>{esc(w(lang, "web_link"))} '
            f'<input type="text" readonly value="{esc(link)}" data-absolute></label></p>')


# -- form fields -------------------------------------------------------------------------------

def _options(choices: Iterable[tuple[str, str]], selected: str | None, empty: str | None = None) -> str:
    out = [f'<option value="">{esc(empty)}</option>'] if empty is not None else []
    for value, label in choices:
        sel = " selected" if value == selected else ""
        out.append(f'<option value="{esc(value)}"{sel}>{esc(label)}</option>')
    return "".join(out)


def select(name: str, label: str, choices: Iterable[tuple[str, str]], selected: str | None, *,
           empty: str | None = None, attrs: str = "") -> str:
    return (f'<label for="f-{name}">{esc(label)}</label><select id="f-{name}" name="{name}"{attrs}>'
            f'{_options(choices, selected, empty)}</select>')


def field(name: str, label: str, value: str | None, *, kind: str = "text", hint: str = "", attrs: str = "") -> str:
    hint_html = f'<small>{esc(hint)}</small>' if hint else ""
    return (f'<label for="f-{name}">{esc(label)}</label><span class="input"><input id="f-{name}" name="{name}" '
            f'type="{kind}" value="{esc(value or "")}"{attrs}>{hint_html}</span>')


def cog_field(cogs: tuple[Cog, ...], cog: Cog, lang: str) -> str:
    if len(cogs) == 1:
        return ""
    return select("cog", w(lang, "web_cog"), [(c.id, c.title) for c in cogs], cog.id, attrs=' data-reload')


def fund_field(cog: Cog, fund: str | None, lang: str) -> str:
    return select("fund", w(lang, "fund"), [(code, f"{code} — {f.label}") for code, f in cog.funds.items()], fund,
                  empty=w(lang, "web_choose"), attrs=" data-reload required")


def scenario_field(scenarios: list[dict[str, str]], scenario: str | None, lang: str, *, default: bool = True) -> str:
    return select("scenario", w(lang, "web_scenario"), [(s["id"], s["id"]) for s in scenarios], scenario,
                  empty=w(lang, "web_scenario_default") if default else w(lang, "web_choose"))


def leaf_choices(cog: Cog, fund: str | None, lang: str) -> list[tuple[str, str, str]]:
    """(code, label, group label) of every leaf of the fund, in table order."""
    f = cog.funds.get(fund or "")
    if f is None:
        return []
    return [(ln.code, ln.label, group_label(ln.group, lang, f.group_labels) if ln.group else w(lang, "web_no_group"))
            for ln in f.leaves]


def line_select(name: str, label: str, leaves: list[tuple[str, str, str]], selected: str | None, lang: str) -> str:
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, line_label, group in leaves:
        groups.setdefault(group, []).append((code, f"{code} — {line_label}"))
    body = f'<option value="">{esc(w(lang, "web_choose"))}</option>'
    for group, items in groups.items():
        body += f'<optgroup label="{esc(group)}">{_options(items, selected)}</optgroup>'
    return f'<label for="f-{name}">{esc(label)}</label><select id="f-{name}" name="{name}">{body}</select>'


def form(action: str, lang: str, fields: str, button: str, *, method: str = "get", extra: str = "") -> str:
    hidden = '<input type="hidden" name="lang" value="en">' if lang == "en" else ""
    return (f'<form class="ask" method="{method}" action="{esc(action)}"{extra}>{hidden}<div class="grid">{fields}</div>'
            f'<p><button type="submit">{esc(button)}</button></p></form>')


# -- an explanation (the explain page, and each finding of the audit page) ---------------------------

def when(contribution: Any, lang: str) -> str:
    """A contribution's date, "(par défaut)" when the event gave none."""
    shown = day(contribution.date, lang)
    return f"{shown} {w(lang, 'defaulted')}" if shown and getattr(contribution, "defaulted", False) else shown


def amount_cell(value: Decimal | None, lang: str, link: str | None = None) -> str:
    """A right-aligned amount cell (a negative one in red), optionally a link to its explanation."""
    shown = esc(money(value, lang, False))
    if link is not None:
        shown = f'<a href="{esc(link)}" class="figure">{shown}</a>'
    neg = " neg" if value is not None and value < 0 else ""
    return f'<td class="n{neg}">{shown}</td>'


def explanation_table(doc: ExplainDocument, lang: str) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in (w(lang, "column"), w(lang, "line"), w(lang, "rule"),
                                                  w(lang, "citation"), w(lang, "web_date"), w(lang, "source"),
                                                  w(lang, "web_note")))
    rows = ""
    for c in doc.contributions:
        note = text(c.note, c.params, lang) if c.note else ""
        rows += (f"<tr><td>{esc(column_label(c.column, lang))}</td><td><code>{esc(c.line)}</code></td>"
                 f"<td><code>{esc(c.rule)}</code></td><td class=cite>{esc(c.citation)}</td>"
                 f"<td>{esc(when(c, lang))}</td><td><code>{esc(c.source)}</code></td>"
                 f"<td>{esc(sentence(note, lang))}</td>{amount_cell(c.amount, lang)}</tr>")
    total = (f'<tr class="total"><td colspan="7">{esc(column_label(doc.column, lang))} {esc(doc.line)} {doc.year}</td>'
             f'<td class=n>{esc(money(doc.value, lang, False))}</td></tr>')
    return (f'<table class="plain explain"><thead><tr>{head}<th class=n>{esc(w(lang, "amount"))}</th></tr></thead>'
            f'<tbody>{rows}</tbody><tfoot>{total}</tfoot></table>')
