"""The JSON API answers with the command line's documents and the command line's problems: the same
JSON as `--format json`, the same messages (file:line, "did you mean") as a 4xx, never a 500 for a
user's mistake, and a one-line 500 (no traceback) for a bug."""
from __future__ import annotations

import re

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "audit/sample-2022-2024.yaml"
VIREMENT = {"fund": "BNGA", "from": "A-I-1", "to": "A-I-2-INFO", "amount": "400 k€", "date": "2023-06-01"}


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(main, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def cli_problems(*args: str) -> list[str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2
    return [line.split(": ", 2)[-1] for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_openapi_is_served_and_describes_every_route(client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/funds", "/api/funds/{fund}", "/api/funds/{fund}/matrix", "/api/scenarios", "/api/run",
                 "/api/audit", "/api/explain", "/api/virement", "/api/available", "/api/cogs"):
        assert path in spec["paths"], path
    assert set(spec["paths"]["/api/run"]) == {"get", "post"}
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "Errors" in schemas
    assert spec["paths"]["/api/virement"]["get"]["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Errors"}
    # no documentation page that would fetch its script from a CDN
    assert client.get("/api/docs").status_code == 404
    assert client.get("/api/redoc").status_code == 404


def test_virement_is_the_cli_document(client) -> None:
    answer = client.get("/api/virement", params=VIREMENT)
    assert answer.status_code == 200
    assert answer.json() == cli_json("virement", "BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--date", "2023-06-01")
    assert answer.json()["verdict"] == "permitted_with_notice"


def test_virement_with_a_dm_and_a_scenario(client) -> None:
    params = {"fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-1", "amount": "100 000", "year": "2023",
              "dm": "DM-2023-02", "board_vote": "2023-05-10", "approval": "2023-06-02", "scenario": SAMPLE}
    answer = client.get("/api/virement", params=params).json()
    expected = cli_json("virement", "BNGA", "A-I-2-HORS", "A-I-1", "100 000", "--year", "2023", "--dm", "DM-2023-02",
                        "--board-vote", "2023-05-10", "--approval", "2023-06-02", "--scenario",
                        str(ROOT / "scenarios" / SAMPLE))
    assert answer == expected


def test_virement_chain_with_a_recorded_virement(client) -> None:
    params = {"fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-3-INFO", "amount": "100 k€", "date": "2023-09-01",
              "scenario": "rules/r-fung-chain.yaml"}
    answer = client.get("/api/virement", params=params).json()
    assert answer["chains_with"] == ["rules/r-fung-chain.yaml:15"]


def test_run_audit_explain_matrix_show_are_the_cli_documents(client) -> None:
    sample = str(ROOT / "scenarios" / SAMPLE)
    run = client.get("/api/run", params={"scenario": SAMPLE, "fund": "BNGA", "year": "2023"}).json()
    expected = cli_json("run", sample, "--fund", "BNGA", "--year", "2023")
    assert run["funds"] == expected["funds"] and run["carry_over_statement"] == expected["carry_over_statement"]
    assert [f["key"] for f in run["findings"]] == [f["key"] for f in expected["findings"]]
    at = client.get("/api/run", params={"scenario": SAMPLE, "fund": "BNGA", "as_of": "2023-06-30"}).json()
    assert at["as_of"] == "2023-06-30"
    assert at["funds"] == cli_json("run", sample, "--fund", "BNGA", "--as-of", "2023-06-30")["funds"]
    audit = client.get("/api/audit", params={"scenario": SAMPLE}).json()
    cli_audit = cli_json("audit", sample)
    assert audit["summary"] == cli_audit["summary"] and audit["kind"] == "audit"
    # the same sentences; a source is named relative to the scenario's folder by the CLI, by its path
    # among the served scenarios by the server: the file names and lines are the same
    def bare(message: str) -> str:
        return re.sub(r"[\w.-]+/(?=[\w./-]*\.yaml:\d)", "", message)

    assert [bare(f["message"]) for f in audit["findings"]] == [bare(f["message"]) for f in cli_audit["findings"]]
    explain = client.get("/api/explain", params={"scenario": SAMPLE, "fund": "BNGA", "line": "A-I-1",
                                                 "year": "2023", "column": "available"}).json()
    cli_explain = cli_json("explain", sample, "BNGA", "A-I-1", "2023", "--column", "available")
    assert explain["value"] == cli_explain["value"]
    assert [c["amount"] for c in explain["contributions"]] == [c["amount"] for c in cli_explain["contributions"]]
    assert client.get("/api/funds/BNGA/matrix").json() == cli_json("virement", "BNGA", "--matrix")
    assert client.get("/api/funds/BNASS", params={"year": "2023"}).json() == cli_json("funds", "show", "BNASS",
                                                                                        "--year", "2023")
    assert client.get("/api/funds").json() == cli_json("funds")


def test_available_is_the_cli_document(client) -> None:
    answer = client.get("/api/available", params={"fund": "BNGA", "line": "A-I-1", "date": "2023-06-15",
                                                  "scenario": SAMPLE}).json()
    assert answer == cli_json("available", "BNGA", "A-I-1", "--date", "2023-06-15", "--scenario",
                              str(ROOT / "scenarios" / SAMPLE))


def test_scenarios_are_listed_by_their_path_in_the_folder(client) -> None:
    ids = [s["id"] for s in client.get("/api/scenarios").json()]
    assert "central.yaml" in ids and SAMPLE in ids and "rules/r-fung-chain.yaml" in ids
    assert all(not i.startswith("/") and ".." not in i for i in ids)


def test_english_sentences(client) -> None:
    answer = client.get("/api/virement", params=dict(VIREMENT, lang="en")).json()
    assert any("notice" in r for r in answer["reasons"])
    assert client.get("/api/virement", params=dict(VIREMENT, lang="de")).status_code == 422


def test_bad_input_is_a_4xx_with_the_cli_problems(client) -> None:
    params = dict(VIREMENT, to="A-I-2-INFX", amount="400 kz")
    answer = client.get("/api/virement", params=params)
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert {e["where"] for e in errors} == {"to", "amount"}
    assert sorted(e["message"] for e in errors) == sorted(
        cli_problems("virement", "BNGA", "A-I-1", "A-I-2-INFX", "400 kz", "--date", "2023-06-01"))
    assert any("did you mean 'A-I-2-INFO'" in e["message"] for e in errors)
    unknown = client.get("/api/funds/BNGX").json()["errors"]
    assert unknown == [{"where": "fund", "line": 0, "message": "unknown fund 'BNGX' — did you mean 'BNGA'?"}]
    missing = client.get("/api/explain", params={"fund": "BNGA"})
    assert missing.status_code == 422 and {e["where"] for e in missing.json()["errors"]} == {"line", "year"}
    bad_date = client.get("/api/run", params={"as_of": "2023-13-01"}).json()["errors"]
    assert bad_date[0]["where"] == "as_of" and "is not a date" in bad_date[0]["message"]



def test_problems_name_the_request_parameters_not_the_command_line_options(client) -> None:
    # the command line says "a DM needs --dm REF and --board-vote DATE": a request has no options
    no_vote = client.get("/api/virement", params=dict(VIREMENT, dm="DM-2023-04"))
    assert no_vote.status_code == 422
    assert no_vote.json()["errors"] == [{"where": "dm", "line": 0,
                                         "message": "a DM needs dm=REF and board_vote=DATE (and approval=DATE)"}]
    no_year = client.get("/api/virement", params={k: v for k, v in VIREMENT.items() if k != "date"}).json()
    assert no_year["errors"] == [{"where": "year", "line": 0,
                                  "message": "give year (or date): the year of the credits moved (2022-2024)"}]
    no_date = client.get("/api/available", params={"fund": "BNGA", "line": "A-I-1"}).json()
    assert no_date["errors"] == [{"where": "date", "line": 0, "message": "give date=YYYY-MM-DD: the date of the question"}]
    before = client.get("/api/run", params={"as_of": "2019-01-01"})
    assert before.status_code == 422
    assert before.json()["errors"] == [{"where": "as_of", "line": 0,
                                        "message": "2019-01-01 is outside the period of the funds"}]
    page = client.get("/virement", params=dict(VIREMENT, dm="DM-2023-04"))
    assert page.status_code == 422 and "board_vote=DATE" in page.text and "--board-vote" not in page.text


def test_a_posted_scenario_with_a_mistake_names_its_line(client) -> None:
    body = "name: typo\nfunds: [BNGA]\nevents:\n  - {kind: virement, year: 2023, fund: BNGA, from: A-I-1,\n" \
           "     to: A-I-2-INFO, ammount: 100, date: 2023-06-01}\n"
    answer = client.post("/api/run", content=body.encode(), headers={"content-type": "application/yaml"})
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert errors[0]["where"] == "request body" and errors[0]["line"] >= 4
    assert any("did you mean 'amount'" in e["message"] for e in errors)
    broken = client.post("/api/audit", content=b"name: [unclosed\n", headers={"content-type": "application/yaml"})
    assert broken.status_code == 422 and "invalid YAML" in broken.json()["errors"][0]["message"]
    not_utf8 = client.post("/api/audit", content="name: é".encode("latin-1"))
    assert not_utf8.status_code == 422 and "UTF-8" in not_utf8.json()["errors"][0]["message"]
    assert client.post("/api/audit", content=b"").status_code == 422


def test_a_posted_scenario_runs_as_a_file_would(client) -> None:
    text = (ROOT / "scenarios" / "rules" / "r-fung-chain.yaml").read_text(encoding="utf-8")
    posted = client.post("/api/audit", content=text.encode(), headers={"content-type": "application/yaml"}).json()
    named = client.get("/api/audit", params={"scenario": "rules/r-fung-chain.yaml"}).json()
    assert [f["key"] for f in posted["findings"]] == [f["key"] for f in named["findings"]]
    as_json = json.dumps({"name": "json", "funds": ["BNGA"],
                          "events": [{"kind": "execution", "year": 2023, "fund": "BNGA", "line": "A-I-1",
                                      "amount": "36 000 000"}]})
    answer = client.post("/api/run", params={"fund": "BNGA", "year": "2023"}, content=as_json.encode(),
                         headers={"content-type": "application/json"})
    assert answer.status_code == 200
    line = next(x for x in answer.json()["funds"][0]["lines"] if x["line"] == "A-I-1")
    assert line["years"]["2023"]["executed"] == "36000000.00"


def test_a_scenario_file_with_a_mistake_names_its_file_and_line(tmp_path) -> None:
    from starlette.testclient import TestClient

    from budgetrules.web.app import create_app
    from budgetrules.web.state import make_settings

    (tmp_path / "bad.yaml").write_text("name: bad\nfundz: [BNGA]\n", encoding="utf-8")
    client = TestClient(create_app(make_settings([tmp_path])), raise_server_exceptions=False)
    errors = client.get("/api/run", params={"scenario": "bad.yaml"}).json()["errors"]
    assert errors[0]["where"] == "bad.yaml" and errors[0]["line"] == 2 and "did you mean 'funds'" in errors[0]["message"]


def test_a_bug_is_a_one_line_500_without_traceback(app, monkeypatch) -> None:
    from starlette.testclient import TestClient

    from budgetrules.web import answers

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug of ours")

    monkeypatch.setattr(answers, "virement", broken)
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.get("/api/virement", params=VIREMENT)
    assert answer.status_code == 500
    errors = answer.json()["errors"]
    assert len(errors) == 1 and errors[0]["where"] == "server" and "\n" not in errors[0]["message"]
    assert "ZeroDivisionError" in errors[0]["message"] and "Traceback" not in answer.text
    page = client.get("/virement", params=VIREMENT)
    assert page.status_code == 500 and "Traceback" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/", "/virement", "/available", "/audit", "/credits", "/explain"])
def test_pages_answer_in_both_languages(client, path) -> None:
    fr = client.get(path)
    en = client.get(path, params={"lang": "en"})
    assert fr.status_code == en.status_code == 200
    assert '<html lang="fr">' in fr.text and '<html lang="en">' in en.text
    assert "http://" not in fr.text.replace('value="http', "") and "https://" not in fr.text


def test_downloads(client) -> None:
    xlsx = client.get("/credits.xlsx", params={"fund": "BNGA", "scenario": SAMPLE, "as_of": "2023-06-30"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx.headers["content-disposition"]
    csv = client.get("/audit.csv", params={"scenario": SAMPLE})
    assert csv.status_code == 200 and "R-LIMITATIVE-CEILING" in csv.text
    assert client.get("/virement.xlsx", params=VIREMENT).content[:2] == b"PK"
    assert "A-I-2-INFO" in client.get("/virement.csv", params=VIREMENT).text
    assert client.get("/explain.csv", params={"fund": "BNGA", "line": "A-I-1", "year": "2023"}).status_code == 200
    available = {"fund": "BNGA", "line": "A-I-1", "date": "2023-06-15", "scenario": SAMPLE}
    assert client.get("/available.xlsx", params=available).content[:2] == b"PK"
    assert "A-I-2-INFO" in client.get("/available.csv", params=available).text
    assert client.get("/audit.pdf", params={"scenario": SAMPLE}).status_code == 404
    assert client.get("/credits.csv", params={"fund": "NOPE"}).status_code == 422
