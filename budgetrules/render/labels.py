"""The one catalogue of words of every output (text, markdown, CSV, xlsx, HTML), in French (the
COG's vocabulary, the default) and English: column names, severities, characters, groups, headings.
Sentences (findings, notes, reasons) are in `messages.py`. Line and fund labels are never
translated: they are the COG's own."""
from __future__ import annotations

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


WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "code": "Code", "label": "Libellé", "character": "Caractère", "group": "Groupe", "year": "Année",
        "fund": "Fonds", "line": "Ligne", "rule": "Règle", "severity": "Gravité", "message": "Message",
        "citation": "Citation", "amount": "Montant", "from_year": "Année d'origine", "to_year": "Année de report", "years": "Exercices",
        "target_year": "Année cible", "column": "Colonne",
        "co_authorised": "Autorisé (origine)", "co_executed": "Exécuté (origine)", "co_eligible": "Éligible au report",
        "co_carried": "Reporté", "co_lapsed": "Annulé",
        "fund_total": "Total du fonds",
        "sheet_detail": "Détail", "sheet_findings": "Constats", "sheet_source": "Tableaux publiés",
        "sheet_carry": "Reports", "sheet_beyond": "Au-delà de la période", "sheet_reserve": "{code} réserve", "sheet_participation": "Participation",
        "reserve_title": "{code} — état de la réserve",
        "title_run": "Simulation budgétaire — scénario « {name} »",
        "title_audit": "Audit — scénario « {name} »",
        "title_funds": "Tableaux budgétaires de la COG",
        "title_audit_plain": "Audit de légalité",
        "title_run_plain": "Simulation budgétaire",
        "fund_sheet_title": "{code} — {label}",
        "fund_sheet_sub": "{what}, en euros ; sous-totaux = somme des lignes",
        "fund_sheet_sub_meur": "{what}, en millions d'euros (valeurs exactes en euros dans les cellules) ; "
                               "sous-totaux = somme des lignes",
        "detail_title": "Détail de l'année, colonne par colonne (docs/rules.md, « The year, in order »)",
        "findings_title": "Constats de légalité",
        "source_title": "À propos des tableaux publiés ({rule})",
        "source_sub": "Ces constats décrivent le document de la COG, pas la période simulée.",
        "carry_title": "État détaillé de l'origine des crédits reportés",
        "beyond_title": "Montants reportés au-delà de la période",
        "none_findings": "Aucun constat.",
        "none_source": "Aucun écart dans les tableaux publiés.",
        "none_carry": "Aucun report.",
        "none_beyond": "Aucun montant au-delà de la période.",
        "v_title": "Virement {fund} {year} : {source} → {target}, {amount}, le {date}", "v_verdict": "Verdict :",
        "v_authority": "Autorité :", "v_notify": "Information de : {notify}, au plus tard le {date}",
        "v_warning": "Attention : ", "v_reasons": "Motifs :", "v_rules": "Règles :", "v_line": "Ligne",
        "v_before": "{column} avant", "v_after": "{column} après", "v_authorised": "Autorisé", "v_available": "Disponible", "v_corner": "de \\ vers",
        "show_label": "Intitulé", "show_reference": "Budget initial {year}", "show_year": "Budget {year}",
        "show_estimated": "* : donnée estimée",
        "show_recomputed": "† sous-total recalculé (somme des lignes) ; la COG imprime {gaps} ({rule})",
        "show_no_table": "Pas de tableau programmé : fonds de réserve, réserve à l'ouverture {opening} ({rule})",
        "summary": "{error} {error_w}, {warning} {warning_w}, {info} {info_w}",
        "authorised_per_fund": "Crédits autorisés par année",
        "base_per_fund": "Budget de la COG par année",
        "detail_details": "Détail de chaque colonne, ligne par ligne — {year}",
        "charts": "Graphiques",
        "chart_auth_exec": "Autorisé et exécuté par groupe de lignes",
        "chart_waterfall": "Construction des crédits autorisés {year}",
        "chart_lapsed": "Crédits annulés par groupe de lignes",
        "legend_authorised": "Autorisé",
        "legend_executed": "Exécuté",
        "legend_overspend": "Dépassement",
        "step_virements_in": "Virements reçus",
        "step_virements_out": "Virements émis",
        "step_total": "Crédits autorisés",
        "step_base": "Base COG",
        "axis_truncated": "Axe tronqué : l'échelle commence à {value}.",
        "chart_note": "Montants exacts au survol (infobulle) et dans les tableaux.",
        "nav": "Sommaire",
        "generated_by": "Produit par budgetrules à partir du document JSON de la simulation.",
        "no_chart": "Pas de graphique : le document ne contient que {columns}.",
        "no_chart_zero": "Pas de graphique : tous les montants de ce fonds sont nuls.",
        "unit_note": "Montants en euros.",
        "lines_count": "{n} lignes",
        "authorised_table": "Crédits autorisés", "total_fund": "TOTAL du fonds", "findings": "Constats",
        "none": "aucun", "tables": "Constats sur les tableaux publiés de la COG",
        "statement": "État détaillé de l'origine des crédits non consommés (reports)",
        "beyond": "Montants au-delà de la période de la COG", "reserve": "Réserve du fonds",
        "summary_title": "Synthèse", "count": "Nombre", "source": "Source",
        "scope": "Périmètre : fonds {funds}, exercices {first}-{last}, scénario {file}.",
        "no_irregularity": "Aucune irrégularité (constat d'erreur) sur la période.",
        "irregularities": "{n} irrégularité(s) relevée(s) sur la période.",
        "books_title": "Exécution lue dans les écritures (FEC)",
        "books_file": "{file} : {lines} lignes ({encoding}, {separator}, {variant}), {left_out} écartée(s)",
        "books_more": "… {n} autre(s) anomalie(s)",
        "as_of": "État au {date}",
        "bilan_title": "Bilan de l'exécution budgétaire {year} — {name}",
        "bilan_intro": "{rule} — {citation}. Crédits autorisés puis exécutés de {year}, dans la forme de la COG ; "
                       "chaque montant se retrouve par `budgetrules explain {file} FONDS LIGNE {year} --column COLONNE`.",
        "bilan_personnel": "Personnel : agents et ETP par statut, crédits exécutés par statut",
        "bilan_it": "Dépenses informatiques", "bilan_evaluative": "Dépenses évaluatives",
        "bilan_real_estate": "Opérations immobilières", "bilan_receipts": "Opérations sur recettes",
        "bilan_reserve": "Fonds de réserve : ressources, dépenses et réserve",
        "bilan_status": "Statut", "bilan_agents": "Agents", "bilan_fte": "ETP", "bilan_price": "Prix",
        "bilan_nbv": "Valeur nette comptable", "bilan_gain": "Plus-value", "bilan_use": "Emploi",
        "bilan_receipt": "Compte ou catégorie", "bilan_realised": "Réalisé", "bilan_forecast": "Prévision",
        "bilan_reused": "Lignes dont les crédits de l'année comprennent des recettes réutilisées :",
        "bilan_missing_personnel": "Pas de données de personnel dans le scénario (événements `personnel` : statut, "
                                   "agents, ETP, exécuté).",
        "bilan_missing_it": "Pas de ligne informatique désignée dans les fichiers des fonds (`bilan: it`).",
        "bilan_missing_evaluative": "Pas de dépense évaluative dans les fonds.",
        "bilan_missing_real_estate": "Pas d'opération immobilière dans le scénario ni de ligne immobilière désignée.",
        "bilan_missing_receipts": "Pas de recette dans le scénario pour l'année.",
        "bilan_missing_reserve": "Pas de fonds de réserve dans cette COG.",
        "bilan_missing_participation": "Pas de participation des branches définie dans les fonds.",
        "bilan_sheet_notes": "Notes", "bilan_sheet_personnel": "Personnel", "bilan_sheet_it": "Informatique",
        "bilan_sheet_evaluative": "Évaluatives", "bilan_sheet_real_estate_lines": "Immobilier",
        "bilan_sheet_sales": "Cessions", "bilan_sheet_receipts": "Recettes", "bilan_sheet_reused": "Réutilisations",
        "bilan_sheet_branch_participation": "Participation",
        "participation_title": "Participation des branches ({rule})",
        "participation_note": "Dépenses nettes : {reading} ; par branche : l'exécuté des sections (les recettes ne "
                              "sont pas réparties) ; — : la COG ne donne pas de clé de répartition. Prévision : sur "
                              "les crédits autorisés.",
        "reading_executed_less_receipts": "exécuté (fonctionnement et capital) moins les recettes propres réalisées",
        "reading_executed": "exécuté (fonctionnement et capital), les recettes propres non déduites",
        "p_operating": "Fonctionnement exécuté", "p_capital": "Capital exécuté", "p_receipts": "Recettes",
        "p_net": "Dépenses nettes", "p_forecast": "Prévision (autorisé)",
        "assumptions": "Hypothèses : {series}.", "origin_published": "publiées avec la COG (cog.yaml)",
        "origin_scenario": "du scénario", "origin_none": "aucune (pas d'actualisation)", "date": "Date", "note": "Note", "defaulted": "(par défaut)",
        "audit_date": "Informations jugées au {date}.",
        "available_title": "{fund} {line} — {label} — au {date}",
        "available_summary": "Autorisé à cette date {authorised} ; exécuté {executed} ; disponible {available} ; "
                             "peut en sortir au plus {movable} (le moindre disponible d'ici la fin de l'année).",
        "to_line": "Vers", "verdict": "Verdict", "largest": "Au plus", "signs": "Qui signe",
        "notify_by": "Information avant le", "chains_with": "Chaîne avec ({rule})",
    },
    "en": {
        "code": "Code", "label": "Label", "character": "Character", "group": "Group", "year": "Year",
        "fund": "Fund", "line": "Line", "rule": "Rule", "severity": "Severity", "message": "Message",
        "citation": "Citation", "amount": "Amount", "from_year": "From year", "to_year": "To year", "years": "Years",
        "target_year": "Target year", "column": "Column",
        "co_authorised": "Authorised (origin)", "co_executed": "Executed (origin)", "co_eligible": "Eligible",
        "co_carried": "Carried", "co_lapsed": "Lapsed",
        "fund_total": "Fund total",
        "sheet_detail": "Detail", "sheet_findings": "Findings", "sheet_source": "Published tables",
        "sheet_carry": "Carry-over", "sheet_beyond": "Beyond the period", "sheet_reserve": "{code} reserve", "sheet_participation": "Participation",
        "reserve_title": "{code} — reserve statement",
        "title_run": "Budget simulation — scenario “{name}”",
        "title_audit": "Audit — scenario “{name}”",
        "title_funds": "COG budget tables",
        "title_audit_plain": "Legality audit",
        "title_run_plain": "Budget simulation",
        "fund_sheet_title": "{code} — {label}",
        "fund_sheet_sub": "{what}, in euros; subtotals = sum of their lines",
        "fund_sheet_sub_meur": "{what}, in millions of euros (exact euro values in the cells); "
                               "subtotals = sum of their lines",
        "detail_title": "The year, column by column (docs/rules.md, “The year, in order”)",
        "findings_title": "Legality findings",
        "source_title": "About the published tables ({rule})",
        "source_sub": "These findings describe the COG document, not the simulated period.",
        "carry_title": "Detailed statement of the origin of carried-over credits",
        "beyond_title": "Amounts carried beyond the period",
        "none_findings": "No finding.",
        "none_source": "No gap in the published tables.",
        "none_carry": "No carry-over.",
        "none_beyond": "Nothing beyond the period.",
        "v_title": "Virement {fund} {year}: {source} → {target}, {amount}, on {date}", "v_verdict": "Verdict:",
        "v_authority": "Authority:", "v_notify": "Notify: {notify}, by {date}",
        "v_warning": "Warning: ", "v_reasons": "Reasons:", "v_rules": "Rules:", "v_line": "Line",
        "v_before": "{column} before", "v_after": "{column} after", "v_authorised": "Authorised", "v_available": "Available", "v_corner": "from \\ to",
        "show_label": "Label", "show_reference": "Initial budget {year}", "show_year": "Budget {year}",
        "show_estimated": "* : estimated figure",
        "show_recomputed": "† subtotal recomputed (sum of the lines); the COG prints {gaps} ({rule})",
        "show_no_table": "No programmed table: a reserve fund, opening reserve {opening} ({rule})",
        "summary": "{error} {error_w}, {warning} {warning_w}, {info} {info_w}",
        "authorised_per_fund": "Authorised credits per year",
        "base_per_fund": "COG budget per year",
        "detail_details": "Every column, line by line — {year}",
        "charts": "Charts",
        "chart_auth_exec": "Authorised and executed per line group",
        "chart_waterfall": "Build-up of the {year} authorised credits",
        "chart_lapsed": "Lapsed credits per line group",
        "legend_authorised": "Authorised",
        "legend_executed": "Executed",
        "legend_overspend": "Overspend",
        "step_virements_in": "Transfers in",
        "step_virements_out": "Transfers out",
        "step_total": "Authorised credits",
        "step_base": "COG base",
        "axis_truncated": "Truncated axis: the scale starts at {value}.",
        "chart_note": "Exact amounts on hover (tooltip) and in the tables.",
        "nav": "Contents",
        "generated_by": "Produced by budgetrules from the simulation's JSON document.",
        "no_chart": "No chart: the document only holds {columns}.",
        "no_chart_zero": "No chart: every amount of this fund is zero.",
        "unit_note": "Amounts in euros.",
        "lines_count": "{n} lines",
        "authorised_table": "Authorised credits", "total_fund": "TOTAL", "findings": "Findings",
        "none": "none", "tables": "Findings about the COG's published tables",
        "statement": "Detailed statement of the origin of unconsumed credits (carry-overs)",
        "beyond": "Amounts beyond the COG period", "reserve": "Fund reserve",
        "summary_title": "Summary", "count": "Count", "source": "Source",
        "scope": "Scope: funds {funds}, years {first}-{last}, scenario {file}.",
        "no_irregularity": "No irregularity (error finding) in the period.",
        "irregularities": "{n} irregularities found.",
        "books_title": "Execution read from the books (FEC)",
        "books_file": "{file}: {lines} lines ({encoding}, {separator}, {variant}), {left_out} left out",
        "books_more": "… {n} more problem(s)",
        "as_of": "State on {date}",
        "bilan_title": "Budget execution report {year} — {name}",
        "bilan_intro": "{rule} — {citation}. Credits authorised then executed in {year}, in the COG's form; every "
                       "amount can be traced with `budgetrules explain {file} FUND LINE {year} --column COLUMN`.",
        "bilan_personnel": "Personnel: agents and FTE by status, credits executed by status",
        "bilan_it": "IT expenses", "bilan_evaluative": "Evaluative expenses",
        "bilan_real_estate": "Real-estate operations", "bilan_receipts": "Operations on receipts",
        "bilan_reserve": "Reserve fund: resources, expenses and reserve",
        "bilan_status": "Status", "bilan_agents": "Agents", "bilan_fte": "FTE", "bilan_price": "Price",
        "bilan_nbv": "Net book value", "bilan_gain": "Gain", "bilan_use": "Use",
        "bilan_receipt": "Account or category", "bilan_realised": "Realised", "bilan_forecast": "Forecast",
        "bilan_reused": "Lines whose credits of the year include reused receipts:",
        "bilan_missing_personnel": "No personnel data in the scenario (`personnel` events: status, agents, FTE, "
                                   "executed).",
        "bilan_missing_it": "No IT line named in the fund files (`bilan: it`).",
        "bilan_missing_evaluative": "No evaluative expense in the funds.",
        "bilan_missing_real_estate": "No real-estate operation in the scenario nor property line named.",
        "bilan_missing_receipts": "No receipt in the scenario for the year.",
        "bilan_missing_reserve": "No reserve fund in this COG.",
        "bilan_missing_participation": "No participation of the branches defined in the funds.",
        "bilan_sheet_notes": "Notes", "bilan_sheet_personnel": "Personnel", "bilan_sheet_it": "IT",
        "bilan_sheet_evaluative": "Evaluative", "bilan_sheet_real_estate_lines": "Real estate",
        "bilan_sheet_sales": "Sales", "bilan_sheet_receipts": "Receipts", "bilan_sheet_reused": "Reuse",
        "bilan_sheet_branch_participation": "Participation",
        "participation_title": "Participation of the branches ({rule})",
        "participation_note": "Net expenses: {reading}; by branch: the executed expenses of the sections (receipts "
                              "not split); —: the COG gives no key to split. Forecast: on the authorised credits.",
        "reading_executed_less_receipts": "executed (operating and capital) less the own receipts realised",
        "reading_executed": "executed (operating and capital), own receipts not deducted",
        "p_operating": "Operating executed", "p_capital": "Capital executed", "p_receipts": "Receipts",
        "p_net": "Net expenses", "p_forecast": "Forecast (authorised)",
        "assumptions": "Assumptions: {series}.", "origin_published": "published with the COG (cog.yaml)",
        "origin_scenario": "the scenario's", "origin_none": "none (no actualisation)", "date": "Date", "note": "Note", "defaulted": "(default)",
        "audit_date": "Notices judged on {date}.",
        "available_title": "{fund} {line} — {label} — on {date}",
        "available_summary": "Authorised on that date {authorised}; executed {executed}; available {available}; "
                             "at most {movable} may leave it (the least available from then to the end of the year).",
        "to_line": "To", "verdict": "Verdict", "largest": "At most", "signs": "Who signs",
        "notify_by": "Notice by", "chains_with": "Chains with ({rule})",
    },
}


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


# -- the reports (xlsx, html): the fund in the COG's form, authorised then executed; line overruns ----------
WORDS["fr"].update({
    "cog_form_title": "Crédits autorisés, puis exécutés et disponibles, par année",
    "close_title": "Clôture de chaque exercice : reports sur N+1 et crédits annulés",
    "buildup_details": "Construction des crédits autorisés, ligne par ligne — {year}",
    "buildup_note": "Les lignes ajustées en {year} (actualisation, report, recettes, réserve, virements…) et leurs "
                    "sous-totaux ; sur toute autre ligne, crédits autorisés = base COG. Montants en euros.",
    "buildup_none": "Aucun ajustement en {year} : sur chaque ligne, crédits autorisés = base COG.",
    "chart_overruns": "Dépassements des crédits limitatifs, ligne par ligne",
    "legend_line_overrun": "Ligne limitative en dépassement",
    "overrun_tip": "{line} — {year} : exécuté {executed}, autorisé {authorised}, dépassement {amount}",
    "overrun_marks": "{group} — {year} : dépassement ligne par ligne : {items}",
    "no_overrun": "Aucune ligne limitative n'est exécutée au-delà de son crédit autorisé.",
    "overrun_note": "Un groupe peut rester dans ses crédits alors qu'une de ses lignes limitatives les dépasse : "
                    "chaque ligne en dépassement est marquée ▲ dans le graphique des groupes et détaillée ici.",
})
WORDS["en"].update({
    "cog_form_title": "Authorised credits, then executed and available, per year",
    "close_title": "Close of each year: carried to N+1 and lapsed credits",
    "buildup_details": "Build-up of the authorised credits, line by line — {year}",
    "buildup_note": "The lines adjusted in {year} (indexation, carry-over, receipts, reserve, virements…) and their "
                    "subtotals; on every other line, authorised credits = COG base. Amounts in euros.",
    "buildup_none": "No adjustment in {year}: on every line, authorised credits = COG base.",
    "chart_overruns": "Overruns of limitative credits, line by line",
    "legend_line_overrun": "Limitative line overrun",
    "overrun_tip": "{line} — {year}: executed {executed}, authorised {authorised}, overrun {amount}",
    "overrun_marks": "{group} — {year}: overruns line by line: {items}",
    "no_overrun": "No limitative line is executed beyond its authorised credit.",
    "overrun_note": "A group may stay within its credits while one of its limitative lines exceeds its own: every "
                    "line overrun is marked ▲ in the group chart and detailed here.",
})


# -- the web pages (budgetrules serve): render/labels_web.py, merged into the one catalogue -------------
def _merge_web() -> None:
    from .labels_web import WEB_WORDS

    for lang, labels in WEB_WORDS.items():
        WORDS[lang].update(labels)


_merge_web()
