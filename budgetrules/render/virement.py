"""Printing a virement answer and a fund's fungibility matrix for a budget officer."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..model.fund import Fund
from ..core.money import format_amount
from ..services.whatif import VirementAnswer

VERDICT_TEXT = {
    "fr": {"permitted": "autorisé", "permitted_with_notice": "autorisé, avec information sous {days} jours",
           "requires_dm": "décision modificative requise", "refused": "refusé"},
    "en": {"permitted": "permitted", "permitted_with_notice": "permitted, with notice within {days} days",
           "requires_dm": "requires a décision modificative", "refused": "refused"},
}
SHORT = {"permitted": "DG", "permitted_with_notice": "DG + info", "requires_dm": "DM", "refused": "—"}


def _date(value: str | None, lang: str) -> str:
    if value is None:
        return "—"
    d = dt.date.fromisoformat(value)
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()


def render_answer(answer: VirementAnswer, fmt: str, lang: str | None) -> str:
    """The verdict with authority, notice, rules and the two lines before and after."""
    from .texttable import render

    from .text import csv_text, people_text, to_json

    doc = answer.document()
    if fmt == "json":
        return to_json(doc)
    if fmt == "csv":
        rows = [["line", "authorised_before", "available_before", "authorised_after", "available_after"]]
        for code in doc["before"]:
            b, a = doc["before"][code], doc["after"][code]
            rows.append([code, Decimal(b["authorised"]), Decimal(b["available"]), Decimal(a["authorised"]),
                         Decimal(a["available"])])
        return csv_text(rows, lang or "neutral")
    lang = lang or "fr"
    fr = lang == "fr"
    amt = format_amount(Decimal(doc["amount"]), lang)
    days = answer.after.funds[doc["fund"]].fungibility.notice_days
    verdict_text = VERDICT_TEXT[lang][doc["verdict"]].format(days=days)
    lines = [
        (f"Virement {doc['fund']} {doc['year']} : {doc['from']} → {doc['to']}, {amt}, le {_date(doc['date'], lang)}"
         if fr else f"Virement {doc['fund']} {doc['year']}: {doc['from']} → {doc['to']}, {amt}, on "
         f"{_date(doc['date'], lang)}"),
        "",
        f"Verdict : {doc['verdict']} ({verdict_text})",
        f"{'Autorité' if fr else 'Authority'} : {doc['authority']}",
    ]
    if doc["notify_by"]:
        lines.append((f"Information de : {doc['notify']}, au plus tard le {_date(doc['notify_by'], lang)}" if fr else
                      f"Notify: {doc['notify']}, by {_date(doc['notify_by'], lang)}"))
    lines.append("")
    lines.append("Motifs :" if fr else "Reasons:")
    lines += [f"  - {people_text(r, lang)}" for r in doc["reasons"]]
    lines.append("Règles :" if fr else "Rules:")
    lines += [f"  - {r['rule']} — {r['citation']}" for r in doc["rules"]]
    rows = []
    for code in doc["before"]:
        b, a = doc["before"][code], doc["after"][code]
        rows.append([code] + [format_amount(Decimal(x), lang) for x in (b["authorised"], b["available"],
                                                                         a["authorised"], a["available"])])
    headers = (["Ligne", "Autorisé avant", "Disponible avant", "Autorisé après", "Disponible après"] if fr else
               ["Line", "Authorised before", "Available before", "Authorised after", "Available after"])
    table = render(rows, headers, "pipe" if fmt == "md" else "simple", ("left", "right", "right", "right", "right"))
    return "\n".join(lines) + "\n\n" + table + "\n"


def render_matrix(fund: Fund, fmt: str, lang: str | None) -> str:
    """Verdict of every group-to-group direction (rows: from, columns: to)."""
    from .texttable import render

    from .text import to_json
    from ..rules.fungibility import group_matrix

    names, matrix = group_matrix(fund)
    if fmt == "json":
        return to_json({"fund": fund.code, "groups": names,
                        "matrix": [{"from": a, "to": b, "verdict": v, "rule": r}
                                   for (a, b), (v, r) in matrix.items()]})
    rows = [[a] + [f"{SHORT[matrix[(a, b)][0]]} ({matrix[(a, b)][1]})" if (a, b) in matrix else "" for b in names]
            for a in names]
    fr = (lang or "fr") == "fr"
    legend = ("DG = le directeur général ; DG + info = le directeur général, information du CGEFI et des ministères "
              "sous 15 jours ; DM = décision modificative du conseil approuvée par la tutelle") if fr else \
        ("DG = the director general; DG + info = the director general, with notice within 15 days; DM = a "
         "décision modificative voted by the board and approved by the ministries")
    corner = "de \\ vers" if fr else "from \\ to"
    head = f"{fund.code} — {corner}"
    table = render(rows, [head] + names, "pipe" if fmt == "md" else "simple")
    return f"{table}\n\n{legend}\n"
