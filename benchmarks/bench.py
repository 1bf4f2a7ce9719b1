"""`make bench`: how fast a month's report builds, as ratios to a floor measured
in the same run (the machines are shared and noisy: absolute seconds mean little).

Scenarios, on the shipped 2024-03 (copies of data/ and notebooks/ in a temporary
folder; the repository is never touched):

  a  floor      one papermill run of a single notebook holding every section's
                code, then the deck and the PDF (benchmarks/floor.py)
  b  cold       `make report` with the environment present and no outputs
  c  unchanged  `make report` again, nothing changed
  d  narrative  `make report` after editing one section's narrative (a markdown cell:
                its code is unchanged, so its outputs come from the cache)
  e  data       `make report` after adding a row to one data file
  i  PowerPoint the cold build's slide model written as informe-<MES>.pptx, python-pptx's
                import included (timed inside a process that holds the model, as the build
                does); in `make report` it runs while Chromium prints the PDF
  n  main points «Lo principal del mes»: every rule, the ranking and the sentences on the
                cold build's checked context (figures.main_points.refresh), timed inside a
                process that holds it, 20 times (the median): what the points add to a build
  o–q site      `make sitio` on 24 months copied from the cold build's month: o a plain
                `cp -r` of that reports folder (the floor of these two), p the site cold, q
                again with nothing changed (benchmarks/site.py)
  j–m preview   `make preview`, from the save to the page reloaded in Chromium on the same
                slide: j a params narrative edit, k a notebook's markdown (its .py), l a
                notebook's code, m a data file (benchmarks/preview.py; peak MiB: the
                preview's own process)

and on a synthetic month of 1,000,000 interactions, 1,000,000 communications and
300,000 survey responses:

  f  bare read  pandas' pyarrow reader on its four files, plus the group-bys
  g  ours       reading, checking and computing every figure (build_context)
  h  its build  `make report` of that month

Each scenario runs --repeat times; the median is reported, with the peak memory
(largest resident set of any process of the scenario).

    python -m benchmarks.bench [--repeat 3] [--sin-grande] [--sin-vista-previa] [--sin-sitio]
"""
from __future__ import annotations

import argparse
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
PY = sys.executable
MES = "2024-03"
GRANDE = "2031-05"

BARE = """
import pandas as pd, sys
d = sys.argv[1]
a = pd.read_csv(d + "/atenciones.csv", engine="pyarrow"); c = pd.read_csv(d + "/comunicaciones.csv", engine="pyarrow")
e = pd.read_csv(d + "/encuestas.csv", engine="pyarrow"); l = pd.read_csv(d + "/llamadas.csv", engine="pyarrow")
a.groupby("canal").size(); a.groupby(["canal", "primer_contacto"]).size(); a.groupby("punto").size()
a.groupby(["canal", "tipo"]).size(); c.groupby(["sentido", "medio"]).size(); l[["entrantes", "contestadas"]].sum()
e.groupby("canal")[["satisfaccion", "percepcion", "confianza", "claridad"]].agg(["count", "mean"])
"""
OURS = "from anm_helpers.figures.context import build_context; import sys; build_context(sys.argv[1])"
# what make report adds for the PowerPoint: the executed sections are in memory and nbformat, the
# deck's model and babel imported already (the deck needs them); python-pptx and the writing are not
PPTX = """
import sys, time
from pathlib import Path
import nbformat
from anm_helpers.core import fmt
from anm_helpers.slides import model as modelo
mes, folder, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
sections = [nbformat.read(p, as_version=4) for p in sorted((folder / "notebooks").glob("*.ipynb"))]
informe = modelo.Informe.de(sections, mes)
t = time.perf_counter()
from anm_helpers.outputs import pptx as powerpoint
powerpoint.PowerPoint().escribir(informe, out)
print(f"{time.perf_counter() - t:.3f}")
"""
# what the main points add to a build: the context is checked already (the build holds it)
PRINCIPALES = """
import json, statistics, sys, time
from pathlib import Path
from anm_helpers.figures import main_points
ctx = json.loads(next(Path(sys.argv[1]).glob("contexto-*.json")).read_text(encoding="utf-8"))
times = []
for _ in range(20):
    t = time.perf_counter()
    main_points.refresh(ctx)
    times.append(time.perf_counter() - t)
print(f"{statistics.median(times):.4f}")
"""


def run(cmd: list[str], env: dict, check: bool = True) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MiB (the largest process of the tree) and stdout."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if check and code != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({code}):\n{out}")
    return seconds, usage.ru_maxrss // 1024, out


class Scenario:
    def __init__(self, key: str, name: str):
        self.key, self.name, self.seconds, self.mem, self.note = key, name, [], 0, ""

    def add(self, seconds: float, mem: int) -> None:
        self.seconds.append(seconds)
        self.mem = max(self.mem, mem)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def make_report(env: dict, mes: str = MES) -> tuple[float, int, str]:
    return run(["make", "--no-print-directory", "report", f"MONTH={mes}"], env)


def executed_sections(out: str) -> int:
    return len(re.findall(r"sección \S+ ejecutada", out))


def edit_narrative(notebooks: Path, n: int) -> None:
    """Change one word of one section's narrative (its first markdown heading)."""
    import nbformat

    path = notebooks / "03_presencial.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Cifras Presencial"))
    word = "abcdefghijklmnopqrstuvwxyz"[n % 26] * (1 + n // 26)  # no digits: narrative may not type numbers
    cell.source = re.sub(r"( ·.*)?$", f" · revisión {word}", cell.source, count=1)
    nbformat.write(nb, path)


def add_row(data: Path, n: int) -> None:
    path = data / MES / "comunicaciones.csv"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"CO-BENCH-{n:04d},{MES}-15 10:00,correo_contacto,entrada\n")


def bench(repeat: int, grande: bool, vista_previa: bool = True, sitio: bool = True) -> list[Scenario]:
    work = Path(tempfile.mkdtemp(prefix="anm-bench-"))
    data, notebooks, reports = work / "data", work / "notebooks", work / "reports"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "notebooks", notebooks)
    env = {**os.environ, "ANM_DATA_DIR": str(data), "ANM_NOTEBOOKS_DIR": str(notebooks),
           "ANM_REPORTS_DIR": str(reports)}
    s = {k: Scenario(k, n) for k, n in [
        ("a", "floor: one notebook with every section, deck, PDF"), ("b", "cold make report"),
        ("c", "rebuild, nothing changed"), ("d", "rebuild after a narrative edit"),
        ("e", "rebuild after a data change"), ("i", "PowerPoint: the cold build's model to .pptx"),
        ("n", "main points: rules, ranking, sentences")]}
    try:
        for i in range(repeat):
            print(f"· ronda {i + 1}/{repeat}", flush=True)
            sec, mem, _ = run([PY, "benchmarks/floor.py", MES, str(work / f"floor-{i}")], env)
            s["a"].add(sec, mem)
            shutil.rmtree(reports, ignore_errors=True)
            sec, mem, out = make_report(env)
            s["b"].add(sec, mem)
            _, mem, out_pptx = run([PY, "-c", PPTX, MES, str(reports / MES), str(work / f"informe-{i}.pptx")], env)
            s["i"].add(float(out_pptx.split()[-1]), mem)
            s["i"].note = "en make report, mientras Chromium imprime el PDF"
            _, mem, out_n = run([PY, "-c", PRINCIPALES, str(reports / ".cache" / MES)], env)
            s["n"].add(float(out_n.split()[-1]), mem)
            s["n"].note = "añadido a cada construcción (contexto ya revisado)"
            sec, mem, out = make_report(env)
            s["c"].add(sec, mem)
            s["c"].note = "sin cambios" if "sin cambios" in out else "REBUILT"
            edit_narrative(notebooks, i)
            sec, mem, out = make_report(env)
            s["d"].add(sec, mem)
            s["d"].note = f"{executed_sections(out)} sección(es) re-ejecutada(s)"
            add_row(data, i)
            before = (reports / MES / "metrics.json").read_text()
            sec, mem, out = make_report(env)
            s["e"].add(sec, mem)
            after = (reports / MES / "metrics.json").read_text()
            s["e"].note = (f"{executed_sections(out)} sección(es) re-ejecutada(s); "
                           f"metrics.json {'actualizado' if after != before else 'SIN CAMBIO (obsoleto)'}")
        result = [sc for k, sc in s.items() if k not in "in"] + [s["i"], s["n"]]
        if sitio:
            from .site import bench_site

            result += bench_site(work, reports / MES, env, repeat, Scenario, run)
        if vista_previa:
            from .preview import bench_preview

            result += bench_preview(work / "vista-previa", repeat, Scenario)
        if grande:
            result += bench_large(work, env, repeat)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_large(work: Path, env: dict, repeat: int) -> list[Scenario]:
    big = work / "grande"
    print("· generando el mes sintético grande…", flush=True)
    run([PY, "-m", "anm_helpers.inputs.sample_data", "--grande", "--mes", GRANDE, "--salida", str(big)], env)
    env = {**env, "ANM_DATA_DIR": str(big)}
    f, g, h = Scenario("f", "large month: bare pyarrow read + group-bys"), \
        Scenario("g", "large month: our read, checks and figures"), Scenario("h", "large month: make report")
    for _ in range(repeat):
        sec, mem, _ = run([PY, "-c", BARE, str(big / GRANDE)], env)
        f.add(sec, mem)
        sec, mem, _ = run([PY, "-c", OURS, GRANDE], env)
        g.add(sec, mem)
    sec, mem, _ = make_report(env, GRANDE)
    h.add(sec, mem)
    return [f, g, h]


def report(scenarios: list[Scenario], repeat: int) -> str:
    by = {s.key: s for s in scenarios}
    floor = by["a"].median
    lines = [f"Benchmark ({repeat} ronda(s), medianas; {os.cpu_count()} núcleos)", "",
             "| | scenario | median s | × floor | peak MiB | note |", "|---|---|---|---|---|---|"]
    for sc in scenarios:
        ratio = f"{sc.median / floor:.2f}" if sc.key in "bcdejklm" else (
            f"{sc.median / by['f'].median:.2f} × f" if sc.key == "g" else
            f"{sc.median / by['b'].median:.2f} × b" if sc.key in "in" else
            f"{sc.median / by['o'].median:.2f} × o" if sc.key in "pq" else "")
        lines.append(f"| {sc.key} | {sc.name} | {sc.median:.2f} | {ratio} | {sc.mem} | {sc.note} |")
    checks = [
        ("cold ≤ 1.5 × floor", by["b"].median <= 1.5 * floor),
        ("nothing changed ≤ 0.5 s", by["c"].median <= 0.5),
        ("narrative edit ≤ 0.5 × cold, at most that section re-executed", by["d"].median <= 0.5 * by["b"].median
         and by["d"].note.startswith(("0 ", "1 "))),
        ("data change re-executes and updates metrics", "actualizado" in by["e"].note),
    ]
    if "i" in by:
        checks.append(("PowerPoint ≤ 0.5 s", by["i"].median <= 0.5))
    if "n" in by:
        checks.append(("main points ≤ 0.1 s per build", by["n"].median <= 0.1))
    if "p" in by:  # make sitio, 24 months
        checks += [("site: 24 months cold ≤ 3 s", by["p"].median <= 3),
                   ("site: nothing changed ≤ 0.5 s, nothing written", by["q"].median <= 0.5 and by["q"].note == "al día")]
    if "j" in by:  # make preview, from the save to the reloaded page
        checks += [("preview: params narrative edit ≤ 1 s", by["j"].median <= 1),
                   ("preview: notebook markdown edit ≤ 3 s", by["k"].median <= 3),
                   ("preview: notebook code edit ≤ 3 s", by["l"].median <= 3),
                   ("preview: data file edit ≤ cold make report (b)", by["m"].median <= by["b"].median)]
    if "g" in by:
        checks += [("large month ≤ 3 × bare read", by["g"].median <= 3 * by["f"].median),
                   ("large month peak < 2 GiB", max(by[k].mem for k in "gh") < 2048)]
    lines += ["", "Targets:"] + [f"- [{'x' if ok else ' '}] {name}" for name, ok in checks]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the report build (make bench)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sin-grande", action="store_true", help="skip the synthetic large month")
    parser.add_argument("--sin-vista-previa", action="store_true", help="skip make preview's scenarios (j–m)")
    parser.add_argument("--sin-sitio", action="store_true", help="skip make sitio's scenarios (o–q)")
    args = parser.parse_args()
    text = report(bench(args.repeat, not args.sin_grande, not args.sin_vista_previa, not args.sin_sitio), args.repeat)
    print(text)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
