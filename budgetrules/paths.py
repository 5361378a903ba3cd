"""Where the bundled funds and scenarios are, whether the package is installed editable or not."""
from __future__ import annotations

from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def _bundled(folder: str, package: str) -> Path:
    local = _REPO / folder
    if local.is_dir():
        return local
    from importlib import resources  # only for a non-editable install (13 ms at start-up otherwise)

    return Path(str(resources.files(package)))


def funds_dir() -> Path:
    """The folder of the bundled fund files."""
    return _bundled("funds", "budgetrules._funds")


def scenarios_dir() -> Path:
    """The folder of the bundled scenarios (central.yaml and the rule scenarios)."""
    return _bundled("scenarios", "budgetrules._scenarios")


def bundled_fund_files() -> list[Path]:
    return sorted(funds_dir().glob("*.yaml"))


def central_scenario() -> Path:
    return scenarios_dir() / "central.yaml"
