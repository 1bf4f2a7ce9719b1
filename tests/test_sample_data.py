"""The shipped sample data is what the generator makes from its stated targets."""
from anm_helpers import config
from anm_helpers.sample_data import generate, load_targets


def test_regenerating_gives_the_committed_files(tmp_path):
    written = generate(tmp_path)
    assert written
    for path in written:
        shipped = config.DATA_DIR / path.relative_to(tmp_path)
        assert shipped.exists(), f"{shipped} is not committed"
        assert path.read_bytes() == shipped.read_bytes(), f"{shipped} differs from the generator's output"


def test_every_target_month_is_shipped():
    for mes in load_targets()["meses"]:
        assert (config.DATA_DIR / mes).is_dir()
