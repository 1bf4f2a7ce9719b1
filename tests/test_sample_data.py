"""The shipped sample data is what the generator makes from its stated targets."""
from anm_helpers.core import config
from anm_helpers.inputs.sample_data import generate, load_targets


def test_regenerating_gives_the_committed_files(tmp_path):
    written = generate(tmp_path)
    assert written
    for path in written:
        shipped = config.DATA_DIR / path.relative_to(tmp_path)
        assert shipped.exists(), f"{shipped} is not committed"
        if path.suffix == ".xlsx":  # the zip's bytes vary with openpyxl's and zlib's versions: compare the sheet
            assert _sheet(path) == _sheet(shipped), f"{shipped} differs from the generator's output"
        else:
            assert path.read_bytes() == shipped.read_bytes(), f"{shipped} differs from the generator's output"


def _sheet(path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = [(ws.title, [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]) for ws in wb.worksheets]
    wb.close()
    return out


def test_every_target_month_is_shipped():
    for mes in load_targets()["meses"]:
        assert (config.DATA_DIR / mes).is_dir()
