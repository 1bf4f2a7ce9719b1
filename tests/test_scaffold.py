"""`make new-month`: a month to fill from the previous month's structure, that
never overwrites what exists, and that builds once its data is dropped in."""
import shutil
import subprocess
import sys

import pytest
import yaml

from anm_helpers.core import config
from anm_helpers.inputs.params import load_params
from anm_helpers.inputs.scaffold import PENDIENTE, scaffold

from conftest import ROOT


@pytest.fixture
def dirs(tmp_path):
    params = tmp_path / "params"
    data = tmp_path / "data"
    shutil.copytree(config.PARAMS_DIR, params)
    shutil.copytree(config.DATA_DIR, data)
    return params, data


def test_new_month_keeps_the_structure_and_replaces_the_texts(dirs):
    params, data = dirs
    created, kept = scaffold("2024-04", params, data)
    assert kept == []
    new = yaml.safe_load((params / "2024-04.yaml").read_text(encoding="utf-8"))
    old = yaml.safe_load((params / "2024-03.yaml").read_text(encoding="utf-8"))
    assert new["mes"] == "2024-04"
    assert new["metodo_encuestas"] == old["metodo_encuestas"]
    # the analysts' figures keep their names, not last month's values
    assert list(new["cifras_analistas"]) == list(old["cifras_analistas"])
    assert all(v is None for v in new["cifras_analistas"].values())
    assert list(new["comentarios"]) == list(old["comentarios"])
    assert all(t.startswith(PENDIENTE) for t in new["comentarios"].values())
    assert [b["titulo"] for b in new["entregas_valor"]] == [b["titulo"] for b in old["entregas_valor"]]
    assert all(i.startswith(PENDIENTE) for b in new["entregas_valor"] for i in b["items"])
    # a valid params file: the build reads it
    loaded = load_params("2024-04", params / "2024-04.yaml")
    assert loaded["cifras_analistas"]["orientaciones_funcionarios"] is None


def test_new_month_data_folder_has_header_only_tables_and_a_note(dirs):
    params, data = dirs
    scaffold("2024-04", params, data)
    folder = data / "2024-04"
    assert (folder / "atenciones.csv").read_text() == "id,fecha,canal,punto,tipo,primer_contacto\n"
    assert (folder / "llamadas.csv").read_text() == "fecha,entrantes,contestadas\n"
    assert (folder / "comunicaciones.csv").read_text() == "id,fecha,medio,sentido\n"
    # the 2024 survey had no claridad; the 2026 one has
    assert (folder / "encuestas.csv").read_text() == "id,fecha,canal,satisfaccion,percepcion,confianza\n"
    scaffold("2026-03", params, data)
    assert (data / "2026-03" / "encuestas.csv").read_text().strip().endswith(",claridad")
    note = (folder / "LEEME.md").read_text(encoding="utf-8")
    for table in ("atenciones", "llamadas", "encuestas", "comunicaciones"):
        assert f"`{table}.csv`" in note
    assert "centro de contacto" in note and "Gestión Documental" in note


def test_new_month_never_overwrites(dirs):
    params, data = dirs
    (params / "2024-04.yaml").write_text('mes: "2024-04"\n# mío\n', encoding="utf-8")
    (data / "2024-04").mkdir()
    (data / "2024-04" / "llamadas.xlsx").write_bytes(b"export")
    created, kept = scaffold("2024-04", params, data)
    assert (params / "2024-04.yaml").read_text(encoding="utf-8") == 'mes: "2024-04"\n# mío\n'
    assert (data / "2024-04" / "llamadas.xlsx").read_bytes() == b"export"
    assert not (data / "2024-04" / "llamadas.csv").exists()  # never both CSV and Excel
    assert params / "2024-04.yaml" in kept and data / "2024-04" / "llamadas.xlsx" in kept
    assert {p.name for p in created} == {"atenciones.csv", "encuestas.csv", "comunicaciones.csv", "LEEME.md"}
    before = {p: p.read_bytes() for p in (data / "2024-04").iterdir()}
    assert scaffold("2024-04", params, data)[0] == []
    assert {p: p.read_bytes() for p in (data / "2024-04").iterdir()} == before


def test_command_refuses_an_existing_month_and_a_bad_one(dirs):
    params, data = dirs
    env = {"ANM_PARAMS_DIR": str(params), "ANM_DATA_DIR": str(data)}
    import os

    def run(*args):
        return subprocess.run([sys.executable, "-m", "anm_helpers.inputs.scaffold", *args], cwd=ROOT,
                              env={**os.environ, **env}, capture_output=True, text=True)

    first = run("2024-04")
    assert first.returncode == 0, first.stderr
    assert "make report MONTH=2024-04" in first.stdout
    again = run("2024-04")
    assert again.returncode != 0 and "ya existe" in again.stderr and "no se modificó nada" in again.stderr
    bad = run("2024-4")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "AAAA-MM" in bad.stderr


# a new month with its exports, built: tests/test_make.py (test_new_month_then_its_exports_then_report)


def test_the_note_lists_the_columns_of_the_files_it_creates(tmp_path):
    import csv

    from anm_helpers.core import config
    from anm_helpers.inputs.scaffold import scaffold

    params, data = tmp_path / "params", tmp_path / "data"
    shutil.copytree(config.PARAMS_DIR, params)
    shutil.copytree(config.DATA_DIR, data)
    scaffold("2024-04", params, data)
    note = (data / "2024-04" / "LEEME.md").read_text(encoding="utf-8")
    for table in ("atenciones", "llamadas", "encuestas", "comunicaciones"):
        header = next(csv.reader(open(data / "2024-04" / f"{table}.csv", encoding="utf-8")))
        section = note.split(f"## `{table}.csv`", 1)[1].split("## ", 1)[0]
        listed = section.split("Columnas: ", 1)[1].split(".", 1)[0]
        assert [c.strip(" `") for c in listed.split(",")] == header
    assert "Puede llevar también `claridad` (opcional)." in note  # 2024's survey had no claridad
