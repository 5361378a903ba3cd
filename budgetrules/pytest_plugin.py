"""pytest plugin: every scenario file under a `scenarios` folder is a test item, failing with the
same readable messages as `budgetrules test` (file, scenario, fund line year column, expected, got).
`pytest --cog DIR` (or BUDGETRULES_COG) runs them on another COG; a scenario naming its `cog:` uses that one."""
from __future__ import annotations

from pathlib import Path

import pytest

_FUNDS = None


def _funds():
    global _FUNDS
    if _FUNDS is None:
        from .io.cogfile import load_cog

        _FUNDS = load_cog()[1]
    return _FUNDS


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cog", default=None, metavar="DIR",
                     help="budgetrules: the COG the scenario files run on (a COG folder or a bundled COG's name)")


def pytest_configure(config: pytest.Config) -> None:
    cog = config.getoption("--cog", default=None)
    if cog:
        import os

        from .io.paths import COG_ENV

        os.environ[COG_ENV] = cog


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.suffix in (".yaml", ".yml") and "scenarios" in file_path.parts:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioFailed(Exception):
    pass


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        from .services.expect import run_file
        from .core.errors import InputErrors

        try:
            _, failures = run_file(self.path, funds=_funds())
        except InputErrors as exc:
            raise ScenarioFailed("unreadable scenario:\n" + "\n".join(f"  {p}" for p in exc.problems)) from None
        if failures:
            raise ScenarioFailed("\n".join(str(f) for f in failures))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"scenario {self.path.name}"
