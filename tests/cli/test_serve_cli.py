"""`budgetrules serve`'s options: `--cog` declared once (repeatable: the COGs served side by side),
without starting a server (uvicorn.run replaced)."""
from __future__ import annotations

import warnings

from click.testing import CliRunner

from budgetrules.cli import main


def test_help_names_cog_once_and_click_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # click warns "The parameter --cog is used more than once"
        result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    options = result.output.split("Options:", 1)[1]
    assert options.count("--cog") == 1, options


def test_every_cog_given_is_served(monkeypatch):
    import uvicorn

    import budgetrules.web.state as state

    given = {}
    make = state.make_settings

    def spy(scenario_dirs, cog_dirs, **kwargs):
        given["cogs"] = [str(d) for d in cog_dirs]
        return make(scenario_dirs, cog_dirs, **kwargs)

    monkeypatch.setattr(state, "make_settings", spy)
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = CliRunner().invoke(main, ["serve", "--cog", "funds/exemple-2025-2029", "--cog", "canssm-2022-2024"])
    assert result.exit_code == 0, result.output
    assert given["cogs"] == ["funds/exemple-2025-2029", "canssm-2022-2024"]

