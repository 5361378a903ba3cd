"""The mechanisms of the engine, which a COG's rule catalogue binds its rule IDs to (cog.yaml
`rules:`), and the roles: the mechanisms the engine applies to every fund whatever its
parameters, with the rule ID they carry when a COG does not rename them. A rule ID itself is data:
the CANSSM's R-FUNG-BNGA-ASYM lives in its cog.yaml and fund files, not here."""
from __future__ import annotations

ROLES: dict[str, str] = {
    "character.limitative": "R-LIMITATIVE-CEILING",   # limitative credits are a ceiling
    "character.evaluative": "R-EVALUATIVE-INDICATIVE",  # evaluative credits may be exceeded
    "carry.last_year": "R-CARRY-LAST-YEAR",           # nothing carried from the last year (but CP-AP)
    "carry.cp_ap": "R-CARRY-CP-AP",                   # CP of an AP carried, beyond the period too
    "carry.ap_cancel": "R-AP-CANCEL",                 # APs never decided are cancelled
    "charge.transfer": "R-CHARGE-TRANSFER",           # a charge moved out of the fund cancels credits
    "receipts.other_none": "R-RECEIPT-OTHER-NONE",    # other receipts give nothing back
    "index.provisional": "R-INDEX-PROVISIONAL",       # an index computed with missing data
    "fungibility.dm": "R-FUNG-DM",                    # a virement through a décision modificative
    "fungibility.insufficient": "R-FUNG-INSUFFICIENT",  # a virement above what is available
    "fungibility.notice_late": "R-FUNG-NOTICE-LATE",  # a notice late or not received
    "fungibility.chain": "R-FUNG-CHAIN",              # two director's virements that make a forbidden one
    "votes.conformity": "R-VOTE-CONFORMITY",          # a voted budget within the credits
    "source_totals": "R-SOURCE-TOTALS",               # the printed subtotals against their leaves
}
"""Mechanism -> the rule ID the engine gives its findings (the COG's catalogue must bind each one)."""

OPTIONAL_ROLES: dict[str, str] = {
    "charge.new": "R-CHARGE-NEW",                       # a new charge put on the fund raises its credits
    "branch_participation": "R-BRANCH-PARTICIPATION",   # the branches finance the net expenses
    "bilan": "R-BILAN",                                 # the annual budget execution report to the board
    "reserve.line": "R-RESERVE-USE",                    # a use of a reserve line (or of none)
    "fungibility.none": "R-FUNG-DEFAULT",               # a fund whose file names no fungibility: all by DM
    "amendment": "R-AMENDMENT",                         # an avenant changes a table amount or a parameter
    "books.partial": "R-BOOKS-WHOLE",                   # execution read from books with lines left out, entries
                                                        # excluded or seen twice, accounts unmapped (fec/events.py)
}
"""Roles a COG binds when it has the provision; the default ID otherwise."""

DATA_MECHANISMS: tuple[str, ...] = (
    "carry.never", "carry.on_decision", "carry.automatic", "index", "fungibility.group", "fungibility.direction",
    "fungibility.default", "receipts.accounts", "receipts.none", "receipts.noncash", "receipts.real_estate",
    "reserve.fund", "votes.calendar")
"""Mechanisms whose rule IDs the fund files name (a carry mode, an index, a group or direction…)."""

MECHANISMS: tuple[str, ...] = tuple(ROLES) + tuple(OPTIONAL_ROLES) + DATA_MECHANISMS

COMMON_RULES: tuple[str, ...] = tuple(ROLES.values())
"""The rule IDs every fund must be able to cite, because the engine may emit them for any fund."""


def __getattr__(name: str) -> frozenset[str]:
    """`RULE_IDS`: the rule IDs of the current COG (its catalogue and the roles it binds)."""
    if name == "RULE_IDS":
        from ..io.cogfile import load_cog

        return load_cog()[0].rule_ids
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
