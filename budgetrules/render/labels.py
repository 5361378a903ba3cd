"""The one catalogue of words of every output (text, markdown, CSV, xlsx, HTML), in French (the
COG's vocabulary, the default) and English: column names, severities, characters, groups, headings.
Sentences (findings, notes, reasons) are in `messages.py`. Line and fund labels are never
translated: they are the COG's own."""
from __future__ import annotations

from .labels_words import WORDS  # the words of every report (labels_words.py), exported from here

COLUMN_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "base": "Base COG",
        "indexation": "Actualisation",
        "charge_transfer": "Transfert de charges",
        "carry_in": "Report de N-1",
        "receipts": "Recettes réutilisées",
        "reserve_in": "Réserve nationale",
        "virements_in": "Virements reçus",
        "virements_out": "Virements émis",
        "authorised": "Crédits autorisés",
        "executed": "Exécution",
        "available": "Disponible",
        "carry_out": "Report sur N+1",
        "lapsed": "Crédits annulés",
    },
    "en": {
        "base": "COG base",
        "indexation": "Indexation",
        "charge_transfer": "Charge transfer",
        "carry_in": "Carried in from N-1",
        "receipts": "Receipts reused",
        "reserve_in": "National reserve",
        "virements_in": "Transfers in",
        "virements_out": "Transfers out",
        "authorised": "Authorised credits",
        "executed": "Executed",
        "available": "Available",
        "carry_out": "Carried to N+1",
        "lapsed": "Lapsed credits",
    },
}

SEVERITY_LABELS = {
    "fr": {"error": "Erreur", "warning": "Avertissement", "info": "Information"},
    "en": {"error": "Error", "warning": "Warning", "info": "Info"},
}
SEVERITY_PLURALS = {
    "fr": {"error": ("erreur", "erreurs"), "warning": ("avertissement", "avertissements"),
           "info": ("information", "informations")},
    "en": {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("info", "infos")},
}

CHARACTER_LABELS = {
    "fr": {"limitative": "limitatif", "evaluative": "évaluatif", "reserve": "réserve"},
    "en": {"limitative": "limitative", "evaluative": "evaluative", "reserve": "reserve"},
}

# The groups every budget annex knows, as people name them; a fund file names its own groups
# (`fungibility.groups.<name>.label`, docs/funds.md), which the documents carry as `group_labels`.
GROUP_LABELS = {
    "fr": {"personnel": "Personnel", "fonctionnement": "Fonctionnement", "investissement": "Investissement",
           "_evaluative": "Dépenses évaluatives", "_reserve": "Réserve nationale", "_limitative": "Autres limitatives",
           "_other": "Autres"},
    "en": {"personnel": "Personnel", "fonctionnement": "Operating", "investissement": "Investment",
           "_evaluative": "Evaluative expenditure", "_reserve": "National reserve", "_limitative": "Other limitative",
           "_other": "Other"},
}

RESERVE_LABELS = {
    "fr": {"year": "Année", "opening": "Réserve à l'ouverture", "available": "Disponible (ouverture + ressources)",
           "resources": "Ressources",
           "expenses": "Dépenses", "closing": "Réserve à la clôture"},
    "en": {"year": "Year", "opening": "Opening reserve", "available": "Available (opening + resources)",
           "resources": "Resources",
           "expenses": "Expenses", "closing": "Closing reserve"},
}

# A reserve statement's expenses by line and resources by kind: "expense_INV" -> "Dépenses INV".
_RESERVE_PREFIXES = {"fr": {"expense_": "Dépenses", "resource_": "Ressources"},
                     "en": {"expense_": "Expenses", "resource_": "Resources"}}


def reserve_label(key: str, lang: str, labels: dict[str, dict[str, str]] | None = None) -> str:
    """A column of a reserve statement: the fund file's name of a resource (`labels`, a fund's
    `reserve_labels`), else the catalogue's word, else "Ressources <kind>" / "Dépenses <line>"."""
    lang = "en" if lang == "en" else "fr"
    own = (labels or {}).get(key)
    if own:
        return own.get(lang) or own["fr"]
    if key in RESERVE_LABELS[lang]:
        return RESERVE_LABELS[lang][key]
    for prefix, word in _RESERVE_PREFIXES[lang].items():
        if key.startswith(prefix):  # the rest is a line code or a kind of the COG's data: never translated
            return f"{word} {key[len(prefix):]}"
    return key.replace("_", " ").capitalize()




def words(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "fr"]


def column_label(column: str, lang: str) -> str:
    return COLUMN_LABELS["en" if lang == "en" else "fr"].get(column, column)


def severity_label(severity: str, lang: str) -> str:
    return SEVERITY_LABELS["en" if lang == "en" else "fr"].get(severity, severity)


def character_label(character: str | None, lang: str) -> str:
    if not character:
        return ""
    return CHARACTER_LABELS["en" if lang == "en" else "fr"].get(character, character)


def group_label(group: str, lang: str, labels: dict[str, dict[str, str]] | None = None) -> str:
    """A fungibility group as people name it: the fund file's `label` (`labels`, a fund's
    `group_labels`: group -> {"fr": …, "en": …}), else the catalogue's, else the key ("fonctionnement-
    collectif" -> "Fonctionnement collectif")."""
    language = "en" if lang == "en" else "fr"
    own = (labels or {}).get(group)
    if own:
        return own.get(language) or own["fr"]
    return GROUP_LABELS[language].get(group, group.replace("-", " ").capitalize())


def summary_text(counts: dict[str, int], lang: str) -> str:
    """'2 erreurs, 1 avertissement, 0 information'."""
    plurals = SEVERITY_PLURALS["en" if lang == "en" else "fr"]
    parts = {}
    for severity, (one, many) in plurals.items():
        n = counts.get(severity, 0)
        parts[severity] = n
        # French takes the singular for 0 and 1; English the plural for 0.
        singular = n <= 1 if lang != "en" else n == 1
        parts[f"{severity}_w"] = one if singular else many
    return words(lang)["summary"].format(**parts)


def title_of(kind: str, scenario: str | None, title: str | None, lang: str) -> str:
    if title:
        return title
    w = words(lang)
    if kind == "audit":
        return w["title_audit"].format(name=scenario) if scenario else w["title_audit_plain"]
    if kind == "run":
        return w["title_run"].format(name=scenario) if scenario else w["title_run_plain"]
    return w["title_funds"]


def chart_group(character: str | None, group: str | None) -> str:
    """The line group a chart puts a leaf in: its fungibility group, else its character."""
    if group:
        return group
    return {"evaluative": "_evaluative", "reserve": "_reserve", "limitative": "_limitative"}.get(character or "", "_other")




# -- the web pages (budgetrules serve): render/labels_web.py, merged into the one catalogue -------------
def _merge_web() -> None:
    from .labels_web import WEB_WORDS

    for lang, labels in WEB_WORDS.items():
        WORDS[lang].update(labels)


_merge_web()
