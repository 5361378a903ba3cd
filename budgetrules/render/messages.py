"""The catalogue of sentences: every finding, contribution note and virement reason the rules
produce, by message key, in French and English. Rules give a key and its parameters; this writes
the sentence.

    text("carry.last_year", {"amount": Decimal("10.00"), "line": "A-I-1", "year": 2024}, "fr")
    -> "décision de reporter 10,00 € de A-I-1 depuis 2024, dernière année de la COG : ..."

Parameters: a Decimal is an amount (French "1 234,50 €" or English "€1,234.50") unless its format
says otherwise (`raw`: 1234.50; `num`: 1.0038; `pct0`: "100 %"; `signed`: "+10 000,00 €"); a date
is written ISO (the text renderers show it 15/06/2023 in French); a list is joined with ", " (or with
" ou "/" or " under the format `or`); `{n:plural:ligne:lignes}` agrees a noun with a count; a `Word`
is itself a key of this catalogue (with its own parameters), translated with the sentence."""
from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal
from typing import Any, Mapping

from ..core.money import format_amount
from ..core.records import Local, Word
from .messages_books import BOOKS_MESSAGES
from .messages_words import WORD_MESSAGES

MESSAGES: dict[str, dict[str, str]] = {
    # -- findings ------------------------------------------------------------------------------
    "ceiling.evaluative_over": {
        "fr": "{line} {year} : exécuté {executed}, {over} au-delà du montant indicatif de {authorised} (crédit "
              "évaluatif : dépassement permis)",
        "en": "{line} {year}: executed {executed}, {over} above the indicative amount of {authorised} (evaluative "
              "credit: an overrun is allowed)"},
    "ceiling.limitative_over": {
        "fr": "{line} {year} : l'exécuté de {executed} dépasse le crédit limitatif autorisé de {authorised} de {over}",
        "en": "{line} {year}: the execution of {executed} exceeds the authorised limitative credit of {authorised} "
              "by {over}"},
    "charge_transfer.above_credit": {
        "fr": "transfert de charge de {amount} sur {line} en {year} : la ligne n'a que {budgeted} de crédits budgétés "
              "à annuler ; {cancelled} annulés",
        "en": "transfer of charge of {amount} on {line} in {year}: the line has only {budgeted} of budgeted credits "
              "to cancel; {cancelled} cancelled"},
    "ap.not_investment_line": {
        "fr": "AP {ref} inscrite sur {line}, qui n'est pas une ligne d'investissement en CP : aucun CP n'est reporté "
              "à son titre",
        "en": "AP {ref} on {line}, which is not an investment line in CP: no CP is carried for it"},
    "index.no_rate": {
        "fr": "{line} {at} : pas de taux {rate} pour {year} : pas d'actualisation en {year} ({rule})",
        "en": "{line} {at}: no {rate} for {year}: no actualisation in {year} ({rule})"},
    "index.no_correction": {
        "fr": "{line} {at} : pas de taux {rate} pour {year} : correction prise à 0, montant provisoire ({rule})",
        "en": "{line} {at}: no {rate} for {year}: correction taken as 0, provisional amount ({rule})"},
    "index.no_execution": {
        "fr": "{line} {at} : pas d'exécution enregistrée pour {year} : la base de {at} n'est pas recalculée ({rule})",
        "en": "{line} {at}: no execution recorded for {year}: the base of {at} is not rebased ({rule})"},
    "receipt.not_reused": {
        "fr": "recette {fund} ({what}) de {realised} enregistrée : les recettes propres ne majorent jamais les "
              "autorisations de dépenses",
        "en": "receipt {fund} ({what}) of {realised} recorded: own receipts never increase the authorised expenses"},
    "receipt.no_excess": {
        "fr": "{described} : réalisé {realised} ≤ prévision {forecast} : rien à réutiliser (une moins-value ne réduit "
              "jamais les autorisations)",
        "en": "{described}: realised {realised} ≤ forecast {forecast}: nothing to reuse (a shortfall never reduces "
              "the authorisations)"},
    "receipt.zero_rate": {
        "fr": "{described} : l'excédent de {excess} sur la prévision ne donne lieu à aucune récupération de crédits "
              "(0 %)",
        "en": "{described}: the excess of {excess} over the forecast gives no credit back (0%)"},
    "receipt.target_not_limitative": {
        "fr": "les recettes majorent les autorisations limitatives (ou la réserve) ; {line} est {character} : non "
              "appliqué",
        "en": "receipts increase limitative authorisations (or the reserve); {line} is {character}: not applied"},
    "noncash.no_rule": {
        "fr": "{fund} n'a pas de règle de produits sans décaissement : rien n'est réutilisé",
        "en": "{fund} has no rule for products without cash outflow: nothing is reused"},
    "noncash.bad_class": {
        "fr": "produit sans décaissement dont la contrepartie est en classe {cls} (classe {allowed:or} requise) : "
              "non appliqué",
        "en": "product without cash outflow whose counterpart is in class {cls} (class {allowed:or} required): "
              "not applied"},
    "asset_sale.no_rule": {
        "fr": "{fund} ne réutilise pas les plus-values de cessions immobilières ({label})",
        "en": "{fund} does not reuse real-estate gains ({label})"},
    "asset_sale.social_security_price": {
        "fr": "{label} : une vente entre organismes de sécurité sociale se fait à la valeur nette comptable ({nbv}), "
              "non à {price} ; aucune plus-value n'est réutilisée",
        "en": "{label}: a sale between social-security bodies is made at the net book value ({nbv}), not at "
              "{price}; no gain is reused"},
    "asset_sale.no_gain": {
        "fr": "{label} : aucune plus-value à réutiliser (prix {price}, valeur nette comptable {nbv})",
        "en": "{label}: no gain to reuse (price {price}, net book value {nbv})"},
    "reserve.none": {
        "fr": "{fund} n'a pas de réserve nationale : utilisation de {amount} non appliquée",
        "en": "{fund} has no réserve nationale: use of {amount} not applied"},
    "reserve.to_itself": {
        "fr": "utilisation de la réserve nationale de {amount} pour la réserve elle-même : rien à appliquer",
        "en": "use of the réserve nationale of {amount} for the reserve itself: nothing to apply"},
    "reserve.unauthorised": {
        "fr": "utilisation de la réserve nationale de {amount} pour {target} le {date} sans autorisation préalable "
              "(autorité : {ministries}) : non appliquée",
        "en": "use of the réserve nationale of {amount} for {target} on {date} without the prior authorisation of "
              "{ministries}: not applied"},
    "reserve.authorised_late": {
        "fr": "utilisation de la réserve nationale de {amount} pour {target} le {date} autorisée le {authorised_on}, "
              "après l'utilisation du {date} : non appliquée",
        "en": "use of the réserve nationale of {amount} for {target} on {date} authorised on {authorised_on}, after "
              "the use of {date}: not applied"},
    "reserve.insufficient": {
        "fr": "utilisation de la réserve nationale de {amount} pour {target} le {date} : la réserve ne dispose que de "
              "{holds} : non appliquée",
        "en": "use of the réserve nationale of {amount} for {target} on {date}: the reserve holds only {holds}: "
              "not applied"},
    "reserve.used": {
        "fr": "réserve nationale : {amount} utilisés pour {target} le {date} (autorisation du {authorised_on}) ; "
              "information à faire (destinataire : {board})",
        "en": "réserve nationale: {amount} used for {target} on {date} (authorised on {authorised_on}); {board} "
              "is to be informed"},
    "reserve_fund.over": {
        "fr": "dépenses {fund} {year} ({expenses}) supérieures à la réserve disponible ({opening} à l'ouverture + "
              "{resources} de ressources = {available})",
        "en": "{fund} expenses {year} ({expenses}) above the reserve available ({opening} at opening + {resources} "
              "of resources = {available})"},
    "vote.over": {
        "fr": "le budget {budget} {year} vote {voted} sur {line}, au-delà des crédits autorisés de {authorised} à sa "
              "date ({voted_on}) : non conforme à la COG, approbation non réputée acquise",
        "en": "the {budget} budget {year} votes {voted} on {line}, above the authorised credits of {authorised} on "
              "its date ({voted_on}): not in conformity with the COG, approval not deemed acquired"},
    "vote.conform": {
        "fr": "le budget {budget} {year} voté le {voted_on} reste dans les crédits autorisés : conforme à la COG, "
              "approbation réputée acquise",
        "en": "the {budget} budget {year} voted on {voted_on} stays within the authorised credits: in conformity "
              "with the COG, approval deemed acquired"},
    "vote.reserve_over": {
        "fr": "le budget {budget} {year} vote {voted} de dépenses, au-delà de la réserve disponible ({available}) : "
              "non conforme à la COG ({rule})",
        "en": "the {budget} budget {year} votes {voted} of expenses, above the reserve available ({available}): "
              "not in conformity with the COG ({rule})"},
    "vote.reserve_conform": {
        "fr": "le budget {budget} {year} ({voted}) reste dans la réserve disponible ({available}) : conforme à la "
              "COG, approbation réputée acquise",
        "en": "the {budget} budget {year} ({voted}) stays within the reserve available ({available}): in "
              "conformity with the COG, approval deemed acquired"},
    "vote.calendar": {
        "fr": "budget {budget} {year} voté le {voted_on} : il doit être {when}",
        "en": "{budget} budget {year} voted on {voted_on}: it must be {when}"},
    "vote.no_receipt": {
        "fr": "budget {budget} {year} : pas de date de réception par {ministries}, donc pas de date "
              "exécutoire (exécutoire {days} jours après réception)",
        "en": "{budget} budget {year}: no date of receipt by {ministries}, hence no executory date "
              "(executory {days} days after receipt)"},
    "vote.executory": {
        "fr": "budget {budget} {year} reçu par {ministries} le {received_on} : exécutoire le "
              "{executory}",
        "en": "{budget} budget {year} received by {ministries} on {received_on}: executory on "
              "{executory}"},
    "carry.never": {
        "fr": "décision de reporter {amount} de crédits {kind} {year} de {line} : ces crédits ne sont jamais "
              "reportables ; rien n'est reporté",
        "en": "decision to carry {amount} of {kind} credits of {line} from {year}: these credits are never carried "
              "over; nothing is carried"},
    "carry.last_year": {
        "fr": "décision de reporter {amount} de {line} depuis {year}, dernière année de la COG : non reportable "
              "(seuls les CP d'une AP le sont) ; rien n'est reporté",
        "en": "decision to carry {amount} of {line} from {year}, the last year of the COG: not carried (only the "
              "CP of an AP are); nothing is carried"},
    "carry.above_eligible": {
        "fr": "report de {asked} décidé pour {line} depuis {year}, au-delà du reportable de {eligible} (autorisé "
              "{authorised} − exécuté {executed}) : seuls {eligible} sont reportés",
        "en": "carry-over of {asked} decided for {line} from {year}, above the {eligible} that may be carried "
              "(authorised {authorised} − executed {executed}): only {eligible} are carried"},
    "carry.ap_cancel": {
        "fr": "AP {ref} de {amount} sur {line} jamais décidée par le conseil : annulée à la fin de {year}, aucun CP "
              "reporté à son titre",
        "en": "AP {ref} of {amount} on {line} never decided by the board: cancelled at the end of {year}, no CP "
              "carried for it"},
    "carry.into_first_year": {
        "fr": "décision de reporter {amount} de crédits {before} sur {first} : {before} précède la COG (aucun "
              "montant reportable) ; rien n'est reporté",
        "en": "decision to carry {amount} of credits of {before} into {first}: {before} precedes the COG (nothing "
              "may be carried); nothing is carried"},
    "carry.group_cap": {
        "fr": "reports de {year} du groupe {group} : {asked} demandés, au-delà du plafond de {limit} (sur {credits} "
              "de crédits autorisés) : seuls {limit} sont reportés",
        "en": "carry-overs from {year} of the group {group}: {asked} asked, above the cap of {limit} (on {credits} "
              "of authorised credits): only {limit} are carried"},
    "carry.from_previous": {
        "fr": "{line} : report de {amount} de crédits {before} de la convention précédente sur {first}, reporté tel "
              "que décidé (les comptes de {before} sont hors de cette COG)",
        "en": "{line}: {amount} of credits of {before} carried from the previous convention into {first}, as decided "
              "(the accounts of {before} are outside this COG)"},
    "carry.misdated": {
        "fr": "décision de report datée du {decided_on} : le report des crédits {before} se décide en {year}, avec "
              "le budget qui les reçoit",
        "en": "carry-over decision dated {decided_on}: the carry-over of the credits of {before} is decided in "
              "{year}, with the budget that receives them"},
    "carry.automatic_decision": {
        "fr": "{line} reporte ses crédits non consommés de plein droit : la décision de {amount} n'ajoute rien",
        "en": "{line} carries its unconsumed credits automatically: the decision of {amount} adds nothing"},
    "matrix.legend.permitted": {"fr": "{short} = {permitted}", "en": "{short} = {permitted}"},
    "matrix.legend.permitted_with_notice": {
        "fr": "{short} = {permitted}, information de : {notify}, sous {delay}",
        "en": "{short} = {permitted}, with notice to {notify} within {delay}"},
    "matrix.legend.requires_dm": {
        "fr": "{short} = décision modificative votée par {board} et approuvée par {ministries}",
        "en": "{short} = a décision modificative voted by {board} and approved by {ministries}"},
    "matrix.legend.refused": {"fr": "{short} = refusé (par personne, pas même par une DM)",
                              "en": "{short} = refused (by no one, not even by a DM)"},
    "virement.zero": {"fr": "{what} : montant nul, refusé", "en": "{what}: zero amount, refused"},
    "virement.reason.zero": {"fr": "le montant doit être supérieur à zéro", "en": "the amount must be above zero"},
    "virement.insufficient": {
        "fr": "{what} : {source} n'a que {available} de disponible à cette date, moins que le montant à virer : "
              "refusé",
        "en": "{what}: {source} has only {available} available at that date, less than the amount to move: "
              "refused"},
    "virement.reason.direction": {"fr": "{source} → {target} ({gfrom} → {gto}) : {verdict} ({rule})",
                                  "en": "{source} → {target} ({gfrom} → {gto}): {verdict} ({rule})"},
    "virement.reason.notice": {"fr": "information de : {notify}, au plus tard le {deadline} ({delay})",
                               "en": "notice to {notify} by {deadline} ({delay})"},
    "delay.days": {"fr": "{n:plural:jour:jours}", "en": "{n:plural:day:days}"},
    "verdict.permitted": {"fr": "autorisé", "en": "permitted"},
    "verdict.permitted_with_notice": {"fr": "autorisé, avec information sous {delay}",
                                      "en": "permitted, with notice within {delay}"},
    "verdict.requires_dm": {"fr": "décision modificative requise", "en": "requires a décision modificative"},
    "verdict.refused": {"fr": "refusé", "en": "refused"},
    "virement.refused_direction": {
        "fr": "{what} ({gfrom} → {gto}) : refusé — la COG n'ouvre ce virement à personne, pas même par une décision "
              "modificative ; non appliqué",
        "en": "{what} ({gfrom} → {gto}): refused — the COG opens this virement to no one, not even by a décision "
              "modificative; not applied"},
    "delay.months": {"fr": "{n:plural:mois:mois}", "en": "{n:plural:month:months}"},
    "virement.notice_not_received": {
        "fr": "{what} : information non reçue à la date de l'audit ({audit_date}) ; elle était due au plus tard le "
              "{deadline}",
        "en": "{what}: notice not received at the audit's date ({audit_date}); it was due by {deadline}"},
    "virement.notice_due": {"fr": "{what} : information à faire au plus tard le {deadline}",
                            "en": "{what}: notice due by {deadline}"},
    "virement.dm_after": {
        "fr": "{what} : la DM {ref} (votée le {vote}) n'est exécutoire qu'à son approbation du {approval}, après le "
              "virement : aucune base légale à sa date, non appliqué",
        "en": "{what}: DM {ref} (voted on {vote}) is executory only from its approval on {approval}, after the "
              "virement: no legal basis on its date, not applied"},
    "virement.chains": {
        "fr": "ce virement prolongerait le virement {sources} : crédit d'un groupe passé dans un autre qu'aucun "
              "virement direct ne permet (R-FUNG-CHAIN, avertissement à l'audit)",
        "en": "this virement would continue the virement {sources}: credit of one group moved into another that no "
              "direct virement allows (R-FUNG-CHAIN, a warning at the audit)"},
    "virement.notice_before": {"fr": "{what} : l'information est datée du {notified}, avant le virement qu'elle "
                                     "signale",
                               "en": "{what}: the notice is dated {notified}, before the virement it reports"},
    "virement.notice_late": {
        "fr": "{what} : information faite le {notified}, après l'échéance du {deadline} ({days:plural:jour:jours} de retard)",
        "en": "{what}: notice given on {notified}, after the deadline of {deadline} ({days:plural:day:days} late)"},
    "virement.needs_dm": {
        "fr": "{what} ({gfrom} → {gto}) : {verdict} — seule une décision modificative exceptionnelle votée par "
              "{board} et approuvée par {ministries} le permet",
        "en": "{what} ({gfrom} → {gto}): {verdict} — only an exceptional décision modificative voted by {board} "
              "and approved by {ministries} allows it"},
    "virement.needs_dm_not_applied": {
        "fr": "{what} ({gfrom} → {gto}) : {verdict} — seule une décision modificative exceptionnelle votée par "
              "{board} et approuvée par {ministries} le permet ; non appliqué",
        "en": "{what} ({gfrom} → {gto}): {verdict} — only an exceptional décision modificative voted by {board} "
              "and approved by {ministries} allows it; not applied"},
    "virement.dm_not_approved": {
        "fr": "{what} : la DM {ref} votée le {vote} n'est pas encore approuvée par {ministries} : non exécutoire, non "
              "appliqué",
        "en": "{what}: DM {ref} voted on {vote} is not yet approved by {ministries}: not executory, not applied"},
    "virement.dm_incoherent": {
        "fr": "{what} : la DM {ref} est approuvée le {approval}, avant le vote du conseil du {vote} : incohérent, "
              "non appliqué",
        "en": "{what}: DM {ref} is approved on {approval}, before the board's vote of {vote}: incoherent, not "
              "applied"},
    "virement.reason.dm": {"fr": "DM {ref} votée le {vote}, approuvée le {approval} : autorisé ({rule})",
                           "en": "DM {ref} voted on {vote}, approved on {approval}: permitted ({rule})"},
    "virement.chain": {
        "fr": "{g1} → {g2} ({first_from} → {first_to}, {first_amount}, {first_source}) puis {g2} → {g3} "
              "({second_from} → {second_to}, {second_amount}, {second_source}) font passer {overlap} de crédits "
              "{g1} en {g3}, ce qu'aucun virement direct ne permet",
        "en": "{g1} → {g2} ({first_from} → {first_to}, {first_amount}, {first_source}) then {g2} → {g3} "
              "({second_from} → {second_to}, {second_amount}, {second_source}) move {overlap} of {g1} credits into "
              "{g3}, which no direct virement allows"},
    "source_totals.rounding": {
        "fr": "{line} {year} : imprimé {printed}, somme de ses {leaves:plural:ligne:lignes} {computed}, écart "
              "{gap:signed} — écart d'arrondi (au plus {tolerance} pour {leaves:plural:ligne:lignes})",
        "en": "{line} {year}: printed {printed}, sum of its {leaves:plural:line:lines} {computed}, gap {gap:signed} "
              "— a rounding gap (at most {tolerance} for {leaves:plural:line:lines})"},
    "source_totals.error": {
        "fr": "{line} {year} : imprimé {printed}, somme de ses {leaves:plural:ligne:lignes} {computed}, écart "
              "{gap:signed} — au-delà de l'arrondi (au plus {tolerance} pour {leaves:plural:ligne:lignes}) : erreur "
              "du tableau publié",
        "en": "{line} {year}: printed {printed}, sum of its {leaves:plural:line:lines} {computed}, gap {gap:signed} "
              "— beyond rounding (at most {tolerance} for {leaves:plural:line:lines}): an error of the published "
              "table"},
    "source_totals.erratum": {
        "fr": "{line} {year} : imprimé {printed}, somme de ses {leaves:plural:ligne:lignes} {computed}, écart "
              "{gap:signed} — erratum du tableau publié, reconnu par le fichier du fonds : {reading}",
        "en": "{line} {year}: printed {printed}, sum of its {leaves:plural:line:lines} {computed}, gap {gap:signed} "
              "— an erratum of the published table, acknowledged by the fund file: {reading}"},
    "source_totals.erratum_unneeded": {
        "fr": "{line} {year} : le fichier du fonds déclare un erratum, mais l'imprimé {printed} et la somme de ses "
              "{leaves:plural:ligne:lignes} {computed} s'accordent (écart {gap:signed}, au plus {tolerance} "
              "d'arrondi) : retirez l'erratum",
        "en": "{line} {year}: the fund file declares an erratum, but the printed {printed} and the sum of its "
              "{leaves:plural:line:lines} {computed} agree (gap {gap:signed}, at most {tolerance} of rounding): "
              "remove the erratum"},
    **WORD_MESSAGES,   # words inside sentences, contribution notes (messages_words.py)
    **BOOKS_MESSAGES,  # the books (FEC) read for the execution (messages_books.py)
}


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, spec: str) -> str:
        lang = self.lang
        if isinstance(value, Word):
            return text(value.key, value.params or {}, lang)
        if isinstance(value, Local):
            return value.text(lang)
        if spec.startswith("plural:"):
            _, one, many = spec.split(":")
            return f"{value} {one if value == 1 else many}"
        if spec == "paren":
            return f" ({', '.join(str(v) for v in value)})" if value else ""
        if spec == "pct":
            if value is None:
                return "?"
            shown = f"{(value * 100).normalize():f}"
            return f"{shown.replace('.', ',')} %" if lang == "fr" else f"{shown}%"
        if spec == "semi" and isinstance(value, (list, tuple)):
            return (" ; " if lang == "fr" else "; ").join(self.format_field(v, "") for v in value)
        if isinstance(value, Decimal):
            if spec == "raw":
                return f"{value:f}"
            if spec == "num":  # a plain number in the sentence's style: 1,08 in French, 1.08 in English
                shown = f"{value.normalize():f}"
                return shown.replace(".", ",") if lang == "fr" else shown
            if spec == "pct0":
                return f"{value * 100:.0f} %" if lang == "fr" else f"{value * 100:.0f}%"
            if spec == "signed":
                return ("+" if value > 0 else "") + format_amount(value, lang)
            return format_amount(value, lang)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            joiner = {"fr": " ou ", "en": " or "}[lang] if spec == "or" else ", "
            return joiner.join(self.format_field(v, "") for v in value)
        return "" if value is None else str(value)


_FORMATTERS = {"fr": _Formatter("fr"), "en": _Formatter("en")}


def text(key: str | Local, params: Mapping[str, Any] | None, lang: str = "fr") -> str:
    """The sentence of a message key with its parameters, in French or English (a Local — a text the
    COG's data gives in each language, e.g. who signs — is simply written in the language)."""
    if isinstance(key, Local):
        return key.text(lang)
    entry = MESSAGES.get(key)
    if entry is None and key.startswith("rate."):  # a series the catalogue has no phrase for
        entry = MESSAGES["rate.generic"]
    if entry is None:
        raise KeyError(f"no message '{key}' in the catalogue")
    return _FORMATTERS[lang].vformat(entry[lang], (), dict(params or {}))


def finding_text(finding: Any, lang: str = "fr") -> str:
    """The message of a Finding (anything with `key` and `params`)."""
    return text(finding.key, finding.params, lang)


def note_text(contribution: Any, lang: str = "fr") -> str:
    """The note of a Contribution ('' when it has none)."""
    return text(contribution.note, contribution.params, lang) if contribution.note else ""
