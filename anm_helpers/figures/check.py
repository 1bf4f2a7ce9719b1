"""Check a month without building it: ``python -m anm_helpers.figures.check 2024-03``
(``make check``). Reads the month's params, mapping (``fuentes.yaml``), catalogue
and data, computes every figure and checks the narrative (every ``{nombre}``,
every typed number, every params key), then prints every problem and every
warning at once. Writes nothing (no report, no cache); exits non-zero on errors.
``make report`` runs the same review first (``review``), so both say the same.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.figures import main_points
from anm_helpers.core.errors import DatosInvalidos, NarrativaInvalida, ParametrosInvalidos, RevisionFallida


@dataclass
class Revision:
    """What a month's review found."""

    mes: str
    errores: list = field(default_factory=list)
    #: the checked context (figures, avisos, …) when data and params read
    ctx: dict | None = None
    #: files and rows read
    archivos: int = 0
    filas: int = 0

    def raise_errors(self) -> None:
        if len(self.errores) == 1:
            raise self.errores[0]
        if self.errores:
            raise RevisionFallida(self.errores)


def review(mes: str, notebooks: list[Path] | None = None) -> Revision:
    """Every check of a month, each kind of problem collected, none stopping the others."""
    from anm_helpers.figures.context import context_from
    from anm_helpers.inputs.dataset import load_report_data
    from anm_helpers.inputs.params import defaults, load_params
    from anm_helpers.figures.typed_numbers import check_typed_numbers

    out = Revision(mes)
    try:
        params = load_params(mes)
    except ParametrosInvalidos as exc:
        out.errores.append(exc)
        params = None
    if params is not None:
        try:
            main_points.check_settings(params, config.params_file(mes))
        except ParametrosInvalidos as exc:  # said; the rest of the params and the narrative are still checked
            out.errores.append(exc)
            params = {**params, "puntos_principales": None}
    notebooks = config.section_notebooks() if notebooks is None else notebooks
    try:
        data = load_report_data(mes)
    except DatosInvalidos as exc:
        out.errores.append(exc)
        if params is not None:  # the narrative still gets checked, against the names every month has
            try:
                check_typed_numbers(_names_of_any_month(mes, params, context_from), notebooks, partial=True)
            except NarrativaInvalida as exc:
                out.errores.append(exc)
        return out
    out.archivos, out.filas = len(data.archivos), sum(f.filas for f in data.archivos)
    out.ctx = context_from(data, params if params is not None else defaults(mes))
    if params is not None:  # names and numbers are checked against the month's figures and params
        try:
            check_typed_numbers(out.ctx, notebooks)
        except NarrativaInvalida as exc:
            out.errores.append(exc)
    return out


def checked_context(mes: str) -> dict:
    """The month's checked context, or the review's errors raised as ``make check``
    says them: what a section opened on its own (JupyterLab) reads when no build's
    context holds."""
    found = review(mes)
    found.raise_errors()
    return found.ctx


def _names_of_any_month(mes: str, params: dict, context_from) -> dict:
    """The context of ``mes`` with no data at all: every name a month always has
    (a category's own count, ``por_*.<nombre>``, depends on the data)."""
    from anm_helpers.inputs.dataset import MonthData, ReportData

    vacio = MonthData.vacio(mes)
    return context_from(ReportData(mes, vacio, {}, None, None, None), params)


def main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import run

    return run(_main, argv, "make check")


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.month import check_month

    from anm_helpers.core.cli import Orden

    parser = Orden(prog="make check", description="Revisa un mes sin construir el informe.")
    parser.add_argument("mes", nargs="?", default="", help="AAAA-MM, por ejemplo 2024-03")
    parser.add_argument("--cifras", nargs="?", const="", default=None, metavar="FILTRO",
                        help="lista los nombres de las cifras del mes con su valor (los que contienen FILTRO)")
    args = parser.parse_args(argv)
    check_month(args.mes)
    if args.cifras is not None:
        return _list_names(args.mes, args.cifras)
    from anm_helpers.inputs.sync import sync_pairs

    for line in sync_pairs():  # the narrative checked is the one in the .py the analyst edited
        print(f"  · {line}")
    t = time.perf_counter()
    found = review(args.mes)
    ctx = found.ctx or {}
    took = f"{time.perf_counter() - t:.1f}".replace(".", ",")
    read = f"{found.archivos} archivos, {found.filas} filas, " if found.ctx is not None else ""
    print(f"Revisión de {args.mes} ({read}{took} s)")
    if found.ctx is not None and not config.params_file(args.mes).exists():
        print(f"  · sin params/{args.mes}.yaml: se usan los valores por defecto (metodo_encuestas: top2)")
    for aviso in ctx.get("avisos", []):
        print(f"  ! aviso: {aviso}")
    for linea in ctx.get("normalizados", []):
        print(f"  · texto normalizado: {linea}")
    for nota in ctx.get("notas", []):
        print(f"  · {nota}")
    if ctx.get("borrador"):
        print("  ! el mes está sin terminar: make report lo construirá como BORRADOR")
    puntos = (ctx.get("metricas") or {}).get("puntos_principales") or []
    if puntos and not found.errores:  # what the analysts read before building: their say is in params
        print("  Lo principal del mes (propuesto; params › puntos_principales lo ajusta):")
        for i, p in enumerate(puntos, start=1):
            print(f"    {i}. {p['texto']}  [{p['regla']}]")
    if found.errores:
        print("\n\n".join(f"ERROR: {e}" for e in found.errores), file=sys.stderr)
        return 1
    if found.ctx is None:
        return 1
    print("  ✓ sin errores: make report puede construir el informe")
    print(f"  · las cifras que la narrativa puede nombrar, con su valor: make cifras MONTH={args.mes}")
    return 0


def _list_names(mes: str, filtro: str) -> int:
    """``make cifras``: every ``{nombre}`` the month's narrative may use, with the value
    the build writes for it; before the first build there is no metrics.json to read."""
    from anm_helpers.inputs.sync import sync_pairs

    sync_pairs()
    found = review(mes, notebooks=[])  # the names exist whatever the narrative says
    if found.ctx is None:
        print("\n\n".join(f"ERROR: {e}" for e in found.errores), file=sys.stderr)
        return 1
    cifras = {k: v for k, v in found.ctx["cifras"].items() if filtro.casefold() in k.casefold()}
    donde = f" que contienen «{filtro}»" if filtro else ""
    print(f"Cifras de {mes}{donde} ({len(cifras)}): en la narrativa se escriben entre llaves y la "
          "construcción pone el valor")
    width = max((len(k) for k in cifras), default=0) + 2
    for name in sorted(cifras):
        print(f"  {{{name}}}".ljust(width + 4) + str(cifras[name]))
    for e in found.errores:  # a params problem: the names are those of the defaults
        print(f"ERROR: {e}", file=sys.stderr)
    return 1 if found.errores else 0


if __name__ == "__main__":
    sys.exit(main())
