"""Open data (``reports/<MES>/datos-abiertos/``): the month's figures as tidy CSV,
the series of every month up to it, and a Frictionless Data Package that
describes them, validated with the ``frictionless`` library; the same numbers as
``metrics.json``; the series the same whatever order months were built in."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from anm_helpers.builder import freshness
from anm_helpers.core import config
from anm_helpers.outputs import open_data as datos_abiertos
from conftest import run_build

COLUMNAS = ["mes", "clave", "indicador", "categoria", "valor", "unidad", "definicion"]


def leer_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def hojas(tree: dict, prefix: tuple = ()):
    """(path, value) of every numeric leaf of metrics.json."""
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from hojas(value, (*prefix, key))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield ".".join((*prefix, key)), value


def valor(text: str):
    if text == "":
        return None
    return float(text) if any(c in text for c in ".eE") else int(text)


def assert_same_numbers(rows: list[dict], metricas: dict) -> None:
    """Every numeric leaf of metrics.json is one row, with the same value and type; no other numbers."""
    mine = [r for r in rows if r["mes"] == metricas["mes"]]
    claves = [r["clave"] for r in mine]
    assert len(claves) == len(set(claves)), "una cifra repetida"
    by_key = {r["clave"]: r for r in mine}
    leaves = dict(hojas({k: v for k, v in metricas.items() if k not in datos_abiertos.NO_CIFRAS}))
    for path, expected in leaves.items():
        assert path in by_key, f"{path} no está en el CSV"
        got = valor(by_key[path]["valor"])
        assert got == expected and type(got) is type(expected), f"{path}: {got!r} ≠ {expected!r}"
        assert by_key[path]["unidad"] == ("conteo" if isinstance(expected, int) else "proporción"), path
    extra = {k for k, r in by_key.items() if r["valor"] != ""} - set(leaves)
    assert not extra, f"cifras que metrics.json no tiene: {extra}"


# --- the build -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def en_desorden(tmp_path_factory, built_2024_03, built_2026_02):
    """One reports folder, months built out of order: 2026-02, then 2024-03 (earlier),
    then 2026-02 again, then once more. The series of each build, as it was. The
    deck, metrics.json and the open data only: no PDF or PowerPoint no test here opens.
    What is at stake is the series, not executing sections: the folder starts with the
    build's own cache of the shared builds of the same data, params and code (checked
    contexts and executed sections), so no section runs again."""
    reports = tmp_path_factory.mktemp("reports")
    for built in (built_2024_03, built_2026_02):
        shutil.copytree(built[0].parent / ".cache", reports / ".cache", dirs_exist_ok=True)
    serie = lambda mes: (reports / mes / "datos-abiertos" / f"cifras-hasta-{mes}.csv").read_bytes()  # noqa: E731
    results, series = [], []
    for mes in ("2026-02", "2024-03", "2026-02", "2026-02"):
        result = run_build(mes, reports, salidas="datos")
        assert result.returncode == 0, result.stderr + result.stdout
        results.append(result)
        series.append(serie(mes))
    return reports, results, series


def test_the_build_writes_the_open_data(built_2024_03):
    folder, result = built_2024_03
    abiertos = folder / "datos-abiertos"
    assert sorted(p.name for p in abiertos.iterdir()) == [
        "cifras-2024-03.csv", "cifras-hasta-2024-03.csv", "datapackage.json", "puntos-principales-2024-03.csv"]
    assert "✓ datos abiertos: 90 cifras, serie de 1 mes(es)" in result.stdout


@pytest.mark.parametrize("mes", ["2024-03", "2026-02"])
def test_package_is_valid_and_describes_every_column(en_desorden, mes):
    from frictionless import Package, validate

    reports = en_desorden[0]
    abiertos = reports / mes / "datos-abiertos"
    report = validate(str(abiertos / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    package = Package(str(abiertos / "datapackage.json"))
    assert [r.name for r in package.resources] == [f"cifras-{mes}", f"cifras-hasta-{mes}", f"puntos-principales-{mes}"]
    assert [f.name for f in package.resources[2].schema.fields] == ["mes", "orden", "regla", "texto", "cifras"]
    for resource in package.resources[:2]:
        assert resource.encoding == "utf-8" and resource.format == "csv"
        assert resource.title and resource.description
        fields = resource.schema.fields
        assert [f.name for f in fields] == COLUMNAS
        assert all(f.title and f.description for f in fields)
        assert {f.name: f.type for f in fields} == {
            "mes": "yearmonth", "clave": "string", "indicador": "string", "categoria": "string",
            "valor": "number", "unidad": "string", "definicion": "string"}
        assert resource.schema.primary_key == ["mes", "clave"]
    rows = leer_csv(abiertos / f"cifras-{mes}.csv")
    assert list(rows[0]) == COLUMNAS
    assert {r["mes"] for r in rows} == {mes}
    assert all(r["definicion"] and r["definicion"] != datos_abiertos.SIN_DEFINICION for r in rows)
    assert all("," not in r["valor"] for r in rows)  # dot decimals, no thousands separator


@pytest.mark.parametrize("mes", ["2024-03", "2026-02"])
def test_same_numbers_as_metrics_json(en_desorden, mes):
    folder = en_desorden[0] / mes
    metricas = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert_same_numbers(leer_csv(folder / "datos-abiertos" / f"cifras-{mes}.csv"), metricas)


def test_series_holds_the_months_up_to_the_report_whatever_the_build_order(en_desorden, built_2024_03):
    reports, results, series = en_desorden
    first_feb, march, feb_again, feb_unchanged = results
    # built first, 2026-02 has no earlier month; 2024-03, built later, never holds 2026-02
    assert "serie de 1 mes(es)" in first_feb.stdout and "serie de 1 mes(es)" in march.stdout
    # once 2024-03 is published, 2026-02 is out of date (not «sin cambios») and its series holds both
    unchanged = "sin cambios desde la última construcción"
    assert unchanged not in feb_again.stdout and "serie de 2 mes(es)" in feb_again.stdout
    assert unchanged in feb_unchanged.stdout
    rows = leer_csv(reports / "2026-02" / "datos-abiertos" / "cifras-hasta-2026-02.csv")
    assert [m for m in dict.fromkeys(r["mes"] for r in rows)] == ["2024-03", "2026-02"]
    for mes in ("2024-03", "2026-02"):
        assert_same_numbers(rows, json.loads((reports / mes / "metrics.json").read_text(encoding="utf-8")))
    # the month's rows in the series are the month's own file, byte for byte
    monthly = (reports / "2026-02" / "datos-abiertos" / "cifras-2026-02.csv").read_bytes()
    assert series[2].endswith(monthly.split(b"\r\n", 1)[1])
    # 2024-03 built beside a later month gives what it gives alone, byte for byte
    for name in ("cifras-2024-03.csv", "cifras-hasta-2024-03.csv", "datapackage.json"):
        alone = (built_2024_03[0] / "datos-abiertos" / name).read_bytes()
        assert (reports / "2024-03" / "datos-abiertos" / name).read_bytes() == alone, name


# --- the module, without a build --------------------------------------------------------

def metricas(mes: str, **extra) -> dict:
    out = {"mes": mes, "interacciones": {"presencial": 10, "telefonico": 5, "virtual": 0, "total": 15},
           "presencial": {"atendidas": 10, "primer_contacto": 0.00001, "por_punto": {"PAR Sta. Marta": 10}},
           "telefonico": {"atendidas": 5, "primer_contacto": None},
           "encuestas": {"metodo": "top2", "preguntas": {"claridad": None}, "indice_anm": 1.0}}
    out.update(extra)
    return out


def publicar(reports, mes: str, tree: dict) -> None:
    (reports / mes).mkdir(parents=True, exist_ok=True)
    (reports / mes / "metrics.json").write_text(json.dumps(tree, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_rows_keep_the_category_whole_empty_for_no_data_and_no_exponent():
    rows = {r["clave"]: r for r in datos_abiertos.filas(metricas("2024-05"))}
    point = rows["presencial.por_punto.PAR Sta. Marta"]
    assert (point["indicador"], point["categoria"], point["valor"]) == ("presencial.por_punto.<punto>", "PAR Sta. Marta", "10")
    assert "PAR Sta. Marta" in point["definicion"]
    assert rows["presencial.primer_contacto"]["valor"] == "0.00001"
    assert rows["telefonico.primer_contacto"]["valor"] == ""  # no data: empty, never 0
    assert rows["encuestas.indice_anm"]["valor"] == "1.0"
    assert "telefónico" in rows["telefonico.atendidas"]["definicion"]
    assert "método top2" in datos_abiertos.filas(metricas("2024-05", encuestas={
        "metodo": "top2", "preguntas": {"satisfaccion": {"consolidado": 0.9}}}))[-1]["definicion"]
    assert "mes" not in rows and "encuestas.metodo" not in rows and "encuestas.preguntas.claridad" not in rows


def test_a_figure_without_definition_is_kept_and_said():
    rows = datos_abiertos.filas(metricas("2024-05", nueva={"cifra": 3}))
    assert rows[-1]["clave"] == "nueva.cifra" and rows[-1]["definicion"] == datos_abiertos.SIN_DEFINICION


def test_series_is_the_same_whatever_order_months_were_published(tmp_path):
    trees = {m: metricas(m) for m in ("2024-01", "2024-02", "2024-04")}
    outputs = []
    for order in (["2024-01", "2024-02", "2024-04"], ["2024-04", "2024-02", "2024-01"]):
        reports = tmp_path / "-".join(order)
        for mes in order:
            publicar(reports, mes, trees[mes])
        publicar(reports, "2024-03", metricas("2024-03"))  # the month's old figures: replaced by this build's
        staged = tmp_path / f"staging-{len(outputs)}"
        publicar(staged, "x", metricas("2024-03", interacciones={"presencial": 11, "telefonico": 5,
                                                                 "virtual": 0, "total": 16}))
        figures = json.loads((staged / "x" / "metrics.json").read_text(encoding="utf-8"))
        written = datos_abiertos.escribir("2024-03", figures, staged, reports)
        assert written.meses == ["2024-01", "2024-02", "2024-03"] and written.avisos == []
        outputs.append({p.name: p.read_bytes() for p in written.carpeta.iterdir()})
    assert outputs[0] == outputs[1]
    rows = list(csv.DictReader(io.StringIO(outputs[0]["cifras-hasta-2024-03.csv"].decode("utf-8"))))
    assert [r["valor"] for r in rows if r["clave"] == "interacciones.presencial"] == ["10", "10", "11"]


def test_an_unreadable_earlier_month_is_left_out_and_said(tmp_path):
    reports = tmp_path / "reports"
    publicar(reports, "2024-01", metricas("2024-01"))
    (reports / "2024-02").mkdir()
    (reports / "2024-02" / "metrics.json").write_text("{roto", encoding="utf-8")
    publicar(reports, "2024-04", metricas("2023-04"))  # later month: not even read
    publicar(tmp_path / "staging", "2024-03", metricas("2024-03"))
    figures = json.loads((tmp_path / "staging" / "2024-03" / "metrics.json").read_text(encoding="utf-8"))
    written = datos_abiertos.escribir("2024-03", figures, tmp_path / "out", reports)
    assert written.meses == ["2024-01", "2024-03"]
    assert written.avisos == ["reports/2024-02/metrics.json no se pudo leer (JSONDecodeError); "
                              "2024-02 queda fuera de la serie"]


def test_a_changed_file_fails_frictionless_validation(built_2024_03, tmp_path):
    from frictionless import validate

    copy = tmp_path / "datos-abiertos"
    shutil.copytree(built_2024_03[0] / "datos-abiertos", copy)
    path = copy / "cifras-2024-03.csv"
    path.write_bytes(path.read_bytes().replace(b",1000,conteo,", b",1001,conteo,", 1))
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "hash-count" in {e.type for task in report.tasks for e in task.errors}


def test_fingerprint_depends_on_earlier_published_months_only(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path)
    before = freshness.build_fingerprint("2024-03")
    publicar(tmp_path, "2024-04", metricas("2024-04"))
    assert freshness.build_fingerprint("2024-03") == before  # a later month changes nothing
    publicar(tmp_path, "2024-02", metricas("2024-02"))
    after = freshness.build_fingerprint("2024-03")
    assert after != before
    publicar(tmp_path, "2024-02", metricas("2024-02", interacciones={"presencial": 1}))
    assert freshness.build_fingerprint("2024-03") != after


def test_the_open_data_is_one_exporter_among_the_outputs():
    from anm_helpers.outputs.open_data import DatosAbiertos
    from anm_helpers.outputs.registry import EXPORTERS

    assert [e.__name__ for e in EXPORTERS] == ["DeckHTML", "PDF", "PowerPoint", "DatosAbiertos",
                                              "TextosDiapositivas", "Cambios"]
    assert DatosAbiertos().archivo("2024-03") == "datos-abiertos"
