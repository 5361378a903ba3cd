"""Where the bundled COGs and scenarios are, whether the package is installed editable or not, and
which COG a command works on (--cog, else BUDGETRULES_COG, else the bundled default)."""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_REPO = _PACKAGE.parent
COG_ENV = "BUDGETRULES_COG"


def _bundled(folder: str, package_dir: str) -> Path:
    """The checkout's folder (editable install, or running from the repository), else the copy
    that a normal install puts inside the package (pyproject's package-dir mapping)."""
    local = _REPO / folder
    if local.is_dir():
        return local
    return _PACKAGE / package_dir


def funds_dir() -> Path:
    """The folder of the bundled COG folders (each with its cog.yaml and fund files)."""
    return _bundled("funds", "_funds")


def scenarios_dir() -> Path:
    """The folder of the bundled scenarios (central.yaml and the rule scenarios)."""
    return _bundled("scenarios", "_scenarios")


def bundled_cogs() -> list[Path]:
    """The bundled COG folders, the default first."""
    folders = sorted(p.parent for p in funds_dir().glob("*/cog.yaml"))
    default = default_cog_name()
    return sorted(folders, key=lambda p: (p.name != default, p.name))


def default_cog_name() -> str:
    """The bundled COG every command uses unless told otherwise (funds/cogs.yaml `default`)."""
    listing = funds_dir() / "cogs.yaml"
    if listing.is_file():
        for raw in listing.read_text(encoding="utf-8").splitlines():
            key, _, value = raw.partition(":")
            if key.strip() == "default" and value.split("#")[0].strip():
                return value.split("#")[0].strip()
    folders = sorted(p.parent.name for p in funds_dir().glob("*/cog.yaml"))
    return folders[0] if folders else ""


def cog_folder(cog: str | Path | None = None) -> Path:
    """The folder of a COG: a path to a folder, the name of a bundled COG, or (None) the COG named by
    BUDGETRULES_COG, else the bundled default."""
    if cog is None or cog == "":
        cog = os.environ.get(COG_ENV) or default_cog_name()
    path = Path(cog)
    if path.is_dir() or os.sep in str(cog) or str(cog).startswith("."):
        return path
    return funds_dir() / str(cog)


def bundled_fund_files(cog: str | Path | None = None) -> list[Path]:
    """The fund files of a COG folder (by default the current COG's)."""
    return sorted(p for p in cog_folder(cog).glob("*.yaml") if p.name != "cog.yaml")


def central_scenario(name: str | None = "central.yaml") -> Path:
    """A bundled scenario by name (the CANSSM's central scenario by default)."""
    return scenarios_dir() / (name or "central.yaml")
