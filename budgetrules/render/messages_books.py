"""The catalogue's sentences about the books (FEC) read for the execution: the R-BOOKS-WHOLE findings
and the books report (files, lines left out, accounts no rule maps, entries excluded or read twice),
in French and English: part of the one catalogue of messages.py, which merges it."""
from __future__ import annotations

BOOKS_MESSAGES: dict[str, dict[str, str]] = {
    # -- the books (FEC) read for the execution: R-BOOKS-WHOLE findings and the books report ---------
    "books.left_out": {
        "fr": "{lines:plural:ligne du FEC écartée:lignes du FEC écartées} de l'exécution, dont {unreadable} "
              "illisible(s) ; "
              "{amount} au débit des lignes lisibles écartées ({problems:plural:anomalie:anomalies}, listées avec "
              "leur numéro de ligne) : l'exécution lue dans les écritures est incomplète",
        "en": "{lines:plural:FEC line:FEC lines} left out of the execution, {unreadable} of them unreadable; {amount} "
              "on the debit side of the readable lines left out ({problems:plural:problem:problems}, listed with "
              "their line numbers): the execution read from the books is incomplete"},
    "books.excluded": {
        "fr": "{entries:plural:écriture:écritures} ({lines:plural:ligne:lignes}, {amount} au débit) hors exécution, "
              "non comptée(s) : {closing} de clôture (charges et produits soldés en 12), {opening} d'ouverture "
              "(à-nouveaux)",
        "en": "{entries:plural:entry:entries} ({lines:plural:line:lines}, {amount} on the debit side) not counted "
              "as execution: {closing} closing (charges and products moved into 12), {opening} opening (à-nouveaux)"},
    "books.duplicates": {
        "fr": "{entries:plural:écriture:écritures} ({lines:plural:ligne:lignes}, {amount} au débit) lue(s) deux "
              "fois (même journal, numéro, date et lignes), comptée(s) une seule fois",
        "en": "{entries:plural:entry:entries} ({lines:plural:line:lines}, {amount} on the debit side) read twice "
              "(same journal, number, date and lines), counted once"},
    "books.unmatched_expenses": {
        "fr": "{accounts:plural:compte:comptes} de charges ou d'investissement (classe 6 ou 2) sans règle dans "
              "{mapping} : {amount} (débit − crédit, {lines:plural:ligne:lignes}) dans aucune ligne de fonds : "
              "l'exécution lue est incomplète (ajoutez ces comptes à la table de correspondance, ou à son `ignore`)",
        "en": "{accounts:plural:expense or investment account:expense or investment accounts} (class 6 or 2) "
              "matching no rule of {mapping}: {amount} (debit − credit, {lines:plural:line:lines}) on no fund line: "
              "the execution read is incomplete (add these accounts to the mapping, or to its `ignore`)"},
    "books.unmatched_receipts": {
        "fr": "{accounts:plural:compte:comptes} de produits (classe 7) sans règle dans {mapping} : {amount} "
              "(crédit − débit, {lines:plural:ligne:lignes}) dans aucune recette",
        "en": "{accounts:plural:income account:income accounts} (class 7) matching no rule of {mapping}: {amount} "
              "(credit − debit, {lines:plural:line:lines}) in no receipt"},
    "books.summary_warnings": {
        "fr": "Écritures lues : {n:plural:avertissement:avertissements} R-BOOKS-WHOLE ci-dessous.",
        "en": "Books read: {n:plural:warning:warnings} R-BOOKS-WHOLE below."},
    "books.scope": {"fr": "Écritures (FEC)", "en": "Books (FEC)"},
    "books.file": {
        "fr": "{file} : {lines} lignes ({encoding}, {separator}, {variant}, fins de ligne {line_end}), {left_out} "
              "écartée(s) ; empreinte {fingerprint}",
        "en": "{file}: {lines} lines ({encoding}, {separator}, {variant}, {line_end} line ends), {left_out} left "
              "out; fingerprint {fingerprint}"},
    "books.extra_columns": {"fr": "colonnes facultatives lues sans être utilisées : {columns}",
                            "en": "optional columns read past: {columns}"},
    "books.left_out_title": {"fr": "Lignes écartées, avec leur numéro de ligne",
                             "en": "Lines left out, with their line numbers"},
    "books.left_out_summary": {
        "fr": "{lines:plural:ligne écartée:lignes écartées} ({amount} au débit des lignes lisibles)",
        "en": "{lines:plural:line:lines} left out ({amount} on the debit side of the readable ones)"},
    "books.more": {"fr": "… et {n} autre(s) anomalie(s)", "en": "… and {n} more problem(s)"},
    "books.unmatched_title": {
        "fr": "Comptes de classe 2, 6 ou 7 sans règle dans la table de correspondance (dans aucun événement)",
        "en": "Accounts of class 2, 6 or 7 that match no rule of the mapping (in no event)"},
    "books.excluded_title": {"fr": "Écritures hors exécution, non comptées",
                             "en": "Entries that are not execution, not counted"},
    "books.duplicates_title": {"fr": "Écritures lues deux fois, comptées une fois",
                               "en": "Entries read twice, counted once"},
    "books.conflicts_title": {"fr": "Même écriture (journal, numéro, date), autres lignes : la seconde écartée",
                              "en": "Same entry (journal, number, date), other lines: the second left out"},
    "books.analytic": {"fr": "{lines:plural:ligne analytique:lignes analytiques} (classe 9) ignorée(s) : {amount}",
                       "en": "{lines:plural:analytic line:analytic lines} (class 9) ignored: {amount}"},
    "books.kind.closing": {"fr": "clôture", "en": "closing"},
    "books.kind.opening": {"fr": "ouverture", "en": "opening"},
    "books.col.account": {"fr": "Compte", "en": "Account"},
    "books.col.lines": {"fr": "Lignes", "en": "Lines"},
    "books.col.first_line": {"fr": "Première ligne", "en": "First line"},
    "books.col.entry": {"fr": "Écriture", "en": "Entry"},
    "books.col.date": {"fr": "Date", "en": "Date"},
    "books.col.kind": {"fr": "Nature", "en": "Kind"},
    "books.col.kept": {"fr": "Comptée", "en": "Counted"},
    "books.col.again": {"fr": "Relue", "en": "Read again"},
    "books.col.left_out": {"fr": "Écartée", "en": "Left out"},
    "books.col.debit_minus_credit": {"fr": "Débit − crédit", "en": "Debit − credit"},
    "books.col.debit": {"fr": "Débit", "en": "Debit"},
    "books.col.line": {"fr": "Ligne", "en": "Line"},
    "books.col.problem": {"fr": "Anomalie", "en": "Problem"},
}
