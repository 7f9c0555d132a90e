"""The loopback Slack agrees with slack_sdk.WebClient on Slack's behaviour."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from tests.slack_emulator import SlackEmulator, check_view

VIEWS = sorted(
    (Path(__file__).parents[1] / "slack_emulator/reference/payloads/views").glob("*.json")
)


def client(slack: SlackEmulator, token: str | None = None, **kwargs: object) -> WebClient:
    return WebClient(token=token or slack.bot_token, base_url=slack.api_url, **kwargs)  # type: ignore[arg-type]


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()  # type: ignore[operator]
    return str(caught.value.response["error"])


def test_auth(slack: SlackEmulator) -> None:
    identity = client(slack).auth_test()
    assert identity["user_id"] == slack.bot_user_id
    assert identity["team_id"] == slack.team_id
    assert error_of(lambda: client(slack, "xoxb-wrong").auth_test()) == "invalid_auth"
    assert error_of(lambda: WebClient(base_url=slack.api_url).auth_test()) == "not_authed"
    slack.revoke(slack.bot_token)
    assert error_of(lambda: client(slack).auth_test()) == "token_revoked"


def test_posting_threads_and_history(slack: SlackEmulator) -> None:
    web = client(slack)
    parent = web.chat_postMessage(
        channel="CTEAM",
        text="Week 8 check-ins",
        metadata={"event_type": "checkin_prompt", "event_payload": {"week": "2026-11-23"}},
    )
    reply = web.chat_postMessage(channel="CTEAM", thread_ts=parent["ts"], text="Dana checked in")
    assert float(reply["ts"]) > float(parent["ts"])
    web.chat_update(channel="CTEAM", ts=parent["ts"], text="Week 8 check-ins: 1 of 3")
    history = web.conversations_history(channel="CTEAM", include_all_metadata=True)
    [top] = history["messages"]
    assert top["text"] == "Week 8 check-ins: 1 of 3"
    assert top["reply_count"] == 1
    assert top["metadata"]["event_payload"] == {"week": "2026-11-23"}
    assert [m.text for m in slack.thread("CTEAM", parent["ts"])] == ["Dana checked in"]
    link = web.chat_getPermalink(channel="CTEAM", message_ts=parent["ts"])["permalink"]
    assert link.endswith(parent["ts"].replace(".", ""))


def test_a_bot_deletes_its_own_messages_and_no_one_elses(slack: SlackEmulator) -> None:
    web = client(slack)
    ours = web.chat_postMessage(channel="CTEAM", text="Dana's plan")
    theirs = slack.post_as_user("CTEAM", "UPEER", "Lee's message")
    assert web.chat_delete(channel="CTEAM", ts=ours["ts"])["ts"] == ours["ts"]
    assert error_of(lambda: web.chat_delete(channel="CTEAM", ts=theirs.ts)) == (
        "cant_delete_message"
    )
    assert error_of(lambda: web.chat_delete(channel="CTEAM", ts=ours["ts"])) == (
        "message_not_found"
    )
    assert [m.text for m in slack.channel_messages("CTEAM")] == ["Lee's message"]


def test_slack_errors(slack: SlackEmulator) -> None:
    web = client(slack)
    assert error_of(lambda: web.chat_postMessage(channel="CNOPE", text="x")) == "channel_not_found"
    slack.add_channel("CQUIET", "quiet", bot_member=False)
    assert error_of(lambda: web.chat_postMessage(channel="CQUIET", text="x")) == "not_in_channel"
    assert error_of(lambda: web.users_info(user="UNOPE")) == "user_not_found"
    assert error_of(lambda: web.chat_postMessage(channel="CTEAM")) == "no_text"
    with pytest.raises(SlackApiError) as caught:
        web.api_call("chat.postMessage", json={"text": "where to?"})
    assert caught.value.response["error"] == "invalid_arguments"
    assert caught.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: channel"
    ]
    assert (
        error_of(lambda: web.chat_update(channel="CTEAM", ts="1.000001", text="x"))
        == "message_not_found"
    )
    assert (
        error_of(lambda: web.chat_postEphemeral(channel="CLEADERS", user="UOWNER", text="x"))
        == "user_not_in_channel"
    )


def test_people_and_dms(slack: SlackEmulator) -> None:
    # team.info is beyond the bot's scopes (it never calls it).
    slack.grant(slack.bot_scopes | {"team:read"})
    web = client(slack)
    user = web.users_info(user="UMANAGER")["user"]
    assert (user["tz"], user["real_name"], user["is_admin"]) == (
        "Europe/London",
        "Sam Okafor",
        False,
    )
    assert user["tz_offset"] in (0, 3600)
    dm = web.conversations_open(users="UOWNER")["channel"]["id"]
    assert dm == web.conversations_open(users="UOWNER")["channel"]["id"]
    web.chat_postMessage(channel=dm, text="Time to check in")
    web.chat_postMessage(channel="UOWNER", text="Posting to a user id lands in the same DM")
    assert [m.text for m in slack.dms("UOWNER")] == [
        "Time to check in",
        "Posting to a user id lands in the same DM",
    ]
    members = web.conversations_members(channel="CTEAM", limit=2)
    rest = web.conversations_members(
        channel="CTEAM", cursor=members["response_metadata"]["next_cursor"]
    )
    assert sorted(members["members"] + rest["members"]) == sorted(slack.channels["CTEAM"].members)
    everyone = web.users_list()["members"]
    assert {"UOWNER", "UBOT0001"} <= {u["id"] for u in everyone}
    assert web.team_info()["team"]["domain"] == slack.team_domain
    assert web.conversations_info(channel="CTEAM")["channel"]["is_member"]


def test_a_429_carries_retry_after_and_the_sdk_handler_recovers(slack: SlackEmulator) -> None:
    slack.limits.tier_per_minute["t2"] = 2  # users.list is Tier 2
    bare = client(slack)
    bare.users_list()
    bare.users_list()
    with pytest.raises(SlackApiError) as caught:
        bare.users_list()
    assert caught.value.response.status_code == 429
    assert caught.value.response["error"] == "ratelimited"
    assert int(caught.value.response.headers["Retry-After"]) >= 1

    # With the limits sped up 60x, a window is one second: the handler's wait clears it.
    slack.limits.scale = 60
    patient = client(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)])
    started = time.monotonic()
    for _ in range(5):  # 2 per second at this scale
        assert patient.users_list()["ok"]
    assert time.monotonic() - started >= 1
    assert len([c for c in slack.calls if c.method == "users.list" and c.status == 429]) >= 2


def test_chat_post_message_is_limited_per_channel(slack: SlackEmulator) -> None:
    web = client(slack)
    for i in range(3):  # a short burst is tolerated
        web.chat_postMessage(channel="CTEAM", text=f"burst {i}")
    with pytest.raises(SlackApiError) as caught:
        web.chat_postMessage(channel="CTEAM", text="one too many")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "1"
    web.chat_postMessage(channel="CLEADERS", text="another channel is fine")
    slack.limits.enabled = False
    web.chat_postMessage(channel="CTEAM", text="limits off")


def test_scripted_faults(slack: SlackEmulator) -> None:
    web = client(slack)
    slack.fail_next("chat.postMessage", error="account_inactive")
    assert error_of(lambda: web.chat_postMessage(channel="CTEAM", text="x")) == "account_inactive"

    slack.fail_next("auth.test", times=2, status=503)
    with pytest.raises(SlackApiError) as caught:
        web.auth_test()
    assert caught.value.response.status_code == 503
    recovering = client(slack, retry_handlers=[ServerErrorRetryHandler(max_retry_count=2)])
    assert recovering.auth_test()["ok"]

    slack.fail_next("auth.test", drop=True)
    resilient = client(slack, retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)])
    assert resilient.auth_test()["ok"]
    assert [c.error for c in slack.calls if c.method == "auth.test"][-2:] == ["dropped", None]

    slack.fail_next("auth.test", delay=0.3)
    started = time.monotonic()
    web.auth_test()
    assert time.monotonic() - started >= 0.3


def test_everything_received_is_recorded(slack: SlackEmulator) -> None:
    client(slack).chat_postMessage(channel="CTEAM", text="hello", thread_ts=None)
    [call] = slack.calls_to("chat.postMessage")
    assert call.args["channel"] == "CTEAM"
    assert call.token == slack.bot_token


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: p.stem)
def test_slack_sdk_sample_views_pass_the_block_kit_check(slack: SlackEmulator, path: Path) -> None:
    view = json.loads(path.read_text())
    web = client(slack)
    if view["type"] == "home":
        web.views_publish(user_id="UOWNER", view=view)
        assert slack.home["UOWNER"] == view
    else:
        web.views_open(trigger_id=slack.issue_trigger("UOWNER"), view=view)
        assert slack.open_modal("UOWNER").view == view  # type: ignore[union-attr]
    assert slack.violations == []


@pytest.mark.parametrize(
    ("breakage", "path"),
    [
        (lambda v: v["title"].update(text="A title far longer than Slack allows"), "title"),
        (lambda v: v["blocks"].extend([{"type": "divider"}] * 101), "blocks"),
        (
            lambda v: v["blocks"].append(
                {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
            ),
            "text",
        ),
        (
            lambda v: v["blocks"].append(
                {
                    "type": "input",
                    "label": {"type": "plain_text", "text": "Notes"},
                    "element": {"type": "plain_text_input", "action_id": "n", "max_length": 5000},
                }
            ),
            "max_length",
        ),
        (
            lambda v: v["blocks"].append(
                {"type": "section", "txt": {"type": "mrkdwn", "text": "typo"}}
            ),
            "view.blocks",
        ),
        (lambda v: v["blocks"].append({"type": "sparkles"}), "unknown block type"),
    ],
)
def test_a_broken_view_fails_the_check_with_the_field_path(
    slack: SlackEmulator, breakage: object, path: str
) -> None:
    view = json.loads(VIEWS[-1].read_text())
    assert view["type"] == "modal"
    breakage(view)  # type: ignore[operator]
    problems = check_view(view)
    assert problems
    assert any(path in problem for problem in problems), problems
    with pytest.raises(SlackApiError) as caught:
        client(slack).views_open(trigger_id=slack.issue_trigger("UOWNER"), view=view)
    assert caught.value.response["error"] == "invalid_blocks"
    assert slack.violations  # the fixture would fail the test that caused this
    slack.violations.clear()


def test_a_message_with_more_than_50_blocks_is_refused(slack: SlackEmulator) -> None:
    blocks = [
        {"type": "section", "text": {"type": "plain_text", "text": str(i)}} for i in range(51)
    ]
    with pytest.raises(SlackApiError) as caught:
        client(slack).chat_postMessage(channel="CTEAM", text="many", blocks=blocks)
    assert caught.value.response["error"] == "invalid_blocks"
    assert "at most 50" in slack.violations[0]
    slack.violations.clear()


def test_trigger_ids_are_single_use_and_expire(slack: SlackEmulator) -> None:
    now = [1000.0]
    slack.clock = lambda: now[0]
    web = client(slack)
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Plan"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
    }
    trigger = slack.issue_trigger("UOWNER")
    web.views_open(trigger_id=trigger, view=modal)
    assert (
        error_of(lambda: web.views_open(trigger_id=trigger, view=modal)) == "exchanged_trigger_id"
    )
    late = slack.issue_trigger("UOWNER")
    now[0] += 3.5
    assert error_of(lambda: web.views_open(trigger_id=late, view=modal)) == "expired_trigger_id"
    assert (
        error_of(lambda: web.views_open(trigger_id="1.2.nope", view=modal)) == "invalid_trigger_id"
    )


def test_the_view_stack_holds_three(slack: SlackEmulator) -> None:
    web = client(slack)
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Plan"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
    }
    opened = web.views_open(trigger_id=slack.issue_trigger("UOWNER"), view=modal)["view"]
    web.views_push(trigger_id=slack.issue_trigger("UOWNER"), view=modal)
    web.views_push(trigger_id=slack.issue_trigger("UOWNER"), view=modal)
    assert (
        error_of(lambda: web.views_push(trigger_id=slack.issue_trigger("UOWNER"), view=modal))
        == "push_limit_reached"
    )
    updated = web.views_update(
        view_id=opened["id"], hash=opened["hash"], view={**modal, "callback_id": "v2"}
    )
    assert updated["view"]["callback_id"] == "v2"
    assert (
        error_of(lambda: web.views_update(view_id=opened["id"], hash=opened["hash"], view=modal))
        == "hash_conflict"
    )
    assert error_of(lambda: web.views_update(view_id="VNOPE", view=modal)) == "not_found"


def test_response_urls_take_five_uses(slack: SlackEmulator) -> None:
    import urllib.error
    import urllib.request

    url = slack.issue_response_url("UOWNER", "CTEAM")
    for i in range(5):
        request = urllib.request.Request(
            url,
            data=json.dumps({"text": f"reply {i}"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert urllib.request.urlopen(request).status == 200
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(
            urllib.request.Request(
                url, data=b'{"text": "6"}', headers={"Content-Type": "application/json"}
            )
        )
    assert caught.value.code == 404
    assert [r["text"] for r in slack.responses] == [f"reply {i}" for i in range(5)]


def test_oauth_exchange(slack: SlackEmulator) -> None:
    slack.oauth_codes["code-1"] = {
        "client_id": "111.222",
        "client_secret": "s3cret",
        "access_token": "xoxb-installed",
    }
    web = WebClient(base_url=slack.api_url)
    assert (
        error_of(
            lambda: web.oauth_v2_access(client_id="111.222", client_secret="nope", code="code-x")
        )
        == "invalid_code"
    )
    installed = web.oauth_v2_access(client_id="111.222", client_secret="s3cret", code="code-1")
    assert installed["access_token"] == "xoxb-installed"
    assert client(slack, "xoxb-installed").auth_test()["ok"]
