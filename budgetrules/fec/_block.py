"""One block of FEC lines, parsed and checked with Polars: the worker of `reader.read_fec`.

A block is whole lines of one file, cut between two entries by the reader. Polars parses it (only
the columns the sums need), checks every line, groups consecutive lines of one entry (JournalCode,
EcritureNum) into runs, judges each run (balanced? malformed line? closing or opening entry?) and
sums the kept lines per (account, date). Line numbers here count from 1 in the block; the reader
adds the block's base. Nothing here keeps state between blocks."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import polars as pl

# kinds of a malformed line, in the order a line is judged (its first problem names it)
OK, K_COLUMNS, K_ENTRY, K_DATE, K_ACCOUNT, K_AMOUNT = 0, 1, 2, 3, 4, 5
KIND_NAMES = {K_COLUMNS: "columns", K_ENTRY: "entry", K_DATE: "date", K_ACCOUNT: "account", K_AMOUNT: "amount"}
# what becomes of a run (consecutive lines of one entry)
NORMAL, CLOSING, OPENING, PENDING = 0, 1, 2, 3
OPENING_JOURNALS = ("AN", "RAN", "ANO", "ANX", "NOUV")  # journals of « à nouveaux », in any case
_OPENING_SPELLINGS = sorted({"".join(c.upper() if bit else c.lower() for c, bit in zip(code, bits))
                             for code in OPENING_JOURNALS
                             for bits in itertools.product((0, 1), repeat=len(code))})

_AMOUNT = r"^ *[+-]? *[0-9]+(,[0-9]*)? *$"  # the shape; the decimals are checked apart


class NotUtf8(Exception):
    """The block is not valid UTF-8: the reader finds the line and decides (ISO-8859-15, or refused)."""


@dataclass
class Spec:
    """How to read the blocks of one file (found from its header by the reader)."""

    sep: str
    eol: str
    ncols: int  # named columns in the header
    trailing: bool  # the header ends with a separator: each line has one more, empty, field
    index: dict[str, int]  # j, num, date, acc, aux, a1, a2 -> column
    sens: bool  # Montant/Sens rather than Debit/Credit
    latin9: bool  # ISO-8859-15: transcoded to UTF-8 before parsing
    max_errors: int


@dataclass
class BlockOut:
    lines: int = 0
    blank: int = 0
    rows: int = 0  # lines that are not blank
    bad_rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    bad: pl.DataFrame | None = None  # the first max_errors malformed lines, with their fields
    cells: pl.DataFrame | None = None  # acc, date, cents, rows, first: kept lines of NORMAL runs
    runs: pl.DataFrame | None = None  # entries counted: ek (key hash), fp (lines hash), first (line)
    excluded: pl.DataFrame | None = None  # closing and opening entries: ek, fp, first, n, j, num, kind, debit, date
    kept_rows: int = 0
    analytic: tuple[int, int] = (0, 0)  # lines of class 9 in the entries counted, their debit − credit
    detail: tuple[pl.DataFrame, pl.DataFrame] | None = None  # runs and lines counted, when asked
    bound: int = 0  # |largest amount| × lines: the most a sum of this block's cents can reach
    doubled: list[tuple] = field(default_factory=list)  # (first line, lines a copy, j, num, date, debit): twice
    pending: pl.DataFrame | None = None  # lines of runs that do not balance alone or hold a malformed line
    non_ascii: bool = False


def _amount_stages(p: str) -> list[dict[str, pl.Expr]]:
    """Stages of columns giving `{p}cents` and `{p}code` from the stripped text `{p}t` of an amount:
    code 0 read, 1 not an amount, 2 significant decimals beyond the cent, 3 more than 15 digits before
    the comma. The grammar (reader.amount_cents is the same in Python): blanks, an optional sign,
    digits (zeros in front allowed), an optional decimal comma with at least one decimal; beyond two
    decimals only zeros; "" is 0. (Named stages: Polars would compute a shared sub-expression again.)"""
    col = lambda name: pl.col(p + name)  # noqa: E731
    return [
        {p + "shape": col("t").str.contains(_AMOUNT), p + "body": col("t").str.replace_all(" ", "", literal=True)},
        {p + "comma": col("body").str.find(",", literal=True)},
        {p + "dec": (col("body").str.len_bytes() - col("comma") - 1).fill_null(0),
         p + "extra": (col("body").str.slice(col("comma") + 3).str.strip_chars("0") == "").fill_null(True)},
        {p + "digits": pl.when(col("dec") > 2).then(col("body").str.slice(0, col("comma") + 3))
         .otherwise(col("body")).str.replace(",", "", literal=True).cast(pl.Int64, strict=False)},
        {p + "code": pl.when(col("t") == "").then(0)
         .when(~col("shape") | col("comma").is_not_null() & (col("dec") == 0)).then(1)
         .when((col("dec") > 2) & ~col("extra")).then(2)
         .when(col("digits").is_null() | (col("digits").abs() >= pl.when(col("dec") == 0).then(10 ** 15)
                                            .when(col("dec") == 1).then(10 ** 16).otherwise(10 ** 17))).then(3)
         .otherwise(0).cast(pl.UInt8)},
        {p + "cents": pl.when(col("code") != 0).then(0).when(col("dec") == 0).then(col("digits") * 100)
         .when(col("dec") == 1).then(col("digits") * 10).otherwise(col("digits")).fill_null(0)},
    ]


def _read(data: bytes, spec: Spec, width: int, ragged: bool) -> pl.DataFrame:
    """The columns the sums need, as strings. Not `ragged`: `width` fields expected, and column
    c{width} is a guard, "" on every line that has at most `width` fields (Polars drops the fields
    beyond the columns it reads without a word: the guard shows them when not empty). `ragged`: read
    as `width` columns whatever each line holds (the fields are counted apart)."""
    idx = spec.index
    wanted = sorted({idx[k] for k in ("j", "num", "date", "acc", "aux", "a1", "a2")})
    if spec.trailing or ragged:
        wanted.append(spec.ncols)  # the field after the last named column: empty, or an extra field
    if not ragged:
        wanted.append(width)
        width += 1
    names = [f"c{i}" for i in range(width)]
    try:
        return pl.read_csv(data, separator=spec.sep, eol_char=spec.eol, has_header=False, quote_char=None,
                           schema={n: pl.String for n in names}, columns=wanted, empty_string_is_null=False,
                           missing_columns="insert", truncate_ragged_lines=True, extra_columns="ignore")
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc) or "utf8" in str(exc):
            raise NotUtf8 from None
        raise


_scratch = np.zeros(0, bool)


def _count(data: bytes, byte: int) -> int:
    """How many times `byte` is in `data` (into a buffer kept from block to block: fresh memory for
    each block costs more in page faults than the comparison itself)."""
    global _scratch
    if len(_scratch) < len(data):
        _scratch = np.zeros(len(data), bool)
    view = _scratch[:len(data)]
    np.equal(np.frombuffer(data, np.uint8), byte, out=view)
    return int(np.count_nonzero(view))


def _field_counts(data: bytes, spec: Spec) -> np.ndarray:
    """Fields of each line, counted from the bytes (only when the fast path cannot vouch for them)."""
    a = np.frombuffer(data, np.uint8)
    ends = np.flatnonzero(a == ord(spec.eol))
    if len(a) and a[-1] != ord(spec.eol):
        ends = np.append(ends, len(a))
    seps = np.flatnonzero(a == ord(spec.sep))
    before = np.searchsorted(seps, ends)
    return np.diff(before, prepend=0) + 1


def process(data: bytes, spec: Spec, detail: bool = False, sums: CellSums | None = None, file: int = 0,
            block: int = 0) -> BlockOut:
    out = BlockOut(non_ascii=not data.isascii())
    if spec.latin9 and out.non_ascii:
        data = data.decode("iso-8859-15").encode("utf-8")
    idx = spec.index
    width = spec.ncols + (1 if spec.trailing else 0)
    ragged = False
    try:
        df = _read(data, spec, width, False)
    except (pl.exceptions.ComputeError, pl.exceptions.SchemaError):  # more fields than the header (SchemaError:
        # on the first line of the block)
        ragged = True
    fields = None
    if not ragged:
        # fast path: the guard says no line has a field after the `width` expected (a non-empty one:
        # Polars fills a missing field with "" too); then one count of the separators says no line has
        # fewer (a blank line, a line cut short) nor more: else each line's fields are counted. (Without
        # the guard, a line with one field too many and one with one too few made the right count
        # together. A field too many that is empty, beside a line short of one, still would: both then
        # hold the seven fields the sums read where they should be.)
        if (df[f"c{width}"] != "").any():
            ragged = True
        else:
            nsep = _count(data, ord(spec.sep))
            ragged = nsep != df.height * (width - 1)
    if ragged:
        fields = _field_counts(data, spec)
        df = _read(data, spec, spec.ncols + 1, True)
        if len(fields) != df.height:
            raise RuntimeError(f"internal: {len(fields)} lines counted, {df.height} parsed")
    out.lines = df.height
    if df.height == 0:
        return out
    if fields is None:
        quick = _fast(df, spec)
        if quick is not None:
            out.rows = quick.height
            judge_runs(quick, out, detail=detail)
            return _keep_cells(out, sums, file, block)
    c = {k: pl.col(f"c{idx[k]}") for k in ("j", "num", "date", "acc", "aux", "a1", "a2")}
    ncount = pl.lit(width) if fields is None else pl.lit(pl.Series("fields", fields))
    stages: list[dict[str, pl.Expr]] = [
        {"j": c["j"], "num": c["num"], "acc": c["acc"],
         "aux": c["aux"], "date_text": c["date"].str.strip_chars(" "),
         "a_t": c["a1"].str.strip_chars(" "), "b_t": c["a2"].str.strip_chars(" "), "fields": ncount,
         "guard": pl.col(f"c{spec.ncols}").str.strip_chars("\r") if (spec.trailing or ragged) else pl.lit("")},
    ]
    amounts = _amount_stages("a_") if spec.sens else [
        {**x, **y} for x, y in zip(_amount_stages("a_"), _amount_stages("b_"))]
    stages[0]["cls"] = c["acc"].str.slice(0, 1)
    stages += amounts
    stages[1]["date"] = pl.col("date_text").str.to_date("%Y%m%d", strict=False)
    if spec.sens:
        direction = (pl.when(pl.col("b_t").str.to_uppercase().is_in(["D", "+1", "1"])).then(1)
                     .when(pl.col("b_t").str.to_uppercase().is_in(["C", "-1"])).then(-1).otherwise(0))
        stages.append({"b_code": pl.when(direction == 0).then(4).otherwise(0).cast(pl.UInt8),
                       "cents": pl.col("a_cents") * direction})
    else:
        stages.append({"cents": pl.col("a_cents") - pl.col("b_cents")})
    if fields is None and not spec.trailing:
        ok_cols = pl.lit(True)
    elif fields is None:
        ok_cols = pl.col("guard") == ""
    else:
        ok_cols = ((pl.col("fields") == spec.ncols)
                   | (pl.col("fields") == spec.ncols + 1) & (pl.col("guard") == "") & pl.lit(spec.trailing))
    ok_date = ((pl.col("date_text").str.len_bytes() == 8) & pl.col("date").is_not_null()
               & pl.col("date").dt.year().is_between(1900, 2100))
    first = pl.col("cls")
    stages.append({
        "blank": (pl.col("fields") == 1) & (pl.col("j").str.strip_chars(" \r") == "") if fields is not None
        else _empty_expr(idx),
        "kind": (pl.when(~ok_cols).then(K_COLUMNS)
                 .when((pl.col("j") == "") | (pl.col("num") == "")).then(K_ENTRY)
                 .when(~ok_date).then(K_DATE)
                 .when(~first.is_between(pl.lit("1"), pl.lit("9"))).then(K_ACCOUNT)
                 .when((pl.col("a_code") != 0) | (pl.col("b_code") != 0)).then(K_AMOUNT)
                 .otherwise(OK).cast(pl.UInt8))})
    df = df.with_row_index("line", 1)
    for stage in stages:
        df = df.with_columns(**stage)
    blank = df.filter(pl.col("blank"))
    out.blank = blank.height
    if out.blank:
        df = df.filter(~pl.col("blank"))
    out.rows = df.height
    if df.height == 0:
        return out
    bad = df.filter(pl.col("kind") != OK)
    out.bad_rows = bad.height
    if bad.height:
        kinds = bad.group_by("kind").len()
        out.counts = {KIND_NAMES[k]: n for k, n in kinds.iter_rows()}
        out.bad = bad.head(spec.max_errors).select(
            "line", "kind", "fields", "j", "num", "date_text", "acc", a1=c["a1"], a2=c["a2"],
            code1="a_code", code2="b_code")
    judge_runs(df.select(ROW_COLUMNS), out, detail=detail)
    return _keep_cells(out, sums, file, block)


_PLAIN = r"^(-?[0-9]{1,15},[0-9][0-9])?$"  # at most 15 digits before the comma: no overflow, no check


def _fast(df: pl.DataFrame, spec: Spec) -> pl.DataFrame | None:
    """The common case, in few passes: amounts of the plain shape (no blank, at most two decimals),
    dates AAAAMMJJ, accounts starting with a digit 1-9, keys present. None if any line is not so:
    then the careful path reads the block again (same results, more passes)."""
    idx = spec.index
    c = {k: pl.col(f"c{idx[k]}") for k in ("j", "num", "date", "acc", "aux", "a1", "a2")}
    amounts = ("a1",) if spec.sens else ("a1", "a2")
    checks = [(c["j"] != "") & (c["num"] != "") & (c["date"].str.len_bytes() == 8) & (c["acc"] >= "1")
              & (c["acc"] < ":")]
    if spec.trailing:
        checks.append(pl.col(f"c{spec.ncols}").str.strip_chars("\r") == "")
    # the usual shape first: two decimals, or nothing: one pass to check, one to read
    plain = df.select(pl.all_horizontal([c[a].str.contains(_PLAIN) for a in amounts] + checks).all()).item()
    if plain:
        cents = [c[a].str.replace(",", "", literal=True).cast(pl.Int64, strict=False).fill_null(0) for a in amounts]
        if spec.sens:
            sens = c["a2"]
            dir_ = pl.when((sens == "D") | (sens == "d") | (sens == "+1") | (sens == "1")).then(1).when(
                (sens == "C") | (sens == "c") | (sens == "-1")).then(-1).otherwise(0)
            net, check = cents[0] * dir_, dir_.abs().min()
        else:
            net, check = cents[0] - cents[1], pl.lit(1)
        df = df.with_columns(cents=net, date=c["date"].str.to_date("%Y%m%d", strict=False))
        ok = df.select(pl.col("date").dt.year().is_between(1900, 2100).fill_null(False).all(), check).row(0)
        if ok[0] and ok[1]:
            return df.with_row_index("line", 1).select(
                "line", j=c["j"], num=c["num"], date="date", date_text=c["date"], acc=c["acc"], aux=c["aux"],
                cents="cents", kind=pl.lit(OK, pl.UInt8))
        return None
    exprs = {"date": c["date"].str.to_date("%Y%m%d", strict=False)}
    for a in amounts:  # digits (and sign) without the comma; the comma after at least one digit
        exprs[a + "_comma"] = c[a].str.find(",", literal=True)
        exprs[a + "_digits"] = c[a].str.replace(",", "", literal=True).cast(pl.Int64, strict=False)
        exprs[a + "_signed"] = c[a].str.starts_with("-") | c[a].str.starts_with("+")
    if spec.sens:
        sens = c["a2"]
        exprs["dir"] = pl.when((sens == "D") | (sens == "d") | (sens == "+1") | (sens == "1")).then(1).when(
            (sens == "C") | (sens == "c") | (sens == "-1")).then(-1).otherwise(0)
    df = df.with_columns(ok=pl.all_horizontal(checks), **exprs)
    cents = []
    for a in amounts:
        comma, digits = pl.col(a + "_comma"), pl.col(a + "_digits")
        dec = c[a].str.len_bytes() - comma - 1
        checks.append((c[a] == "") | digits.is_not_null() & (
            comma.is_null() | dec.is_between(1, 2) & ((comma >= 2) | (comma == 1) & ~pl.col(a + "_signed"))))
        cents.append(pl.when(c[a] == "").then(0).when(comma.is_null()).then(digits * 100)
                     .when(dec == 1).then(digits * 10).otherwise(digits))
    net = cents[0] * pl.col("dir") if spec.sens else cents[0] - cents[1]
    ok = pl.col("ok") & pl.all_horizontal(checks[1:] if spec.trailing else checks[1:]) if len(checks) > 1 else pl.col("ok")
    df = df.with_columns(cents=net, ok=ok & pl.col("date").dt.year().is_between(1900, 2100).fill_null(False))
    agg = df.select(pl.col("ok").all(), pl.col("cents").abs().max(),
                    pl.col("dir").abs().min() if spec.sens else pl.lit(1)).row(0)
    if not agg[0] or agg[1] is None or agg[1] >= 10 ** 17 or not agg[2]:
        return None
    return df.with_row_index("line", 1).select(
        "line", j=c["j"], num=c["num"], date="date", date_text=c["date"], acc=c["acc"], aux=c["aux"],
        cents="cents", kind=pl.lit(OK, pl.UInt8))


def _empty_expr(idx: dict[str, int]) -> pl.Expr:
    cols = {idx[k] for k in ("j", "num", "date", "acc", "aux", "a1", "a2")}
    return pl.all_horizontal([pl.col(f"c{i}").str.strip_chars(" \r") == "" for i in sorted(cols)])


ROW_COLUMNS = ["line", "j", "num", "date", "date_text", "acc", "aux", "cents", "kind"]


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


# ------------------------------------------------------------------------------ worker processes

class CellSums:
    """Debit − credit per (file, account, date) over many blocks, kept where the blocks are read: the
    first line as (block << 32) | line in the block, whose minimum is the first in file order before
    the blocks' first line numbers are known (the reader adds them at the end)."""

    def __init__(self) -> None:
        self.parts: list[pl.DataFrame] = []
        self.bound = 0  # the most a sum can reach: int64 while below 2^62

    def add(self, cells: pl.DataFrame, file: int, block: int, bound: int) -> None:
        self.bound += bound
        self.parts.append(cells.select(
            "acc", "date", file=pl.lit(file, pl.UInt16), cents="cents",
            rows=pl.col("rows").cast(pl.Int64), pos=pl.lit(block << 32, pl.UInt64) + pl.col("first").cast(pl.UInt64)))
        if len(self.parts) >= 4:  # often: fewer rows at once, a lower peak (16: +40 MB a worker)
            self.parts = [self.total()]

    def total(self) -> pl.DataFrame:
        """The sums so far; in int64 while they cannot overflow, else Int128 (the type of the result)."""
        if not self.parts:
            return pl.DataFrame(schema={"acc": pl.String, "date": pl.Date, "file": pl.UInt16, "cents": pl.Int128,
                                        "rows": pl.Int64, "pos": pl.UInt64})
        wide = self.bound >= 1 << 62
        parts = [p.with_columns(pl.col("cents").cast(pl.Int128 if wide else pl.Int64)) for p in self.parts]
        return pl.concat(parts).group_by("acc", "date", "file").agg(
            pl.col("cents").sum().cast(pl.Int128 if wide else pl.Int64), pl.col("rows").sum(), pl.col("pos").min())


def _keep_cells(out: BlockOut, sums: CellSums | None, file: int, block: int) -> BlockOut:
    if sums is not None and out.cells is not None:
        if out.cells.height:
            sums.add(out.cells, file, block, out.bound)
        out.cells = None
    return out


def _read_block(path: str, offset: int, size: int) -> bytes:
    import os

    fd = os.open(path, os.O_RDONLY)
    try:
        return os.pread(fd, size, offset)
    finally:
        os.close(fd)


def serve() -> None:
    """The loop of a worker process (reader._Workers): read (path, offset, size, spec, file, block)
    requests pickled on stdin, answer each in order on stdout with ("ok", BlockOut) or ("error",
    exception); the cells of the blocks are summed here and sent once stdin ends, as ("cells",
    DataFrame). Each answer is a pickle preceded by its length (8 bytes, little-endian)."""
    import os
    import pickle
    import sys

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sums = CellSums()

    def send(answer: tuple) -> None:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(len(data).to_bytes(8, "little") + data)
        stdout.flush()

    while True:
        try:
            path, offset, size, spec, file, block = pickle.load(stdin)
        except EOFError:
            send(("cells", sums.total()))
            if os.environ.get("FEC_REPORT_PEAK"):  # for the benchmark: this process's own peak memory
                with open("/proc/self/status") as status:
                    peak = next(line for line in status if line.startswith("VmHWM:")).split()[1]
                print(f"fec worker peak kB: {peak}", file=sys.stderr, flush=True)
            return
        try:
            send(("ok", process(_read_block(path, offset, size), spec, sums=sums, file=file, block=block)))
        except Exception as exc:  # noqa: BLE001 - raised again in the reader
            send(("error", exc))
