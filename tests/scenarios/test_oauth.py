"""Multi-workspace mode: install through OAuth, then serve with the installed token."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

from bot.app import BOT_SCOPES, create_app
from bot.config import Settings
from bot.db.session import Database
from bot.web import wsgi_app
from tests.slack_emulator import SlackDriver, SlackEmulator, serve_wsgi, wait_until


def get(
    url: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, str, dict[str, str]]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port or 80, timeout=30
    )
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return (
            response.status,
            response.read().decode(),
            {k.lower(): v for k, v in response.getheaders()},
        )
    finally:
        connection.close()


def test_install_then_serve_with_the_installed_token(slack: SlackEmulator, db: Database) -> None:
    settings = Settings(
        database_url=db.engine.url.render_as_string(hide_password=False),
        slack_signing_secret=slack.signing_secret,
        slack_client_id="111.222",
        slack_client_secret="client-secret",
        slack_api_url=slack.api_url,
    )
    app = create_app(settings, db=db)
    with serve_wsgi(wsgi_app(app, db, signing_secret=slack.signing_secret)) as url:
        status, page, headers = get(url, "/slack/install")
        assert status == 200
        assert "client_id=111.222" in page
        assert f"scope={','.join(BOT_SCOPES)}" in page
        state = re.search(r"state=([\w-]+)", page).group(1)  # type: ignore[union-attr]
        cookie = headers["set-cookie"].split(";")[0]

        slack.oauth_codes["code-1"] = {
            "client_id": "111.222",
            "client_secret": "client-secret",
            "access_token": "xoxb-installed-1",
        }
        status, page, _ = get(
            url, f"/slack/oauth_redirect?code=code-1&state={state}", {"Cookie": cookie}
        )
        assert status == 200, page
        assert slack.calls_to("oauth.v2.access")

        # A forged state is refused.
        slack.oauth_codes["code-2"] = {
            "client_id": "111.222",
            "client_secret": "client-secret",
            "access_token": "xoxb-installed-2",
        }
        status, _, _ = get(
            url, "/slack/oauth_redirect?code=code-2&state=forged", {"Cookie": cookie}
        )
        assert status >= 400

        driver = SlackDriver(slack, url)
        assert driver.slash_command("UOWNER", "").status == 200
        wait_until(lambda: slack.open_modal("UOWNER"), message="onboarding")
        [opened] = slack.calls_to("views.open")
        assert opened.token == "xoxb-installed-1"

    # The scheduler posts to each workspace with that workspace's installed token.
    from bot.cli import _scheduler_parts

    _, clients = _scheduler_parts(settings)
    installed = clients(slack.team_id)
    assert installed is not None
    assert installed.token == "xoxb-installed-1"
    assert clients("T0NEVERINSTALLED") is None


def test_oauth_settings_need_both_halves() -> None:
    import pytest

    from bot.config import ConfigError

    with pytest.raises(ConfigError, match="SLACK_CLIENT_SECRET"):
        Settings.from_env({"SLACK_CLIENT_ID": "111.222"})


def test_single_workspace_mode_has_no_install_routes(slack: SlackEmulator, db: Database) -> None:
    settings = Settings(
        database_url=db.engine.url.render_as_string(hide_password=False),
        slack_bot_token=slack.bot_token,
        slack_signing_secret=slack.signing_secret,
        slack_api_url=slack.api_url,
    )
    with serve_wsgi(
        wsgi_app(create_app(settings, db=db), db, signing_secret=slack.signing_secret)
    ) as url:
        assert get(url, "/slack/install")[0] == 404
