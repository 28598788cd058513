from tests.publishing.conftest import kovs, narva_editor  # noqa: F401  (shared fixtures)
