"""A virement's verdict and a fund's fungibility matrix, for a budget officer (text or markdown)."""
from __future__ import annotations

import datetime as dt

from ..core.money import format_amount
from ..core.records import Word
from ..documents import AvailableDocument, MatrixDocument, VirementDocument
from .labels import group_label, words
from .messages import text
from .text import assumptions_text, people_text


def verdict_text(verdict: str, notice_count: int, notice_unit: str, lang: str) -> str:
    """'autorisé, avec information sous 15 jours' (or '… sous 1 mois'): the catalogue's `verdict.*`."""
    return text(f"verdict.{verdict}", {"delay": Word(f"delay.{notice_unit}", {"n": notice_count})}, lang)


SHORT = {"permitted": "✓", "permitted_with_notice": "✓ + info", "requires_dm": "DM", "refused": "—"}
"""How a table abbreviates each verdict when the COG says nothing (cog.yaml `abbreviations`, e.g. « DG »
where the directeur général signs): the legend under the table says who."""


def short(doc: MatrixDocument | AvailableDocument, verdict: str) -> str:
    """The verdict as the table abbreviates it: the COG's abbreviation, else SHORT's."""
    return doc.abbreviations.get(verdict) or SHORT[verdict]


def _date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def render_answer(doc: VirementDocument, fmt: str, lang: str | None) -> str:
    """The verdict with authority, notice, rules and the two lines before and after."""
    from .texttable import render

    lang = lang or "fr"
    w = words(lang)
    shown_verdict = verdict_text(doc.verdict, doc.notice_days, doc.notice_unit, lang)
    lines = [
        w["v_title"].format(fund=doc.fund, year=doc.year, source=doc.source_line, target=doc.target_line,
                            amount=format_amount(doc.amount, lang), date=_date(doc.date, lang)),
        "",
        f"{w['v_verdict']} {shown_verdict}",
        f"{w['v_authority']} {text(doc.authority, {'dm_ref': doc.dm_ref}, lang)}",
    ]
    if doc.notify_by:
        lines.append(w["v_notify"].format(notify=doc.notify, date=_date(doc.notify_by, lang)))
    if doc.assumptions:
        lines.append(assumptions_text(doc.assumptions, lang))
    if doc.chains:
        lines.append(w["v_warning"] + text("virement.chains", {"sources": doc.chains}, lang))
    lines.append("")
    lines.append(w["v_reasons"])
    lines += [f"  - {people_text(text(r.key, r.params, lang), lang)}" for r in doc.reasons]
    lines.append(w["v_rules"])
    lines += [f"  - {rule} — {citation}" for rule, citation in doc.rules]
    rows = []
    for code in doc.before:
        b, a = doc.before[code], doc.after[code]
        rows.append([code] + [format_amount(x, lang) for x in (b["authorised"], b["available"],
                                                                a["authorised"], a["available"])])
    authorised, available = w["v_authorised"], w["v_available"]
    headers = [w["v_line"], w["v_before"].format(column=authorised), w["v_before"].format(column=available),
               w["v_after"].format(column=authorised), w["v_after"].format(column=available)]
    table = render(rows, headers, "pipe" if fmt == "md" else "simple", ("left", "right", "right", "right", "right"))
    return "\n".join(lines) + "\n\n" + table + "\n"


def verdict_legend(doc: MatrixDocument | AvailableDocument, shown: set[str], lang: str) -> str:
    """What the short verdicts of a table mean, in the fund's own terms: who signs, who is told
    within what delay, which board and ministries vote and approve a DM (the COG's `authorities`,
    the fund's `fungibility.notify` and notice delay). Only the verdicts in `shown` are named.
    Keys `matrix.legend.<verdict>` of the message catalogue."""
    delay = text(f"delay.{doc.notice_unit}", {"n": doc.notice_days}, lang)
    params = {"notify": doc.notify, "delay": delay, **{key: doc.institutions.get(key)
                                                      for key in ("board", "ministries", "permitted")}}
    return (" ; " if lang == "fr" else "; ").join(text(f"matrix.legend.{verdict}", {**params, "short": short(doc, verdict)},
                                                       lang) for verdict in SHORT if verdict in shown)


def render_matrix(doc: MatrixDocument, fmt: str, lang: str | None) -> str:
    """Verdict of every group-to-group direction (rows: from, columns: to), with the legend in the
    fund's own terms (who is told, within what delay)."""
    from .texttable import render

    lang = lang or "fr"
    names, matrix = doc.groups, doc.matrix
    shown = [group_label(name, lang, doc.group_labels) if name is not None else f"({text('group.none', {}, lang)})"
             for name in names]
    rows = [[shown[i]] + [f"{short(doc, matrix[(a, b)][0])} ({matrix[(a, b)][1]})" if (a, b) in matrix else ""
                          for b in names] for i, a in enumerate(names)]
    legend = verdict_legend(doc, {verdict for verdict, _ in matrix.values()}, lang)
    corner = words(lang)["v_corner"]
    table = render(rows, [f"{doc.fund} — {corner}"] + shown, "pipe" if fmt == "md" else "simple")
    return f"{table}\n\n{legend}\n"
