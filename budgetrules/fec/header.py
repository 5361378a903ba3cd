"""The header of a FEC file, and what it tells of the rest: the columns, the separator, the line
ends and the encoding (article A47 A-1 of the Livre des procédures fiscales, I 1° and III).

`read_header` reads the first megabyte of a file and returns a `Head`: where the entries start
(byte offset), the file's size, the `Spec` its blocks are read with, the encoding found so far and
the column names. The header must hold the 18 legal columns in order (`grammar.COLUMNS`, or
`Montant`/`Sens` in columns 12-13), by name, any case, then optional named columns; tab or `|`;
LF, CRLF or CR. Encoding: UTF-8 (with or without its mark) or ISO-8859-15, guessed from the first
megabyte unless forced; the blocks check the rest. A file that cannot be read this way raises
InputErrors (exit 2): missing, a folder, empty, a header without entries, a bad header (the nearest
column name is suggested), `;` or `,` as separator, mixed encodings (`mixed`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputErrors, Problem, nearest
from .grammar import COLUMNS, SENS_COLUMNS
from .shapes import Spec


@dataclass
class Head:
    """A file's header read: where the entries start, how its blocks are read, its encoding so far."""

    offset: int
    size: int
    spec: Spec
    encoding: str  # utf-8 (forced), auto-ascii, auto-utf8, iso-8859-15
    utf8_line: int | None
    names: tuple[str, ...]
    line_end: str


def read_header(path: Path, shown: str, encoding: str, max_errors: int) -> Head:
    def refuse(line: int, message: str) -> InputErrors:
        return InputErrors([Problem(shown, line, message)])

    try:
        if path.is_dir():
            raise refuse(0, "is a folder, not a FEC file")
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except FileNotFoundError:
        raise refuse(0, "file not found") from None
    except OSError as exc:
        raise refuse(0, f"cannot read the file: {exc.strerror}") from None
    bom = head.startswith(b"\xef\xbb\xbf")
    start = 3 if bom else 0
    if not head[start:].strip():
        raise refuse(1, "the file is empty: a FEC starts with a header line of 18 columns "
                        "(JournalCode, JournalLib, …, Idevise)")
    lf, cr = head.find(b"\n", start), head.find(b"\r", start)
    if cr >= 0 and (lf < 0 or cr < lf) and head[cr + 1:cr + 2] != b"\n":
        eol, end, line_end = "\r", cr, "CR"
    elif lf >= 0:
        eol, end, line_end = "\n", lf, "CRLF" if lf > start and head[lf - 1:lf] == b"\r" else "LF"
    elif size > len(head):
        raise refuse(1, "no end of line in the first megabyte: this is not a FEC file")
    else:
        eol, end, line_end = "\n", len(head), "LF"
    first = head[start:end].rstrip(b"\r").decode("latin-1")
    offset = min(end + 1, size)
    sep, names, trailing = header_columns(first, shown)
    rest = head[offset:]
    if not rest.strip() and size <= len(head):
        raise refuse(1, "the file has a header line but no entries")
    if not trailing:  # a separator after the last field of the lines, and not of the header?
        for line in rest[:rest.find(eol.encode(), 0, 1 << 16)].split(eol.encode())[:1]:
            fields = line.rstrip(b"\r").split(sep.encode())
            trailing = len(fields) == len(names) + 1 and not fields[-1].strip()
    sens = names[11].lower() == "montant"
    spec = Spec(sep=sep, eol=eol, ncols=len(names), trailing=trailing,
                   index=dict(j=0, num=2, date=3, acc=4, aux=6, a1=11, a2=12), sens=sens, latin9=False,
                   max_errors=max_errors)
    # the encoding, from the first megabyte; the blocks check the rest
    utf8_line = None
    if bom or encoding == "utf-8":
        state = "utf-8"
    elif encoding == "iso-8859-15":
        state = "iso-8859-15"
    else:
        sample = rest[:rest.rfind(eol.encode()) + 1] if len(head) < size else rest
        bad, utf8_line = encoding_lines(sample, eol)
        if bad is not None and utf8_line is not None:
            raise mixed(shown, 2 + bad[0], bad[1], 2 + utf8_line)
        utf8_line = None if utf8_line is None else 2 + utf8_line
        state = "iso-8859-15" if bad is not None else "auto-utf8" if utf8_line else "auto-ascii"
    spec.latin9 = state == "iso-8859-15"
    return Head(offset, size, spec, state, utf8_line, names, line_end)


def header_columns(first: str, shown: str) -> tuple[str, tuple[str, ...], bool]:
    """(separator, column names, trailing separator) or InputErrors."""
    for sep in ("\t", "|"):
        fields = first.split(sep)
        trailing = len(fields) > 18 and fields[-1].strip() == ""
        if trailing:
            fields = fields[:-1]
        if len(fields) >= 18:
            break
    else:
        for other, name in ((";", "';'"), (",", "','")):
            if len(first.split(other)) >= 18:
                raise InputErrors([Problem(shown, 1, f"the fields are separated by {name}: a FEC separates them with "
                                                     "a tab or '|' (article A47 A-1 of the LPF)")])
        count = max(len(first.split("\t")), len(first.split("|")))
        raise InputErrors([Problem(shown, 1, f"the header line has {count} field(s) separated by a tab or '|'; "
                                             f"a FEC header has the 18 columns {', '.join(COLUMNS)}")])
    names = tuple(f.strip() for f in fields)
    expected = SENS_COLUMNS if names[11].lower() == "montant" else COLUMNS
    problems = []
    for i, (got, want) in enumerate(zip(names, expected)):
        if got.lower() != want.lower():
            if got.lower() in {w.lower() for w in expected}:
                msg = f"column {i + 1} is '{got}', expected '{want}': the 18 columns must be in the legal order"
            else:
                near = nearest(got, expected)
                msg = f"unknown column '{got}' in column {i + 1}" + (
                    f" — did you mean '{near}'?" if near else f", expected '{want}'")
            problems.append(Problem(shown, 1, msg))
    for i, extra in enumerate(names[18:], 19):
        if not extra:
            problems.append(Problem(shown, 1, f"column {i} has no name: columns after the 18 legal ones are "
                                              "optional but must be named"))
        elif extra.lower() in {w.lower() for w in COLUMNS + SENS_COLUMNS}:
            problems.append(Problem(shown, 1, f"column {i} '{extra}' repeats a legal column"))
    if problems:
        raise InputErrors(problems)
    return sep, expected + names[18:], trailing


def encoding_lines(data: bytes, eol: str) -> tuple[tuple[int, int] | None, int | None]:
    """((line, byte) of the first line that is not UTF-8, line of the first non-ASCII UTF-8 line),
    counted from 0 in `data`. Only run on the first megabyte, or on a block that is not UTF-8."""
    bad = utf8 = None
    for n, line in enumerate(data.split(eol.encode())):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            if utf8 is None:
                utf8 = n
        except UnicodeDecodeError as exc:
            if bad is None:
                bad = (n, line[exc.start])
        if bad is not None and utf8 is not None:
            break
    return bad, utf8


def mixed(shown: str, line: int, byte: int, utf8_line: int | None, forced: str = "") -> InputErrors:
    why = forced or f"while line {utf8_line} is UTF-8: the file mixes two encodings"
    return InputErrors([Problem(shown, line, f"byte 0x{byte:02X} is not UTF-8, {why}; export the file again in one "
                                             "encoding (UTF-8 or ISO-8859-15), or choose one with --encoding")])
