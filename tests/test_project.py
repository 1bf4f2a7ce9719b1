"""The project's interface: one list of dependencies, a self-documenting Makefile,
documentation whose every pointer names a file of the repository."""
import os
import re
import subprocess
from pathlib import Path

import yaml

from anm_helpers.core import config


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
#: folders of the repository whose files the documentation names by path (data/, params/
#: and reports/ are named with example months: data/2024-04/, params/<MES>.yaml)
DOCUMENTED_DIRS = ("docs", "anm_helpers", "tests", "notebooks", "benchmarks", ".ci")
#: folders never searched for text: environments, generated output, caches
NOT_SOURCE = {".git", ".venv", "node_modules", "reports", "__pycache__", ".pytest_cache", ".ipynb_checkpoints",
              "build"}


def _generated(rel: str) -> bool:
    """A path under a folder .gitignore declares generated (``/benchmarks/results/``):
    the docs may name what a command writes there."""
    ignored = [line.strip().strip("/") for line in (config.PROJ_ROOT / ".gitignore").read_text().splitlines()
               if line.strip().startswith("/") and line.strip().endswith("/")]
    return any(rel == d or rel.startswith(d + "/") for d in ignored)


def test_every_path_the_docs_name_is_a_file_of_the_repository():
    """README.md and docs/*.md send readers to files by path (`docs/contrato-datos.md`,
    `anm_helpers/inputs/mappings.py`, `tests/exportaciones/fuentes.yaml`): each one exists,
    so no pointer leads out of the repository or to a renamed file (issue 24)."""
    root = config.PROJ_ROOT
    docs = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    path = re.compile(r"`((?:%s)/[\w./-]*)`" % "|".join(re.escape(d) for d in DOCUMENTED_DIRS))
    named = {(doc.relative_to(root).as_posix(), m.group(1)) for doc in docs
             for m in path.finditer(doc.read_text(encoding="utf-8"))}
    assert any(p == "docs/contrato-datos.md" for _, p in named)
    missing = sorted((doc, p) for doc, p in named
                     if not (root / p).exists() and not _generated(p.rstrip("/")))
    assert not missing, missing


def test_no_file_points_to_a_data_contract_outside_the_repository():
    """The data contract is docs/contrato-datos.md: no file of the project names the
    English contract that used to live outside it."""
    needle = ("DATA-" + "CONTRACT").encode()  # spelled in two halves: this file is searched too
    found = []
    for dirpath, dirnames, filenames in os.walk(config.PROJ_ROOT):
        dirnames[:] = [d for d in dirnames if d not in NOT_SOURCE and not d.endswith(".egg-info")]
        for name in filenames:
            file = Path(dirpath) / name
            if needle in file.read_bytes():
                found.append(file.relative_to(config.PROJ_ROOT).as_posix())
    assert not found, found


def test_the_floors_of_the_package_hold():
    """import-linter's contracts (pyproject.toml, [tool.importlinter]): each floor of
    anm_helpers imports only from itself and the floors below it, and the code that runs
    in the kernel (slides: the notebook API) never imports the build, the preview or an
    output. Function-local imports count too."""
    import sys

    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
                            cwd=config.PROJ_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_every_project_exception_lives_in_the_errors_module():
    """One hierarchy: every exception the package defines is in anm_helpers/core/errors.py."""
    import importlib
    import inspect
    import pkgutil

    import anm_helpers

    outside = []
    for info in pkgutil.walk_packages(anm_helpers.__path__, "anm_helpers."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        outside += [f"{info.name}.{name}" for name, obj in vars(module).items()
                    if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == info.name
                    and info.name != "anm_helpers.core.errors"]
    assert outside == []


def test_no_module_is_over_500_lines():
    long = {p.relative_to(config.PACKAGE_DIR).as_posix(): n for p in config.PACKAGE_DIR.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_the_style_sheet_declares_the_palette_of_the_code():
    """One constant per colour (anm_helpers/core/palette.py); the deck's CSS variables are the same colours."""
    import re as re_

    from anm_helpers.core import palette

    css = (config.TEMPLATES_DIR / "anm" / "deck.css").read_text(encoding="utf-8")
    declared = dict(re_.findall(r"(--[\w-]+):\s*#([0-9A-Fa-f]{6})", css))
    assert {k: declared.get(k, "").upper() for k in palette.CSS_VARIABLES} == palette.CSS_VARIABLES
