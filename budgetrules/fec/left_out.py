"""What is left out of the totals, and why: the messages of malformed lines and of entries that cannot
be counted (a malformed line among them, lines on two dates, not balanced).

A malformed line is left out with every other line of its entry; an entry that does not balance
(debit − credit over its lines of classes 1 to 8, shown in euros with a decimal comma) or lies on two
dates is left out whole. Each is listed as a problem (file, line, message), the first `max_errors`
kept and all counted by kind (columns, entry, date, account, amount, unbalanced, conflict); the money
of the lines left out is kept apart (`Merger.left`, per account and date, in integer cents). With
`--strict` the reader refuses the file instead (InputErrors, exit 2). The grammar the messages name
is article A47 A-1 of the Livre des procédures fiscales (grammar.py)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

import polars as pl

from .entries import cells_of
from .grammar import cents_text, date_ok, describe
from .shapes import K_COLUMNS, KIND_NAMES, OK, BlockOut

if TYPE_CHECKING:
    from .merge import FileState
    from .report import FecReport


class LeftOut:
    """The methods of merge.Merger that word what is left out (a mixin: they use its report,
    max_errors, left and problem())."""

    report: FecReport
    max_errors: int
    left: list[pl.DataFrame]

    def bad_lines(self, f: FileState, out: BlockOut, base: int) -> None:
        """Count a block's malformed lines and word the first `max_errors` (`base`: lines before the block)."""
        self.report.problem_count += out.bad_rows
        for kind, n in out.counts.items():
            self.report.counts[kind] = self.report.counts.get(kind, 0) + n
        f.report.left_out_lines += out.bad_rows
        self.report.left_out_lines += out.bad_rows
        if out.bad is None:
            return
        spec = f.head.spec
        names = ("Montant", "Sens") if spec.sens else ("Debit", "Credit")
        for r in out.bad.iter_rows(named=True):
            if len(f.problems) >= self.max_errors:
                break
            kind = r["kind"]
            line = base + r["line"]
            if kind == K_COLUMNS:
                n = r["fields"]
                msg = f"{n} field(s) instead of {spec.ncols}"
                if n > spec.ncols:
                    msg += (" (is there a '|' inside a label? '|' separates the fields of this file)" if spec.sep == "|"
                            else " (is there a tab inside a label? the tab separates the fields of this file)")
                elif f.last_block and r["line"] == out.lines and _ends_cut(f):
                    msg += " (the last line is cut short: was the file truncated?)"
                else:
                    msg += " (a line cut short? was the file truncated?)"
                f.problems.append((line, "columns", msg))
                continue
            parts = []
            if not r["j"] or not r["num"]:
                parts.append(f"{'JournalCode' if not r['j'] else 'EcritureNum'} is empty")
            if not date_ok(r["date_text"]):
                parts.append(f"EcritureDate '{describe(r['date_text'])}' is not a date AAAAMMJJ (1900 to 2100)")
            if not "1" <= r["acc"][:1] <= "9":
                parts.append(f"CompteNum '{describe(r['acc'])}' has no known class: an account number starts "
                             "with its class, a digit 1 to 9")
            for name, value, code in ((names[0], r["a1"], r["code1"]), (names[1], r["a2"], r["code2"])):
                if code == 1:
                    parts.append(f"{name} '{describe(value)}' is not an amount (digits with a decimal comma, "
                                 "e.g. 1234,56)")
                elif code == 2:
                    parts.append(f"{name} '{describe(value)}' has more than two significant decimals: not a "
                                 "whole number of cents")
                elif code == 3:
                    digits = len(str(value).strip(" ").lstrip("+-").strip(" ").split(",")[0])
                    parts.append(f"{name} '{describe(value)}' has {digits} digits before the decimal comma "
                                 "(at most 15)")
                elif code == 4:
                    parts.append(f"{name} '{describe(value)}' is not a direction: write D (debit) or C (credit), "
                                 "or +1 / -1")
            f.problems.append((line, KIND_NAMES[kind], "; ".join(parts) or "malformed line"))

    def left_out_entries(self, f: FileState, rows: pl.DataFrame) -> None:
        """At the end of a file: the entries that still cannot be counted, their money kept apart, each listed."""
        good = (pl.col("kind") == OK)
        entries = rows.with_columns(good=good, net=pl.when(good & (pl.col("acc") < "9")).then(pl.col("cents"))
                                    .otherwise(0).cast(pl.Int128), gdate=pl.when(good).then(pl.col("date"))).group_by("run").agg(
            j=pl.col("j").first(), num=pl.col("num").first(), first=pl.col("line").min(), n=pl.len(),
            ngood=pl.col("good").sum(), net=pl.col("net").sum(), dmin=pl.col("gdate").min(),
            dmax=pl.col("gdate").max()).sort("first")
        kept = rows.filter(good & (pl.col("acc") < "9"))
        if kept.height:
            self.left.append(cells_of(kept).with_columns(file=pl.lit(f.index, pl.UInt16)))
        n = int(entries["ngood"].sum())
        f.report.left_out_lines += n
        self.report.left_out_lines += n
        for r in entries.iter_rows(named=True):
            if r["ngood"] < r["n"]:
                if r["ngood"]:
                    self.problem(f, r["first"], "entry", f"entry {r['j']} {r['num']} (from line {r['first']}): its "
                                 f"{r['ngood']} well-formed line(s) are left out with its malformed line(s)")
            elif r["dmin"] != r["dmax"]:
                self.problem(f, r["first"], "entry", f"entry {r['j']} {r['num']} (from line {r['first']}) has lines "
                             f"on {r['dmin']:%d/%m/%Y} and on {r['dmax']:%d/%m/%Y}: its {r['n']} line(s) are left out")
            else:
                self.problem(f, r["first"], "unbalanced", f"entry {r['j']} {r['num']} ({r['n']} line(s) from line "
                             f"{r['first']}) does not balance: debit − credit = {cents_text(r['net'])}")


def _ends_cut(f: FileState) -> bool:
    """The file's last byte is not an end of line (its last line may have been cut)."""
    fd = os.open(f.path, os.O_RDONLY)
    try:
        return os.pread(fd, 1, f.head.size - 1) not in (f.head.spec.eol.encode(), b"\n")
    finally:
        os.close(fd)
