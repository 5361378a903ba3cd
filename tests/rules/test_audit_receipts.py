"""Receipts in the audit: each irregular case fires its finding, its regular twin stays silent."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from budgetrules.cli import main


def _audit(tmp_path: Path, events: str) -> tuple[int, dict]:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: receipts\nfunds: [BNGA]\nevents:\n{events}", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(path), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _errors(doc: dict, rule: str) -> list[dict]:
    return [f for f in doc["findings"] if f["rule"] == rule and f["severity"] == "error"]


def test_receipt_reused_on_an_evaluative_line_is_an_error(tmp_path: Path) -> None:
    # account 7084 (100 % in the reuse table): 150 000 realised − 100 000 forecast = 50 000 excess,
    # but B-I is evaluative: receipts only raise limitative authorisations (R-RECEIPT-BNGA-ACCOUNTS)
    code, doc = _audit(tmp_path, "  - {kind: receipt, year: 2022, fund: BNGA, account: '7084', realised: '150 000',"
                                 " forecast: '100 000', to_line: B-I}\n")
    assert code == 1
    (finding,) = _errors(doc, "R-RECEIPT-BNGA-ACCOUNTS")
    assert (finding["line"], finding["amount"]) == ("B-I", "50000.00")


def test_receipt_reused_on_a_limitative_line_is_regular(tmp_path: Path) -> None:
    code, doc = _audit(tmp_path, "  - {kind: receipt, year: 2022, fund: BNGA, account: '7084', realised: '150 000',"
                                 " forecast: '100 000', to_line: A-I-2-INFO}\n")
    assert code == 0 and not _errors(doc, "R-RECEIPT-BNGA-ACCOUNTS")
    line = next(ln for ln in doc["funds"][0]["lines"] if ln["line"] == "A-I-2-INFO")
    assert line["years"]["2023"]["receipts"] == "50000.00"  # reused in N+1 at 100 %


def _warnings(doc: dict, rule: str) -> list[dict]:
    return [f for f in doc["findings"] if f["rule"] == rule and f["severity"] == "warning"]


def test_sale_between_social_security_bodies_above_book_value_is_a_warning(tmp_path: Path) -> None:
    # R-RECEIPT-REAL-ESTATE: between social-security bodies the price must equal the net book value
    code, doc = _audit(tmp_path, "  - {kind: asset_sale, year: 2022, fund: BNGA, price: '1 200 000',"
                                 " net_book_value: '1 000 000', buyer: social_security, use: investment}\n")
    (finding,) = _warnings(doc, "R-RECEIPT-REAL-ESTATE")
    assert finding["amount"] == "200000.00"
    line = next(ln for ln in doc["funds"][0]["lines"] if ln["line"] == "A-I-3-HORS")
    assert line["years"]["2023"]["receipts"] == "0.00"  # no gain is reused


def test_sale_between_social_security_bodies_at_book_value_is_regular(tmp_path: Path) -> None:
    code, doc = _audit(tmp_path, "  - {kind: asset_sale, year: 2022, fund: BNGA, price: '1 000 000',"
                                 " net_book_value: '1 000 000', buyer: social_security, use: investment}\n")
    assert code == 0 and not _warnings(doc, "R-RECEIPT-REAL-ESTATE")
