"""The loopback Slack enforces scopes as Slack does: missing_scope, needed, provided."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slack_emulator import SlackEmulator
from tests.slack_emulator.server import manifest_bot_scopes


def client(slack: SlackEmulator, token: str | None = None) -> WebClient:
    return WebClient(token=token or slack.bot_token, base_url=slack.api_url)


def refusal(call: object) -> dict[str, object]:
    with pytest.raises(SlackApiError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.response.status_code == 200
    return dict(caught.value.response.data)  # type: ignore[arg-type]


def test_the_bot_token_carries_the_manifest_scopes(slack: SlackEmulator) -> None:
    assert slack.bot_scopes == manifest_bot_scopes()
    response = client(slack).auth_test()
    assert set(response.headers["x-oauth-scopes"].split(",")) == manifest_bot_scopes()


def test_a_method_outside_the_token_scopes_is_refused(slack: SlackEmulator) -> None:
    slack.grant(["commands", "chat:write"])
    body = refusal(lambda: client(slack).users_info(user="UOWNER"))
    assert body == {
        "ok": False,
        "error": "missing_scope",
        "needed": "users:read",
        "provided": "chat:write,commands",
    }
    # Methods without scopes still answer.
    assert client(slack).auth_test()["ok"]
    assert client(slack).chat_postMessage(channel="CTEAM", text="hi")["ok"]


def test_conversation_methods_need_the_scope_of_the_conversation_kind(
    slack: SlackEmulator,
) -> None:
    slack.add_channel("CPRIVATE", "managers", members=["UMANAGER"], is_private=True)
    slack.grant(["chat:write", "channels:history"])
    web = client(slack)
    assert web.conversations_history(channel="CTEAM")["ok"]  # public: channels:history
    assert refusal(lambda: web.conversations_history(channel="CPRIVATE"))["needed"] == (
        "groups:history"
    )
    web.chat_postMessage(channel="UOWNER", text="a DM")
    dm = slack.dm_channel_id("UOWNER")
    assert refusal(lambda: web.conversations_history(channel=dm))["needed"] == "im:history"
    assert refusal(lambda: web.conversations_open(users="UOWNER"))["needed"] == "im:write"
    assert refusal(lambda: web.conversations_open(users="UOWNER,UPEER"))["needed"] == ("mpim:write")
    # An unknown conversation is the method's own error, not a scope's.
    assert refusal(lambda: web.conversations_history(channel="CNOPE"))["error"] == (
        "channel_not_found"
    )


def test_an_oauth_install_carries_the_scopes_granted(slack: SlackEmulator) -> None:
    slack.oauth_codes["code-1"] = {
        "client_id": "1.2",
        "client_secret": "s",
        "access_token": "xoxb-narrow",
        "scope": "commands,chat:write",
    }
    granted = WebClient(base_url=slack.api_url).oauth_v2_access(
        client_id="1.2", client_secret="s", code="code-1"
    )
    assert granted["scope"] == "commands,chat:write"
    narrow = client(slack, "xoxb-narrow")
    assert narrow.auth_test().headers["x-oauth-scopes"] == "chat:write,commands"
    assert refusal(lambda: narrow.users_list())["needed"] == "users:read"
    # By default an install is granted the manifest's scopes.
    slack.oauth_codes["code-2"] = {
        "client_id": "1.2",
        "client_secret": "s",
        "access_token": "xoxb-full",
    }
    WebClient(base_url=slack.api_url).oauth_v2_access(
        client_id="1.2", client_secret="s", code="code-2"
    )
    assert client(slack, "xoxb-full").users_list()["ok"]


def test_conversation_members_as_slack_shows_them_to_a_bot(slack: SlackEmulator) -> None:
    """A public channel's members need channels:read, a private one's groups:read;
    a private channel the bot is not in does not exist for it (channel_not_found)."""
    slack.add_channel(
        "CSECRET", "managers", members=["UMANAGER"], is_private=True, bot_member=False
    )
    slack.add_channel("CPRIVATE", "leads", members=["UMANAGER"], is_private=True)
    slack.add_channel("CQUIET", "quiet", members=["UPEER"], bot_member=False)
    web = client(slack)
    without = slack.bot_scopes - {"channels:read", "groups:read"}
    slack.grant(without)
    assert refusal(lambda: web.conversations_members(channel="CTEAM"))["needed"] == (
        "channels:read"
    )
    slack.grant(without | {"channels:read"})
    assert refusal(lambda: web.conversations_members(channel="CPRIVATE"))["needed"] == (
        "groups:read"
    )
    slack.grant(without | {"channels:read", "groups:read"})
    assert web.conversations_members(channel="CQUIET")["members"] == ["UPEER"]
    assert sorted(web.conversations_members(channel="CPRIVATE")["members"]) == [
        "UBOT0001",
        "UMANAGER",
    ]
    assert refusal(lambda: web.conversations_members(channel="CSECRET"))["error"] == (
        "channel_not_found"
    )
