"""A normal (non-editable) install finds the bundled funds and the central scenario inside the package."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_non_editable_install_runs_the_central_scenario(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    assert (target / "budgetrules" / "_funds" / "canssm-2022-2024" / "bnga.yaml").is_file()
    assert (target / "budgetrules" / "_funds" / "canssm-2022-2024" / "cog.yaml").is_file()
    assert (target / "budgetrules" / "_scenarios" / "central.yaml").is_file()
    # every subpackage of the checkout is installed (pyproject.toml lists them one by one)
    subpackages = {d.name for d in (ROOT / "budgetrules").iterdir() if (d / "__init__.py").is_file()}
    assert subpackages and {d for d in subpackages if not (target / "budgetrules" / d / "__init__.py").is_file()} == set()
    env = dict(os.environ, PYTHONPATH=str(target))
    code = ("import budgetrules.io.paths as p, sys\n"
            "assert 'site' in str(p.funds_dir()), p.funds_dir()\n"
            "from budgetrules.cli import main\nmain(['run', '--fund', 'BNPPS', '--year', '2022'])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    # R-INDEX-BNPPS: r(2022) = 1,5 + (1,6 − 0,6) = 2,5 %; 2 255 500 × 1,025 = 2 311 887,50
    assert "2 311 887,50" in out.stdout
