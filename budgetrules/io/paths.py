"""Where the bundled funds and scenarios are, whether the package is installed editable or not."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_REPO = _PACKAGE.parent


def _bundled(folder: str, package_dir: str) -> Path:
    """The checkout's folder (editable install, or running from the repository), else the copy
    that a normal install puts inside the package (pyproject's package-dir mapping)."""
    local = _REPO / folder
    if local.is_dir():
        return local
    return _PACKAGE / package_dir


def funds_dir() -> Path:
    """The folder of the bundled fund files."""
    return _bundled("funds", "_funds")


def scenarios_dir() -> Path:
    """The folder of the bundled scenarios (central.yaml and the rule scenarios)."""
    return _bundled("scenarios", "_scenarios")


def bundled_fund_files() -> list[Path]:
    return sorted(funds_dir().glob("*.yaml"))


def central_scenario() -> Path:
    return scenarios_dir() / "central.yaml"
