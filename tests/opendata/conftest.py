import pytest

from tests.api.conftest import directory, fresh_throttle_state  # noqa: F401  (shared fixtures)


@pytest.fixture(autouse=True)
def open_data_root(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "exports"
    return settings.OPEN_DATA_ROOT
