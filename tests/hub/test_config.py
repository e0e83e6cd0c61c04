"""Settings come from the environment, and a bad value names its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config import Settings
from hub.errors import ConfigError


def test_defaults_put_an_embedded_store_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"TONGBAN_DATA_DIR": str(tmp_path)})

    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'tongban.db'}"
    assert (settings.host, settings.port, settings.graphiql) == ("127.0.0.1", 8000, False)


def test_database_url_from_the_environment_wins() -> None:
    url = "postgresql://hub@db.internal:5432/tongban"

    assert Settings.from_env({"TONGBAN_DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize(
    ("variable", "value"),
    [("TONGBAN_PORT", "eighty"), ("TONGBAN_PORT", "70000"), ("TONGBAN_GRAPHIQL", "maybe")],
)
def test_bad_value_names_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: value})


def test_connectors_wait_for_an_admin_unless_configured_otherwise() -> None:
    assert not Settings.from_env({}).auto_approve_connectors
    assert Settings.from_env({"TONGBAN_AUTO_APPROVE_CONNECTORS": "true"}).auto_approve_connectors
