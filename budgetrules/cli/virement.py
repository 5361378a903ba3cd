"""Command virement: a budget officer's question — may this credit move, who signs, who is told by
when, and what is left — or a fund's whole fungibility matrix."""
from __future__ import annotations

import sys

import click

from ..core.errors import InputErrors, Problem
from .options import cog_option, emit_document, format_option, lang_option, load_scenario_or_central, output_option, resolve_format

FORMATS = ("table", "json", "csv", "md", "xlsx")


@click.command("virement", context_settings={"ignore_unknown_options": True})
@cog_option
@click.argument("fund")
@click.argument("source", metavar="FROM", required=False)
@click.argument("target", metavar="TO", required=False)
@click.argument("amount", required=False)
@click.option("--year", help="Year of the credits moved (default: the year of --date).")
@click.option("--date", "when", help="Date of the virement (YYYY-MM-DD; default 31 December of the year).")
@click.option("--scenario", type=click.Path(dir_okay=False), help="Apply on top of this scenario (default: the bare COG "
                                                                  "with the central assumptions).")
@click.option("--dm", "dm_ref", help="Reference of a décision modificative.")
@click.option("--board-vote", help="Date the board voted the DM.")
@click.option("--approval", help="Date the ministries approved the DM.")
@click.option("--matrix", is_flag=True, help="Print the verdict of every group-to-group direction of FUND.")
@format_option(*FORMATS)
@output_option
@lang_option
def virement_cmd(fund, source, target, amount, year, when, scenario, dm_ref, board_vote, approval, matrix, fmt,
                 output, lang):
    """Simulate a credit transfer: verdict, who signs, notice deadline, rules, the two lines before and after.

    \b
    Examples:
      budgetrules virement BNGA A-I-1 A-I-2-INFO "400 k€" --year 2023 --date 2023-06-01
      budgetrules virement BNGA A-I-2-HORS A-I-1 "100 000" --year 2023 --dm DM-2023-02 \\
          --board-vote 2023-05-10 --approval 2023-06-02
      budgetrules virement BNGA --matrix
    Exit 0 when the director general may make it, 1 when it needs a DM or is refused, 2 on bad input.
    """
    from ..model.scenario import Dm
    from ..services.checks import date_of
    from ..services.run import fund_matrix, virement_verdict

    fmt = resolve_format(fmt, output, FORMATS)
    sc = load_scenario_or_central(scenario)
    if matrix:
        emit_document(fund_matrix(sc.funds, fund), fmt, lang, output)
        return
    dm = None
    if dm_ref or board_vote or approval:
        if not dm_ref or not board_vote:
            raise InputErrors([Problem("--dm", 0, "a DM needs --dm REF and --board-vote DATE (and --approval DATE)")])
        dm = Dm(ref=dm_ref, board_vote=date_of(board_vote, "--board-vote"),  # type: ignore[arg-type]
                approval=date_of(approval, "--approval"))
    doc = virement_verdict(sc, fund, source, target, amount, year=year, date=when, dm=dm)
    emit_document(doc, fmt, lang, output)
    sys.exit(0 if doc.allowed_for_director else 1)


@click.command("available")
@cog_option
@click.argument("fund")
@click.argument("line")
@click.option("--date", "when", required=True, help="The date of the question (YYYY-MM-DD).")
@click.option("--scenario", type=click.Path(dir_okay=False), help="What the year recorded so far (default: the bare "
                                                                  "COG with the central assumptions).")
@format_option(*FORMATS)
@output_option
@lang_option
def available_cmd(fund, line, when, scenario, fmt, output, lang):
    """What is still available on a line at a date, and what could move out of it: for every other line
    of the fund, the verdict of a virement, the largest amount, who signs and the notice deadline.

    \b
    Example:
      budgetrules available BNGA A-I-1 --date 2023-06-15 --scenario scenarios/audit/sample-2022-2024.yaml
    """
    from ..services.run import available_on

    fmt = resolve_format(fmt, output, FORMATS)
    emit_document(available_on(load_scenario_or_central(scenario), fund, line, when), fmt, lang, output)
