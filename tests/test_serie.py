"""The series dataset for the open-data portal (``outputs.series``, issue 27 item 3):
the months' published ``metrics.json`` as one Frictionless package of long tables,
with the portal's metadata and the licence the agency declares in
``params/publicacion.yaml``. Cheap: the months are the shared March 2024 build's
``metrics.json`` copied under other months with other values."""
from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from anm_helpers.core import config
from anm_helpers.core.errors import ParametrosInvalidos, SerieInvalida
from anm_helpers.inputs.publication import load_publication
from anm_helpers.outputs import open_data, series

#: month -> (shift of every count, factor of every share, survey method): three months with a gap (2024-03)
MONTHS = {"2024-01": (-40, 0.97, "promedio"), "2024-02": (0, 1.0, "promedio"), "2024-04": (25, 0.9, "top2")}
NOT_IN_SERIES = ("mes_anterior", "anio_anterior", "puntos_principales", "acumulado")


def _varied(metrics: dict, month: str) -> dict:
    """March's figures as another month's: counts shifted, shares scaled, the method set,
    the total kept the sum of its channels (as a build writes it)."""
    shift, factor, method = MONTHS[month]

    def walk(node):
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, bool) or not isinstance(node, (int, float)):
            return node
        return max(node + shift, 0) if isinstance(node, int) else node * factor

    out = walk(copy.deepcopy(metrics))
    out["mes"], out["encuestas"]["metodo"] = month, method
    inter = out["interacciones"]
    inter["total"] = sum(inter[c] for c in ("presencial", "telefonico", "virtual"))
    return out


def _figures(metrics: dict) -> dict[str, object]:
    """Every figure the series should hold, by its dotted path: the leaves of metrics.json
    but the month, the method, a question the survey does not have, and what the
    series leaves out."""
    out = {}

    def walk(node, path):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, (*path, key))
            elif value is not None or path[-1:] != ("preguntas",):
                out[".".join((*path, key))] = value

    walk({k: v for k, v in metrics.items() if k not in NOT_IN_SERIES}, ())
    del out["mes"], out["encuestas.metodo"]
    return out


def _read(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


@pytest.fixture
def reports(built_2024_03, tmp_path) -> tuple[Path, dict[str, dict]]:
    """A reports folder holding the three varied months (and nothing for 2024-03)."""
    march = json.loads((built_2024_03[0] / "metrics.json").read_text(encoding="utf-8"))
    folder, months = tmp_path / "reports", {}
    for month in MONTHS:
        months[month] = _varied(march, month)
        (folder / month).mkdir(parents=True)
        (folder / month / "metrics.json").write_text(json.dumps(months[month], ensure_ascii=False), encoding="utf-8")
    return folder, months


@pytest.fixture
def publication(tmp_path, monkeypatch):
    """Write a ``params/publicacion.yaml`` of one's own (``None``: no file)."""
    params = tmp_path / "params"
    params.mkdir()
    monkeypatch.setattr(config, "PARAMS_DIR", params)

    def write(text: str | None) -> Path:
        path = params / "publicacion.yaml"
        if text is not None:
            path.write_text(text, encoding="utf-8")
        return path
    return write


def _write(reports, tmp_path, name="serie") -> tuple[Path, list[str]]:
    folder = tmp_path / name
    folder.mkdir()
    return folder, series.write_series(reports[0], list(MONTHS), folder)


DECLARED = """licencia: CC-BY-4.0
publicador: Agencia Nacional de Minería
contacto:
  nombre: Grupo de Atención al Usuario
  correo: datos@anm.gov.co
"""


def test_the_package_validates_with_frictionless(reports, publication, tmp_path):
    from frictionless import Package, validate

    publication(DECLARED)
    folder, _ = _write(reports, tmp_path)
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    package = Package(str(folder / "datapackage.json"))
    assert [r.name for r in package.resources] == list(series.TABLES)
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{t}.csv" for t in series.TABLES] + ["datapackage.json"])
    for resource in package.resources:
        assert resource.title and resource.description and resource.encoding == "utf-8"
        assert all(f.title and f.description for f in resource.schema.fields)
        assert [f.name for f in resource.schema.fields] == list(_read(folder / resource.path)[0])
    # a value changed after writing is caught by the hash the package declares
    path = folder / "interacciones.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",conteo,", ",conteo ,", 1), encoding="utf-8")
    assert not validate(str(folder / "datapackage.json")).valid


def test_every_row_is_the_months_metrics_json(reports, publication, tmp_path):
    publication(None)
    folder, _ = _write(reports, tmp_path)
    rows = {t: _read(folder / f"{t}.csv") for t in series.TABLES}
    for month, metrics in reports[1].items():
        written = {r["clave"]: r for t in rows.values() for r in t if r["mes"] == month}
        expected = _figures(metrics)
        assert set(written) == set(expected), month
        for key, value in expected.items():
            text = written[key]["valor"]
            if value is None:
                assert text == "", key
            elif isinstance(value, int):
                assert text == str(value), key
            else:
                assert float(text) == value and "e" not in text, key  # unrounded, no exponent
        assert {r["metodo"] for r in rows["encuestas"] if r["mes"] == month} == {metrics["encuestas"]["metodo"]}
        by_channel = {r["canal"]: int(r["valor"]) for r in rows["interacciones"] if r["mes"] == month}
        assert by_channel["total"] == by_channel["presencial"] + by_channel["telefonico"] + by_channel["virtual"]
        assert by_channel["total"] == metrics["interacciones"]["total"]
    assert "2024-03" not in {r["mes"] for t in rows.values() for r in t}
    for table, found in rows.items():  # sorted by month, figure, channel, (question,) category
        assert found == sorted(found, key=series._sort_key), table


def test_every_figure_of_metrics_json_has_a_table_or_is_left_out_on_purpose():
    templates = {series._template(pattern) for pattern, _, _ in open_data.FIGURAS}
    assert templates == set(series.PLACES) | set(series.LEFT_OUT)
    assert {place[0] for place in series.PLACES.values()} == set(series.TABLES)


def test_portal_metadata(reports, publication, tmp_path):
    publication(DECLARED)
    folder, warnings = _write(reports, tmp_path)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert "Agencia Nacional de Minería" in package["title"] and ".csv" not in package["title"]
    assert "enero de 2024" in package["description"] and "abril de 2024" in package["description"]
    assert "sin informe publicado: marzo de 2024" in package["description"]
    assert "métodos distintos" in package["description"]  # January and April were measured differently
    assert package["keywords"]
    portal = package["portal"]
    assert portal["frecuencia_actualizacion"] == "mensual" and portal["idioma"] == "es"
    assert portal["periodo"] == {"primer_mes": "2024-01", "ultimo_mes": "2024-04", "meses": list(MONTHS),
                                 "meses_faltantes": ["2024-03"]}
    assert portal["metodos_encuesta"] == {m: v[2] for m, v in MONTHS.items()}
    assert portal["fecha_creacion"] == package["created"] == "2024-01-01T00:00:00Z"
    assert portal["fecha_actualizacion"] == "2024-04-01T00:00:00Z"
    assert portal["publicador"] == "Agencia Nacional de Minería"
    assert portal["contacto"] == {"nombre": "Grupo de Atención al Usuario", "correo": "datos@anm.gov.co"}
    assert {"title": "Grupo de Atención al Usuario", "email": "datos@anm.gov.co", "role": "contact"} \
        in package["contributors"]
    assert package["licenses"] == [{"name": "CC-BY-4.0", "title": "Creative Commons Atribución 4.0 Internacional",
                                    "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert portal["licencia"] == "CC-BY-4.0"
    assert warnings == ["la serie mezcla métodos de encuesta (promedio: 2024-01, 2024-02; top2: 2024-04); "
                        "encuestas.csv dice el método de cada mes"]


def test_an_undeclared_licence_is_a_warning_and_no_licence(reports, publication, tmp_path):
    publication((config.PROJ_ROOT / "params" / "publicacion.yaml").read_text(encoding="utf-8"))  # as shipped
    folder, warnings = _write(reports, tmp_path)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "licenses" not in package and "licencia" not in package["portal"]
    assert "contacto" not in package["portal"] and all(c["role"] != "contact" for c in package["contributors"])
    licence = [w for w in warnings if w.startswith("la licencia")]
    assert licence and "params/publicacion.yaml" in licence[0] and "CC-BY-4.0" in licence[0]
    assert any(w.startswith("el contacto") for w in warnings)


def test_the_shipped_file_declares_no_licence_nor_contact():
    shipped = load_publication(config.PROJ_ROOT / "params" / "publicacion.yaml")
    assert shipped.license is None and shipped.contact_email is None and shipped.publisher


@pytest.mark.parametrize("text, line, said", [
    ("publicador: ANM\nlicensia: CC-BY-4.0\n", 2, "¿Quiso decir «licencia»?"),
    ("licencia: CC-BY-4\n", 1, "¿Quiso decir «CC-BY-4.0»"),
    ("contacto:\n  nombre: GAPCC\n  corre: datos@anm.gov.co\n", 3, "¿Quiso decir «correo»?"),
    ("contacto:\n  correo: datos arroba anm\n", 2, '"datos arroba anm" no es una dirección de correo'),
    ("licencia: [CC-BY-4.0]\n", 1, "no es el identificador de una licencia"),
])
def test_a_mistake_in_publicacion_yaml_names_file_and_line(publication, text, line, said):
    publication(text)
    with pytest.raises(ParametrosInvalidos) as error:
        load_publication()
    assert f"params/publicacion.yaml, línea {line}" in str(error.value) and said in str(error.value)


def test_the_command_prints_the_mistake_in_spanish(reports, tmp_path):
    params = tmp_path / "params"
    params.mkdir()
    (params / "publicacion.yaml").write_text("licencia: CC-BY-4.0\npublicador: ANM\ncontato:\n", encoding="utf-8")
    env = {**os.environ, "ANM_REPORTS_DIR": str(reports[0]), "ANM_PARAMS_DIR": str(params)}
    command = [sys.executable, "-m", "anm_helpers.outputs.series", str(tmp_path / "serie")]
    refused = subprocess.run(command, cwd=config.PROJ_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("ERROR: params/publicacion.yaml, línea 3, clave contato:")
    assert "¿Quiso decir «contacto»?" in refused.stderr
    (params / "publicacion.yaml").write_text("licencia: CC0-1.0\n", encoding="utf-8")
    done = subprocess.run(command, cwd=config.PROJ_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{len(MONTHS)} mes(es)" in done.stdout and "! aviso: el contacto" in done.stdout
    package = json.loads((tmp_path / "serie" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC0-1.0"


def test_same_months_same_bytes_and_source_date_epoch(reports, publication, tmp_path, monkeypatch):
    publication(DECLARED)
    first, _ = _write(reports, tmp_path, "una")
    again, _ = _write(reports, tmp_path, "otra")
    assert {p.name: p.read_bytes() for p in first.iterdir()} == {p.name: p.read_bytes() for p in again.iterdir()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01
    dated, _ = _write(reports, tmp_path, "fechada")
    portal = json.loads((dated / "datapackage.json").read_text(encoding="utf-8"))["portal"]
    assert portal["fecha_creacion"] == portal["fecha_actualizacion"] == "2024-06-01T00:00:00Z"


@pytest.mark.parametrize("change, said", [
    (lambda m: m["interacciones"].update(total=m["interacciones"]["total"] + 1),
     "reports/2024-02/metrics.json: interacciones.total es"),
    (lambda m: m["telefonico"].update(entrantes="mil"),
     "reports/2024-02/metrics.json: la cifra telefonico.entrantes no es un número"),
])
def test_a_month_whose_figures_contradict_themselves_is_refused(reports, publication, tmp_path, change, said):
    publication(None)
    path = reports[0] / "2024-02" / "metrics.json"
    metrics = json.loads(path.read_text(encoding="utf-8"))
    change(metrics)
    path.write_text(json.dumps(metrics), encoding="utf-8")
    with pytest.raises(SerieInvalida, match=said):
        _write(reports, tmp_path)


def test_an_unreadable_month_is_left_out_and_said(reports, publication, tmp_path):
    publication(None)
    (reports[0] / "2024-02" / "metrics.json").write_text("{", encoding="utf-8")
    folder, warnings = _write(reports, tmp_path)
    assert any("reports/2024-02/metrics.json no se pudo leer" in w for w in warnings)
    periodo = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["portal"]["periodo"]
    assert periodo["meses"] == ["2024-01", "2024-04"] and periodo["meses_faltantes"] == ["2024-02", "2024-03"]
