"""The CANSSM does not leak into another COG (issue 15, point 6): every command, in every format it
offers, on the bundled illustrative COG `exemple-2025-2029` (funds FNGA and FNAS of the invented
CNEX), prints nothing of the CANSSM — no CANSSM, BNGA, BNASS, BNPPS or FNMO, and no year outside
2025-2029.

Two kinds of years outside the period are the example's own and are allowed where they belong:
- 2030, the first year of the next convention: the carry-over statement « 2029 → 2030 » and the
  amounts carried beyond the period (`to_next: eligible`), in `run` and `audit`;
- 2024, the last year of the previous convention, in the findings about a carry-over decided from
  it (`from_previous`) — only next to words that say so (« convention précédente », « précède la
  COG », « hors de cette COG »).
A year is a standalone token 19xx/20xx that is not part of a longer number (« 2 000,00 », « 2000.00 »
and « 1 500 000 » are amounts, not years). In HTML the visible text and the titles are read (the SVG
namespace « http://www.w3.org/2000/svg » is no year); in an xlsx workbook, every cell of every sheet.

`budgetrules cogs` lists every bundled COG, so the CANSSM's row is there by design: only the
example's row is checked. Leaks found in files this test may not fix are marked xfail(strict=True)
with the file and function to change: each turns into a failure once fixed, so that the mark goes."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main

COG = "exemple-2025-2029"
SUITE = "scenarios/exemple-2025-2029/"
MAPPING = "funds/exemple-2025-2029/mappings/exemple-fec.yaml"
ROOT = Path(__file__).resolve().parents[2]
PERIOD = frozenset(str(y) for y in range(2025, 2030))
FORBIDDEN = re.compile(r"CANSSM|BNGA|BNASS|BNPPS|FNMO", re.IGNORECASE)
YEAR = re.compile(r"(?<![\d.,])\b(?:19|20)\d\d\b(?![.,]\d)")
PREVIOUS = re.compile(r"précédente|précède|hors de cette COG|previous|precedes|outside this COG")
NEXT, BEFORE = "2030", "2024"

FEC_HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
              "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\t"
              "Idevise")
FEC_LINES = [  # (entry, date, account, label, debit, credit): each entry balances
    ("OD1", "20260131", "641100", "Rémunérations", "900000,00", "0,00"),
    ("OD1", "20260131", "512000", "Banque", "0,00", "900000,00"),
    ("AC1", "20260215", "606100", "Électricité", "61200,50", "0,00"),
    ("AC1", "20260215", "401000", "Fournisseurs", "0,00", "61200,50"),
    ("AC2", "20270301", "657200", "Actions collectives", "150000,00", "0,00"),
    ("AC2", "20270301", "401000", "Fournisseurs", "0,00", "150000,00"),
    ("VE1", "20270410", "706000", "Prestations", "0,00", "5000,00"),
    ("VE1", "20270410", "411000", "Clients", "5000,00", "0,00"),
]


@pytest.fixture(scope="module")
def fec(tmp_path_factory) -> str:
    """A tiny FEC of the invented CNEX (tab-separated, Debit/Credit)."""
    path = tmp_path_factory.mktemp("fec") / "cnex-fec.txt"
    rows = [FEC_HEADER] + [f"OD\tOpérations diverses\t{num}\t{day}\t{acc}\t{lib}\t\t\tP-{num}\t{day}\t{lib}\t{d}\t{c}"
                           f"\t\t\t{day}\t\t" for num, day, acc, lib, d, c in FEC_LINES]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


# -- running a command and reading what it printed -------------------------------------------------
class _Visible(HTMLParser):
    """The text a reader of the page sees: data, and the titles and labels of elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("title", "aria-label", "alt", "summary") and value:
                self.parts.append(value)

    def handle_data(self, data):
        self.parts.append(data)


def visible_html(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "\n".join(parser.parts)


def xlsx_text(path: Path) -> str:
    """Every cell of every sheet, one line per cell, with the sheet names."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        lines.append(sheet.title)
        for row in sheet.iter_rows():
            lines.extend(str(cell.value) for cell in row if cell.value is not None)
    return "\n".join(lines)


def cli(args: list[str], tmp_path: Path, fmt: str | None = None) -> tuple[int, str, str]:
    """Run `budgetrules --cog exemple-2025-2029 ARGS [--format F]`: (exit code, the text to check for
    years, the raw output to check for names). xlsx is written to a file and read back."""
    extra: list[str] = []
    out_file = None
    if fmt is not None:
        extra = ["--format", fmt]
        if fmt == "xlsx":
            out_file = tmp_path / "out.xlsx"
            extra += ["--output", str(out_file)]
    result = CliRunner().invoke(main, ["--cog", COG, *args, *extra], env={"BUDGETRULES_COG": COG},
                                catch_exceptions=False)
    raw = result.output
    if out_file is not None:
        assert out_file.is_file(), raw
        raw = raw + "\n" + xlsx_text(out_file)
        return result.exit_code, raw, raw
    if fmt == "html":
        return result.exit_code, visible_html(raw), raw
    return result.exit_code, raw, raw


def leaks(text: str, raw: str, allow: frozenset[str] = frozenset()) -> list[str]:
    """What of the CANSSM shows: its names anywhere in the raw output; years outside the period not
    allowed here (2024 only next to words about the previous convention: a table may wrap a message
    over several lines, so the words are looked for within 250 characters, spaces collapsed)."""
    found = [f"name {m.group(0)!r} in: {_around(raw, m)}" for m in FORBIDDEN.finditer(raw)]
    flat = re.sub(r"\s+", " ", text)
    for m in YEAR.finditer(flat):
        year = m.group(0)
        near = flat[max(0, m.start() - 250):m.end() + 250]
        if year in PERIOD or (year in allow and (year != BEFORE or PREVIOUS.search(near))):
            continue
        found.append(f"year {year} in: {_around(flat, m)}")
    return found


def _around(text: str, m: re.Match) -> str:
    return text[max(0, m.start() - 70):m.end() + 50].replace("\n", " ⏎ ")


def assert_clean(args: list[str], tmp_path: Path, fmt: str | None, allow: frozenset[str] = frozenset(),
                 exit_codes: tuple[int, ...] = (0,)) -> str:
    code, text, raw = cli(args, tmp_path, fmt)
    assert code in exit_codes, f"exit {code}: {raw[-2000:]}"
    problems = leaks(text, raw, allow)
    assert not problems, "\n".join(problems[:12])
    assert text.strip(), "nothing printed"
    return raw


TEXT_FORMATS = ("table", "json", "csv", "md")
REPORT_FORMATS = TEXT_FORMATS + ("xlsx", "html")


# -- listings and the COG's tables -----------------------------------------------------------------
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_cogs_lists_the_example_without_the_canssm_in_its_row(fmt, tmp_path):
    code, text, _ = cli(["cogs"], tmp_path, fmt)
    assert code == 0
    if fmt == "json":
        rows = [r for r in _records(json.loads(text)) if COG in json.dumps(r, ensure_ascii=False)]
        mine = [json.dumps(r, ensure_ascii=False) for r in rows]
    else:
        mine = [line for line in text.splitlines() if COG in line]
    assert mine, text
    for row in mine:
        assert not leaks(row, row), row
        assert "CNEX" in row and "2025-2029" in row
    # the CANSSM's own row is there by design (every bundled COG is listed)
    assert "CANSSM" in text


def _records(doc) -> list[dict]:
    if isinstance(doc, list):
        return [r for r in doc if isinstance(r, dict)]
    for value in doc.values():
        if isinstance(value, list):
            return _records(value)
    return []


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_funds_and_funds_check(fmt, tmp_path):
    raw = assert_clean(["funds"], tmp_path, fmt)
    assert "FNGA" in raw and "FNAS" in raw
    raw = assert_clean(["funds", "check"], tmp_path, fmt)  # exit 0: every printed subtotal adds up


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
@pytest.mark.parametrize("fund", ["FNGA", "FNAS"])
def test_funds_show(fund, fmt, tmp_path):
    assert_clean(["funds", "show", fund], tmp_path, fmt)
    if fmt == "table":
        assert_clean(["funds", "show", fund, "--unit", "EUR", "--year", "2027"], tmp_path, fmt)


# -- run, audit, explain ---------------------------------------------------------------------------
RUNS = {  # name -> (arguments, exit code, years allowed)
    "central": ([], 0, {NEXT}),
    "group-cap": ([SUITE + "group-cap.yaml"], 1, {NEXT}),
    "carry-across": ([SUITE + "carry-across.yaml"], 1, {NEXT, BEFORE}),
    "avenant": ([SUITE + "avenant.yaml"], 1, {NEXT}),
    "notice-month": ([SUITE + "notice-month.yaml"], 1, {NEXT}),
    "dm": ([SUITE + "dm.yaml"], 1, {NEXT}),
    "rebasage": ([SUITE + "rebasage.yaml"], 0, {NEXT}),
    "as-of": (["--as-of", "2027-06-30"], 0, set()),
    "avenant-as-of": ([SUITE + "avenant.yaml", "--as-of", "2027-08-31", "--detail"], 1, {NEXT}),
}
ALL_FORMATS_RUNS = ("central", "carry-across", "as-of")


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
@pytest.mark.parametrize("name", list(RUNS))
def test_run(name, fmt, tmp_path):
    if name not in ALL_FORMATS_RUNS and fmt in ("csv", "md", "html"):
        pytest.skip("every format is run on central, carry-across and as-of; the others in table, json, xlsx")
    args, code, allow = RUNS[name]
    raw = assert_clean(["run", *args], tmp_path, fmt, frozenset(allow), (code,))
    assert "CNEX" in raw or fmt in ("csv",)


def test_run_without_a_scenario_is_the_example_s_central_one(tmp_path):
    _, text, _ = cli(["run"], tmp_path, "json")
    assert json.loads(text)["scenario"] == "Exemple CNEX — hypothèses centrales (illustratif)"



def test_carry_into_the_next_convention_is_reported_beyond_the_period(tmp_path):
    """carry-across.yaml: L-FONC-COUR's 50 000 decided out of 2029, and the investment CP carried
    automatically (5 500 000 and 5 450 000, central.yaml), are listed beyond the period; the FNAS,
    which does not carry into the next convention, lists nothing."""
    _, text, _ = cli(["run", SUITE + "carry-across.yaml"], tmp_path, "json")
    beyond = {(b["fund"], b["line"], b["from_year"], b["year"]): b["amount"] for b in json.loads(text)["beyond_period"]}
    assert beyond == {("FNGA", "L-FONC-COUR", 2029, 2030): "50000.00", ("FNGA", "L-INV-IMMO", 2029, 2030): "5500000.00",
                      ("FNGA", "L-INV-INFO", 2029, 2030): "5450000.00"}

@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md", "html"])
def test_run_with_the_books(fmt, fec, tmp_path):
    assert_clean(["run", "--execution", fec, "--mapping", MAPPING], tmp_path, fmt, frozenset({NEXT}))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_run_and_audit_in_both_languages(lang, tmp_path):
    assert_clean(["run", SUITE + "carry-across.yaml", "--lang", lang, "--detail"], tmp_path, "table",
                 frozenset({NEXT, BEFORE}), (1,))
    assert_clean(["audit", SUITE + "avenant.yaml", "--lang", lang], tmp_path, "md", frozenset({NEXT}), (1,))


AUDITS = {"central": (0, {NEXT}), "carry-across": (1, {NEXT, BEFORE}), "notice-month": (1, {NEXT}),
          "avenant": (1, {NEXT}), "dm": (1, {NEXT}), "group-cap": (1, {NEXT})}


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
@pytest.mark.parametrize("name", list(AUDITS))
def test_audit(name, fmt, tmp_path):
    if name not in ("central", "carry-across", "avenant") and fmt in ("csv", "md", "html"):
        pytest.skip("every format is audited on central, carry-across and avenant; the others in table, json, xlsx")
    code, allow = AUDITS[name]
    assert_clean(["audit", SUITE + f"{name}.yaml"], tmp_path, fmt, frozenset(allow), (code,))


def test_audit_as_of(tmp_path):
    raw = assert_clean(["audit", SUITE + "notice-month.yaml", "--as-of", "2026-12-31"], tmp_path, "table",
                       frozenset({NEXT}), (1,))
    assert "31/12/2026" in raw


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_explain_names_the_avenant(fmt, tmp_path):
    raw = assert_clean(["explain", SUITE + "avenant.yaml", "FNGA", "L-INV-INFO", "2027", "--column", "base"],
                       tmp_path, fmt)
    assert "Avenant n° 1" in raw and "R-AVENANT" in raw
    # before the avenant's date the base is the table's
    raw = assert_clean(["explain", "FNGA", "L-INV-INFO", "2027", "--column", "base", "--as-of", "2027-06-30"],
                       tmp_path, fmt)
    assert "Avenant" not in raw


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("target", [("FNGA", "L-FONC-ENER", "2026"), ("FNAS", "AS-COL", "2026"),
                                    ("FNGA", "L", "2028")])
def test_explain(target, fmt, tmp_path):
    assert_clean(["explain", *target], tmp_path, fmt)
    assert_clean(["explain", SUITE + "rebasage.yaml", "FNAS", "AS-COL", "2029", "--column", "indexation"],
                 tmp_path, fmt)


# -- virement, the matrix, available ---------------------------------------------------------------
VIREMENTS = {  # name -> (arguments, exit code)
    "with-notice": (["FNGA", "L-PERS", "L-INV-INFO", "100 k€", "--date", "2026-03-31"], 0),
    "dm-needed": (["FNGA", "L-FONC-COUR", "L-PERS", "100 k€", "--date", "2026-03-31"], 1),
    "dm-given": (["FNGA", "L-FONC-COUR", "L-PERS", "100 k€", "--date", "2026-06-15", "--dm", "DM-FNGA-1",
                  "--board-vote", "2026-05-20", "--approval", "2026-06-05"], 0),
    "fnas-dm": (["FNAS", "AS-PREV", "AS-COL", "100 000", "--date", "2026-03-31"], 1),
    "on-a-scenario": (["FNGA", "L-PERS", "L-FONC-COUR", "10 k€", "--year", "2027", "--scenario",
                       SUITE + "avenant.yaml"], 0),
}


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("name", list(VIREMENTS))
def test_virement(name, fmt, tmp_path):
    args, code = VIREMENTS[name]
    raw = assert_clean(["virement", *args], tmp_path, fmt, exit_codes=(code,))
    if name == "with-notice" and fmt == "json":
        doc = json.loads(raw)
        assert doc["verdict"] == "permitted_with_notice"
        assert "2026-04-30" in raw  # one calendar month after 31 March, clamped to April's last day


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("fund", ["FNGA", "FNAS"])
def test_virement_matrix(fund, fmt, tmp_path):
    raw = assert_clean(["virement", fund, "--matrix"], tmp_path, fmt)
    if fund == "FNGA" and fmt == "table":
        assert "directrice générale de la CNEX" in raw and "1 mois" in raw


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("where", [("FNGA", "L-PERS", "2026-03-31"), ("FNAS", "AS-COL", "2026-08-10"),
                                   ("FNGA", "L-FONC-COUR", "2027-08-10")])
def test_available(where, fmt, tmp_path):
    fund, line, day = where
    assert_clean(["available", fund, line, "--date", day], tmp_path, fmt)
    assert_clean(["available", fund, line, "--date", day, "--scenario", SUITE + "dm.yaml"], tmp_path, fmt)



# -- the annual bilan (added with R-BILAN; skipped where the command does not exist) ----------------
@pytest.mark.parametrize("fmt", ["table", "md", "json", "xlsx", "html"])
@pytest.mark.parametrize("name", ["central", "rebasage", "avenant"])
def test_bilan(name, fmt, tmp_path):
    if "bilan" not in main.commands:
        pytest.skip("no `budgetrules bilan` in this version")
    if name != "central" and fmt not in ("table", "json"):
        pytest.skip("every format is run on the central scenario; the others in table and json")
    code = 1 if name == "avenant" else 0
    raw = assert_clean(["bilan", SUITE + f"{name}.yaml", "--year", "2027"], tmp_path, fmt, frozenset({NEXT}),
                       (0, code))
    assert "FNGA" in raw and "FNAS" in raw

# -- test, execution -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_suite_through_budgetrules_test(fmt, tmp_path):
    raw = assert_clean(["test", SUITE], tmp_path, fmt)
    assert "FAIL" not in raw and "ERROR" not in raw
    if fmt == "table":
        assert re.search(r"\b\d+ passed, 0 failed", raw), raw


@pytest.mark.parametrize("fmt", ["json", "csv", "yaml"])
def test_execution(fmt, fec, tmp_path):
    raw = assert_clean(["execution", fec, "--mapping", MAPPING], tmp_path, fmt)
    assert "L-PERS" in raw and "AS-COL" in raw


def test_execution_table(fec, tmp_path):
    assert_clean(["execution", fec, "--mapping", MAPPING], tmp_path, "table")


# -- wording of another COG: who signs, and the avenant's notice delay --------------------------------
@pytest.mark.parametrize("fmt", ["table", "md"])
def test_available_legend_names_the_cog_s_authorities(fmt, tmp_path):
    raw = assert_clean(["available", "FNGA", "L-PERS", "--date", "2026-03-31"], tmp_path, fmt)
    legend = raw.strip().splitlines()[-1]
    assert "directrice générale de la CNEX" in legend and "directeur général" not in legend


def test_available_after_the_avenant_gives_two_months(tmp_path):
    code, text, _ = cli(["available", "FNGA", "L-PERS", "--date", "2027-08-10"], tmp_path, "json")
    targets = json.loads(text)["targets"]
    deadlines = {t["to"]: t["notify_by"] for t in targets if t.get("notify_by")}
    assert deadlines["L-INV-INFO"] == "2027-10-10", deadlines


def test_virement_after_the_avenant_is_judged_with_two_months(tmp_path):
    code, text, _ = cli(["virement", *VIREMENTS["with-notice"][0][:4], "--date", "2027-08-10"], tmp_path, "json")
    assert code == 0
    assert json.loads(text)["notify_by"] == "2027-10-10"


def test_virement_verdict_text_after_the_avenant_says_two_months(tmp_path):
    code, text, _ = cli(["virement", *VIREMENTS["with-notice"][0][:4], "--date", "2027-08-10"], tmp_path, "table")
    assert code == 0
    verdict = next(line for line in text.splitlines() if line.startswith("Verdict"))
    assert "2 mois" in verdict, verdict



def test_a_fund_without_fungibility_has_no_notice_in_its_legend(tmp_path):
    raw = assert_clean(["virement", "FNAS", "--matrix"], tmp_path, "table")
    assert "15 jours" not in raw and "DG + info" not in raw


def test_the_detector_itself():
    """Amounts are not years; a year outside the period is, unless allowed where it belongs."""
    for amount in ("1 500 000,00 €", "2000.00", "2 000,00", "€2,024.50", "20245", "1 2024,00", "<svg xmlns="):
        assert not leaks(amount, amount), amount
    page = '<svg xmlns="http://www.w3.org/2000/svg" id="wf-FNX-2025-1"><title>2026</title></svg>'
    assert not leaks(visible_html(page), page.replace("FNX", "FNZ"))
    assert leaks("Budget initial 2021", "")
    assert leaks("x", "COG État–CANSSM") and leaks("x", "bnga")
    assert leaks("2029 → 2030", "") and not leaks("2029 → 2030", "", frozenset({NEXT}))
    assert leaks("crédits 2024 sur 2025", "", frozenset({BEFORE}))
    assert not leaks("crédits 2024 de la convention précédente", "", frozenset({BEFORE}))
