"""The lines of one block of a FEC file, parsed and checked with Polars.

`check_lines(data, spec, out)` parses a block (whole lines of one file, bytes) with Polars' CSV reader
(only the seven columns the sums need, as strings), checks every line against the legal format
(article A47 A-1 of the Livre des procédures fiscales: as many fields as the header, JournalCode and
EcritureNum not empty, EcritureDate AAAAMMJJ from 1900 to 2100, CompteNum starting with its class
1-9, amounts and `Sens` in the grammar of grammar.py) and returns the lines that are not blank as
`shapes.ROW_COLUMNS`: line (from 1 in the block), j, num, date, date_text, acc, aux, cents
(debit − credit, int64 cents) and kind (`shapes.OK`, or the first problem of a malformed line). It
fills `out` with the counts of lines, blank lines and malformed lines, and the first `max_errors`
malformed lines with their fields (the reader words the messages). Most blocks take a fast path of
few passes (`_fast`); a block with anything unusual is read again by the careful one. A block that
is not UTF-8 raises `shapes.NotUtf8` (the reader decides)."""
from __future__ import annotations

import numpy as np
import polars as pl

from .grammar import PLAIN_AMOUNT, amount_stages
from .shapes import (K_ACCOUNT, K_AMOUNT, K_COLUMNS, K_DATE, K_ENTRY, KIND_NAMES, OK, ROW_COLUMNS, BlockOut, NotUtf8,
                     Spec)


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


def check_lines(data: bytes, spec: Spec, out: BlockOut) -> pl.DataFrame | None:
    """The block's lines that are not blank, as ROW_COLUMNS, its counts in `out`; None if there is none
    (`out.non_ascii` says whether `data` holds bytes beyond ASCII)."""
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
        return None
    if fields is None:
        quick = _fast(df, spec)
        if quick is not None:
            out.rows = quick.height
            return quick
    c = {k: pl.col(f"c{idx[k]}") for k in ("j", "num", "date", "acc", "aux", "a1", "a2")}
    ncount = pl.lit(width) if fields is None else pl.lit(pl.Series("fields", fields))
    stages: list[dict[str, pl.Expr]] = [
        {"j": c["j"], "num": c["num"], "acc": c["acc"],
         "aux": c["aux"], "date_text": c["date"].str.strip_chars(" "),
         "a_t": c["a1"].str.strip_chars(" "), "b_t": c["a2"].str.strip_chars(" "), "fields": ncount,
         "guard": pl.col(f"c{spec.ncols}").str.strip_chars("\r") if (spec.trailing or ragged) else pl.lit("")},
    ]
    amounts = amount_stages("a_") if spec.sens else [
        {**x, **y} for x, y in zip(amount_stages("a_"), amount_stages("b_"))]
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
        return None
    bad = df.filter(pl.col("kind") != OK)
    out.bad_rows = bad.height
    if bad.height:
        kinds = bad.group_by("kind").len()
        out.counts = {KIND_NAMES[k]: n for k, n in kinds.iter_rows()}
        out.bad = bad.head(spec.max_errors).select(
            "line", "kind", "fields", "j", "num", "date_text", "acc", a1=c["a1"], a2=c["a2"],
            code1="a_code", code2="b_code")
    return df.select(ROW_COLUMNS)


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
    plain = df.select(pl.all_horizontal([c[a].str.contains(PLAIN_AMOUNT) for a in amounts] + checks).all()).item()
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
