"""The docs under docs/ kept true, in the manner of sqlite-utils' test_docs.py: every command and
option, every event kind and field, every rule ID and every JSON key the code has is documented;
every relative link of the README and the docs resolves; the examples of the docs run.

Each test is parametrised, so that a failure names what is missing. (That every command's
`--help` has an example is tests/test_cli_run.py::test_every_subcommand_has_help_with_an_example.)"""
from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any, Iterator

import click
import pytest
from click.testing import CliRunner

from budgetrules.cli import main
from budgetrules.io import scenariofile
from budgetrules.model.scenario import EVENT_CLASSES, event_fields

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def _cogs() -> list[dict[str, Any]]:
    """The bundled COG folders' cog.yaml, as plain YAML."""
    import yaml

    return [yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for path in sorted((REPO / "funds").glob("*/cog.yaml"))]


def _rule_ids() -> tuple[frozenset[str], frozenset[str]]:
    """(every rule ID of the catalogue, the rule IDs the engine applies): `catalog.RULE_IDS` holds the
    IDs the current COG may use, the roles it has no provision for included; those bound to a
    mechanism in a bundled COG's catalogue (cog.yaml `rules:`, every COG folder of funds/) are
    applied, the others planned."""
    from budgetrules.model import catalog

    bound = frozenset(rule for cog in _cogs() for rule in cog.get("rules", {}))
    every = frozenset(getattr(catalog, "RULE_IDS", bound))
    return every, (bound or every)


RULE_IDS, APPLIED = _rule_ids()
DOCUMENTED_RULES = RULE_IDS | APPLIED  # the current COG's IDs, and every bundled COG's (the illustrative one's too)
EVENT_ALIASES = {alias: kind for cog in _cogs() for alias, kind in (cog.get("event_aliases") or {}).items()}


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """The text under the heading `title` (e.g. "## `budgetrules run`"), up to the next heading of
    the same or a higher level; "" when there is no such heading."""
    level = len(title) - len(title.lstrip("#"))
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == title:
            body = []
            for following in lines[i + 1:]:
                m = re.match(r"(#+) ", following)
                if m and len(m.group(1)) <= level:
                    break
                body.append(following)
            return "\n".join(body)
    return ""


def table_rows(text: str) -> dict[str, list[str]]:
    """The rows of the markdown tables of `text` whose first cell is a `code`: {code: cells}."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            for code in re.findall(r"`([^`]+)`", cells[0]):
                rows[code] = cells
    return rows


# -- (a) commands and options: docs/commands.md ------------------------------------------------------
def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, path + (name,))


COMMANDS = list(_commands(main))
OPTIONS = [(path, name) for path, command in COMMANDS for param in command.params if isinstance(param, click.Option)
           for name in (*param.opts, *param.secondary_opts) if name.startswith("--")]


def _title(path: tuple[str, ...]) -> str:
    return f"## `{' '.join(('budgetrules',) + path)}`"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(("budgetrules",) + p))
def test_every_command_has_its_section(path):
    assert section(_read("commands.md"), _title(path)).strip(), f"docs/commands.md has no section {_title(path)}"


@pytest.mark.parametrize("path,option", OPTIONS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else x)
def test_every_option_is_documented_with_its_command(path, option):
    body = section(_read("commands.md"), _title(path))
    assert option in table_rows(body), f"{option} is not in the options table of {_title(path)} in docs/commands.md"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(("budgetrules",) + p))
def test_no_documented_option_that_does_not_exist(path):
    command = dict(COMMANDS)[path]
    real = {n for p in command.params for n in (*p.opts, *p.secondary_opts)} | {"-h", "--help"}  # help: main's context
    documented = {code for code in table_rows(section(_read("commands.md"), _title(path))) if code.startswith("-")}
    assert documented <= real, f"{_title(path)} documents options the command does not have: {documented - real}"


def test_the_exit_codes_are_documented():
    from budgetrules import cli

    body = section(_read("commands.md"), "### Exit codes")
    documented = {m.group(1) for m in re.finditer(r"^\| (\d+) \|", body, re.M)}
    expected = {"0", "1", "2", str(cli.INTERNAL_ERROR), str(cli.OUTPUT_ERROR)}
    assert expected <= documented, f"exit codes missing from docs/commands.md: {expected - documented}"


def _examples(name: str) -> list[str]:
    """The `budgetrules …` lines of the ```sh blocks of a page."""
    blocks = re.findall(r"```sh\n(.*?)```", _read(name), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("budgetrules ")]


@pytest.mark.parametrize("example", _examples("commands.md"))
def test_every_command_example_runs_with_its_exit_code(example, tmp_path, monkeypatch):
    """An example ends with `# exit N` when its exit code is not 0 (`# runs until Ctrl-C`: a server,
    not run here); files it writes go to a temporary folder, never into the repository."""
    command, _, comment = example.partition("#")
    if "runs until Ctrl-C" in comment:
        pytest.skip("a server")
    expected = int(m.group(1)) if (m := re.search(r"exit (\d+)", comment)) else 0
    args = shlex.split(command)[1:]
    for i, arg in enumerate(args[:-1]):
        if arg in ("-o", "--output"):
            args[i + 1] = str(tmp_path / Path(args[i + 1]).name)
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == expected, (example, result.output, result.exception)


# -- (b) scenario files: docs/scenarios.md ----------------------------------------------------------
FIELDS = [(kind, key) for kind, cls in EVENT_CLASSES.items() for key in sum(event_fields(cls), ())]


@pytest.mark.parametrize("kind", list(EVENT_CLASSES))
def test_every_event_kind_has_its_section_with_its_date(kind):
    body = section(_read("scenarios.md"), f"### `{kind}`")
    assert body.strip(), f"docs/scenarios.md has no section ### `{kind}`"
    assert "**Takes effect**" in body, f"the section of {kind} does not say when it takes effect"
    assert "**Feeds**" in body, f"the section of {kind} does not say which rules it feeds"


@pytest.mark.parametrize("kind,key", FIELDS, ids=lambda x: x)
def test_every_event_field_is_documented_required_or_not(kind, key):
    rows = table_rows(section(_read("scenarios.md"), f"### `{kind}`"))
    assert key in rows, f"{kind}.{key} is not in the table of ### `{kind}` in docs/scenarios.md"
    required = key in scenariofile.EVENT_FIELDS[kind][0]
    assert (rows[key][1] == "yes") == required, \
        f"{kind}.{key} is {'required' if required else 'optional'}, docs/scenarios.md says {rows[key][1]!r}"


def _format_words() -> list[str]:
    """The keys and fixed values the scenario reader knows (those of its constants that exist)."""
    words = {*getattr(scenariofile, "TOP_KEYS", ()), *getattr(scenariofile, "ASSUMPTION_KEYS", ())}
    words |= {s for series in getattr(scenariofile, "SERIES", {}).values() for s in series}
    words |= {v for values in getattr(scenariofile, "ENUMS", {}).values() for v in values}
    return sorted(words)


@pytest.mark.parametrize("word", _format_words())
def test_every_key_and_value_of_the_format_is_documented(word):
    assert f"`{word}`" in _read("scenarios.md") or re.search(rf"`[^`]*\b{word}\b[^`]*`", _read("scenarios.md")), word


def test_every_column_is_documented_for_expectations():
    from budgetrules.core.records import COLUMNS

    body = section(_read("scenarios.md"), "## Expectations")
    assert [c for c in COLUMNS if f"`{c}`" not in body] == []


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", _read("scenarios.md"), re.S)


def test_the_event_examples_are_valid_events(tmp_path):
    events = [line.strip() for block in _yaml_blocks() for line in block.splitlines()
              if line.strip().startswith("- {kind:")]
    kinds = {re.match(r"- \{kind: (\w+)", e).group(1) for e in events}
    assert {EVENT_ALIASES.get(k, k) for k in kinds} == set(EVENT_CLASSES)
    path = tmp_path / "events.yaml"
    path.write_text("name: the examples of docs/scenarios.md\nevents:\n" + "".join(f"  {e}\n" for e in events),
                    encoding="utf-8")
    assert len(scenariofile.load_scenario(path).events) == len(events)


@pytest.mark.parametrize("block", [b for b in _yaml_blocks() if b.startswith("name:")], ids=lambda b: b.split("\n")[0])
def test_the_complete_examples_meet_their_expectations(block, tmp_path):
    from budgetrules.services.expect import run_file

    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    _, failures = run_file(path)
    assert failures == []


# -- (c) rules: docs/rules.md ----------------------------------------------------------------------
# The rules of the default COG without a scenario file of their own name under scenarios/rules/, and
# what tests them.
NO_SCENARIO_OF_ITS_NAME = {
    "R-FUNG-NOTICE-LATE": "scenarios/rules/r-fung-bnga-asym-notice-late.yaml",  # a finding of R-FUNG-BNGA-ASYM's case
    "R-SOURCE-TOTALS": "tests/rules/test_source_totals.py",  # about the fund files, not a scenario
    # the CANSSM's COG records no avenant: the mechanism is tested on generated COG folders (the
    # illustrative COG's avenant, under its own ID R-AVENANT, has its scenario)
    "R-AMENDMENT": "tests/model/test_cog_properties.py",
    "R-BILAN": "tests/documents/test_bilan.py",  # a document (`budgetrules bilan`), not a figure nor a finding
    "R-BRANCH-PARTICIPATION": "tests/rules/test_participation.py",  # its rows are no column an expectation can name
}


def _default_cog() -> str:
    import yaml

    return (yaml.safe_load((REPO / "funds" / "cogs.yaml").read_text(encoding="utf-8")) or {}).get("default", "")


def _cog_folders() -> dict[str, Path]:
    """The bundled COG folders by code (cog.yaml `code`, else the folder's name)."""
    import yaml

    return {(yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("code") or path.parent.name: path.parent
            for path in sorted((REPO / "funds").glob("*/cog.yaml"))}


def _cog_rules(folder: Path) -> dict[str, Any]:
    import yaml

    return (yaml.safe_load((folder / "cog.yaml").read_text(encoding="utf-8")) or {}).get("rules") or {}


# The columns a line's own policy makes: a scenario that checks them on a line the fund file binds to
# the rule tests the rule (an index or a carry policy writes figures, not findings).
POLICY_COLUMNS = {"carry": ("carry_in", "carry_out", "lapsed"), "index": ("indexation",)}


def _names(text: str, rule: str) -> bool:
    """Whether the comments of a YAML text name `rule` (not a longer ID that begins with it)."""
    comments = "\n".join(re.findall(r"(?:^|\s)#(.*)$", text, re.M))
    return re.search(rf"(?<![\w-]){re.escape(rule)}(?![\w-])", comments) is not None


def _tests_rule(path: Path, rule: str, governed: set[tuple[str, str, str]]) -> bool:
    """A scenario tests `rule` when it expects a finding of it, names it in its comments, or checks a
    figure the rule makes (`governed`: fund, line, column) on a line the rule governs."""
    import yaml

    text = path.read_text(encoding="utf-8")
    expects = [e for e in (yaml.safe_load(text) or {}).get("expect") or [] if isinstance(e, dict)]
    return (_names(text, rule)
            or any(isinstance(e.get("finding"), dict) and e["finding"].get("rule") == rule for e in expects)
            or any((e.get("fund"), e.get("line"), column) in governed for e in expects for column in e))


def _scenarios_of(rule: str) -> list[Path]:
    """The scenarios that illustrate a rule. A rule of the default COG: the files of its own name under
    scenarios/rules/. A rule only another bundled COG binds (the illustrative COG's own IDs): the
    scenarios of that COG (those whose `cog:` names it) that test it (`_tests_rule`)."""
    import yaml

    from budgetrules.io.cogfile import load_cog

    named = sorted((REPO / "scenarios" / "rules").glob(f"{rule.lower()}*.yaml"))
    folders = _cog_folders()
    if named or rule in _cog_rules(folders.get(_default_cog(), REPO / "funds")):
        return named
    found = []
    for code, folder in folders.items():
        if rule not in _cog_rules(folder):
            continue
        funds = load_cog(folder)[1]
        governed = {(fund.code, line.code, column) for fund in funds.values() for line in fund.leaves
                    for policy, columns in POLICY_COLUMNS.items()
                    if getattr(getattr(line, policy), "rule", None) == rule for column in columns}
        for path in sorted((REPO / "scenarios").rglob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("cog") == code and _tests_rule(path, rule, governed):
                found.append(path)
    return found


@pytest.mark.parametrize("rule", sorted(DOCUMENTED_RULES))
def test_every_rule_has_its_entry(rule):
    body = section(_read("rules.md"), f"### {rule}")
    assert body.strip(), f"docs/rules.md has no entry ### {rule}"
    assert "**COG**" in body, f"the entry of {rule} does not cite the COG"
    if rule in APPLIED:
        assert "**Planned**" not in body, f"{rule} is bound to a mechanism of the engine: it is no longer planned"
    else:
        assert "**Planned**" in body, f"no COG binds {rule} to a mechanism: its entry must say it is planned"


@pytest.mark.parametrize("rule", sorted(APPLIED))
def test_every_rule_has_a_scenario_and_its_entry_links_it(rule):
    body = section(_read("rules.md"), f"### {rule}")
    files = _scenarios_of(rule)
    if not files:
        assert rule in NO_SCENARIO_OF_ITS_NAME, \
            f"{rule} has no scenarios/rules/{rule.lower()}*.yaml (nor, for another COG's rule, a scenario of that COG)"
        files = [REPO / NO_SCENARIO_OF_ITS_NAME[rule]]
    linked = {(DOCS / target).resolve() for target in re.findall(r"\]\(([^)#]+)\)", body)}
    assert linked & {f.resolve() for f in files}, f"the entry of {rule} links none of {[f.name for f in files]}"


@pytest.mark.parametrize("rule", sorted(NO_SCENARIO_OF_ITS_NAME))
def test_every_exception_is_needed_and_really_tests_its_rule(rule):
    assert rule in APPLIED and not _scenarios_of(rule), f"{rule} no longer needs its exception"
    path = REPO / NO_SCENARIO_OF_ITS_NAME[rule]
    if path.suffix == ".yaml":
        scenario = scenariofile.load_scenario(path)
        assert any(e.kind == "finding" and e.values.get("rule") == rule for e in scenario.expectations), path
    else:
        text = path.read_text(encoding="utf-8")
        assert rule in text and "def test_" in text, path


def test_planned_rules_are_marked_planned():
    text = _read("rules.md")
    for rule in re.findall(r"^### (R-[A-Z0-9-]+)$", text, re.M):
        if rule not in DOCUMENTED_RULES:  # no bundled COG has it (an illustrative COG's own IDs are in APPLIED)
            assert "**Planned**" in section(text, f"### {rule}"), f"{rule} is not in the catalogue: mark it planned"


# -- fund files: docs/funds.md ---------------------------------------------------------------------
def _fund_keys() -> list[str]:
    """The keys of a fund file and of its rule parameters (those of the readers' constants that exist)."""
    import importlib.util

    modules = [importlib.import_module(f"budgetrules.io.{name}") for name in ("fundfile", "fundtables", "fundrules")
               if importlib.util.find_spec(f"budgetrules.io.{name}")]
    return sorted({key for module in modules for name in ("TOP_KEYS", "LINE_KEYS", "CARRY_KEYS", "INDEX_KEYS",
                                                          "FUNGIBILITY_KEYS", "ERRATUM_KEYS")
                   for key in getattr(module, name, ())})


@pytest.mark.parametrize("key", _fund_keys())
def test_every_fund_file_key_is_documented(key):
    assert key in table_rows(_read("funds.md")), f"docs/funds.md has no table row for the fund-file key {key!r}"


def test_the_example_fund_file_loads(tmp_path):
    from budgetrules import load_funds

    block = re.findall(r"```yaml\n(.*?)```", _read("funds.md"), re.S)[-1]
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    assert len(load_funds([path])) == 1
    # funds/README.md shows the same example (tests/test_fundfile_errors.py loads that copy)
    readme = (REPO / "funds" / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"```yaml\n(.*?)```", readme, re.S) == [block]


def _cog_keys() -> list[str]:
    import importlib.util

    if importlib.util.find_spec("budgetrules.io.cogfile") is None:
        return []
    return sorted(getattr(importlib.import_module("budgetrules.io.cogfile"), "TOP_KEYS", ()))


@pytest.mark.parametrize("key", _cog_keys())
def test_every_cog_file_key_is_documented(key):
    assert key in table_rows(_read("cog.md")), f"docs/cog.md has no table row for the cog.yaml key {key!r}"


# -- the Python API: docs/python-api.md --------------------------------------------------------------
def test_the_python_examples_run(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    namespace: dict[str, Any] = {}
    for block in re.findall(r"```python\n(.*?)```", _read("python-api.md"), re.S):
        exec(compile(block, "docs/python-api.md", "exec"), namespace)  # noqa: S102 - our own docs


# -- (d) links of the README and the docs ------------------------------------------------------------
PAGES = [REPO / "README.md", REPO / "funds" / "README.md", *sorted(DOCS.glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _slugs(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a page."""
    seen: dict[str, int] = {}
    out = set()
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    for heading in re.findall(r"^#+ (.+)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


LINKS = [(page, target) for page in PAGES for target in LINK.findall(page.read_text(encoding="utf-8"))
         if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("page,target", LINKS, ids=lambda x: str(x.relative_to(REPO)) if isinstance(x, Path) else x)
def test_every_relative_link_resolves_in_the_repository(page, target):
    file, _, anchor = target.partition("#")
    path = (page.parent / file).resolve() if file else page
    assert path.is_relative_to(REPO) and path.exists(), f"{page.relative_to(REPO)}: {target} does not exist"
    if anchor and path.suffix == ".md":
        assert anchor in _slugs(path.read_text(encoding="utf-8")), f"{page.relative_to(REPO)}: no heading #{anchor}"


# -- JSON documents: docs/json.md -------------------------------------------------------------------
MAPPING = next(str(p.relative_to(REPO)) for p in [REPO / "funds" / "mappings" / "canssm-fec.yaml",
                                                  *sorted(REPO.glob("funds/*/mappings/canssm-fec.yaml"))]
               if p.exists())  # the bundled FEC account mapping, wherever the COG's folder keeps it
JSON_COMMANDS = [
    ["run", "--format", "json"],
    ["run", "scenarios/central.yaml", "--as-of", "2023-06-30", "--fund", "FNMO", "--format", "json"],
    ["run", "--execution", "tests/fec_data/truncated.txt", "--mapping", MAPPING,
     "--fund", "BNGA", "--format", "json"],
    ["audit", "scenarios/audit/sample-2022-2024.yaml", "--format", "json"],
    ["explain", "scenarios/central.yaml", "BNASS", "PA-F-COL", "2023", "--format", "json"],
    ["explain", "scenarios/central.yaml", "BNGA", "A-I-1", "2023", "--as-of", "2023-06-30", "--format", "json"],
    ["virement", "BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--date", "2023-06-01", "--format", "json"],
    ["virement", "BNGA", "A-I-2-INFO", "A-I-3-INFO", "200 000", "--year", "2024", "--scenario",
     "scenarios/rules/r-fung-chain.yaml", "--format", "json"],
    ["virement", "BNGA", "--matrix", "--format", "json"],
    ["available", "BNGA", "A-I-2-INFO", "--date", "2024-06-01", "--scenario", "scenarios/rules/r-fung-chain.yaml",
     "--format", "json"],
    ["funds", "--format", "json"],
    ["funds", "show", "BNGA", "--format", "json"],
    ["funds", "show", "BNASS", "--format", "json"],
    ["funds", "check", "--format", "json"],
    ["test", "scenarios/central.yaml", "scenarios/rules/r-ap-cancel.yaml", "--format", "json"],
    ["execution", "tests/fec_data/truncated.txt", "-m", MAPPING, "--format", "json"],
    ["bilan", "scenarios/audit/sample-2022-2024.yaml", "--year", "2023", "--format", "json"],
    ["cogs", "--format", "json"],
]
DYNAMIC = {"before", "after", "by_kind", "problem_counts", "by_branch", "group_labels", "reserve_labels"}  # keyed by line code, by
# kind of problem, by branch (the fund file's `participation.branches`: "AT-MP", which no `key` of the page can
# spell) or by fungibility group (the fund file's group names)


def _keys(value: Any, parent: str = "") -> set[str]:
    if isinstance(value, list):
        return set().union(*(_keys(v, parent) for v in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    out = set()
    for key, inner in value.items():
        if parent not in DYNAMIC and not re.fullmatch(r"\d{4}", key):
            out.add(key)
        out |= _keys(inner, key)
    return out


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_json_key_is_documented(args, monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), (result.output, result.exception)
    page = _read("json.md")
    named = set(re.findall(r"`([\w\[\].]+)`", page))  # `key`, and the parts of paths such as `lines[].character`
    named |= {part for path in named for part in re.split(r"\[\]\.?|\.", path)}
    missing = sorted(k for k in _keys(json.loads(result.stdout)) if k not in named)
    assert missing == [], f"budgetrules {' '.join(args)} writes keys docs/json.md does not name: {missing}"
