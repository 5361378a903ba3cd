"""The HTML audit printed (issue 16, « Board documents lose nothing »): `budgetrules audit … --format html`
printed to PDF by Debian's chromium (Playwright, the launch of test_web_browser.py), then the PDF read back:
its pages counted against a bound worked out from what the audit holds, its text searched for every finding
and for a figure that only the (collapsed on screen) build-up tables hold; and, in print media, the width the
findings' message column gets.

Before this stylesheet the sample audit printed to 37 A4 pages (portrait, 10 mm margins, the build-up details
left out because collapsed), two or three findings a page, the message column 1 px wide at A4's width."""
from __future__ import annotations

import json
import re
import zlib
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from budgetrules.cli import main
from budgetrules.io.paths import scenarios_dir

# the fixtures of the browser tests: Debian's chromium launched once a module, a page on `budgetrules serve`
from .test_web_browser import browser, page  # noqa: F401

SAMPLE = scenarios_dir() / "audit" / "sample-2022-2024.yaml"
CENTRAL = scenarios_dir() / "central.yaml"
MM = 96 / 25.4  # CSS pixels per millimetre
# The report's @page: A4 landscape, margins 9 mm (left, right, top) and 10 mm (bottom).
PRINTABLE_WIDTH = round((297 - 2 * 9) * MM)  # 1054 px
PRINTABLE_HEIGHT = round((210 - 19) * MM)  # 722 px


def _audit(scenario: Path, fmt: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{scenario.stem}.{fmt}"
    result = CliRunner().invoke(main, ["audit", str(scenario), "--format", fmt, "--output", str(out)])
    assert result.exit_code in (0, 1) and out.exists(), result.output  # 1: the sample has error findings
    return out


def _print(browser, page_file: Path) -> tuple[bytes, dict]:  # noqa: F811
    """The page printed as a person prints it (the page's own @page size), and what print media lays out."""
    context = browser.new_context(viewport={"width": PRINTABLE_WIDTH, "height": PRINTABLE_HEIGHT})
    outside: list[str] = []
    context.route(lambda url: not url.startswith("file:"),
                  lambda route: (outside.append(route.request.url), route.abort()))
    tab = context.new_page()
    tab.goto(page_file.as_uri())
    pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    tab.emulate_media(media="print")
    layout = tab.evaluate("""() => {
        const row = document.querySelector('table.findings tbody tr');
        const hidden = [...document.querySelectorAll('details table, details p')]
            .filter(e => e.getBoundingClientRect().height === 0).length;
        return {width: document.documentElement.scrollWidth,
                message: row ? row.cells[5].getBoundingClientRect().width : 0,
                table: row ? row.closest('table').getBoundingClientRect().width : 0,
                details: document.querySelectorAll('details').length, hidden: hidden};
    }""")
    context.close()
    assert outside == [], f"the report asked for something elsewhere: {outside}"
    return pdf, layout


# -- reading the PDF back: chromium's (Skia's) PDF, its objects, page tree, fonts' ToUnicode maps ---------------

def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (its dictionary, its decoded stream or None), read one object after the other (a stream
    is skipped by its /Length, so that its bytes are never taken for objects)."""
    out: dict[int, tuple[bytes, bytes | None]] = {}
    header = re.compile(rb"(\d+) 0 obj\s*")
    at = 0
    while (m := header.search(data, at)) is not None:
        start = m.end()
        stream_at, end_at = data.find(b"stream", start), data.find(b"endobj", start)
        if 0 <= stream_at < end_at:
            body = data[start:stream_at]
            length = int(re.search(rb"/Length (\d+)", body).group(1))
            begin = stream_at + len(b"stream")
            begin += 2 if data[begin:begin + 2] == b"\r\n" else 1
            raw = data[begin:begin + length]
            out[int(m.group(1))] = (body, zlib.decompress(raw) if b"/FlateDecode" in body else raw)
            at = data.find(b"endobj", begin + length) + len(b"endobj")
        else:
            out[int(m.group(1))] = (data[start:end_at], None)
            at = end_at + len(b"endobj")
    return out


def _ref(body: bytes, key: bytes) -> int | None:
    m = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
    return int(m.group(1)) if m else None


def _unicode_map(cmap: bytes) -> dict[int, str]:
    def text(hexa: bytes) -> str:
        return bytes.fromhex(hexa.decode()).decode("utf-16-be")

    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            if dst.startswith(b"["):
                for i, each in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", dst)):
                    out[int(lo, 16) + i] = text(each)
            else:
                first = text(dst[1:-1])
                for i in range(int(lo, 16), int(hi, 16) + 1):
                    out[i] = first[:-1] + chr(ord(first[-1]) + i - int(lo, 16))
    return out


def read_pdf(data: bytes) -> list[tuple[tuple[float, ...], str]]:
    """Each page, in the page tree's order: its MediaBox and its text (one line per text run)."""
    objects = _objects(data)
    catalog = next(body for body, _ in objects.values() if re.search(rb"/Type\s*/Catalog", body))
    pages: list[tuple[tuple[float, ...], str]] = []

    def walk(number: int) -> None:
        body = objects[number][0]
        if re.search(rb"/Type\s*/Pages", body):
            for kid in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", body, re.DOTALL).group(1)):
                walk(int(kid))
            return
        box = tuple(float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", body).group(1).split())
        fonts = {}
        for name, ref in re.findall(rb"/(F\d+)\s+(\d+) 0 R", body):
            to_unicode = _ref(objects[int(ref)][0], b"ToUnicode")
            fonts[name.decode()] = _unicode_map(objects[to_unicode][1] or b"") if to_unicode else {}
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body).group(1)
        runs: list[str] = []
        for ref in re.findall(rb"(\d+) 0 R", contents):
            stream = objects[int(ref)][1] or b""
            font: dict[int, str] = {}
            for m in re.finditer(rb"/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ", stream):
                if m.group(1):
                    font = fonts[m.group(1).decode()]
                    continue
                hexes = [m.group(2)] if m.group(2) is not None else re.findall(rb"<([0-9A-Fa-f]*)>", m.group(3))
                runs.append("".join(font.get(int(h[i:i + 4], 16), "\ufffd") for h in hexes for i in range(0, len(h), 4)))
        pages.append((box, "\n".join(runs)))

    walk(_ref(catalog, b"Pages"))
    return pages


def squeeze(text: str) -> str:
    """Text without any white space: a line wrapped anywhere in the PDF still matches."""
    return "".join(text.split())


def _shown(message: str) -> str:
    """A finding's message as the French report writes it: ISO dates as 15/06/2023."""
    return re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", r"\3/\2/\1", message)


# -- the tests -----------------------------------------------------------------------------------------------

def test_the_pdf_reader_reads_what_chromium_prints(browser, tmp_path: Path) -> None:  # noqa: F811
    two = tmp_path / "two.html"
    two.write_text('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>@page { size: A4 landscape; }'
                    '</style></head><body><p>Crédit autorisé : 1 234,56 €</p><p style="break-before: page">'
                    "Deuxième page — œuvres</p></body></html>", encoding="utf-8")
    pdf, _ = _print(browser, two)
    pages = read_pdf(pdf)
    assert len(pages) == 2
    assert [round(v) for v in pages[0][0]] == [0, 0, 842, 595]  # A4 landscape in points
    assert squeeze(pages[0][1]) == "Créditautorisé:1234,56€" and squeeze(pages[1][1]) == "Deuxièmepage—œuvres"


def test_the_sample_audit_prints_every_finding_readably_on_few_pages(browser, tmp_path: Path) -> None:  # noqa: F811
    """The sample audit (scenarios/audit): 4 funds, 61 findings (55 about the period, 6 about the published tables),
    67 rows of the statement of origins. What it prints on A4 landscape pages of 1054 × 722 px, at 10 px type
    (12 px a line, ≤ 15 px a table row):
      - 310 table rows, heads included: the funds in the COG's form twice (authorised, executed, available; then
        carried and lapsed: 2 × (53 lines + 4 totals)), the build-up of the 12 fund-years (their 80 adjusted lines
        and 12 totals), the FNMO reserve, the statement of origins and what goes beyond the period:
        ≤ 4 650 px ≈ 6.4 pages;
      - 61 findings, each at most 2 lines of message in a column of ≥ 480 px (about 90 characters a line) and a
        line of citation and source, about 42 px: 2 560 px ≈ 3.5 pages;
      - per fund the charts, at 75 % of their width (groups, line overruns, the three waterfalls side by side,
        lapsed credits) with their captions: ≤ 1 100 px, 4 400 px ≈ 6.1 pages;
      - the title, headings and notes: half a page.
    About 16.5 pages; a row, a finding or a chart is never cut but moves whole to the next page, which costs
    at most a page over the document. Bound: 18 pages, for everything printed open (the old layout: 37 on A4,
    43 on Letter, with the build-up left out)."""
    report = _audit(SAMPLE, "html", tmp_path)
    doc = json.loads(_audit(SAMPLE, "json", tmp_path).read_text(encoding="utf-8"))
    pdf, layout = _print(browser, report)
    (tmp_path / "sample.pdf").write_bytes(pdf)
    pages = read_pdf(pdf)
    assert 8 <= len(pages) <= 18, len(pages)
    assert {tuple(round(v) for v in box) for box, _ in pages} == {(0, 0, 842, 595)}  # A4 landscape
    text = squeeze("\n".join(t for _, t in pages))

    # every finding, whole: its message, its citation and its source (file:line, relative to the scenario's folder)
    assert len(doc["findings"]) == 61
    missing = [f["message"] for f in doc["findings"] if squeeze(_shown(f["message"])) not in text]
    assert missing == []
    assert all(squeeze(f["citation"]) in text and squeeze(f["source"]) in text for f in doc["findings"])
    assert squeeze("Source : sample-2022-2024.yaml:91") in text  # E1, the limitative overrun of A-I-2-HORS 2022

    # the build-up details, collapsed on screen, are printed: BNASS PA-F-COL 2023, base 2 306 100,00 indexed by
    # I(2023) − 1 = 8 % (the scenario's arithmetic): 184 488,00, a figure no other table or chart holds
    assert squeeze("Construction des crédits autorisés, ligne par ligne — 2023") in text
    assert squeeze("PA-F-COL Dépenses collectives CANSSM 2 306 100,00 € 184 488,00 €") in text

    # the line overruns a group chart cannot show (E1: 7 950 000 executed, 7 870 000 authorised; E14: MAL-K-COL
    # 2024, 3 400 000 executed, 800 000 + 2 500 000 carried authorised)
    assert squeeze("A-I-2-HORS — 2022 80 000,00 € exécuté 7 950 000,00 € · autorisé 7 870 000,00 €") in text
    assert squeeze("MAL-K-COL — 2024 100 000,00 € exécuté 3 400 000,00 € · autorisé 3 300 000,00 €") in text

    # in print media, at the printed width: the message column keeps about half the table, every <details> open
    assert layout["message"] >= 480 and layout["message"] >= 0.45 * layout["table"], layout
    # nothing wider than the paper (chromium would shrink every page to fit): the fund tables' nine amounts a row
    # at 9.5 px need Arial's metrics (Liberation Sans, which Debian's chromium recommends; Arial elsewhere)
    assert layout["width"] <= PRINTABLE_WIDTH, f"{layout}: wider than A4 landscape (is fonts-liberation installed?)"
    assert layout["details"] == 12 and layout["hidden"] == 0, layout


def test_the_central_audit_prints_on_fewer_pages(browser, tmp_path: Path) -> None:  # noqa: F811
    """scenarios/central.yaml audited: the same four funds in the COG's form, the build-up of the 12 fund-years
    (56 adjusted lines and 12 totals), the FNMO reserve and the statement of origins of every year's unspent
    credits (84 rows): 292 table rows ≤ 4 380 px ≈ 6.1 pages; 8 findings (2 about the period, 6 about the
    published tables): half a page; the charts: ≤ 3 300 px ≈ 4.6 pages (the FNMO, without execution, has its
    waterfalls only); headings half a page. About 11.7 pages, none cut. Bound: 13 pages (the old layout: 15 on
    A4, 17 on Letter)."""
    pdf, layout = _print(browser, _audit(CENTRAL, "html", tmp_path))
    pages = read_pdf(pdf)
    assert 6 <= len(pages) <= 13, len(pages)
    assert layout["message"] >= 480 and layout["hidden"] == 0 and layout["width"] <= PRINTABLE_WIDTH, layout


def _amounts(cells: list[str]) -> list[Decimal]:
    return [Decimal(c.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")) for c in cells]


def test_the_credits_page_shows_authorised_then_executed_and_available(page, tmp_path: Path) -> None:  # noqa: F811
    """The Credits page over whole years: three blocks of years (authorised, executed, available), as the COG asks
    for the closing presentation to the board; printed, A4 landscape without the form."""
    page.goto("/credits?fund=BNGA&scenario=audit%2Fsample-2022-2024.yaml")
    blocks = page.locator("table.cog thead tr").first.locator("th").all_inner_texts()
    assert blocks == ["Code", "Libellé", "Crédits autorisés", "Exécution", "Disponible"]
    cells = _amounts(page.locator("tr[data-line='A-I-2-HORS'] td").all_inner_texts()[2:])
    authorised, executed, available = cells[0:3], cells[3:6], cells[6:9]
    # E1 of the sample: 7 950 000 executed on 7 870 000 authorised in 2022, 80 000 over
    assert (authorised[0], executed[0], available[0]) == (Decimal("7870000.00"), Decimal("7950000.00"),
                                                          Decimal("-80000.00"))
    assert available == [a - e for a, e in zip(authorised, executed)]
    assert "neg" in (page.locator("tr[data-line='A-I-2-HORS'] td").nth(8).get_attribute("class") or "")
    pages = read_pdf(page.pdf(prefer_css_page_size=True, print_background=True))
    assert {tuple(round(v) for v in box) for box, _ in pages} == {(0, 0, 842, 595)}
    text = squeeze("\n".join(t for _, t in pages))
    assert squeeze("A-I-2-HORS") in text and squeeze("-80 000,00") in text and "Disponible" in text
    page.emulate_media(media="print")
    assert not page.locator("form.ask").is_visible()


def test_the_audit_page_prints_every_finding_open(page) -> None:  # noqa: F811
    """The Audit page: on screen each finding is closed on its explanation; printed, every one is open."""
    page.goto("/audit?scenario=audit%2Fsample-2022-2024.yaml")
    details = page.locator("details.finding")
    assert details.count() == 55  # the findings about the period; those about the published tables apart
    assert not details.first.locator("table.explain").is_visible()
    page.emulate_media(media="print")
    closed = page.evaluate("""() => [...document.querySelectorAll('details.finding .detail')]
        .filter(e => e.getBoundingClientRect().height === 0).length""")
    assert closed == 0
    assert details.first.locator("table.explain").is_visible()
