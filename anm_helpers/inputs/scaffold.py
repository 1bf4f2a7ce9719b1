"""A new month to fill: ``python -m anm_helpers.inputs.scaffold 2024-04`` (``make new-month``).

Creates, and never overwrites:

- ``params/<mes>.yaml`` from the structure of the latest earlier month's
  params: its keys, analysts' figure names and value-delivery headings are
  kept; its texts become ``POR COMPLETAR`` placeholders and its figures are
  left empty (shown as "sin datos" until filled), so nothing of last month
  reaches this month's deck by mistake;
- ``data/<mes>/`` with a header-only CSV per table of the data contract (a
  month with no activity yet) and ``LEEME.md``, where each export comes from.

What already exists is left exactly as it is and listed as such.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from anm_helpers.core import config, fmt
from anm_helpers.core.month import MES_RE, is_month
from anm_helpers.inputs.contract import PREGUNTAS, SPECS

PENDIENTE = "POR COMPLETAR"
PREGUNTA = {"satisfaccion": "satisfacción", "percepcion": "percepción", "confianza": "confianza",
            "claridad": "claridad"}
NOTA = "LEEME.md"

#: where each export comes from, for the month folder's note (and the analysts' guide)


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(config.PROJ_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def previous_params(mes: str, params_dir: Path) -> Path | None:
    """The params file of the latest month before ``mes`` (None if there is none)."""
    earlier = sorted(p for p in params_dir.glob("*.yaml") if MES_RE.match(p.stem) and p.stem < mes)
    return earlier[-1] if earlier else None


def _inline_comments(text: str, section: str) -> dict[str, str]:
    """``key: value  # comment`` lines of a top-level section, key -> comment."""
    out, inside = {}, False
    for line in text.splitlines():
        if re.match(r"^\S", line):
            inside = line.startswith(f"{section}:")
            continue
        m = re.match(r"^\s+([\w-]+):[^#]*#\s*(.*)$", line)
        if inside and m:
            out[m.group(1)] = m.group(2).strip()
    return out


def _top_comment(text: str, key: str) -> str:
    m = re.search(rf"^{key}:[^#\n]*#\s*(.*)$", text, re.M)
    return m.group(1).strip() if m else ""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def params_text(mes: str, previous: Path | None) -> str:
    """The new month's params: the previous month's structure, its texts as placeholders."""
    from anm_helpers.inputs.params import parse_params_yaml, read_params_text

    name = f"params/{previous.name}" if previous else ""
    prev_text = read_params_text(previous, name) if previous else ""
    prev = (parse_params_yaml(prev_text, name) or {}) if previous else {}
    if not isinstance(prev, dict):
        prev = {}
    metodo = prev.get("metodo_encuestas", "top2")
    cifras = prev.get("cifras_analistas") or {}
    comentarios = prev.get("comentarios") or {p: "" for p in PREGUNTAS if p != "claridad"}
    entregas = prev.get("entregas_valor") or [{"titulo": "Entregas de valor", "items": [""]}]
    notes = _inline_comments(prev_text, "cifras_analistas")
    origin = f"a partir de la estructura de params/{previous.name}" if previous else "con la estructura por defecto"

    lines = [
        f"# Parámetros del informe de {fmt.nombre_mes(mes)} de {mes[:4]}.",
        f"# Creado por `make new-month` {origin}.",
        f"# Se conservan las claves y los títulos; cada «{PENDIENTE}» es un texto que",
        "# escriben los analistas y cada cifra vacía de cifras_analistas se muestra",
        "# «sin datos» hasta que se llene.",
        "# Las cifras que salen de los datos se escriben con su nombre entre llaves",
        "# ({presencial.atendidas}, {cambio.interacciones.total}); las que solo conocen",
        "# los analistas se declaran en cifras_analistas y se escriben {analistas.<nombre>}.",
        "# Guía: docs/guia-analistas.md",
        f'mes: "{mes}"',
        f"metodo_encuestas: {metodo}" + (f"   # {_top_comment(prev_text, 'metodo_encuestas')}"
                                         if _top_comment(prev_text, "metodo_encuestas") else ""),
        "",
    ]
    if cifras:
        lines.append("cifras_analistas:")
        lines.append(f"  # {PENDIENTE}: la cifra de este mes de cada una (un porcentaje como 0.85)")
        for name in cifras:
            note = f"  # {notes[name]}" if notes.get(name) else ""
            lines.append(f"  {name}:{note}")
    else:
        lines += ["cifras_analistas: {}",
                  "  # por ejemplo:  orientaciones_funcionarios: 72   (se escribe {analistas.orientaciones_funcionarios})"]
    lines.append("")
    if comentarios:
        lines.append("comentarios:")
        for pregunta in comentarios:
            lines += [f"  {pregunta}: >-",
                      f"    {PENDIENTE}: comentario de los analistas sobre la {PREGUNTA.get(pregunta, pregunta)} "
                      "de {periodo.mes}."]
        lines.append("")
    lines.append("entregas_valor:")
    for bloque in entregas:
        lines += [f"  - titulo: {_quote(str(bloque.get('titulo', '')))}",
                  "    items:",
                  "      - >-",
                  f"        {PENDIENTE}: entregas de valor de {{periodo.mes}} bajo este título, una por punto.",
                  ]
    return "\n".join(lines) + "\n"


def note_text(mes: str, columns: dict[str, tuple[str, ...]] | None = None) -> str:
    """``data/<mes>/LEEME.md``: what each export is and where it comes from, with
    the columns of the files the scaffold writes (``columns``; optional ones
    named as such)."""
    columns = columns or {t: spec.columnas for t, spec in SPECS.items()}
    out = [f"# Datos de {fmt.titulo_mes(mes)}", "",
           "Reemplace cada archivo de esta carpeta por la exportación del mes (CSV o Excel `.xlsx`, "
           "nunca los dos) con el mismo nombre. Un archivo con solo la fila de encabezados es un mes sin "
           "actividad en esa tabla. Las columnas y sus reglas están en `docs/guia-analistas.md`; las "
           "columnas que no son del contrato (nombres, documentos, correos de ciudadanos) no se leen.", ""]
    for tabla in SPECS:
        cols = ", ".join(f"`{c}`" for c in columns[tabla])
        optional = [c for c in SPECS[tabla].opcionales if c not in columns[tabla]]
        more = f" Puede llevar también {', '.join(f'`{c}`' for c in optional)} (opcional)." if optional else ""
        out += [f"## `{tabla}.csv` o `{tabla}.xlsx`", "", SPECS[tabla].origen, "", f"Columnas: {cols}.{more}", ""]
    out += ["El catálogo de puntos de atención es común a todos los meses: `data/puntos.csv`. "
            "Un punto nuevo se agrega allí antes de construir.", ""]
    return "\n".join(out)


def _columns(tabla: str, mes: str, data_dir: Path) -> tuple[str, ...]:
    """The contract's columns; an optional one (``claridad``) only if the latest
    earlier month's export has it."""
    optional = SPECS[tabla].opcionales
    columns = tuple(c for c in SPECS[tabla].columnas if c not in optional)
    earlier = sorted(p for p in data_dir.iterdir() if p.is_dir() and MES_RE.match(p.name) and p.name < mes) \
        if data_dir.is_dir() else []
    for folder in reversed(earlier):
        from anm_helpers.inputs.reading.files import find_table
        from anm_helpers.inputs.reading.read import read_table  # pandas: only once there is a month to read

        path, _ = find_table(folder, tabla)
        if path is None:
            continue
        raw, _ = read_table(path, tabla, SPECS[tabla].columnas)
        if raw is not None:
            return tuple(c for c in SPECS[tabla].columnas if c not in optional or c in raw.columnas_presentes)
        break
    return columns


def scaffold(mes: str, params_dir: Path | None = None, data_dir: Path | None = None
             ) -> tuple[list[Path], list[Path]]:
    """Create what the month lacks; returns (created, already there)."""
    if not is_month(mes):
        raise ValueError(f'"{mes}" no es un mes AAAA-MM (por ejemplo MONTH=2024-04)')
    params_dir = params_dir or config.PARAMS_DIR
    data_dir = data_dir or config.DATA_DIR
    created: list[Path] = []
    kept: list[Path] = []

    params = params_dir / f"{mes}.yaml"
    if params.exists():
        kept.append(params)
    else:
        params_dir.mkdir(parents=True, exist_ok=True)
        params.write_text(params_text(mes, previous_params(mes, params_dir)), encoding="utf-8")
        created.append(params)

    folder = data_dir / mes
    columns = {tabla: _columns(tabla, mes, data_dir) for tabla in SPECS}
    folder.mkdir(parents=True, exist_ok=True)
    for tabla in SPECS:
        existing = [p for p in (folder / f"{tabla}.csv", folder / f"{tabla}.xlsx") if p.exists()]
        if existing:
            kept += existing
            continue
        path = folder / f"{tabla}.csv"
        path.write_text(",".join(columns[tabla]) + "\n", encoding="utf-8")
        created.append(path)
    note = folder / NOTA
    if note.exists():
        kept.append(note)
    else:
        note.write_text(note_text(mes, columns), encoding="utf-8")
        created.append(note)
    return created, kept


def main(argv: list[str] | None = None) -> int:
    """The command: every error becomes Spanish lines (``cli.run``)."""
    from anm_helpers.core.cli import run

    return run(_main, argv, "make new-month")


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import Orden

    parser = Orden(prog="make new-month", description="Prepara un mes nuevo para llenar.")
    parser.add_argument("mes", help="AAAA-MM, por ejemplo 2024-04")
    args = parser.parse_args(argv)  # make new-month passes `-- "$MONTH"`: a value starting with "-" is the month
    if not is_month(args.mes):  # core.month: the one rule of what a month is
        print(f'ERROR: MONTH="{args.mes}" no es un mes AAAA-MM (por ejemplo MONTH=2024-04)', file=sys.stderr)
        return 1
    try:
        created, kept = scaffold(args.mes)
    except ValueError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    if not created:
        print(f"ERROR: el mes {args.mes} ya existe; no se modificó nada:\n"
              + "\n".join(f"  · {_rel(p)}" for p in kept), file=sys.stderr)
        return 1
    print(f"Mes nuevo {args.mes}")
    for path in created:
        what = " (solo encabezados)" if path.suffix == ".csv" else ""
        print(f"  ✓ creado {_rel(path)}{what}")
    for path in kept:
        print(f"  · ya existía, no se modificó: {_rel(path)}")
    params = _rel(config.params_file(args.mes))
    folder = _rel(config.month_data_dir(args.mes))
    print("Siguientes pasos:")
    print(f"  1. Reemplace los archivos de {folder}/ por las exportaciones del mes ({NOTA} dice de dónde sale cada una).")
    print(f"  2. Escriba los textos «{PENDIENTE}» y las cifras de cifras_analistas en {params}.")
    print(f"  3. make report MONTH={args.mes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
