"""The project's interface: one list of dependencies, a self-documenting Makefile."""
import re
import subprocess

import yaml

from anm_helpers import config


def test_environment_yml_installs_the_single_dependency_list():
    env = yaml.safe_load((config.PROJ_ROOT / "environment.yml").read_text())
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert pip == ["-e .[dev]"]  # everything else comes from pyproject.toml
    names = {re.split(r"[=<>]", d)[0] for d in env["dependencies"] if isinstance(d, str)}
    assert names <= {"python", "pip", "nodejs"}


def test_make_help_lists_the_targets():
    out = subprocess.run(["make", "help"], cwd=config.PROJ_ROOT, capture_output=True, text=True).stdout
    for target in ("report", "test", "sample-data", "env", "new-month", "lab", "sync-notebooks", "hooks"):
        assert f"make {target}" in out


def test_pre_commit_strips_outputs_and_syncs_pairs():
    hooks = yaml.safe_load((config.PROJ_ROOT / ".pre-commit-config.yaml").read_text())
    ids = {h["id"]: h for repo in hooks["repos"] for h in repo["hooks"]}
    assert ids["nbstripout"]["entry"].startswith("nbstripout")
    assert ids["jupytext-sync"]["entry"] == "jupytext --sync"


def test_the_long_modules_handed_out_first_exist(request):
    """conftest.FIRST names test modules: a renamed one would silently lose its place
    (and both workers would no longer finish together). Collected in that order."""
    from conftest import FIRST

    here = config.PROJ_ROOT / "tests"
    assert len(FIRST) == len(set(FIRST))
    assert all((here / f"{name}.py").is_file() for name in FIRST), [n for n in FIRST if not (here / f"{n}.py").is_file()]
    order = list(dict.fromkeys(item.path.stem for item in request.session.items))
    ranked = [name for name in order if name in FIRST]
    assert ranked == [name for name in FIRST if name in ranked]


def test_no_undefined_name_and_no_unused_import():
    """pyflakes' rules (ruff, configured in pyproject.toml): a name used but never imported,
    such as an exception caught in a shared error path, fails here, not in an analyst's
    hands when the error it catches first happens."""
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "anm_helpers", "tests", "benchmarks"],
                            cwd=config.PROJ_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
