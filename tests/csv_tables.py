"""The tables of a multi-table CSV (docs/commands.md, « CSV »): each under a row of one cell
`# table: NAME`, then its header row and its rows."""
from __future__ import annotations

import csv
import io


def csv_tables(text: str, delimiter: str = ",") -> dict[str, list[list[str]]]:
    """{name: rows (the header row first)}, in the order of the file; `text` without its BOM."""
    tables: dict[str, list[list[str]]] = {}
    current: list[list[str]] = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(row) == 1 and row[0].startswith("# table: "):
            current = tables.setdefault(row[0][len("# table: "):], [])
        else:
            current.append(row)
    return tables
