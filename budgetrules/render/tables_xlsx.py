"""A workbook of the tables of a CSV document (`# table: NAME` lines start a sheet), amounts as exact
numbers in a money format: the xlsx form of the documents that have no workbook of their own (a
virement's verdict, what is available on a line, a matrix, an explained figure)."""
from __future__ import annotations

import re


def tables_workbook(csv_text: str, lang: str) -> bytes:
    """An xlsx workbook of the tables of a CSV document (`# table: NAME` lines start a sheet),
    amounts as exact numbers: for the documents that have no workbook of their own."""
    import csv
    import io
    from decimal import Decimal

    from openpyxl import Workbook

    amount = re.compile(r"^-?\d+\.\d{2}$")
    book = Workbook()
    sheet = book.active
    sheet.title = "budgetrules"
    first = True
    for row in csv.reader(io.StringIO(csv_text)):
        if len(row) == 1 and row[0].startswith("# table: "):
            sheet = book.active if first else book.create_sheet()
            sheet.title = row[0][len("# table: "):][:31] or "table"
            first = False
            continue
        first = False
        sheet.append([Decimal(c) if amount.match(c) else c for c in row])
        if any(amount.match(c) for c in row):
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = '#,##0.00'
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
