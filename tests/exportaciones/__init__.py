"""A realistic export fixture: the shipped March 2024 month rewritten as the
platforms write it (their own headers and values, title rows, a summary
sheet before the data, a UTF-16 tab-separated file, Windows-1252 with ";",
dates in their own format, and columns of citizens' personal data), read
through ``tests/exportaciones/fuentes.yaml``. It must give exactly the figures
of the contract-shaped month."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from openpyxl import Workbook, load_workbook

HERE = Path(__file__).resolve().parent
MAPEO = HERE / "fuentes.yaml"
MES = "2024-03"
PERSONALES = ["Zuleima Cárdenas Ospina", "1098765432", "zuleima.cardenas@example.com"]

CANAL = {"presencial": "Atención Presencial", "telefonico": "Línea gratuita nacional"}
CIUDAD = {"Sede Central Bogotá": "Sede Central - Bogotá D.C.", "PAR Bucaramanga": "PAR Bucaramanga - Santander",
          "PAR Cali": "PAR Cali - Valle del Cauca", "PAR Cartagena": "PAR Cartagena - Bolívar",
          "PAR Cúcuta": "PAR Cúcuta - Norte de Santander", "PAR Ibagué": "PAR Ibagué - Tolima",
          "PAR Manizales": "PAR Manizales - Caldas", "PAR Medellín": "PAR Medellín - Antioquia",
          "PAR Nobsa": "PAR Nobsa - Boyacá", "PAR Pasto": "PAR Pasto - Nariño", "PAR Quibdó": "PAR Quibdó - Chocó",
          "PAR Valledupar": "PAR Valledupar - Cesar", "PAL Ubaté": "PAL Ubaté - Cundinamarca",
          "PAL Montería": "PAL Montería - Córdoba"}
PRIMER = {"si": "Sí, en el primer contacto", "no": "No, requirió escalamiento"}
SATISFACCION = {"5": "Muy satisfecho", "4": "Satisfecho", "3": "Neutral", "2": "Insatisfecho", "1": "Muy insatisfecho",
                "": ""}
CANAL_ENCUESTA = {"presencial": "Presencial (PAR/PAL/Sede)", "telefonico": "Telefónico"}
MEDIO = {"correo_contacto": "Correo contacto@anm.gov.co", "radicador_web": "Radicador Web",
         "chat": "Chat institucional", "te_llamamos": "Te llamamos"}
SENTIDO = {"entrada": "Recibida", "salida": "Enviada"}


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _dmy(stamp: str) -> str:
    """``2024-03-01 07:09`` -> ``01/03/2024 07:09`` (the platform's own format)."""
    day, time = (stamp.split(" ") + ["00:00"])[:2]
    y, m, d = day.split("-")
    return f"{d}/{m}/{y} {time[:5]}"


#: exports already written by this process, by the contract month's content
_WRITTEN: dict[str, Path] = {}


def write_exports(contract_month: Path, target: Path) -> Path:
    """``target`` (a month folder) with the exports of ``contract_month`` and the mapping.
    Written once per test process and contract month's content (a temporary folder of
    its own), then copied byte for byte: an .xlsx takes a while to write."""
    import atexit
    import shutil
    import tempfile

    from contenido import digest

    key = digest(sorted(contract_month.rglob("*")), contract_month)
    if key not in _WRITTEN:
        folder = Path(tempfile.mkdtemp(prefix="exportaciones-"))
        atexit.register(shutil.rmtree, folder, True)
        _WRITTEN[key] = _write_exports(contract_month, folder / "mes")
    shutil.copytree(_WRITTEN[key], target, dirs_exist_ok=True)
    return target


def _write_exports(contract_month: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    # atenciones: an .xlsx with a summary sheet first, title rows above the header, personal columns
    wb = Workbook()
    resumen = wb.active
    resumen.title = "Resumen"
    resumen.append(["Resumen de atenciones", None])
    resumen.append(["Total", 1570])
    ws = wb.create_sheet("Detalle")
    ws.append(["AGENCIA NACIONAL DE MINERÍA"])
    ws.append(["Reporte de atenciones — marzo de 2024"])
    ws.append([])
    ws.append(["No. Radicado", "Nombre del ciudadano", "Fecha de Atención", "Canal de Atención", "Punto de Atención",
               "Tipificación", "¿Se resolvió en primer contacto?", "Documento", "Correo electrónico"])
    for r in _rows(contract_month / "atenciones.csv"):
        ws.append([r["id"], PERSONALES[0], _dmy(r["fecha"]), CANAL[r["canal"]], CIUDAD.get(r["punto"], r["punto"]),
                   r["tipo"], PRIMER[r["primer_contacto"]], PERSONALES[1], PERSONALES[2]])
    wb.save(target / "Reporte_Atenciones_2024-03-31.xlsx")
    # llamadas: Excel's «Texto Unicode» (UTF-16 with BOM, tab-separated), one day per line
    src = load_workbook(contract_month / "llamadas.xlsx", read_only=True)
    days = list(src.active.iter_rows(values_only=True))[1:]
    src.close()
    lines = ["Día\tLlamadas entrantes\tLlamadas atendidas\tSupervisor de turno"]
    lines += [f"{d:%d/%m/%Y}\t{e}\t{c}\t{PERSONALES[0]}" for d, e, c in days]
    (target / "Llamadas marzo 2024.txt").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))
    # encuestas: Windows-1252 with ";", two title lines, the header on line 3, a worded scale
    out = io.StringIO()
    out.write("Encuesta de satisfacción ANM;;;;;;;\nPeriodo: marzo de 2024;;;;;;;\n")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["ID respuesta", "Marca temporal", "Canal por el que fue atendido", "Correo del encuestado",
                     "¿Qué tan satisfecho quedó con la atención?", "Percepción del servicio (1 a 5)",
                     "Confianza en la Entidad (1 a 5)", "Observaciones"])
    for r in _rows(contract_month / "encuestas.csv"):
        writer.writerow([r["id"], r["fecha"], CANAL_ENCUESTA[r["canal"]], PERSONALES[2],
                         SATISFACCION[r["satisfaccion"]], r["percepcion"], r["confianza"], "Gracias por la atención"])
    (target / "encuesta_satisfaccion_2024-03.csv").write_bytes(out.getvalue().encode("cp1252"))
    # comunicaciones: UTF-8 with one title line above the header
    out = io.StringIO()
    out.write("Sistema de Gestión Documental — comunicaciones del canal virtual\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["No. Radicado", "Fecha de radicación", "Medio de recepción", "Tipo de comunicación", "Remitente"])
    for r in _rows(contract_month / "comunicaciones.csv"):
        writer.writerow([r["id"], r["fecha"], MEDIO[r["medio"]], SENTIDO[r["sentido"]], PERSONALES[0]])
    (target / "SGD_comunicaciones_marzo.csv").write_text(out.getvalue(), encoding="utf-8")
    shutil.copy(MAPEO, target / "fuentes.yaml")
    return target
