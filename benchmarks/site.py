"""`make bench`, scenarios o–q: `make sitio` on two years of months.

A synthetic reports folder of 24 months (2023-01 … 2024-12) is made by copying the
cold build's 2024-03 folder under each month's name (its files renamed, the month
rewritten in metrics.json); a month folder in data/ for each, so none is listed as
missing. Each round times, as whole processes:

  o  floor      `cp -r` of that reports folder (what copying the months costs at least)
  p  cold       `python -m anm_helpers.builder.site` with no site (target ≤ 3 s)
  q  unchanged  the same command again, nothing changed (target ≤ 0.5 s, nothing written)
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

PY = sys.executable
SOURCE = "2024-03"
KINDS = (("o", "site floor: cp -r of 24 built months"), ("p", "cold make sitio, 24 months"),
         ("q", "make sitio again, nothing changed"))


def synthetic_reports(built: Path, where: Path) -> tuple[Path, Path]:
    """reports/ and data/ of 24 months copied from ``built`` (a built 2024-03)."""
    reports, data = where / "reports", where / "data"
    reports.mkdir(parents=True)
    for year in (2023, 2024):
        for month in range(1, 13):
            mes = f"{year}-{month:02d}"
            (data / mes).mkdir(parents=True)
            dst = reports / mes
            shutil.copytree(built, dst, ignore=shutil.ignore_patterns("diapositivas"))
            for path in sorted(dst.rglob(f"*{SOURCE}*"), reverse=True):
                path.rename(path.with_name(path.name.replace(SOURCE, mes)))
            metrics = json.loads((dst / "metrics.json").read_text(encoding="utf-8"))
            metrics["mes"] = mes
            (dst / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n",
                                              encoding="utf-8")
    return reports, data


def bench_site(work: Path, built: Path, env: dict, repeat: int, scenario, run) -> list:
    """Scenarios o–q (``scenario(key, name)`` makes one; ``run(cmd, env)`` times a process)."""
    s = {k: scenario(k, name) for k, name in KINDS}
    reports, data = synthetic_reports(built, work / "sitio")
    env = {**env, "ANM_REPORTS_DIR": str(reports), "ANM_DATA_DIR": str(data)}
    command = [PY, "-m", "anm_helpers.builder.site"]
    for i in range(repeat):
        copy = work / "sitio" / f"copia-{i}"
        sec, mem, _ = run(["cp", "-r", str(reports), str(copy)], env)
        s["o"].add(sec, mem)
        shutil.rmtree(copy)
        shutil.rmtree(reports / "sitio", ignore_errors=True)
        (reports / ".cache" / "sitio.json").unlink(missing_ok=True)
        sec, mem, out = run(command, env)
        s["p"].add(sec, mem)
        s["p"].note = out.strip().splitlines()[-1] if out.strip() else ""
        sec, mem, out = run(command, env)
        s["q"].add(sec, mem)
        s["q"].note = "al día" if "Sitio al día" in out else "REESCRITO"
    return list(s.values())
