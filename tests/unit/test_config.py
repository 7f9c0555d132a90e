from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///myplan.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert not settings.oauth_mode


def test_postgres_urls_use_psycopg() -> None:
    for raw in ("postgres://u:p@db:5432/x", "postgresql://u:p@db:5432/x"):
        assert Settings.from_env({"DATABASE_URL": raw}).database_url == (
            "postgresql+psycopg://u:p@db:5432/x"
        )


def test_api_url_gets_its_trailing_slash() -> None:
    env = {"SLACK_API_URL": "http://127.0.0.1:8123/api"}
    assert Settings.from_env(env).slack_api_url == "http://127.0.0.1:8123/api/"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_APP_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
    ],
)
def test_bad_values_name_the_variable_in_one_sentence(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    message = str(caught.value)
    assert message.startswith(variable)
    assert "\n" not in message and message.endswith(".")


def test_serving_slack_needs_credentials() -> None:
    with pytest.raises(ConfigError, match=r"^SLACK_SIGNING_SECRET"):
        Settings.from_env({}).require_slack()
    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN"):
        Settings.from_env({"SLACK_SIGNING_SECRET": "s"}).require_slack()
    Settings.from_env({"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"}).require_slack()
    Settings.from_env(
        {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2"}
    ).require_slack()
