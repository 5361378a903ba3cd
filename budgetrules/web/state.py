"""What the server knows, loaded once at start and never changed: the COGs (their funds, frozen
dataclasses in a read-only mapping) and the scenario folders. Every request reads a scenario
afresh and runs its own engine run: nothing a request does is seen by another.

No FastAPI here: this module is the server's plain-Python core, tested without a server.

Scenarios are addressed by their path relative to their folder ("rules/r-fung-chain.yaml"); with
several folders, the first folder holding that path answers (as PATH does). A path is resolved
(symlinks followed) and must stay inside its folder: `..`, absolute paths and links pointing out
are refused. A scenario may name fund files (`funds: [my-fund.yaml]`): from a folder they must
stay inside the folder too; a scenario posted in a request may name funds only by code. A scenario's
`cog:` (from a folder, posted, or a COG's default scenario) may name only a COG the server serves, by
its id: no other COG folder is ever read."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Mapping

from ..core.errors import InputErrors, Problem, unknown_message
from ..model.fund import Fund
from ..model.scenario import Scenario

MAX_BODY = 1_000_000
"""The largest request body (a posted scenario, a form) in bytes: 1 MB. Larger is a 413."""
MAX_SCENARIO_FILE = 10_000_000
"""The largest scenario file read from a configured folder (10 MB): beyond, an input error."""
SCENARIO_SUFFIXES = (".yaml", ".yml")
POSTED = "request body"
"""How a posted scenario is named in messages and sources (`request body:12`)."""


@dataclass(frozen=True)
class Cog:
    """A COG the server answers about: its funds (read-only) and the scenario used when a request
    names none (the bundled central scenario for the bundled COG; the bare COG otherwise)."""

    id: str
    title: str
    funds: Mapping[str, Fund]
    folder: Path | None = None
    default_scenario: Path | None = None

    @property
    def first_year(self) -> int:
        return min(f.first_year for f in self.funds.values())

    @property
    def last_year(self) -> int:
        return max(f.last_year for f in self.funds.values())


@dataclass(frozen=True)
class Settings:
    """The server's configuration, frozen. `allowed_hosts` None: any Host header (not loopback)."""

    cogs: tuple[Cog, ...]
    folders: tuple[Path, ...]
    max_body: int = MAX_BODY
    allowed_hosts: tuple[str, ...] | None = None
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def cog(self, cog_id: str | None) -> Cog:
        """The COG asked for (the first one when none is named)."""
        if cog_id in (None, ""):
            return self.cogs[0]
        for cog in self.cogs:
            if cog.id == cog_id:
                return cog
        raise InputErrors([Problem("cog", 0, unknown_message("COG", cog_id, [c.id for c in self.cogs]))])

    @property
    def served(self) -> Mapping[str, Mapping[str, Fund]]:
        """The funds of each COG served, by id: all that a scenario's `cog:` may name."""
        return MappingProxyType({c.id: c.funds for c in self.cogs})


def _freeze(funds: dict[str, Fund]) -> Mapping[str, Fund]:
    """A read-only mapping of funds whose derived (cached) properties are computed now, at start,
    so that no request ever fills a cache that another reads."""
    for fund in funds.values():
        fund.by_code, fund.children, fund.leaves, fund.leaf_codes, fund.leaves_under  # noqa: B018
    return MappingProxyType(dict(funds))


def bundled_cog() -> Cog:
    """The current COG (the bundled default unless BUDGETRULES_COG names another), with its central scenario."""
    return cog_from_folder(None)


def cog_from_folder(folder: Path | str | None) -> Cog:
    """A COG folder (`serve --cog DIR`, a bundled COG's name, or None for the current one): its
    cog.yaml and fund files, its title, and the scenario used when a request names none (the COG's
    central scenario, else the bare COG with its published assumptions)."""
    from ..io.cogfile import load_cog
    from ..io.paths import central_scenario

    cog, funds = load_cog(folder)
    default = central_scenario(cog.central_scenario) if cog.central_scenario else None
    return Cog(id=cog.code, title=cog.title, funds=_freeze(funds), folder=cog.folder,
               default_scenario=default if default is not None and default.is_file() else None)


def make_settings(scenario_folders: list[Path] | tuple[Path, ...] = (), cog_folders: list[Path] | tuple[Path, ...] = (),
                  *, max_body: int = MAX_BODY, allowed_hosts: tuple[str, ...] | None = None) -> Settings:
    """Load the COGs (the bundled one when no folder is given) and check the scenario folders."""
    from ..io.paths import scenarios_dir

    cogs = [cog_from_folder(Path(d)) for d in cog_folders] or [bundled_cog()]
    ids = [c.id for c in cogs]
    if len(set(ids)) != len(ids):
        raise InputErrors([Problem("--cog", 0, f"two COG folders have the same name ({', '.join(ids)})")])
    problems = []
    folders = []
    for d in scenario_folders or [scenarios_dir()]:
        p = Path(d)
        if not p.is_dir():
            problems.append(Problem(str(d), 0, "not a folder (--scenarios names a folder of scenario files)"))
            continue
        folders.append(p.resolve())
    if problems:
        raise InputErrors(problems)
    return Settings(tuple(cogs), tuple(folders), max_body=max_body, allowed_hosts=allowed_hosts)


# -- scenarios ---------------------------------------------------------------------------------

def list_scenarios(settings: Settings) -> list[dict[str, str]]:
    """Every scenario file of the folders, by id (its path relative to its folder), first folder
    first; a file shadowed by an earlier folder's, or a link pointing out of its folder, is left out."""
    seen: set[str] = set()
    out = []
    for root in settings.folders:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.endswith(SCENARIO_SUFFIXES) or name.startswith("."):
                    continue
                path = Path(dirpath) / name
                if not _inside(path, root):
                    continue
                ref = path.relative_to(root).as_posix()
                if ref in seen:
                    continue
                seen.add(ref)
                out.append({"id": ref, "folder": root.name})
    return out


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root) and path.resolve().is_file()
    except (OSError, RuntimeError):  # a loop of links, a name too long
        return False


def resolve_scenario(settings: Settings, ref: Any, where: str = "scenario") -> Path:
    """The file of scenario `ref` (a path relative to a configured folder), checked to stay inside it."""
    if not isinstance(ref, str) or not ref.strip():
        raise InputErrors([Problem(where, 0, "name a scenario (its path in the scenario folder, e.g. central.yaml)")])
    bad = ("\x00" in ref or "\\" in ref or ref.startswith("/") or len(ref) > 1000
           or any(part in ("..", "") for part in PurePosixPath(ref).parts if part != "/"))
    if not bad and ref.endswith(SCENARIO_SUFFIXES):
        for root in settings.folders:
            candidate = root / ref
            if _inside(candidate, root):
                return candidate.resolve()
    ids = [s["id"] for s in list_scenarios(settings)]
    raise InputErrors([Problem(where, 0, unknown_message("scenario", ref, ids))])


def _root_of(settings: Settings, path: Path) -> Path:
    return next(root for root in settings.folders if path.is_relative_to(root))


def _check_fund_files(data: Any, shown: str, base: Path | None, root: Path | None) -> None:
    """A scenario's fund files must stay in its folder; a posted scenario (root None) names none."""
    from ..io.yaml import line_of

    raw = data.get("funds") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return
    problems = []
    for i, item in enumerate(raw):
        if not (isinstance(item, str) and item.endswith(SCENARIO_SUFFIXES)):
            continue
        if root is None or base is None:
            problems.append(Problem(shown, line_of(raw, i), f"fund file '{item[:40]}': a posted scenario names its funds "
                                                           "by code (e.g. [BNGA]); the server reads no file for it"))
        elif not _inside(base / item, root):
            problems.append(Problem(shown, line_of(raw, i), f"fund file '{item[:40]}' is not inside the scenario "
                                                           "folder"))
    if problems:
        raise InputErrors(problems)


def _checked(data: Any, shown: str, cog: Cog, served: Mapping[str, Mapping[str, Fund]],
             base_dir: Path | None = None) -> Scenario:
    """A scenario's data checked on `cog`'s funds, its `cog:` naming only a COG of `served`, by id."""
    from ..io.scenariofile import scenario_from_data

    return scenario_from_data(data, shown, funds=dict(cog.funds), base_dir=base_dir, cogs=served)


def load_folder_scenario(settings: Settings, cog: Cog, ref: Any, where: str = "scenario") -> Scenario:
    """Read and check a scenario of the configured folders (afresh: the caller owns the result)."""
    from ..io.yaml import load_yaml

    path = resolve_scenario(settings, ref, where)
    shown = str(ref)
    if path.stat().st_size > MAX_SCENARIO_FILE:
        raise InputErrors([Problem(shown, 0, f"the file is larger than {MAX_SCENARIO_FILE // 1_000_000} MB")])
    data = load_yaml(path, shown)
    _check_fund_files(data, shown, path.parent, _root_of(settings, path))
    return _checked(data, shown, cog, settings.served, path.parent)


def default_scenario(cog: Cog) -> Scenario:
    """The scenario of a request that names none: the COG's default (the bundled central scenario), else
    the bare COG (every fund, no assumption, no event). The default scenario is the COG's own: its
    `cog:` may name only that COG."""
    from ..io.yaml import load_yaml

    own = {cog.id: cog.funds}
    if cog.default_scenario is not None:
        path = cog.default_scenario
        return _checked(load_yaml(path, path.name), path.name, cog, own, path.parent)
    return _checked({"name": f"COG {cog.title}"}, "COG", cog, own)


def scenario_for(settings: Settings, cog: Cog, ref: str | None, where: str = "scenario") -> Scenario:
    """The scenario named by a request, or the COG's default one."""
    if ref in (None, ""):
        return default_scenario(cog)
    return load_folder_scenario(settings, cog, ref, where)


def posted_scenario(settings: Settings, cog: Cog, body: bytes, *, shown: str = POSTED) -> Scenario:
    """A scenario sent in a request body, as YAML or JSON (JSON is YAML): at most the settings'
    `max_body` bytes, UTF-8, parsed by the CLI's safe, bounded loader and checked as a file is."""
    from ..io.yaml import load_yaml_text, utf8_text

    limit = settings.max_body
    if len(body) > limit:
        raise InputErrors([Problem(shown, 0, f"the scenario is larger than {limit} bytes")])
    if not body.strip():
        raise InputErrors([Problem(shown, 0, "empty: send the scenario (YAML or JSON) in the request body")])
    data = load_yaml_text(utf8_text(body, shown, "the scenario"), shown)
    _check_fund_files(data, shown, None, None)
    return _checked(data, shown, cog, settings.served)
