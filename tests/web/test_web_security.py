"""Safe by default: loopback unless told otherwise (with a warning), scenarios read only inside the
configured folders (no traversal, no symlink escape, no fund file from elsewhere), request bodies
size-limited and parsed by the CLI's safe loader, no shared mutable state between requests, only
this server's names accepted on loopback, and pages that load nothing from elsewhere."""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.web.app import create_app
from budgetrules.web.state import MAX_BODY, make_settings

from .conftest import TestClient

ROOT = Path(__file__).resolve().parents[2]
CENTRAL = (ROOT / "scenarios" / "central.yaml").read_text(encoding="utf-8")


def client_for(*folders: Path, **kwargs) -> TestClient:
    return TestClient(create_app(make_settings(list(folders), **kwargs)), raise_server_exceptions=False)


# -- loopback ------------------------------------------------------------------------------------

def test_serve_binds_loopback_by_default_and_warns_otherwise(monkeypatch) -> None:
    import uvicorn

    from budgetrules.cli import main
    from budgetrules.cli.serve import serve_cmd

    assert next(p for p in serve_cmd.params if p.name == "host").default == "127.0.0.1"
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    quiet = CliRunner().invoke(main, ["serve", "--port", "8123"], catch_exceptions=False)
    assert quiet.exit_code == 0 and calls[-1]["host"] == "127.0.0.1" and "warning" not in quiet.stderr
    loud = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "8123"], catch_exceptions=False)
    assert loud.exit_code == 0 and calls[-1]["host"] == "0.0.0.0"
    assert "warning: serving on 0.0.0.0, not on the loopback address" in loud.stderr


def test_a_loopback_server_answers_only_its_own_names() -> None:
    from budgetrules.cli.serve import allowed_hosts

    client = client_for(allowed_hosts=allowed_hosts("127.0.0.1"))
    assert client.get("/api/health", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/api/health", headers={"host": "[::1]:8000"}).status_code == 200
    # a page elsewhere whose name was rebound to 127.0.0.1 cannot read the API
    assert client.get("/api/health", headers={"host": "attacker.example"}).status_code == 400
    assert allowed_hosts("0.0.0.0") is None


def test_pages_carry_a_policy_that_loads_nothing_from_elsewhere(client) -> None:
    page = client.get("/virement")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    for asset in ("/static/style.css", "/static/app.js"):
        body = client.get(asset)
        assert body.status_code == 200 and "http" not in body.text.replace("window.location.href", "")


# -- scenario folders ----------------------------------------------------------------------------

@pytest.fixture()
def folders(tmp_path: Path) -> tuple[Path, Path]:
    inside = tmp_path / "scenarios"
    outside = tmp_path / "elsewhere"
    (inside / "sub").mkdir(parents=True)
    outside.mkdir()
    (inside / "ok.yaml").write_text(CENTRAL, encoding="utf-8")
    (inside / "sub" / "deep.yaml").write_text(CENTRAL, encoding="utf-8")
    (outside / "secret.yaml").write_text("name: secret\nfunds: [BNGA]\n", encoding="utf-8")
    (inside / "escape.yaml").symlink_to(outside / "secret.yaml")
    (inside / "escape-dir").symlink_to(outside, target_is_directory=True)
    (inside / "alias.yaml").symlink_to(inside / "ok.yaml")  # a link that stays inside is fine
    return inside, outside


def test_scenarios_are_read_only_inside_their_folder(folders) -> None:
    inside, outside = folders
    client = client_for(inside)
    ids = [s["id"] for s in client.get("/api/scenarios").json()]
    assert ids == ["alias.yaml", "ok.yaml", "sub/deep.yaml"]
    assert client.get("/api/run", params={"scenario": "sub/deep.yaml", "fund": "BNGA"}).status_code == 200
    assert client.get("/api/run", params={"scenario": "alias.yaml", "fund": "BNGA"}).status_code == 200
    refused = ["../elsewhere/secret.yaml", str(outside / "secret.yaml"), "escape.yaml", "escape-dir/secret.yaml",
               "sub/../../elsewhere/secret.yaml", "sub\\..\\..\\elsewhere\\secret.yaml", "ok.yaml\x00.yaml",
               "/etc/passwd", "sub", "..", "", "%2e%2e/elsewhere/secret.yaml"]
    for ref in refused:
        answer = client.get("/api/run", params={"scenario": ref})
        if ref == "":
            assert answer.status_code == 200  # no scenario: the COG's default one
            continue
        assert answer.status_code == 422, ref
        assert answer.json()["errors"][0]["where"] == "scenario"
        assert "secret" not in answer.json()["errors"][0]["message"].replace(ref, "")
    page = client.get("/audit", params={"scenario": "escape.yaml"})
    assert page.status_code == 422 and "name: secret" not in page.text


def test_a_folder_scenario_names_fund_files_of_its_folder_only(folders) -> None:
    inside, outside = folders
    (outside / "fund.yaml").write_text("code: X\n", encoding="utf-8")
    (inside / "reaches-out.yaml").write_text("name: out\nfunds: [../elsewhere/fund.yaml]\n", encoding="utf-8")
    answer = client_for(inside).get("/api/run", params={"scenario": "reaches-out.yaml"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"where": "reaches-out.yaml", "line": 2,
                                        "message": "fund file '../elsewhere/fund.yaml' is not inside the scenario "
                                                   "folder"}]


def test_a_posted_scenario_reads_no_file(client) -> None:
    for funds in ("[/etc/passwd.yaml]", "[../../funds/canssm-2022-2024/bnga.yaml]", "[bnga.yaml]"):
        answer = client.post("/api/run", content=f"name: x\nfunds: {funds}\n".encode())
        assert answer.status_code == 422
        assert "the server reads no file" in answer.json()["errors"][0]["message"]



@pytest.fixture()
def private(tmp_path: Path) -> Path:
    """A folder outside every served one that looks like a COG folder: a cog.yaml and a file of secrets."""
    folder = tmp_path / "priv"
    folder.mkdir()
    (folder / "cog.yaml").write_text("db_password: hunter2\n", encoding="utf-8")
    (folder / "secrets.yaml").write_text("api_token: s3cr3t\n", encoding="utf-8")
    return folder


def opened_under(monkeypatch, folder: Path) -> list[str]:
    """The files under `folder` opened from now on (every read goes through io.open)."""
    import builtins
    import io

    seen: list[str] = []
    real = io.open

    def spy(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and str(Path(os.fspath(file)).resolve()).startswith(str(folder)):
            seen.append(os.fspath(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(builtins, "open", spy)
    return seen


def test_a_scenario_names_only_a_cog_the_server_serves(folders, private, monkeypatch) -> None:
    """`cog:` in a posted scenario or a folder's scenario is a served COG's id, never a folder: anything
    else is a 422 naming the key, its line and the COGs served, and no file of that folder is opened."""
    from budgetrules.core.errors import excerpt

    inside, _ = folders
    depth = len(Path.cwd().resolve().parts)
    (inside / "reaches-out.yaml").write_text("name: out\ncog: ../priv\n", encoding="utf-8")
    client = client_for(inside)
    opened = opened_under(monkeypatch, private)
    served = "(the COGs served: canssm-2022-2024)"
    for cog in (str(private), "../" * depth + str(private).lstrip("/"), "exemple-2025-2029"):
        for route in ("/api/run", "/api/audit"):
            answer = client.post(route, content=f"name: x\ncog: {cog}\n".encode())
            assert answer.status_code == 422, (route, cog)
            [error] = answer.json()["errors"]
            assert (error["where"], error["line"]) == ("request body", 2)
            assert error["message"].startswith(f"cog: unknown COG '{excerpt(cog)}'") and error["message"].endswith(served)
    page = client.post("/audit", data={"scenario_text": f"name: x\ncog: {private}\n"})
    assert page.status_code == 422 and "cog: unknown COG" in page.text and "db_password" not in page.text
    folder = client.get("/api/run", params={"scenario": "reaches-out.yaml"})
    assert folder.status_code == 422
    assert folder.json()["errors"] == [{"where": "reaches-out.yaml", "line": 2,
                                        "message": f"cog: unknown COG '../priv' {served}"}]
    assert opened == []
    near = client.post("/api/run", content=b"name: x\ncog: canssm-2022-2023\n").json()["errors"]
    assert near[0]["message"] == f"cog: unknown COG 'canssm-2022-2023' — did you mean 'canssm-2022-2024'? {served}"
    assert client.post("/api/run", content=b"name: x\ncog: canssm-2022-2024\n").status_code == 200


# -- bodies ------------------------------------------------------------------------------------

def test_request_bodies_are_limited(client) -> None:
    assert MAX_BODY == 1_000_000
    big = b"# " + b"x" * MAX_BODY + b"\nname: big\n"
    declared = client.post("/api/run", content=big)
    assert declared.status_code == 413
    assert declared.json()["errors"][0]["message"] == "the request body is larger than 1000000 bytes (the limit)"

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(20):
            yield b"#" * 100_000 + b"\n"

    streamed = client.post("/api/audit", content=chunks())
    assert streamed.status_code == 413
    assert client.post("/audit", content=big, headers={"content-type": "application/x-www-form-urlencoded"}
                       ).status_code == 413
    # just under the limit is read (and judged: here, a scenario without its funds' events)
    fits = client.post("/api/run", content=CENTRAL.encode() + b"#" * (MAX_BODY - len(CENTRAL) - 10))
    assert fits.status_code == 200


def test_posted_yaml_goes_through_the_safe_bounded_loader(client) -> None:
    tagged = "name: !!python/object/apply:os.system ['echo pwned']\n"
    answer = client.post("/api/run", content=tagged.encode())
    assert answer.status_code == 422 and "tag" in answer.json()["errors"][0]["message"]
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi")) + "name: laughs\n"
    answer = client.post("/api/run", content=laughs.encode())
    assert answer.status_code == 422
    deep = "name: " + "[" * 500 + "]" * 500 + "\n"
    assert client.post("/api/run", content=deep.encode()).status_code == 422
    control = "name: bell\x07\n"
    assert client.post("/api/run", content=control.encode()).status_code == 422


# -- no shared mutable state ---------------------------------------------------------------------

def test_the_loaded_funds_are_frozen(settings) -> None:
    cog = settings.cogs[0]
    with pytest.raises(TypeError):
        cog.funds["BNGA"] = None  # type: ignore[index]
    fund = cog.funds["BNGA"]
    with pytest.raises(Exception):
        fund.label = "changed"  # pydantic frozen model
    with pytest.raises(Exception):
        settings.folders = ()  # type: ignore[misc]


def test_requests_do_not_see_each_other(client) -> None:
    """A posted scenario's events, run at the same time as other requests, change none of theirs; each
    concurrent answer equals the same request's answer alone."""
    executed = ("name: heavy\nfunds: [BNGA]\nevents:\n"
                "  - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: \"36 000 000\"}\n"
                "  - {kind: virement, year: 2023, fund: BNGA, from: A-I-1, to: A-I-2-INFO, amount: \"500 000\", "
                "date: 2023-03-01, notified: 2023-03-02}\n")
    requests = [("get", "/api/run", {"fund": "BNGA", "year": "2023"}, None),
                ("post", "/api/run", {"fund": "BNGA", "year": "2023"}, executed.encode()),
                ("get", "/api/virement", {"fund": "BNGA", "from": "A-I-1", "to": "A-I-2-INFO", "amount": "400 k€",
                                          "date": "2023-06-01"}, None),
                ("get", "/api/audit", {"scenario": "audit/sample-2022-2024.yaml"}, None),
                ("get", "/api/virement", {"fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-3-INFO",
                                          "amount": "100 k€", "date": "2023-09-01",
                                          "scenario": "rules/r-fung-chain.yaml"}, None)]

    def ask(request):
        method, path, params, body = request
        if method == "post":
            return client.post(path, params=params, content=body).json()
        return client.get(path, params=params).json()

    alone = [ask(r) for r in requests]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(ask, requests * 8))
    for i, answer in enumerate(together):
        assert answer == alone[i % len(requests)]
    assert alone[0] != alone[1]  # the posted events did change the posted run, and only it
    assert ask(requests[0]) == alone[0]


def test_each_request_runs_its_own_engine_run(monkeypatch, client) -> None:
    from budgetrules import engine

    seen = []
    real = engine.run
    lock = threading.Lock()

    def counting(*args, **kwargs):
        result = real(*args, **kwargs)
        with lock:
            seen.append(result)  # kept alive: an id is unique only among live objects
        return result

    monkeypatch.setattr(engine, "run", counting)
    for _ in range(3):
        assert client.get("/api/explain", params={"fund": "BNGA", "line": "A-I-1", "year": "2023"}).status_code == 200
    assert len({id(r) for r in seen}) == len(seen) == 3


def test_no_file_is_written_by_a_request(client, tmp_path, monkeypatch) -> None:
    before = sorted(os.listdir(ROOT / "scenarios"))
    client.post("/api/run", content=CENTRAL.encode())
    client.get("/audit.xlsx", params={"scenario": "central.yaml"})
    assert sorted(os.listdir(ROOT / "scenarios")) == before
