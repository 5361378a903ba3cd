"""The labels of the web pages (`budgetrules serve`), French and English: part of the one catalogue
of labels, `render.labels.WORDS`, which merges them (kept apart only for the size of the file)."""
from __future__ import annotations

_FR: dict[str, str] = {}
_EN: dict[str, str] = {}

# -- the web pages (budgetrules serve) --------------------------------------------------------------
_FR.update({
    "web_lang_name": "Français",
    "web_home_title": "Règles budgétaires de la COG",
    "web_home_intro": "Vérifier un virement avant de le signer, auditer un scénario constat par constat, lire les "
                      "crédits d'un fonds à une date : les mêmes réponses que la ligne de commande budgetrules.",
    "web_funds_title": "Les fonds", "web_leaves": "Lignes",
    "web_api_intro": "Pour les autres logiciels, l'API JSON est décrite (OpenAPI) à l'adresse",
    "web_nav_virement": "Virement", "web_nav_audit": "Audit", "web_nav_credits": "Crédits",
    "web_nav_explain": "Explication",
    "web_nav_virement_what": "ce virement est-il possible, qui signe, qui informer et avant quand",
    "web_nav_audit_what": "les constats d'un scénario, chacun ouvrant sur son explication, et l'état des reports",
    "web_nav_credits_what": "le tableau d'un fonds dans la forme de la COG, autorisé puis exécuté, à une date",
    "web_nav_explain_what": "d'où vient un chiffre : chaque contribution, sa règle, sa citation et sa source",
    "web_footer": "budgetrules — mêmes documents que la ligne de commande ; API JSON : /api/openapi.json. "
                  "Aucune ressource externe n'est chargée.",
    "web_errors": "La demande ne peut pas être traitée :",
    "web_not_found_title": "Page introuvable", "web_not_found": "Cette page n'existe pas.",
    "web_crashed": "Erreur interne",
    "web_cog": "COG", "web_choose": "— choisir —", "web_no_group": "Sans groupe",
    "web_scenario": "Scénario", "web_scenario_default": "COG seule, hypothèses centrales",
    "web_check": "Vérifier", "web_show": "Afficher", "web_download": "Télécharger",
    "web_link": "Lien de cette page (à coller dans un courriel)",
    "web_virement_title": "Virement de crédits",
    "web_virement_intro": "Ce virement est-il possible, qui le signe, qui faut-il informer et avant quand ?",
    "web_from": "Ligne débitée", "web_to": "Ligne créditée",
    "web_amount_hint": "comme vous l'écrivez : 400 k€, 1 250 000,00 €",
    "web_date": "Date", "web_date_hint": "par défaut le 31 décembre de l'exercice",
    "web_year_auto": "celui de la date",
    "web_dm": "Décision modificative (facultatif)", "web_dm_ref": "Référence de la DM",
    "web_board_vote": "Vote du conseil", "web_approval": "Approbation de la tutelle",
    "web_verdict": "Verdict",
    "web_virement_what": "{fund} : {source} → {target}, {amount}, le {date}",
    "web_who_signs": "Qui signe", "web_notify": "Qui informer",
    "web_notify_by": "{who}, au plus tard le {date}", "web_no_notice": "aucune information requise",
    "web_reasons": "Motifs", "web_rules": "Règles et paragraphes de la COG",
    "web_two_lines": "Les deux lignes avant et après le virement ({year})",
    "web_authorised_before": "Autorisé avant", "web_available_before": "Disponible avant",
    "web_authorised_after": "Autorisé après", "web_available_after": "Disponible après",
    "web_chain_title": "Chaîne avec un virement enregistré ({rule})",
    "web_chain_text": "Avec le virement enregistré ci-dessous, ce virement ferait passer des crédits vers un groupe "
                      "qu'aucun virement direct du directeur ne peut atteindre : l'audit le relèvera.",
    "web_chain_item": "{source} : {source_line} → {target_line}, {amount}, le {date}",
    "web_audit_title": "Audit d'un scénario",
    "web_audit_intro": "Les constats d'un scénario par gravité, fonds et exercice ; chacun s'ouvre sur son explication "
                       "(les contributions, leur règle, leur citation et leur source) ; puis l'état détaillé de "
                       "l'origine des crédits non consommés.",
    "web_audit_run": "Auditer", "web_audit_date": "Date de l'audit",
    "web_audit_date_hint": "vide : celle du scénario, sinon le lendemain de la période",
    "web_or_paste": "… ou chargez ou collez un scénario (YAML ou JSON, 1 Mo au plus)",
    "web_load_file": "Fichier du scénario", "web_too_large": "Ce fichier dépasse 1 Mo.",
    "web_posted_note": "Scénario envoyé avec la demande : cette page n'a pas de lien stable ; téléchargez ses tableaux.",
    "web_no_finding_group": "Sans fonds ni exercice",
    "web_explanation": "Explication — {column} de {line} en {year} : {value}",
    "web_no_explanation": "Ce constat ne porte pas sur un chiffre d'une ligne de la période.",
    "web_open_explain": "ouvrir la page de ce chiffre",
    "web_credits_title": "Crédits d'un fonds",
    "web_credits_intro": "Le tableau du fonds dans la forme de la COG : les crédits autorisés, puis l'exécution, "
                         "exercice par exercice ou à une date choisie.",
    "web_as_of": "À la date du", "web_as_of_hint": "vide : les exercices entiers",
    "web_authorised_at": "Autorisé au {date}", "web_executed_at": "Exécuté au {date}",
    "web_available_at": "Disponible au {date}",
    "web_figure_link": "Chaque montant s'ouvre sur son explication.",
    "web_explain_title": "D'où vient ce chiffre",
    "web_explain_intro": "Les contributions qui s'additionnent pour former un chiffre : règle, paragraphe de la COG, "
                         "date et source (fichier:ligne).",
    "web_note": "Note",
})
_EN.update({
    "web_lang_name": "English",
    "web_home_title": "The COG's budget rules",
    "web_home_intro": "Check a virement before signing it, audit a scenario finding by finding, read a fund's "
                      "credits at a date: the same answers as the budgetrules command line.",
    "web_funds_title": "The funds", "web_leaves": "Lines",
    "web_api_intro": "For other software, the JSON API is described (OpenAPI) at",
    "web_nav_virement": "Virement", "web_nav_audit": "Audit", "web_nav_credits": "Credits",
    "web_nav_explain": "Explanation",
    "web_nav_virement_what": "may this virement be made, who signs, who must be told and by when",
    "web_nav_audit_what": "a scenario's findings, each opening onto its explanation, and the carry-over statement",
    "web_nav_credits_what": "a fund's table in the COG's form, authorised then executed, at a date",
    "web_nav_explain_what": "where a figure comes from: each contribution, its rule, citation and source",
    "web_footer": "budgetrules — the same documents as the command line; JSON API: /api/openapi.json. "
                  "Nothing is loaded from elsewhere.",
    "web_errors": "The request cannot be used:",
    "web_not_found_title": "Page not found", "web_not_found": "This page does not exist.",
    "web_crashed": "Internal error",
    "web_cog": "COG", "web_choose": "— choose —", "web_no_group": "No group",
    "web_scenario": "Scenario", "web_scenario_default": "The COG alone, central assumptions",
    "web_check": "Check", "web_show": "Show", "web_download": "Download",
    "web_link": "Link to this page (to paste in an e-mail)",
    "web_virement_title": "Credit transfer (virement)",
    "web_virement_intro": "May this virement be made, who signs it, who must be told, and by when?",
    "web_from": "From line", "web_to": "To line",
    "web_amount_hint": "as you write it: 400 k€, 1 250 000,00 €",
    "web_date": "Date", "web_date_hint": "default: 31 December of the year",
    "web_year_auto": "the date's",
    "web_dm": "Décision modificative (optional)", "web_dm_ref": "DM reference",
    "web_board_vote": "Board vote", "web_approval": "Ministries' approval",
    "web_verdict": "Verdict",
    "web_virement_what": "{fund}: {source} → {target}, {amount}, on {date}",
    "web_who_signs": "Who signs", "web_notify": "Who must be told",
    "web_notify_by": "{who}, by {date}", "web_no_notice": "no notice required",
    "web_reasons": "Reasons", "web_rules": "Rules and COG paragraphs",
    "web_two_lines": "The two lines before and after the virement ({year})",
    "web_authorised_before": "Authorised before", "web_available_before": "Available before",
    "web_authorised_after": "Authorised after", "web_available_after": "Available after",
    "web_chain_title": "Chain with a recorded virement ({rule})",
    "web_chain_text": "Together with the recorded virement below, this virement would move credit into a group that no "
                      "direct virement by the director may reach: the audit will flag it.",
    "web_chain_item": "{source}: {source_line} → {target_line}, {amount}, on {date}",
    "web_audit_title": "Audit of a scenario",
    "web_audit_intro": "A scenario's findings by severity, fund and year; each opens onto its explanation (the "
                       "contributions with their rule, citation and source); then the detailed statement of the "
                       "origin of unconsumed credits.",
    "web_audit_run": "Audit", "web_audit_date": "Audit date",
    "web_audit_date_hint": "empty: the scenario's, else the day after the period",
    "web_or_paste": "… or load or paste a scenario (YAML or JSON, at most 1 MB)",
    "web_load_file": "Scenario file", "web_too_large": "This file is larger than 1 MB.",
    "web_posted_note": "Scenario sent with the request: this page has no stable link; download its tables.",
    "web_no_finding_group": "No fund or year",
    "web_explanation": "Explanation — {column} of {line} in {year}: {value}",
    "web_no_explanation": "This finding is not about a figure of a line of the period.",
    "web_open_explain": "open this figure's page",
    "web_credits_title": "Credits of a fund",
    "web_credits_intro": "The fund's table in the COG's form: the authorised credits, then the execution, year by "
                         "year or at a chosen date.",
    "web_as_of": "As of", "web_as_of_hint": "empty: whole years",
    "web_authorised_at": "Authorised on {date}", "web_executed_at": "Executed on {date}",
    "web_available_at": "Available on {date}",
    "web_figure_link": "Each amount opens onto its explanation.",
    "web_explain_title": "Where this figure comes from",
    "web_explain_intro": "The contributions that add up to a figure: rule, COG paragraph, date and source (file:line).",
    "web_note": "Note",
})
_FR.update({
    "web_nav_available": "Disponible",
    "web_nav_available_what": "à une date, ce qui reste sur une ligne et ce qui peut en sortir, vers quelle ligne, "
                              "sur quelle signature",
    "web_available_title": "Ce qui peut sortir d'une ligne",
    "web_available_intro": "À une date, le crédit disponible sur une ligne et, pour chaque autre ligne du fonds, le "
                           "verdict d'un virement, le montant le plus élevé possible, qui signe et avant quand informer.",
})
_EN.update({
    "web_nav_available": "Available",
    "web_nav_available_what": "on a date, what is left on a line and what may move out of it, to which line, on whose "
                              "signature",
    "web_available_title": "What can move out of a line",
    "web_available_intro": "On a date, the credit available on a line and, for every other line of the fund, the "
                           "verdict of a virement, the largest amount, who signs and the notice deadline.",
})

WEB_WORDS = {"fr": _FR, "en": _EN}
