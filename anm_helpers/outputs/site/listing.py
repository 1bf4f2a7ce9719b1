"""What the site lists: every month folder under ``data/`` and under ``reports/``
(``AAAA-MM``) and every year deck (``reports/<AAAA>/informe-<AAAA>.*``), newest first,
grouped by year. A month is read from its published folder: its files (the registry's
outputs, ``metrics.json`` and any other output present; never ``notebooks/``, hidden files
or the build log), its headline figures from ``metrics.json``, its BORRADOR mark from
``diapositivas.json`` (a missing file: no mark), and its last build's failure from
``reports/.estado/<MES>.json``. No month is dropped: one never built, one whose build
failed and one whose ``metrics.json`` cannot be read are listed as such."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from anm_helpers.core import config, fmt
from anm_helpers.core.month import ANIO_RE, is_month
from anm_helpers.figures.year import published_draft
from anm_helpers.outputs import registry

CHANNELS = (("presencial", "Presencial"), ("telefonico", "Telefónico"), ("virtual", "Virtual"))
#: the files besides the registry's that a published month may hold and the site copies
EXTRA_FILES = ("metrics.json", "cambios.html")
#: each known file's link text (the month's name follows, for screen readers), in this order
LABELS = {"html": "Presentación (HTML)", "pdf": "PDF", "pptx": "PowerPoint", "cambios": "Qué cambió",
          "metrics": "Cifras (metrics.json)"}
YEAR_KINDS = (("html", "Presentación (HTML)"), ("pdf", "PDF"), ("pptx", "PowerPoint"))


@dataclass
class Link:
    texto: str
    ruta: str  # relative to the month's (or year's) folder in the site


@dataclass
class Month:
    mes: str
    con_datos: bool = False
    publicado: bool = False
    #: files to copy: paths relative to reports/<MES>/
    archivos: list[str] = field(default_factory=list)
    enlaces: list[Link] = field(default_factory=list)
    datos_abiertos: list[Link] = field(default_factory=list)
    tabla: dict | None = None
    borrador: bool = False
    fallida: str | None = None
    problemas: list[str] = field(default_factory=list)

    @property
    def titulo(self) -> str:
        return fmt.titulo_mes(self.mes)

    @property
    def en_frase(self) -> str:
        """``marzo de 2024``: the month inside a sentence."""
        return f"{fmt.nombre_mes(self.mes)} de {self.mes[:4]}"

    @property
    def anio(self) -> str:
        return self.mes[:4]


@dataclass
class Year:
    anio: str
    meses: list[Month] = field(default_factory=list)
    #: the year deck's files (relative to reports/<AAAA>/) and their links
    archivos: list[str] = field(default_factory=list)
    enlaces: list[Link] = field(default_factory=list)
    #: the months that make the year deck a draft (its metrics.json's meses_borrador), by name
    borrador: list[str] = field(default_factory=list)


def _visible(path: Path) -> bool:
    return not path.name.startswith(".")


def month_names() -> list[str]:
    """Every month with a folder in data/ or reports/ (AAAA-MM), newest first."""
    found = set()
    for folder in (config.DATA_DIR, config.REPORTS_DIR):
        if folder.is_dir():
            found |= {p.name for p in folder.iterdir() if is_month(p.name) and p.is_dir()}
    return sorted(found, reverse=True)


def published_files(folder: Path, mes: str) -> list[str]:
    """The month's files the site copies (relative paths, sorted): the registry's outputs,
    metrics.json and cambios.html, each present; a folder output's visible files."""
    names = list(dict.fromkeys([*registry.files(mes), *EXTRA_FILES]))
    out = []
    for name in names:
        path = folder / name
        if path.is_file():
            out.append(name)
        elif path.is_dir():
            out += sorted(p.relative_to(folder).as_posix() for p in path.rglob("*")
                          if p.is_file() and all(_visible(part) for part in p.relative_to(folder).parents
                                                 if part.name) and _visible(p))
    return sorted(out)


def _kind(name: str, mes: str) -> str | None:
    for salida in ("html", "pdf", "pptx"):
        if name == registry.archivo(salida, mes):
            return salida
    return {"cambios.html": "cambios", "metrics.json": "metrics"}.get(name)


def read_month(mes: str, with_data: bool) -> Month:
    """One month as the site lists it (call it holding the month's lock)."""
    month = Month(mes, con_datos=with_data)
    folder = config.report_dir(mes)
    _read_status(month)
    if not folder.is_dir():
        return month
    month.archivos = published_files(folder, mes)
    month.publicado = any(_kind(n, mes) in ("html", "pdf", "pptx") for n in month.archivos) or \
        "metrics.json" in month.archivos
    kinds = {_kind(n, mes): n for n in month.archivos}
    month.enlaces = [Link(LABELS[k], kinds[k]) for k in ("html", "pdf", "pptx", "cambios", "metrics") if k in kinds]
    open_data = registry.archivo("datos", mes)
    month.datos_abiertos = [Link(Path(n).name, n) for n in month.archivos if n.startswith(open_data + "/")]
    if "metrics.json" in month.archivos:
        month.tabla = _table(folder / "metrics.json", month)
    elif month.publicado:
        month.problemas.append(f"no se encontró reports/{mes}/metrics.json: el mes no muestra sus cifras")
    month.borrador = _draft(folder, month)
    return month


def _read_status(month: Month) -> None:
    path = config.status_file(month.mes)
    if not path.is_file():
        return
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        month.fallida = str(record.get("mensaje") or "sin mensaje")
    except (OSError, ValueError, AttributeError):
        month.fallida = f"no se pudo leer reports/{config.STATUS_DIR}/{month.mes}.json"


def _draft(folder: Path, month: Month) -> bool:
    """The cover's BORRADOR mark (``figures.year.published_draft``); a missing file: unknown,
    no mark; one that cannot be read: said."""
    draft = published_draft(folder)
    if draft is None:
        month.problemas.append(f"no se pudo leer reports/{month.mes}/diapositivas.json: "
                               "no se sabe si el mes es BORRADOR")
    return bool(draft)


def _table(path: Path, month: Month) -> dict | None:
    """The headline figures: interactions and first-contact resolution per channel,
    the total, the consolidated satisfaction and its method; each formatted es-CO."""
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(metrics, dict):
            raise ValueError("no es un objeto JSON")
    except (OSError, ValueError) as exc:
        reason = "no se puede abrir" if isinstance(exc, OSError) else "no es un JSON válido"
        month.problemas.append(f"no se pudo leer reports/{month.mes}/metrics.json ({reason}): "
                               "el mes no muestra sus cifras; vuelva a construirlo con make report MONTH="
                               f"{month.mes}")
        return None
    channels = [key for key, _ in CHANNELS]
    method = fmt.at_path(metrics, "encuestas.metodo")
    rows = [("Interacciones", [*(fmt.valor(f"interacciones.{k}", fmt.at_path(metrics, f"interacciones.{k}")) for k in channels),
                               fmt.valor("interacciones.total", fmt.at_path(metrics, "interacciones.total"))]),
            ("Resolución en el primer contacto",
             [*(fmt.valor(f"{k}.primer_contacto", fmt.at_path(metrics, f"{k}.primer_contacto"))
                if f"{k}.primer_contacto" in FIRST_CONTACT else "no aplica" for k in channels), ""]),
            (f"Satisfacción consolidada (método {method or fmt.SIN_DATOS})",
             ["", "", "", fmt.valor("encuestas.preguntas.satisfaccion.consolidado",
                                    fmt.at_path(metrics, "encuestas.preguntas.satisfaccion.consolidado"))])]
    return {"columnas": [name for _, name in CHANNELS] + ["Total"], "filas": rows}


#: the channels whose interactions are resolved or not at first contact (the virtual
#: channel's communications are not: REPORT-SPEC.md)
FIRST_CONTACT = ("presencial.primer_contacto", "telefonico.primer_contacto")

_YEAR_FILE = re.compile(r"^informe-(\d{4})\.(html|pdf|pptx)$")


def read_year_files(anio: str) -> tuple[list[str], list[Link]]:
    """The year deck's files in ``reports/<AAAA>/`` (``make year``) and their links."""
    folder = config.REPORTS_DIR / anio
    if not folder.is_dir():
        return [], []
    names = [f"informe-{anio}.{ext}" for ext, _ in YEAR_KINDS if (folder / f"informe-{anio}.{ext}").is_file()]
    links = [Link(label, f"informe-{anio}.{ext}") for ext, label in YEAR_KINDS if f"informe-{anio}.{ext}" in names]
    if names and (folder / "metrics.json").is_file():
        names.append("metrics.json")
        links.append(Link(LABELS["metrics"], "metrics.json"))
    return names, links


def _year_drafts(anio: str) -> list[str]:
    """The months the year deck was built with as drafts (``make year``: meses_borrador)."""
    try:
        drafts = json.loads((config.REPORTS_DIR / anio / "metrics.json").read_text(encoding="utf-8"))["meses_borrador"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [f"{fmt.nombre_mes(m)} de {m[:4]}" for m in drafts if isinstance(m, str) and is_month(m)]


def year_names() -> list[str]:
    """Years with a year deck folder under reports/ (AAAA)."""
    if not config.REPORTS_DIR.is_dir():
        return []
    return sorted(p.name for p in config.REPORTS_DIR.iterdir() if ANIO_RE.match(p.name) and p.is_dir())


def group(months: list[Month], year_files: dict[str, tuple[list[str], list[Link]]]) -> list[Year]:
    """Months grouped by year, newest first; a year with a year deck and no month listed too."""
    years = {}
    for anio in sorted({m.anio for m in months} | set(year_files), reverse=True):
        files, links = year_files.get(anio, ([], []))
        years[anio] = Year(anio, archivos=files, enlaces=links,
                           borrador=_year_drafts(anio) if "metrics.json" in files else [])
    for month in sorted(months, key=lambda m: m.mes, reverse=True):
        years[month.anio].meses.append(month)
    return list(years.values())
