"""A virement's verdict and a fund's fungibility matrix, for a budget officer (text or markdown)."""
from __future__ import annotations

import datetime as dt

from ..core.money import format_amount
from ..documents import MatrixDocument, VirementDocument
from .messages import text
from .text import people_text

VERDICT_TEXT = {
    "fr": {"permitted": "autorisé", "permitted_with_notice": "autorisé, avec information sous {days} jours",
           "requires_dm": "décision modificative requise", "refused": "refusé"},
    "en": {"permitted": "permitted", "permitted_with_notice": "permitted, with notice within {days} days",
           "requires_dm": "requires a décision modificative", "refused": "refused"},
}
SHORT = {"permitted": "DG", "permitted_with_notice": "DG + info", "requires_dm": "DM", "refused": "—"}


def _date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def render_answer(doc: VirementDocument, fmt: str, lang: str | None) -> str:
    """The verdict with authority, notice, rules and the two lines before and after."""
    from .texttable import render

    lang = lang or "fr"
    fr = lang == "fr"
    amt = format_amount(doc.amount, lang)
    verdict_text = VERDICT_TEXT[lang][doc.verdict].format(days=doc.notice_days)
    lines = [
        (f"Virement {doc.fund} {doc.year} : {doc.source_line} → {doc.target_line}, {amt}, le {_date(doc.date, lang)}"
         if fr else f"Virement {doc.fund} {doc.year}: {doc.source_line} → {doc.target_line}, {amt}, on "
         f"{_date(doc.date, lang)}"),
        "",
        f"Verdict : {doc.verdict} ({verdict_text})",
        f"{'Autorité' if fr else 'Authority'} : {text(doc.authority, {'dm_ref': doc.dm_ref}, lang)}",
    ]
    if doc.notify_by:
        lines.append((f"Information de : {doc.notify}, au plus tard le {_date(doc.notify_by, lang)}" if fr else
                      f"Notify: {doc.notify}, by {_date(doc.notify_by, lang)}"))
    if doc.chains:
        lines.append(("Attention : " if fr else "Warning: ") + text("virement.chains", {"sources": doc.chains}, lang))
    lines.append("")
    lines.append("Motifs :" if fr else "Reasons:")
    lines += [f"  - {people_text(text(r.key, r.params, lang), lang)}" for r in doc.reasons]
    lines.append("Règles :" if fr else "Rules:")
    lines += [f"  - {rule} — {citation}" for rule, citation in doc.rules]
    rows = []
    for code in doc.before:
        b, a = doc.before[code], doc.after[code]
        rows.append([code] + [format_amount(x, lang) for x in (b["authorised"], b["available"],
                                                                a["authorised"], a["available"])])
    headers = (["Ligne", "Autorisé avant", "Disponible avant", "Autorisé après", "Disponible après"] if fr else
               ["Line", "Authorised before", "Available before", "Authorised after", "Available after"])
    table = render(rows, headers, "pipe" if fmt == "md" else "simple", ("left", "right", "right", "right", "right"))
    return "\n".join(lines) + "\n\n" + table + "\n"


def render_matrix(doc: MatrixDocument, fmt: str, lang: str | None) -> str:
    """Verdict of every group-to-group direction (rows: from, columns: to)."""
    from .texttable import render

    names, matrix = doc.groups, doc.matrix
    rows = [[a] + [f"{SHORT[matrix[(a, b)][0]]} ({matrix[(a, b)][1]})" if (a, b) in matrix else "" for b in names]
            for a in names]
    fr = (lang or "fr") == "fr"
    legend = ("DG = le directeur général ; DG + info = le directeur général, information du CGEFI et des ministères "
              "sous 15 jours ; DM = décision modificative du conseil approuvée par la tutelle") if fr else \
        ("DG = the director general; DG + info = the director general, with notice within 15 days; DM = a "
         "décision modificative voted by the board and approved by the ministries")
    corner = "de \\ vers" if fr else "from \\ to"
    head = f"{doc.fund} — {corner}"
    table = render(rows, [head] + names, "pipe" if fmt == "md" else "simple")
    return f"{table}\n\n{legend}\n"
