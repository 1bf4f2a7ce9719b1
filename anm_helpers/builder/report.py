"""The build command: a month, ``python -m anm_helpers.builder.report 2024-03`` (``make
report``), or every month of a year and the year's deck, ``python -m
anm_helpers.builder.report --anio 2024`` (``make year``). The month's build is
``builder.month``, the year's ``builder.year``; this module only reads the command line,
runs one of them and prints the last line of each folder written.
"""
from __future__ import annotations

import sys

from anm_helpers.builder.month import build, ready_line
from anm_helpers.core.errors import MesInvalido


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import Orden

    parser = Orden(prog="make report", description="Construye el informe de un mes (o de un año).")
    parser.add_argument("mes", nargs="?", help="AAAA-MM, por ejemplo 2024-03")
    parser.add_argument("--anio", help="AAAA: todos los meses de ese año que tienen datos")
    parser.add_argument("--workers", type=int, default=None, help="secciones en paralelo (por defecto: núcleos)")
    args = parser.parse_args(argv)
    if args.anio is not None and args.mes is not None:
        raise MesInvalido("indique un mes (MONTH=2024-03) o un año (YEAR=2024), no los dos")
    if args.anio is None and not args.mes:
        raise MesInvalido("indique el mes: make report MONTH=2024-03")
    if args.anio:
        from anm_helpers.builder.year import build_year

        finals = build_year(args.anio, workers=args.workers)
    else:
        finals = [build(args.mes, workers=args.workers)]
    for final in finals:
        print(ready_line(final))
    return 0


def main(argv: list[str] | None = None) -> int:
    """The command: every error becomes Spanish lines (``cli.run``), every
    temporary file lives in a scratch folder removed at the end."""
    from anm_helpers.core.cli import run

    return run(_main, argv, "make report", scratch=True)


if __name__ == "__main__":
    sys.exit(main())
