"""Entries: the consecutive lines of one entry judged together, in a block or at the end of a file.

An entry is identified by (JournalCode, EcritureNum, EcritureDate) and its lines (docs/fec.md,
"Entries"). `judge_runs` groups the consecutive lines with the same (JournalCode, EcritureNum) into
runs and judges each: counted (NORMAL: it balances over its lines of classes 1 to 8, one date, no
malformed line); excluded (CLOSING: every line on classes 6 or 7 or on 12…, at least one of each;
OPENING: journal AN, RAN, ANO, ANX or NOUV in any case, or dated 1 January on classes 1 to 5 with at
least one line on class 1); or PENDING (not balanced alone, two dates, a malformed line: joined with
its other parts at the end of the file, else left out). An entry written twice in a row (the same
lines twice, at least two a copy) is counted once and reported. Analytic lines (class 9) are in no
total and not in the balance. For each run it keeps two 64-bit hashes, of its key (`ek`) and of the
multiset of its (CompteNum, CompAuxNum, debit − credit) (`fp`), by which the reader finds entries
read twice or in conflict; the kept lines are summed per (account, date) in integer cents
(`cells_of`: int64 while the sums cannot overflow, else Int128). Sums over the lines of a run are
numpy segment reductions, not a hash group-by."""
from __future__ import annotations

import itertools

import numpy as np
import polars as pl

from .shapes import CLOSING, NORMAL, OK, OPENING, PENDING, ROW_COLUMNS, BlockOut

OPENING_JOURNALS = ("AN", "RAN", "ANO", "ANX", "NOUV")  # journals of « à nouveaux », in any case
_OPENING_SPELLINGS = sorted({"".join(c.upper() if bit else c.lower() for c, bit in zip(code, bits))
                             for code in OPENING_JOURNALS
                             for bits in itertools.product((0, 1), repeat=len(code))})

# flags of a line, or-ed over its run
F_BAD, F_67, F_12, F_OTHER, F_NOT15, F_CLASS1, F_ANALYTIC, F_OPENJ = 1, 2, 4, 8, 16, 32, 64, 128
NO_DAY = -(1 << 30)
_JAN1 = (np.arange(1900, 2101) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def judge_runs(df: pl.DataFrame, out: BlockOut, runs_given: bool = False, detail: bool = False) -> None:
    """Group consecutive lines of one entry into runs, sum each run, judge it, and sum the kept lines
    per (account, date). With `runs_given`, df already has its `run` column (the end of a file).
    Runs are contiguous: their sums are numpy segment reductions (reduceat), not a hash group-by; the
    key of a run is the hash of its first line's (JournalCode, EcritureNum, EcritureDate)."""
    n = df.height
    acc = pl.col("acc")
    good = pl.col("kind") == OK
    key = pl.col("run") if runs_given else pl.col("j")
    change = (key != key.shift(1)) if runs_given else (key != key.shift(1)) | (pl.col("num") != pl.col("num").shift(1))
    cols = df.select(
        change=change.fill_null(True), good=good, analytic=acc >= "9", c67=(acc >= "6") & (acc < "8"),
        c12=acc.str.starts_with("12"), lt6=acc < "6", lt2=acc < "2", openj=pl.col("j").is_in(_OPENING_SPELLINGS),
        days=pl.col("date").cast(pl.Int32).fill_null(NO_DAY), cents=pl.col("cents"),
        fph=acc.hash(7) + pl.col("aux").hash(8) * 3 + pl.col("cents").hash(9),
        ekh=pl.col("j").hash(1) + pl.col("num").hash(2) * 3 + pl.col("date").hash(3) * 5)
    a = {name: cols[name].to_numpy() for name in cols.columns}
    change = a["change"]
    starts = np.flatnonzero(change)
    run = np.cumsum(change, dtype=np.uint32)
    g, an = a["good"], a["analytic"]
    counted = g & ~an
    flags = ((~g) * F_BAD + (counted & a["c67"]) * F_67 + (counted & a["c12"]) * F_12
             + (counted & ~a["c67"] & ~a["c12"]) * F_OTHER + (counted & ~a["lt6"]) * F_NOT15
             + (counted & a["lt2"]) * F_CLASS1 + (g & an) * F_ANALYTIC + a["openj"] * F_OPENJ).astype(np.uint8)
    net = np.where(counted, a["cents"], 0)
    days = np.where(g, a["days"], NO_DAY)
    lines = np.diff(np.append(starts, n))
    doubled = _doubled(starts, lines, a["fph"], g, n)
    if doubled.any():  # an entry written twice in a row: its second copy is not counted
        second = np.repeat(doubled, lines) & (np.arange(n) - np.repeat(starts, lines) >= np.repeat(lines // 2, lines))
        debits = [sum(int(x) for x in net[s + h:s + 2 * h] if x > 0)  # the second copy's debits (few runs)
                  for s, h in zip(starts[doubled].tolist(), (lines[doubled] // 2).tolist())]
        out.doubled = list(zip(df["line"].to_numpy()[starts[doubled]].tolist(), (lines[doubled] // 2).tolist(),
                               df["j"].gather(starts[doubled]).to_list(), df["num"].gather(starts[doubled]).to_list(),
                               df["date"].gather(starts[doubled]).to_list(), debits))
        keep = ~second
        df, run, counted, flags = df.filter(pl.Series(keep)), run[keep], counted[keep], flags[keep]
        a = {k: v[keep] for k, v in a.items()}
        g, an = g[keep], an[keep]
        net, days = net[keep], days[keep]
        n = df.height
        starts = np.flatnonzero(np.diff(run, prepend=np.uint32(0)) != 0)
        lines = np.diff(np.append(starts, n))
    rflags = np.bitwise_or.reduceat(flags, starts)
    dmin = np.minimum.reduceat(np.where(days == NO_DAY, -NO_DAY, days), starts)
    dmax = np.maximum.reduceat(days, starts)
    out.bound = int(np.abs(a["cents"]).max()) * max(n, 1)
    if out.bound < 1 << 62:  # int64 sums cannot overflow
        rnet = np.add.reduceat(net, starts)
        wide = False
    else:  # amounts near the limit (10^17 cents): sums in Int128
        wide = True
        rnet = (pl.DataFrame({"run": run, "net": net}).group_by("run", maintain_order=True)
                .agg(pl.col("net").cast(pl.Int128).sum())["net"] != 0).to_numpy().astype(np.int8)
    fp = np.add.reduceat(a["fph"], starts) + lines.astype(np.uint64)
    has = lambda f: (rflags & f) != 0  # noqa: E731
    day = dmin.astype("datetime64[D]")
    jan1 = np.isin(dmin, _JAN1)
    kind = np.full(len(starts), NORMAL, np.uint8)
    kind[has(F_OPENJ) | jan1 & ~has(F_NOT15) & has(F_CLASS1)] = OPENING
    kind[has(F_67) & has(F_12) & ~has(F_OTHER)] = CLOSING
    kind[has(F_BAD) | (rnet != 0) | (dmin != dmax) | (dmin == -NO_DAY)] = PENDING
    first = df["line"].to_numpy()[starts]
    ek = a["ekh"][starts]
    normal = kind == NORMAL
    if not normal.all():
        row_kind = np.repeat(kind, lines)
        df = df.with_columns(run=pl.Series(run), net=pl.Series(net))
        if (kind == PENDING).any():
            out.pending = df.filter(pl.Series(row_kind == PENDING)).select(ROW_COLUMNS + ["run"])
        special = (kind == CLOSING) | (kind == OPENING)
        if special.any():  # listed, with the sum of their debits
            rows = df.filter(pl.Series((row_kind == CLOSING) | (row_kind == OPENING)))
            debit = rows.group_by("run", maintain_order=True).agg(
                pl.col("net").clip(lower_bound=0).cast(pl.Int128).sum())["net"]
            out.excluded = pl.DataFrame({
                "ek": ek[special], "fp": fp[special], "first": first[special], "n": lines[special],
                "j": df["j"].gather(starts[special]), "num": df["num"].gather(starts[special]),
                "kind": kind[special], "debit": debit, "date": day[special]})
        df = df.filter(pl.Series(row_kind == NORMAL))
        run, counted, an_rows = run[row_kind == NORMAL], counted[row_kind == NORMAL], (g & an)[row_kind == NORMAL]
    else:
        an_rows = g & an
    out.runs = pl.DataFrame({"ek": ek[normal], "fp": fp[normal], "first": first[normal]})
    if detail:  # to take an entry out again (a duplicate found at the end)
        heads = np.flatnonzero(np.diff(run, prepend=np.uint32(0)) != 0)  # first line of each run kept
        out.detail = (pl.DataFrame({"run": run[heads], "ek": ek[normal], "fp": fp[normal], "first": first[normal],
                                    "n": lines[normal], "j": df["j"].gather(heads), "num": df["num"].gather(heads),
                                    "date": day[normal]}),
                      df.select("acc", "date", "cents", "line").with_columns(run=pl.Series(run)))
    if an_rows.any():
        an = df.filter(pl.Series(an_rows))
        out.analytic = (an.height, int(an["cents"].cast(pl.Int128).sum()))
        df = df.filter(pl.Series(~an_rows))
    kept = df.select("acc", "date", "cents", "line")
    out.kept_rows = kept.height
    out.cells = cells_of(kept, wide)


def _doubled(starts: np.ndarray, lines: np.ndarray, fph: np.ndarray, good: np.ndarray, n: int) -> np.ndarray:
    """Runs whose lines are the same sequence twice (at least two lines a copy): one entry exported
    twice in a row, which a run cannot tell from one entry otherwise."""
    half = lines // 2
    candidate = (lines % 2 == 0) & (half >= 2)
    if not candidate.any():
        return candidate
    h = np.repeat(half, lines)
    first_half = np.repeat(candidate, lines) & (np.arange(n) - np.repeat(starts, lines) < h)
    idx = np.flatnonzero(first_half)
    other = idx + h[idx]
    differ = (fph[idx] != fph[other]) | ~good[idx] | ~good[other]
    run_of = np.repeat(np.arange(len(starts)), lines)
    candidate[run_of[idx[differ]]] = False
    return candidate


def cells_of(kept: pl.DataFrame, wide: bool = True) -> pl.DataFrame:
    """Debit − credit, lines and first line per (account, date); `wide`: sum in Int128 (amounts so
    large that int64 could overflow)."""
    cents = pl.col("cents").cast(pl.Int128) if wide else pl.col("cents")
    return kept.group_by("acc", "date").agg(cents=cents.sum(), rows=pl.len(), first=pl.col("line").min())
