"""Trust at the edges (issue 12): whatever an analyst feeds the build, it either
produces the right figures or says, in Spanish, what is wrong and where.

Figures are compared with those of the same month read from the clean shipped
files: a representation of the same data (invisible characters, other
spaces, decomposed accents, another encoding) must give exactly the same
``metrics.json``; anything else must be a located problem, never a traceback."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from anm_helpers.core import config
from anm_helpers.figures.context import build_context
from anm_helpers.core.errors import DatosInvalidos, ParametrosInvalidos
from anm_helpers.inputs.params import load_params
from anm_helpers.core.text import clean_text, visible
from conftest import ROOT, run_build

MES = "2024-03"


def problems() -> str:
    with pytest.raises(DatosInvalidos) as exc:
        build_context(MES)
    return str(exc.value)


def edit_text(path: Path, change, encoding="utf-8") -> None:
    path.write_bytes(change(path.read_bytes().decode(encoding)).encode(encoding))


def atenciones(d: Path) -> Path:
    return d / MES / "atenciones.csv"


# --- 1. look-alike text counts where it belongs ------------------------------------

LOOK_ALIKES = {
    "zero-width space": lambda v: v[:3] + "\u200b" + v[3:],
    "BOM inside the line": lambda v: "\ufeff" + v,
    "soft hyphen": lambda v: v[:4] + "\u00ad" + v[4:],
    "non-breaking space": lambda v: v.replace(" ", "\u00a0", 1),
    "doubled space": lambda v: v.replace(" ", "  ", 1),
    "decomposed accents (NFD)": lambda v: __import__("unicodedata").normalize("NFD", v),
    "tab inside": lambda v: v.replace(" ", "\t", 1),
    "word joiner and bidi mark": lambda v: "\u2060" + v + "\u200e",
}


@pytest.mark.parametrize("how", list(LOOK_ALIKES))
def test_look_alike_text_gives_the_clean_figures(data_dir, clean_metrics, how):
    spoil = LOOK_ALIKES[how]

    def change(text: str) -> str:
        lines = text.split("\n")
        for i in range(1, len(lines), 7):  # every 7th row: point, topic and channel written differently
            cells = lines[i].split(",")
            if len(cells) == 6:
                cells[2] = spoil(cells[2].upper() if i % 2 else cells[2])
                cells[3] = spoil(cells[3]) if cells[3] else cells[3]
                cells[4] = spoil(cells[4])
                lines[i] = ",".join(cells)
        return "\n".join(lines)

    edit_text(atenciones(data_dir), change)
    ctx = build_context(MES)
    assert ctx["metricas"] == clean_metrics
    if how not in ("decomposed accents (NFD)",):
        said = "\n".join(ctx["normalizados"])
        assert f"{MES}/atenciones.csv: " in said and " en la columna tipo" in said and "normalizados al leer" in said


def test_normalised_values_are_counted_per_file_and_column(data_dir):
    edit_text(atenciones(data_dir), lambda t: t.replace("PAR Cúcuta", "PAR Cú\u200bcuta", 3)
              .replace("Titulación minera", "Titulacio\u0301n minera", 5))
    ctx = build_context(MES)
    files = {f["archivo"]: f["normalizados"] for f in ctx["archivos"]}
    assert files[f"{MES}/atenciones.csv"] == {"punto": 3, "tipo": 5}
    assert files[f"{MES}/encuestas.csv"] == {}
    assert ctx["normalizados"] == [
        f"{MES}/atenciones.csv: 3 en la columna punto y 5 en la columna tipo, valores con caracteres invisibles, "
        "espacios de más o acentos descompuestos, normalizados al leer"]


def test_look_alike_text_in_xlsx_and_catalogue(data_dir, clean_metrics):
    wb = load_workbook(data_dir / MES / "llamadas.xlsx")
    ws = wb.active
    ws.cell(row=2, column=1, value="\u200b" + str(ws.cell(row=2, column=1).value))
    wb.save(data_dir / MES / "llamadas.xlsx")
    edit_text(data_dir / "puntos.csv", lambda t: t.replace("PAR Cúcuta", "PAR\u00a0Cu\u0301cuta"))
    assert build_context(MES)["metricas"] == clean_metrics


def test_clean_text_and_visible():
    assert clean_text(" PAR\u00a0 Villa\u200b Prueba\t") == "PAR Villa Prueba"
    assert clean_text("Regali\u0301as") == "Regalías"
    assert visible("PAR Villa\u200b Prueba") == "PAR Villa<U+200B> Prueba"
    assert visible("PAR C\u0430li") == "PAR C<U+0430>li"  # a Cyrillic a looks like a Latin one
    assert visible("Regalías ¿sí? – ok") == "Regalías ¿sí? – ok"
    assert visible("Bogot\udce1") == "Bogot<0xE1>"


def test_a_refused_value_shows_its_look_alike_characters(data_dir):
    edit_text(atenciones(data_dir), lambda t: t.replace("PAR Cúcuta", "PAR C\u0430cuta", 1))
    assert 'columna punto: "PAR C<U+0430>cuta" no está en data/puntos.csv' in problems()


# --- 1. duplicated headers ------------------------------------------------------------

def test_csv_with_a_contract_column_twice_is_refused(data_dir):
    edit_text(atenciones(data_dir), lambda t: t.replace("primer_contacto\n", "primer_contacto, Canal \n", 1))
    assert (f"{MES}/atenciones.csv, línea 1, columna canal: la columna está dos veces en la fila de encabezados "
            "(columnas 3 (C) y 7 (G)): deje una sola") in problems()


def test_xlsx_with_a_contract_column_twice_is_refused(data_dir):
    wb = load_workbook(data_dir / MES / "llamadas.xlsx")
    ws = wb.active
    ws.cell(row=1, column=ws.max_column + 1, value="ENTRANTES")
    wb.save(data_dir / MES / "llamadas.xlsx")
    assert f"{MES}/llamadas.xlsx, fila 1, columna entrantes: la columna está dos veces" in problems()


def test_a_personal_column_twice_is_not_a_problem(data_dir, clean_metrics):
    edit_text(atenciones(data_dir), lambda t: "\n".join(
        line + (",nota,nota" if i == 0 else ",x,y") if line else line for i, line in enumerate(t.split("\n"))))
    assert build_context(MES)["metricas"] == clean_metrics


# --- 1. encodings ----------------------------------------------------------------------

def test_one_windows_1252_byte_is_an_error_on_its_line_not_a_new_encoding(data_dir):
    raw = atenciones(data_dir).read_bytes()
    line = raw[:raw.index("PAR Cúcuta".encode())].count(b"\n") + 1
    atenciones(data_dir).write_bytes(raw.replace("PAR Cúcuta".encode(), "PAR Cúcuta".encode("cp1252"), 1))
    text = problems()
    assert (f'{MES}/atenciones.csv, línea {line}, columna punto: "PAR C<0xFA>cuta" tiene bytes que no son UTF-8 '
            "(0xFA)") in text
    assert "(1):" in text  # that cell only: no other value of the file changed meaning, no second report of it


def test_a_windows_1252_byte_outside_the_contract_columns_changes_nothing(data_dir, clean_metrics):
    edit_text(atenciones(data_dir), lambda t: "\n".join(
        line + (",observacion" if i == 0 else ",ok") if line else line for i, line in enumerate(t.split("\n"))))
    raw = atenciones(data_dir).read_bytes()
    cut = raw.index(b",ok\n", 3000)
    atenciones(data_dir).write_bytes(raw[:cut] + b",Jos\xe9" + raw[cut + 3:])
    assert build_context(MES)["metricas"] == clean_metrics


@pytest.mark.parametrize("encoding,sep", [("cp1252", ";"), ("utf-16", "\t"), ("utf-8-sig", ",")])
def test_whole_files_in_other_encodings_give_the_clean_figures(data_dir, clean_metrics, encoding, sep):
    for name in ("atenciones", "encuestas", "comunicaciones"):
        path = data_dir / MES / f"{name}.csv"
        text = path.read_text(encoding="utf-8")
        assert sep == "," or sep not in text
        path.write_bytes(text.replace(",", sep).encode(encoding))
    assert build_context(MES)["metricas"] == clean_metrics


# --- 2. no traceback: every file problem located ---------------------------------------

def test_truncated_xlsx(data_dir):
    path = data_dir / MES / "llamadas.xlsx"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert f"{MES}/llamadas.xlsx: no es un libro de Excel (.xlsx) legible" in problems()


def test_xlsx_whose_sheet_is_cut_short(data_dir):
    path = data_dir / MES / "llamadas.xlsx"
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) * 2 // 3]  # the rows' XML ends in the middle
            dst.writestr(item, data)
    path.write_bytes(out.getvalue())
    assert f"{MES}/llamadas.xlsx: " in problems()


def test_xls_is_refused_with_what_to_do(data_dir):
    (data_dir / MES / "llamadas.xlsx").rename(data_dir / MES / "llamadas.xls")
    assert (f"{MES}/llamadas.xls: es un libro .xls que el informe no lee: ábralo en Excel y guárdelo como .xlsx"
            in problems())


@pytest.mark.parametrize("where", ["csv", "xlsx", "historico"])
def test_a_number_too_large_to_be_a_count(data_dir, where):
    if where == "csv":
        (data_dir / MES / "llamadas.xlsx").unlink()
        (data_dir / MES / "llamadas.csv").write_text("fecha,entrantes,contestadas\n2024-03-04,100000000000000000000,5\n")
        expected = f'{MES}/llamadas.csv, línea 2, columna entrantes: "100000000000000000000" es demasiado grande'
    elif where == "xlsx":
        wb = Workbook()
        wb.active.append(["fecha", "entrantes", "contestadas"])
        wb.active.append(["2024-03-04", 1e20, 1e20])
        (data_dir / MES / "llamadas.xlsx").unlink()
        wb.save(data_dir / MES / "llamadas.xlsx")
        expected = f"{MES}/llamadas.xlsx, fila 2, columna entrantes: \"100000000000000000000\" es demasiado grande"
    else:
        (data_dir / "historico.csv").write_text("mes,canal,interacciones\n2023-12,presencial,1e20\n"
                                                "2023-11,presencial,99999999999999999999999\n")
        text = problems()
        assert 'historico.csv, línea 2, columna interacciones: "1e20" no es un número entero' in text
        expected = 'historico.csv, línea 3, columna interacciones: "99999999999999999999999" es demasiado grande'
    assert expected in problems()


@pytest.mark.parametrize("name", [f"{MES}/encuestas.csv", "puntos.csv", "historico.csv"])
def test_a_folder_where_a_file_is_expected(data_dir, name):
    path = data_dir / name
    if path.exists():
        path.unlink()
    path.mkdir()
    assert f"{name}: es una carpeta, no un archivo" in problems()


def test_wide_digits_are_not_counts(data_dir):
    (data_dir / MES / "llamadas.xlsx").unlink()
    (data_dir / MES / "llamadas.csv").write_text("fecha,entrantes,contestadas\n2024-03-04,１0,5\n", encoding="utf-8")
    assert 'columna entrantes: "<U+FF11>0" no es un número entero' in problems()


# --- 2. params ----------------------------------------------------------------------

@pytest.fixture
def params_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, folder)
    monkeypatch.setattr(config, "PARAMS_DIR", folder)
    return folder


def params_error(folder: Path, content: bytes | None) -> str:
    path = folder / f"{MES}.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ParametrosInvalidos) as exc:
        load_params(MES)
    return str(exc.value)


def test_params_in_windows_1252(params_dir):
    text = (params_dir / f"{MES}.yaml").read_text(encoding="utf-8")
    first = next(i for i, c in enumerate(text) if ord(c) > 127)
    line = text[:first].count("\n") + 1
    message = params_error(params_dir, text.encode("cp1252"))
    byte = text[first].encode("cp1252")[0]
    assert message.startswith(f"params/{MES}.yaml, línea {line}: no está guardado en UTF-8 (byte 0x{byte:02X})")


@pytest.mark.parametrize("content", [b"", b"\n\n", b"# solo un comentario\n"])
def test_empty_params(params_dir, content):
    assert params_error(params_dir, content).startswith(f"params/{MES}.yaml está vacío")


def test_params_with_a_key_twice(params_dir):
    text = (params_dir / f"{MES}.yaml").read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines, start=1) if line.startswith("  percepcion:"))
    text = text.replace("comentarios:\n", "comentarios:\n  percepcion: Texto que se perdería sin aviso.\n", 1)
    message = params_error(params_dir, text.encode("utf-8"))
    assert f"params/{MES}.yaml, línea {first + 1}: la clave «percepcion» está repetida" in message
    top = params_error(params_dir, (text.replace("\nmes:", "\nmes: 2024-03\nmes:", 1)
                                    if "\nmes:" in text else "mes: x\n" + text).encode())
    assert "está repetida" in top


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_params_nan_and_inf(params_dir, value):
    text = (params_dir / f"{MES}.yaml").read_text(encoding="utf-8")
    text = text.replace("cifras_analistas:\n", f"cifras_analistas:\n  cifra_rota: {value}\n", 1)
    assert "cifras_analistas: cifra_rota no es un número (.nan o .inf)" in params_error(params_dir, text.encode())


def test_params_folder(params_dir):
    (params_dir / f"{MES}.yaml").unlink()
    (params_dir / f"{MES}.yaml").mkdir()
    assert "es una carpeta, no un archivo" in params_error(params_dir, None)


# --- 5. fail fast: the export of another month ---------------------------------------

def _wrong_month_rows(n: int) -> list[str]:
    return [f"CO-{i:07d},2024-04-{1 + i % 28:02d} 10:00,correo_contacto,entrada" for i in range(n)]


def test_a_file_of_another_month_is_refused_after_its_first_block(data_dir):
    rows = _wrong_month_rows(5000) + ["CO-LAST,2024-03-05,correo_contacto,recibido"]  # a problem at the end
    (data_dir / MES / "comunicaciones.csv").write_text("id,fecha,medio,sentido\n" + "\n".join(rows) + "\n")
    text = problems()
    assert (f"{MES}/comunicaciones.csv, columna fecha: las primeras 2.000 filas tienen fechas del 2024-04-01 al "
            "2024-04-28, ninguna de marzo de 2024: parece la exportación de otro mes") in text
    assert "recibido" not in text  # the rest of the file was never read
    assert f"{MES}/comunicaciones.csv (1):" in text


def test_an_xlsx_of_another_month_is_refused_after_its_first_block(data_dir):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["id", "fecha", "medio", "sentido"])
    for row in _wrong_month_rows(3000):
        ws.append(row.split(","))
    ws.append(["CO-LAST", "2024-03-05", "correo_contacto", "recibido"])
    (data_dir / MES / "comunicaciones.csv").unlink()
    wb.save(data_dir / MES / "comunicaciones.xlsx")
    text = problems()
    assert "parece la exportación de otro mes" in text and "recibido" not in text


def test_a_month_file_with_a_few_stray_dates_is_checked_row_by_row(data_dir):
    path = data_dir / MES / "comunicaciones.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace("2024-03-", "2024-04-")
    path.write_text("\n".join(lines), encoding="utf-8")
    text = problems()
    assert f"{MES}/comunicaciones.csv, línea 2, columna fecha" in text and "otro mes" not in text


# --- 2. the command: outputs that cannot be written, unexpected errors, temp files ----

def test_reports_folder_that_cannot_be_created(tmp_path):
    (tmp_path / "un-archivo").write_text("x")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = run_build(MES, tmp_path / "un-archivo" / "reports", extra_env={"TMPDIR": str(scratch)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("ERROR: no se puede escribir en ") and "es un archivo y no una carpeta" in result.stderr
    assert list(scratch.iterdir()) == []


def test_a_folder_where_the_build_writes_a_file_is_named_as_a_folder(tmp_path):
    """EISDIR (a folder stands where a file is written) is worded as such, not as the
    reverse (a file where a folder was expected)."""
    reports = tmp_path / "reports"
    (reports / ".cache" / "kernels.log").mkdir(parents=True)
    result = run_build(MES, reports)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "kernels.log: en su lugar hay una carpeta y se esperaba un archivo" in result.stderr, result.stderr
    assert "es un archivo y no una carpeta" not in result.stderr


@pytest.mark.parametrize("lleno", ["reports", ".cache"])
def test_reports_folder_that_takes_no_new_file_leaves_no_temporary_file(lleno, tmp_path):
    """An earlier build left the month's lock and .cache/kernels.log (``reports``) or an
    empty .cache/ (``.cache``), and nothing new can be made in that folder: read-only for
    a user, a disk with no inode left for root (permissions do not stop root). Refused in
    Spanish with no worker started for nothing: one still starting outlived the command
    and left multiprocessing's pymp-… folder outside the scratch folder, and workers that
    could not open kernels.log printed their tracebacks."""
    reports = tmp_path / "reports"
    folder = reports / lleno if lleno == ".cache" else reports
    folder.mkdir(parents=True)
    root = os.geteuid() == 0
    if root and not _mount_small_disk(folder, "1m,nr_inodes=16"):  # 1 MB, 16 files and folders
        pytest.skip("as root, permissions do not deny writes; a full disk needs mount (tmpfs): not available here")
    try:
        if lleno == "reports":
            (reports / f".{MES}.lock").touch()
            (reports / ".cache").mkdir()
            (reports / ".cache" / "kernels.log").touch()
        if root:  # every inode taken: no new file nor folder
            for n in range(100):
                try:
                    (folder / f".lleno-{n}").touch()
                except OSError:
                    break
        else:
            folder.chmod(0o555)
        scratch = tmp_path / "tmp"
        scratch.mkdir()
        result = run_build(MES, reports, extra_env={"TMPDIR": str(scratch)}, precalentar=True)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr + result.stdout
        said = "no queda espacio en el disco" if root else "no hay permiso para escribir"
        assert result.stderr.startswith("ERROR: ") and said in result.stderr, result.stderr
        assert list(scratch.iterdir()) == []
        assert not list(reports.glob(".construyendo-*"))
    finally:
        if root:
            subprocess.run(["umount", str(folder)], check=False)
        else:
            folder.chmod(0o755)


def _mount_small_disk(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def test_disk_full_keeps_the_last_report_and_leaves_nothing(built_2024_03, tmp_path):
    disk = tmp_path / "disco"
    keep = shutil.ignore_patterns("diapositivas")  # other tests' screenshots are no part of a report
    report = sum(p.stat().st_size for p in built_2024_03[0].rglob("*") if p.is_file() and "diapositivas" not in p.parts)
    # room for the published report and a little more, not for a second one
    if not _mount_small_disk(disk, f"{(report + 400_000) // 1024}k"):
        pytest.skip("a small disk needs root and mount (tmpfs): not available here")
    try:
        shutil.copytree(built_2024_03[0], disk / MES, ignore=keep)
        before = {p.relative_to(disk): p.read_bytes() for p in (disk / MES).rglob("*") if p.is_file()}
        scratch = tmp_path / "tmp"
        scratch.mkdir()
        data = tmp_path / "data"
        shutil.copytree(config.DATA_DIR, data)
        with open(data / MES / "comunicaciones.csv", "a", encoding="utf-8") as fh:  # work to do
            fh.write("CO-NUEVA-0001,2024-03-15 10:00,correo_contacto,entrada\n")
        result = run_build(MES, disk, data=data, extra_env={"TMPDIR": str(scratch)})
        assert result.returncode == 1
        assert "ERROR: no queda espacio en el disco" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert {p.relative_to(disk): p.read_bytes() for p in (disk / MES).rglob("*") if p.is_file()} == before
        assert not list(disk.glob(".construyendo-*"))
        assert list(scratch.iterdir()) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_an_unexpected_error_is_a_short_message_and_a_log(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    code = ("import sys, anm_helpers.builder.report as b, anm_helpers.builder.month as m\n"
            "def boom(*a, **k): raise RuntimeError('un error que nadie previó')\n"
            "m._check_data = boom\n"
            "sys.exit(b.main(['2024-03']))\n")
    env = {**os.environ, "ANM_REPORTS_DIR": str(tmp_path / "reports"), "TMPDIR": str(scratch)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(lines) == 1 and "error inesperado del programa, no de sus datos" in lines[0]
    logs = list((tmp_path / "reports" / ".registros").glob("error-*.log"))
    assert len(logs) == 1 and logs[0].name in lines[0]
    assert "RuntimeError: un error que nadie previó" in logs[0].read_text(encoding="utf-8")
    assert "Traceback" in logs[0].read_text(encoding="utf-8")
    assert list(scratch.iterdir()) == []
    assert not list((tmp_path / "reports").glob(".construyendo-*"))


def test_a_failed_build_leaves_nothing_in_the_temporary_folder(data_copy, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    edit_text(atenciones(data_copy), lambda t: t.replace(",si\n", ",quizás\n", 1))
    # kernels booting while the data are checked (as make report): their files must go too
    result = run_build(MES, tmp_path / "reports", data=data_copy, extra_env={"TMPDIR": str(scratch)},
                       precalentar=True)
    assert result.returncode == 1 and "quizás" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(scratch.iterdir()) == []


def test_normalised_text_is_in_the_build_log_and_the_annex(built_with_notices):
    """Three point names with a zero-width space (conftest._prepare_notices)."""
    folder, result, data = built_with_notices
    assert "PAR Cú\u200bcuta" in atenciones(data).read_text(encoding="utf-8")
    assert result.returncode == 0, result.stderr
    line = (f"· texto normalizado: {MES}/atenciones.csv: 3 en la columna punto, valores con caracteres invisibles, "
            "espacios de más o acentos descompuestos, normalizados al leer")
    assert line in result.stdout
    assert line in (folder / "construccion.log").read_text(encoding="utf-8")
    deck = (folder / f"informe-{MES}.html").read_text(encoding="utf-8")
    assert f"Texto normalizado: {MES}/atenciones.csv: 3 en la columna punto, valores" in deck


def test_a_large_file_of_another_month_is_refused_before_it_is_read(data_dir):
    """Over a megabyte: the first block is read alone and decides; the rest of the
    file (here bytes that are no text at all, which a full read would report) is
    never read."""
    rows = "\n".join(_wrong_month_rows(25_000))
    raw = ("id,fecha,medio,sentido\n" + rows + "\n").encode() + b"CO-X,\x81\x8d\x81,chat,entrada\n"
    assert len(raw) > 1 << 20
    (data_dir / MES / "comunicaciones.csv").write_bytes(raw)
    text = problems()
    assert "parece la exportación de otro mes" in text
    assert "ni UTF-8 ni Windows-1252" not in text


def test_a_wrong_option_is_a_spanish_line_not_usage_in_english(tmp_path):
    result = run_build("", tmp_path, args=("--workers", "dos", "2024-03"))
    assert result.returncode == 1
    assert result.stderr.strip() == "ERROR: make report: el argumento --workers debe ser un número entero (no 'dos')"
    result = run_build("", tmp_path, args=("--desconocida",))
    assert result.stderr.strip() == "ERROR: make report: argumentos desconocidos: --desconocida"


def test_the_tests_memory_of_read_months_sees_a_changed_byte(data_dir, clean_metrics):
    """The suite reads an unchanged month once per process (conftest._remembered):
    one byte changed in February, read before, is read anew and refused."""
    assert build_context(MES)["metricas"] == clean_metrics  # February read, and remembered
    path = data_dir / "2024-02" / "encuestas.csv"
    path.write_bytes(path.read_bytes().replace(b"presencial,5,5,5\n", b"presencial,7,5,5\n", 1))
    with pytest.raises(DatosInvalidos) as exc:
        build_context(MES)
    assert "2024-02/encuestas.csv, línea 2, columna satisfaccion" in str(exc.value)


def test_a_kernel_that_never_answers_is_killed_and_another_booted(monkeypatch):
    """A kernel whose ports another process took while it booted stays alive and never
    answers (seen in kernels.log: "Address already in use"): it is killed, never left
    holding the build's output open, and another one is booted; when none answers,
    the error comes with no kernel left running."""
    from jupyter_client import manager

    from anm_helpers.builder import runner

    made = []

    class Client:
        def __init__(self, km):
            self.km = km

        def start_channels(self):
            pass

        def stop_channels(self):
            pass

        def wait_for_ready(self, timeout):
            if self.km.deaf:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

        def execute_interactive(self, code, timeout):
            self.km.ran = code

    class Kernel:
        deaf_ones = 2

        def __init__(self, kernel_name):
            self.deaf, self.killed, self.ran = len(made) < Kernel.deaf_ones, False, None
            made.append(self)

        def start_kernel(self, **_):
            pass

        def client(self):
            return Client(self)

        def shutdown_kernel(self, now):
            self.killed = now

    monkeypatch.setattr(manager, "KernelManager", Kernel)
    km = runner.boot((0.01, 0.01, 0.01))
    assert km is made[-1] and len(made) == 3
    assert [k.killed for k in made] == [True, True, False]
    assert km.ran == runner.WARM_UP

    made.clear()
    Kernel.deaf_ones = 3
    with pytest.raises(RuntimeError, match="didn't respond"):
        runner.boot((0.01, 0.01, 0.01))
    assert [k.killed for k in made] == [True, True, True]
