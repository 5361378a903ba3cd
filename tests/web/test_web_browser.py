"""The pages in a real browser: Debian's chromium driven by Playwright (pointed at /usr/bin/chromium;
no browser is downloaded) against `budgetrules serve` on a loopback port. The budget officer's
virement and the auditor's drill-down, as a person does them, asserting what the page shows; a
screenshot of each page is written to the test's folder (BUDGETRULES_SCREENSHOTS=DIR keeps them)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed "
                                                                "(pip install -e '.[test]')")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server)
    # nothing but this server: any other request fails the test
    outside: list[str] = []
    context.route(lambda url: not url.startswith(live_server),
                  lambda route: (outside.append(route.request.url), route.abort()))
    p = context.new_page()
    yield p
    context.close()
    assert outside == [], f"the page asked for something elsewhere: {outside}"


@pytest.fixture()
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BUDGETRULES_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_budget_officer_checks_a_virement(page, shots) -> None:
    page.goto("/virement")
    page.select_option("#f-fund", "BNGA")  # reloads the form with the fund's lines
    page.wait_for_url("**/virement?fund=BNGA*")
    page.wait_for_selector("#f-from optgroup", state="attached")
    page.select_option("#f-from", "A-I-1")
    page.select_option("#f-to", "A-I-2-INFO")
    page.fill("#f-amount", "400 k€")
    page.fill("#f-date", "2023-06-01")
    page.click("button[type=submit]")
    page.wait_for_selector("#verdict")
    verdict = page.locator(".verdict")
    assert verdict.get_attribute("data-verdict") == "permitted_with_notice"
    assert verdict.inner_text() == "autorisé, avec information sous 15 jours"
    assert page.locator("#authority").inner_text() == "directeur général"
    assert "au plus tard le 16/06/2023" in page.locator("#notice").inner_text()
    assert "R-FUNG-BNGA-ASYM" in page.locator("ul.rules").inner_text()
    assert "« Les virements de crédits »" in page.locator("ul.rules").inner_text()
    rows = page.locator("#two-lines tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").all_inner_texts()[2:] == ["36 809 346,00", "36 809 346,00", "36 409 346,00",
                                                                "36 409 346,00"]
    assert rows.nth(1).locator("td").all_inner_texts()[2:] == ["4 700 000,00", "4 700 000,00", "5 100 000,00",
                                                                "5 100 000,00"]
    page.screenshot(path=str(shots / "virement.png"), full_page=True)

    # the page's URL carries its inputs: pasted in an e-mail, it opens on the same answer
    link = page.locator(".permalink input").input_value()
    assert link.startswith("http://127.0.0.1:") and "amount=400+k%E2%82%AC" in link and "date=2023-06-01" in link
    page.goto(link)
    assert page.locator(".verdict").get_attribute("data-verdict") == "permitted_with_notice"

    # in English
    page.click("header a.lang")
    assert page.locator(".verdict").inner_text() == "permitted, with notice within 15 days"
    assert "by 2023-06-16" in page.locator("#notice").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(shots / "virement-en.png"), full_page=True)

    # the table downloads
    with page.expect_download() as download:
        page.click("a.download:has-text('CSV')")
    assert "A-I-2-INFO" in Path(download.value.path()).read_text(encoding="utf-8-sig")


def test_budget_officer_sees_a_dm_a_chain_and_a_mistake(page, shots) -> None:
    page.goto("/virement?fund=BNGA&from=A-I-2-HORS&to=A-I-1&amount=100+000&year=2023")
    assert page.locator(".verdict").get_attribute("data-verdict") == "requires_dm"
    assert "décision modificative" in page.locator("#authority").inner_text()

    page.goto("/virement?fund=BNGA&from=A-I-2-HORS&to=A-I-3-INFO&amount=100+k%E2%82%AC&date=2023-09-01"
              "&scenario=rules%2Fr-fung-chain.yaml")
    chain = page.locator("#chain")
    assert chain.is_visible()
    assert "R-FUNG-CHAIN" in chain.inner_text()
    assert "rules/r-fung-chain.yaml:15 : A-I-1 → A-I-2-HORS, 600 000,00 €, le 01/03/2023" in chain.inner_text()
    page.screenshot(path=str(shots / "virement-chain.png"), full_page=True)

    page.goto("/virement?fund=BNGA&from=A-I-1&to=A-I-2-INFX&amount=400+kz&date=2023-06-01")
    errors = page.locator(".errors").inner_text()
    assert "did you mean 'A-I-2-INFO'" in errors and "'400 kz' is not an amount" in errors
    assert page.locator("#verdict").count() == 0
    page.screenshot(path=str(shots / "virement-errors.png"), full_page=True)


def test_budget_officer_asks_what_can_move_out_of_a_line(page, shots) -> None:
    page.goto("/available?fund=BNGA&line=A-I-1&date=2023-06-15&scenario=audit%2Fsample-2022-2024.yaml")
    assert "disponible 209 346,00 €" in page.locator("#available-summary").inner_text()
    row = page.locator("#targets tr[data-line='A-I-2-INFO']")
    assert row.get_attribute("data-verdict") == "permitted_with_notice"
    assert row.locator("td").nth(4).inner_text() == "directeur général"
    assert page.locator("#targets tr[data-line='A-I-3-INFO']").get_attribute("data-verdict") == "requires_dm"
    page.screenshot(path=str(shots / "available.png"))
    row.locator("a:has-text('Vérifier')").click()  # the verdict of moving the most it can
    page.wait_for_selector("#verdict")
    assert page.locator(".verdict").get_attribute("data-verdict") == "permitted_with_notice"
    assert page.locator("#f-amount").input_value() == "209 346,00 €"


def test_auditor_drills_down_from_a_finding_to_its_figure(page, shots) -> None:
    page.goto("/audit")
    page.select_option("#f-scenario", "audit/sample-2022-2024.yaml")
    page.click("form.ask button[type=submit]")
    page.wait_for_selector("#audit")
    summary = page.locator("#summary").inner_text()
    assert summary.startswith("20 erreurs, 3 avertissements")
    assert page.locator("section.sev-error h3").inner_text() == "Erreurs (20)"
    assert page.locator("section.sev-error h4").first.inner_text() == "BNGA 2022"

    finding = page.locator("section.sev-error details.finding").first
    assert "R-LIMITATIVE-CEILING" in finding.locator("summary").inner_text()
    assert not finding.locator("table.explain").is_visible()
    finding.locator("summary").click()  # opens onto its explanation
    table = finding.locator("table.explain")
    assert table.is_visible()
    assert "Annexe 3, BNGA" in finding.locator("dl.facts").inner_text()
    assert finding.locator("dl.facts dd code").inner_text() == "audit/sample-2022-2024.yaml:91"
    cells = table.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[0] == "Base COG" and cells[2] == "R-LIMITATIVE-CEILING" and cells[5] == "funds/canssm-2022-2024/bnga.yaml:66"
    assert table.locator("tfoot td").last.inner_text() == "-80 000,00"
    page.screenshot(path=str(shots / "audit.png"))

    statement = page.locator("#statement-table")
    statement.scroll_into_view_if_needed()
    first = statement.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first[:4] == ["BNGA", "A-I-1", "2022", "2023"] and first[-1] == "R-CARRY-LIMITATIVE"
    page.screenshot(path=str(shots / "audit-statement.png"))

    # the figure's own page, with its stable URL
    finding.locator("a:has-text('ouvrir la page de ce chiffre')").click()
    page.wait_for_selector("#figure")
    assert "/explain?" in page.url and "scenario=audit%2Fsample-2022-2024.yaml" in page.url
    assert page.locator("#figure").inner_text().endswith("-80 000,00 €")
    page.screenshot(path=str(shots / "explain.png"), full_page=True)


def test_auditor_pastes_a_scenario(page, shots) -> None:
    root = Path(__file__).resolve().parents[2]
    page.goto("/audit?lang=en")
    page.click("details.paste summary")
    page.set_input_files("input[type=file]", str(root / "scenarios" / "rules" / "r-fung-chain.yaml"))
    page.wait_for_function("document.querySelector('textarea').value.includes('R-FUNG-CHAIN')")
    page.click("details.paste button[type=submit]")
    page.wait_for_selector("#audit")
    assert "no stable link" in page.locator("#audit").inner_text()
    assert page.locator("details.finding[data-rule='R-FUNG-CHAIN']").count() == 1
    page.screenshot(path=str(shots / "audit-posted.png"))


def test_credits_of_a_fund_at_a_date(page, shots) -> None:
    page.goto("/credits?fund=BNGA")
    headers = page.locator("table.cog thead").inner_text()
    assert "Crédits autorisés" in headers and "Exécution" in headers and "2024" in headers
    row = page.locator("tr[data-line='A-I-1'] td").all_inner_texts()
    assert row[0] == "A-I-1" and row[2:5] == ["37 471 854,00", "36 809 346,00", "36 146 838,00"]
    page.screenshot(path=str(shots / "credits.png"))

    page.select_option("#f-scenario", "audit/sample-2022-2024.yaml")
    page.fill("#f-as_of", "2023-06-30")
    page.click("form.ask button[type=submit]")
    page.wait_for_selector("table.cog")
    assert "as_of=2023-06-30" in page.url
    assert "État au 30/06/2023" in page.locator("section.answer h2").inner_text()
    assert "Disponible au 30/06/2023" in page.locator("table.cog thead").inner_text()
    page.screenshot(path=str(shots / "credits-as-of.png"))
    with page.expect_download() as download:
        page.click("a.download:has-text('XLSX')")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    # each figure opens onto its explanation
    page.locator("tr[data-line='A-I-1'] a.figure").first.click()
    page.wait_for_selector("#figure")
    assert "A-I-1 2023" in page.locator("#figure").inner_text()


def test_home_page(page, shots) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Règles budgétaires de la COG"
    assert page.locator("ul.cards a").all_inner_texts() == ["Virement", "Disponible", "Audit", "Crédits", "Explication"]
    page.screenshot(path=str(shots / "home.png"), full_page=True)
