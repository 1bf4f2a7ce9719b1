"""How long `make test` takes, as a ratio to another revision of the project run
in the same session, one after the other (the machines are shared and noisy: the
same suite took 3 min in one session and 5 in another).

    python -m benchmarks.suite [--base REV] [--rondas 1]

REV (default: the commit before HEAD) is checked out in a temporary git worktree
that shares this checkout's environment (.venv, node_modules); each round runs
the base suite, then the working tree's, with ``pytest -n auto`` as `make test`
does. For each run: wall seconds, and the CPU seconds the whole machine was busy
(from /proc/stat: the kernels and Chromium a build starts are counted too, which
``time`` does not see). The working tree is never touched; the worktree is removed
at the end.
"""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def busy_seconds() -> float | None:
    """CPU seconds the machine has been busy since boot (Linux), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def run_suite(folder: Path, env: dict) -> tuple[float, float | None, str]:
    """``pytest -n auto`` in ``folder``: wall seconds, busy CPU seconds, pytest's last line."""
    busy, start = busy_seconds(), time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-n", "auto", "-q", "-p", "no:cacheprovider"],
                            cwd=folder, env=env, capture_output=True, text=True)
    wall, after = time.perf_counter() - start, busy_seconds()
    last = (result.stdout.strip().splitlines() or ["(sin salida)"])[-1]
    if result.returncode != 0:
        from anm_helpers.core.errors import InformeError

        raise InformeError(f"la suite de {folder} falló: {last}")
    return wall, (after - busy if busy is not None and after is not None else None), last


def main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import run

    return run(_main, argv, "python -m benchmarks.suite")


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import Orden
    from anm_helpers.core.errors import InformeError

    parser = Orden(prog="python -m benchmarks.suite", description="make test frente a otra revisión, en la misma corrida.")
    parser.add_argument("--base", default="HEAD~1", help="revisión base (por defecto HEAD~1)")
    parser.add_argument("--rondas", type=int, default=1, help="rondas base + actual (por defecto 1)")
    args = parser.parse_args(argv)
    rev = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=ROOT, capture_output=True, text=True)
    if rev.returncode != 0:
        raise InformeError(f'"{args.base}" no es una revisión de este repositorio')
    base = Path(tempfile.mkdtemp(prefix="suite-base-")) / "proyecto"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), rev.stdout.strip()], cwd=ROOT, check=True)
    try:
        for shared in (".venv", "node_modules"):  # the same environment for both
            if (ROOT / shared).exists():
                (base / shared).symlink_to(ROOT / shared)
        # the base's own package first: the editable install points at this checkout
        env_base = {**os.environ, "PYTHONPATH": str(base)}
        env_now = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        runs: dict[str, list[tuple[float, float | None, str]]] = {"base": [], "actual": []}
        for i in range(args.rondas):
            for label, folder, env in (("base", base, env_base), ("actual", ROOT, env_now)):
                print(f"· ronda {i + 1}/{args.rondas}: {label}…", flush=True)
                runs[label].append(run_suite(folder, env))
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, capture_output=True)
        shutil.rmtree(base.parent, ignore_errors=True)

    def median(label: str, i: int) -> float | None:
        values = [r[i] for r in runs[label] if r[i] is not None]
        return statistics.median(values) if values else None

    print(f"\nmake test: {rev.stdout.strip()} (base) frente al árbol actual, {args.rondas} ronda(s), "
          f"{os.cpu_count()} núcleos\n")
    print("| | s de reloj | CPU-s ocupados | pruebas |\n|---|---|---|---|")
    for label in ("base", "actual"):
        cpu = median(label, 1)
        tests = re.sub(r"^=+\s*|\s*=+$", "", runs[label][-1][2])
        print(f"| {label} | {median(label, 0):.0f} | {'—' if cpu is None else f'{cpu:.0f}'} | {tests} |")
    ratio_wall = median("actual", 0) / median("base", 0)
    cpu_b, cpu_a = median("base", 1), median("actual", 1)
    cpu_text = "" if not cpu_b or cpu_a is None else f"; CPU {cpu_a / cpu_b:.2f} × base"
    print(f"\nactual / base: reloj {ratio_wall:.2f} × base{cpu_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
