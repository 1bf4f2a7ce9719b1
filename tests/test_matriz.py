"""The fault matrix (issue 24): every user command against every class of fault
the project refuses somewhere.

A part can be right and the seam between two parts wrong: an exception never
imported in a shared path turned every broken params file into «error
inesperado» in every command, while the tests of ``load_params`` passed. So each
cell runs the command as its user meets it (its ``main``, through ``cli.run``,
in this process: the matrix costs seconds, not a build per cell) and checks what
the user sees:

- the command exits non-zero (or, for a warning, says it and goes on);
- it says the same Spanish message, with file and line, that ``make check`` says
  for that fault (the message is computed by ``make check`` in the same run,
  never typed here);
- the last published report is byte-identical;
- nothing is written under ``reports/.registros/`` (that folder is for bugs);
- nothing is left in the system's temporary folder.

A cell that does not apply says why (``NO_APLICA``); none is skipped silently:
``test_every_cell_is_decided`` fails for a command or a fault without a decision.
Commands that would go on to run sections (a warning passes the data check) are
stopped right after the check by an interrupt, the user's Ctrl-C: what the cell
checks (the warning said, nothing lost) is decided before any kernel starts.

``make test`` runs one fault of each class against every command; ``make hostil``
(``ANM_MATRIZ=completa``) runs them all.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest

from anm_helpers.builder import month as month_build, publish, report as build, year as year_build
from anm_helpers.figures import check
from anm_helpers.core import cli, config
from anm_helpers.inputs import map_export as mapear, scaffold, sync
from anm_helpers.slides import seccion
from conftest import _remembered

MES = "2024-03"
SIGUIENTE = "2024-04"
COMPLETA = os.environ.get("ANM_MATRIZ") == "completa"


# --- the faults -------------------------------------------------------------------------
# Each prepares a copy of data/, params/ and notebooks/ (``base``); ``kind`` is "error" (the
# month is refused) or "aviso" (it is built, and the command says so). ``export`` names the
# faulty file a command that reads one export (make map-export) is given.

def _params(base: Path) -> Path:
    return base / "params" / f"{MES}.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer has {old!r}: the fault would plant nothing"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _at(base: Path, name: str) -> Path:
    return base / "data" / MES / name


def params_syntax(base):
    _edit(_params(base), "cifras_analistas:\n", "cifras_analistas:\n  orientaciones: [72\n")


def params_encoding(base):
    p = _params(base)
    p.write_bytes(p.read_text(encoding="utf-8").encode("cp1252"))


def params_empty(base):
    _params(base).write_text("# nada todavía\n", encoding="utf-8")


def params_duplicated_key(base):
    _edit(_params(base), "comentarios:\n", "comentarios:\n  percepcion: Un texto que YAML perdería.\n")


def params_nan(base):
    _edit(_params(base), "cifras_analistas:\n", "cifras_analistas:\n  cifra_rota: .nan\n")


def params_unknown_name(base):
    _edit(_params(base), "{periodo.mes} contiene", "{periodo.mesx} contiene")


def params_typed_number(base):
    _edit(_params(base), "contiene una muestra", "contiene una muestra de 1.000 personas")


def data_missing_table(base):
    _at(base, "comunicaciones.csv").unlink()


def data_bad_value(base):
    _edit(_at(base, "atenciones.csv"), ",si\n", ",quizás\n")


def data_wrong_month(base):
    p = _at(base, "comunicaciones.csv")
    p.write_text(p.read_text(encoding="utf-8").replace("2024-03-", "2024-04-"), encoding="utf-8")


def data_duplicated_header(base):
    _edit(_at(base, "comunicaciones.csv"), "id,fecha,medio,sentido\n", "id,fecha,medio,sentido,medio\n")
    p = _at(base, "comunicaciones.csv")
    lines = p.read_text(encoding="utf-8").splitlines()
    p.write_text("\n".join([lines[0]] + [f"{line},x" for line in lines[1:]]) + "\n", encoding="utf-8")


def data_look_alike(base):
    _edit(_at(base, "atenciones.csv"), ",presencial,", ",presencial\u200b,")


def data_unreadable(base):
    _at(base, "encuestas.csv").write_bytes(b"PK\x03\x04\x00\x00garbage\xff\xfe\x00\x00" * 50)


def mapping_unknown_header(base):
    (base / "data" / "fuentes.yaml").write_text(
        "atenciones:\n  columnas:\n    tipo: \"Tipificación del caso\"\n", encoding="utf-8")


def mapping_no_match(base):
    _at(base, "atenciones.csv").rename(_at(base, "Reporte-atenciones-marzo.csv"))
    _at(base, "fuentes.yaml").write_text("atenciones:\n  archivo: \"Reporte_Atenciones_*.xlsx\"\n",
                                         encoding="utf-8")


def mapping_contract_files(base):
    (base / "data" / "fuentes.yaml").write_text(
        "atenciones:\n  archivo: \"Reporte_Atenciones_*.xlsx\"\n  hoja: \"Detalle\"\n", encoding="utf-8")


FALLAS = {
    "params-sintaxis": ("error", params_syntax, None),
    "params-codificacion": ("error", params_encoding, None),
    "params-vacio": ("error", params_empty, None),
    "params-clave-repetida": ("error", params_duplicated_key, None),
    "params-nan": ("error", params_nan, None),
    "params-nombre-desconocido": ("error", params_unknown_name, None),
    "params-cifra-escrita": ("error", params_typed_number, None),
    "datos-tabla-faltante": ("aviso", data_missing_table, None),
    "datos-valor-invalido": ("error", data_bad_value, "atenciones.csv"),
    "datos-otro-mes": ("error", data_wrong_month, "comunicaciones.csv"),
    "datos-encabezado-repetido": ("error", data_duplicated_header, "comunicaciones.csv"),
    "datos-texto-parecido": ("aviso", data_look_alike, "atenciones.csv"),
    "datos-bytes-ilegibles": ("error", data_unreadable, "encuestas.csv"),
    "mapeo-encabezado-desconocido": ("error", mapping_unknown_header, None),
    "mapeo-patron-sin-archivo": ("error", mapping_no_match, None),
    "mapeo-archivos-del-contrato": ("aviso", mapping_contract_files, None),
}
#: environment faults: no file changes; each command meets them its own way
ENTORNO = ("entorno-reports-no-escribible", "entorno-construccion-simultanea", "entorno-interrupcion")
#: one fault of each class, for make test (make hostil runs every one)
RAPIDAS = {"params-clave-repetida", "params-nombre-desconocido", "datos-valor-invalido", "datos-texto-parecido",
           "mapeo-encabezado-desconocido", "mapeo-archivos-del-contrato", *ENTORNO}

COMANDOS = ("report", "check", "preview", "year", "new-month", "map-export", "sync-notebooks", "seccion")

#: (command, fault or class) -> why the cell does not apply
_DATOS = [f for f in FALLAS if f.startswith(("datos-", "mapeo-"))]
_PARAMS = [f for f in FALLAS if f.startswith("params-")]
NO_APLICA: dict[tuple[str, str], str] = {
    **{("sync-notebooks", f): "solo lee y escribe los cuadernos: no lee datos, params ni el mapeo"
       for f in [*FALLAS, "entorno-reports-no-escribible", "entorno-construccion-simultanea"]},
    **{("map-export", f): "propone cómo leer una exportación: no lee params/" for f in _PARAMS},
    **{("map-export", f): "no lee data/fuentes.yaml: propone una entrada nueva"
       for f in FALLAS if f.startswith("mapeo-")},
    ("map-export", "datos-tabla-faltante"): "recibe un archivo (FILE=…): sin archivo, su propio mensaje",
    **{("new-month", f): "crea un mes nuevo vacío: lee de los meses anteriores solo los encabezados"
       for f in _DATOS},
    **{("new-month", f): "copia solo la estructura de params: los textos y cifras no pasan al mes nuevo"
       for f in ("params-nan", "params-nombre-desconocido", "params-cifra-escrita")},
    ("new-month", "params-vacio"): "un params vacío no tiene estructura que copiar: el mes nuevo toma la de "
                                   "por defecto (tests/test_scaffold.py)",
    **{(c, "entorno-reports-no-escribible"): "no escribe en reports/"
       for c in ("check", "new-month", "map-export", "seccion")},
    **{(c, "entorno-construccion-simultanea"): "no construye: no toma el candado del mes"
       for c in ("check", "new-month", "map-export", "seccion")},
    ("preview", "entorno-construccion-simultanea"): "la vista previa tiene su carpeta y su candado propios "
                                                    "(reports/.preview/): no choca con make report",
    ("preview", "entorno-interrupcion"): "Ctrl-C es como se detiene la vista previa (tests/test_preview.py)",
    ("seccion", "entorno-interrupcion"): "JupyterLab interrumpe el kernel por su cuenta",
}


def test_every_cell_is_decided():
    """Every command against every fault: a cell that runs, or one that says why not."""
    for comando in COMANDOS:
        for falla in [*FALLAS, *ENTORNO]:
            assert (comando, falla) in NO_APLICA or callable(globals()[f"run_{comando.replace('-', '_')}"])
    assert all(c in COMANDOS and (f in FALLAS or f in ENTORNO) for c, f in NO_APLICA)


def _cells():
    out = []
    for comando in COMANDOS:
        for falla in [*FALLAS, *ENTORNO]:
            if (comando, falla) in NO_APLICA:
                continue
            marks = [] if COMPLETA or falla in RAPIDAS else [pytest.mark.skip(reason="make hostil: ANM_MATRIZ=completa")]
            out.append(pytest.param(comando, falla, id=f"{comando}-{falla}", marks=marks))
    return out


# --- the world a cell runs in -------------------------------------------------------------

class Mundo:
    """Copies of data/, params/ and notebooks/ with one fault planted, a reports/ with a
    published report, an empty temporary folder; config pointing at them."""

    def __init__(self, base: Path, monkeypatch):
        self.base = base
        self.reports = base / "reports"
        self.tmp = base / "tmp"
        self.tmp.mkdir()
        published = self.reports / MES
        published.mkdir(parents=True)
        (published / f"informe-{MES}.html").write_text("<p>el informe publicado</p>", encoding="utf-8")
        (published / "metrics.json").write_text('{"publicado": true}\n', encoding="utf-8")
        self.before = self.published()
        for name, attr in (("data", "DATA_DIR"), ("params", "PARAMS_DIR"), ("notebooks", "NOTEBOOKS_DIR")):
            monkeypatch.setattr(config, attr, base / name)
        monkeypatch.setattr(config, "REPORTS_DIR", self.reports)
        monkeypatch.setenv("ANM_PRECALENTAR", "no")
        monkeypatch.setenv("TMPDIR", str(self.tmp))
        monkeypatch.setattr(tempfile, "tempdir", str(self.tmp))

    def published(self) -> dict:
        return {p.relative_to(self.reports).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(self.reports.rglob("*")) if p.is_file() and p.parts[len(self.reports.parts)] == MES}

    def assert_nothing_lost(self) -> None:
        assert self.published() == self.before, "the published report changed"
        assert not (self.reports / ".registros").exists(), "a bug log was written: " + \
            "".join(p.read_text() for p in (self.reports / ".registros").iterdir())
        assert sorted(os.listdir(self.tmp)) == [], f"left in the temporary folder: {os.listdir(self.tmp)}"


@pytest.fixture(scope="module")
def _copias(tmp_path_factory):
    """data/, params/ and notebooks/ copied once; each cell gets a hard-linked copy."""
    base = tmp_path_factory.mktemp("original")
    for name, src in (("data", config.DATA_DIR), ("params", config.PARAMS_DIR), ("notebooks", config.NOTEBOOKS_DIR)):
        shutil.copytree(src, base / name)
    return base


@pytest.fixture
def mundo(_copias, tmp_path, monkeypatch):
    from anm_helpers.inputs import dataset

    for name in ("data", "params", "notebooks"):  # copies, never links: faults edit files in place
        shutil.copytree(_copias / name, tmp_path / name)
    monkeypatch.setattr(dataset, "load_month", _remembered(dataset.load_month))
    monkeypatch.setattr(seccion, "_estilo_interactivo", lambda: None)
    monkeypatch.setattr(seccion, "_interactivo", False)
    return Mundo(tmp_path, monkeypatch)


class Detenido(KeyboardInterrupt):
    """The user's Ctrl-C, once the data check passed (no kernel started in a cell)."""


class _NoPool:
    def shutdown(self, *args, **kwargs) -> None:
        pass


def _stop_after_check(monkeypatch):
    """The build goes as far as its data check; then Ctrl-C in the faulty month, while the
    year's other months publish nothing but their folder (no kernel, no browser)."""
    from anm_helpers.builder import runner

    def stop(paths, staging, mes, *args, **kwargs):
        if mes == MES:
            raise Detenido
        return []
    monkeypatch.setattr(month_build, "_run_sections", stop)
    monkeypatch.setattr(month_build, "write_outputs", lambda *a, **k: None)
    monkeypatch.setattr(runner, "pool", lambda *a, **k: _NoPool())
    monkeypatch.setenv("ANM_SALIDAS", "")


def _run(main, argv, capfd) -> tuple[int, str, str]:
    capfd.readouterr()
    code = main(argv)
    out, err = capfd.readouterr()
    return code, out, err


# --- each command, as its user runs it ------------------------------------------------------

def run_check(m, capfd, monkeypatch):
    return _run(check.main, ["--", MES], capfd)


def run_report(m, capfd, monkeypatch):
    return _run(build.main, ["--workers", "1", "--", MES], capfd)


def run_year(m, capfd, monkeypatch):
    return _run(build.main, ["--anio", MES[:4], "--workers", "1"], capfd)


def run_new_month(m, capfd, monkeypatch):
    return _run(scaffold.main, ["--", SIGUIENTE], capfd)


def run_map_export(m, capfd, monkeypatch, export: str | None = None):
    path = m.base / "data" / MES / (export or "atenciones.csv")
    return _run(mapear.main, ["--", str(path), path.stem], capfd)


def run_sync_notebooks(m, capfd, monkeypatch):
    return _run(sync.main, [], capfd)


def run_seccion(m, capfd, monkeypatch):
    """What the first cell of a section runs in JupyterLab (no build's context holds):
    the error as IPython shows it (``_render_traceback_``), else its warnings."""
    from anm_helpers.core.errors import InformeError

    capfd.readouterr()
    try:
        s = seccion.abrir(MES)
    except InformeError as exc:
        return 1, "", "\n".join(exc._render_traceback_()) + "\n"
    out = "\n".join(f"  ! aviso: {a}" for a in s.ctx.get("avisos", []))
    out += "\n" + "\n".join(f"  · texto normalizado: {x}" for x in s.ctx.get("normalizados", []))
    out += "\n" + "\n".join(f"  · {x}" for x in s.ctx.get("notas", []))
    return 0, out, capfd.readouterr().err


def run_preview(m, capfd, monkeypatch):
    """make preview's first build, and what its page reads from ``/__estado``."""
    from anm_helpers.preview.app import Preview
    from anm_helpers.preview.server import make_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out, err = io.StringIO(), io.StringIO()
    p = Preview(MES, port, out=out, err=err)
    p.server = make_server(MES, port, p.deck, p.state)
    threading.Thread(target=p.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        try:
            with cli.scratch_folder():
                p.rebuild(first=True)
        except Detenido:
            return 130, out.getvalue(), err.getvalue()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__estado", timeout=10) as r:
            estado = json.loads(r.read().decode("utf-8"))
    finally:
        p.close()
    return (1 if estado["error"] else 0), out.getvalue(), (f"ERROR: {estado['error']}\n" if estado["error"] else "")


# --- the cells --------------------------------------------------------------------------------

#: what make check said for each fault in this process (the same files give the same words)
_SAID: dict[str, tuple[str, str]] = {}


def _check_message(falla, m, capfd, monkeypatch) -> tuple[str, str]:
    """What make check says for the planted fault: (errors, notices)."""
    if falla not in _SAID:
        code, out, err = run_check(m, capfd, monkeypatch)
        assert "Traceback" not in out + err and "inesperado" not in err, err
        _SAID[falla] = err, out
    return _SAID[falla]


def _lines(text: str, prefix: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith(prefix)]


@pytest.mark.parametrize("comando,falla", _cells())
def test_cell(comando, falla, mundo, capfd, monkeypatch):
    runner = globals()[f"run_{comando.replace('-', '_')}"]
    if falla in ENTORNO:
        return _environment_cell(comando, falla, mundo, capfd, monkeypatch, runner)
    kind, plant, export = FALLAS[falla]
    plant(mundo.base)
    errors, notices = _check_message(falla, mundo, capfd, monkeypatch)
    if kind == "error":
        assert errors.startswith("ERROR: "), f"make check said no error for {falla}: {notices}"
        message = errors.removeprefix("ERROR: ").strip()
        assert ", línea " in message or ", fila " in message or "/" in message, f"not located: {message}"
    else:
        assert not errors, errors
        # what every command says of it (make check's own lines, such as where to list the
        # figures or that the month will be a BORRADOR, are worded for make check)
        said = [line for line in _lines(notices, "! ") + _lines(notices, "· ")
                if not line.startswith(("! el mes está sin terminar", "· las cifras que", "· sin params"))]
        assert said, f"make check said nothing of {falla}:\n{notices}"
    if kind == "aviso":
        _stop_after_check(monkeypatch)
    kwargs = {"export": export} if comando == "map-export" else {}
    code, out, err = runner(mundo, capfd, monkeypatch, **kwargs)
    shown = out + err
    assert "Traceback" not in shown and "inesperado" not in shown, shown
    if comando == "new-month":
        # the previous month's params are read for their structure: a file that cannot be read is
        # said as make check says it, and nothing of the new month is created
        assert code == 1 and message in err, err
        assert not (mundo.base / "params" / f"{SIGUIENTE}.yaml").exists()
    elif comando == "map-export":
        if kind == "error":
            assert code in (0, 1), shown
            if code == 1:
                assert err.startswith("ERROR: ") and export in err, err
        else:
            assert code == 0, shown
    elif kind == "error":
        assert code == 1, shown
        assert message in shown, f"{comando} did not say what make check says:\n{message}\n---\n{shown}"
    else:
        assert code in (0, 130), shown
        for line in said:
            assert line in shown, f"{comando} did not say «{line}»:\n{shown}"
    mundo.assert_nothing_lost()


def _environment_cell(comando, falla, m, capfd, monkeypatch, runner):
    if falla == "entorno-reports-no-escribible":
        blocker = m.base / "un-archivo"
        blocker.write_text("x")
        monkeypatch.setattr(config, "REPORTS_DIR", blocker / "reports")
        code, out, err = runner(m, capfd, monkeypatch)
        assert code == 1 and err.startswith("ERROR: no se puede escribir en ") and "un-archivo" in err, out + err
    elif falla == "entorno-construccion-simultanea":
        with publish.month_lock(config.REPORTS_DIR, MES):
            code, out, err = runner(m, capfd, monkeypatch)
        assert code == 1 and f"ya hay otra construcción de {MES} en curso" in err, out + err
    else:  # Ctrl-C (or kill) while the command works
        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt
        for module, name in ((check, "review"), (scaffold, "scaffold"), (mapear, "propose"),
                             (sync, "sync_pairs"), (month_build, "sync_pairs"), (year_build, "sync_pairs")):
            monkeypatch.setattr(module, name, interrupted)
        code, out, err = runner(m, capfd, monkeypatch)
        assert code == 130 and err.strip().endswith(cli.INTERRUMPIDO), out + err
        assert not (m.base / "params" / f"{SIGUIENTE}.yaml").exists()
    assert "Traceback" not in out + err and "inesperado" not in err
    m.assert_nothing_lost()


def test_a_broken_shared_error_path_turns_cells_red(mundo, capfd, monkeypatch):
    """The net catches what slipped through before: with ``ParametrosInvalidos`` no longer
    a name in check.py (as it was), make check and make report fail their cells."""
    params_duplicated_key(mundo.base)
    monkeypatch.delattr(check, "ParametrosInvalidos")
    code, out, err = run_check(mundo, capfd, monkeypatch)
    assert "inesperado" in err  # the cell's assertion would fail: the bug is seen
    shutil.rmtree(mundo.reports / ".registros", ignore_errors=True)


def test_a_section_opened_on_its_own_shows_the_message_not_a_traceback(mundo, capfd):
    """JupyterLab (IPython) shows a project error as make check words it: ``_render_traceback_``."""
    from IPython.core.interactiveshell import InteractiveShell

    params_duplicated_key(mundo.base)
    message = _check_message("params-clave-repetida", mundo, capfd, None)[0].removeprefix("ERROR: ").strip()
    shell = InteractiveShell.instance()
    try:
        capfd.readouterr()
        shell.run_cell(f"from anm_helpers.slides import seccion\ns = seccion.abrir({MES!r})")
        out, err = capfd.readouterr()
    finally:
        InteractiveShell.clear_instance()
    assert message in out + err and "Traceback" not in out + err, out + err


def test_make_cifras_lists_the_names_a_narrative_may_use_before_any_build(mundo, capfd):
    """Before the first build there is no metrics.json: make cifras lists every name with its
    value, as the build would write it."""
    from anm_helpers.figures.context import build_context

    code, out, err = _run(check.main, ["--cifras=presencial.atendidas", "--", MES], capfd)
    assert code == 0 and not err, err
    cifras = build_context(MES)["cifras"]
    listed = {line.split()[0]: line.split(None, 1)[1] for line in out.splitlines()[1:]}
    assert listed == {f"{{{k}}}": str(v) for k, v in cifras.items() if "presencial.atendidas" in k}
    assert "{presencial.atendidas}" in listed and not list(mundo.reports.glob(f"{MES}/.huella"))
