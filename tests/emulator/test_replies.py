"""conversations.replies as Slack answers it: Slack's argument names, its
required arguments and scopes, a thread oldest first, and pagination."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slack_emulator import SlackEmulator


def client(slack: SlackEmulator) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def refusal(call: object) -> dict[str, object]:
    with pytest.raises(SlackApiError) as caught:
        call()  # type: ignore[operator]
    return dict(caught.value.response.data)  # type: ignore[arg-type]


def test_a_thread_is_its_parent_then_its_replies_with_their_metadata(
    slack: SlackEmulator,
) -> None:
    slack.limits.enabled = False
    web = client(slack)
    parent = web.chat_postMessage(channel="CTEAM", text="Week 8 check-ins")["ts"]
    web.chat_postMessage(channel="CTEAM", text="elsewhere")
    first = web.chat_postMessage(
        channel="CTEAM",
        thread_ts=parent,
        text="Dana checked in",
        metadata={"event_type": "myplan_delivery", "event_payload": {"key": "k1"}},
    )["ts"]
    web.chat_postMessage(channel="CTEAM", thread_ts=parent, text="Lee checked in")
    thread = web.conversations_replies(channel="CTEAM", ts=parent, include_all_metadata=True)
    texts = [m["text"] for m in thread["messages"]]
    assert texts == ["Week 8 check-ins", "Dana checked in", "Lee checked in"]
    assert thread["messages"][1]["metadata"]["event_payload"] == {"key": "k1"}
    assert thread["has_more"] is False
    # Without include_all_metadata, no metadata; a reply's ts names its thread too.
    again = web.conversations_replies(channel="CTEAM", ts=first)["messages"]
    assert [m["text"] for m in again] == texts and "metadata" not in again[1]
    # A message with no replies is a thread of one.
    lone = web.conversations_history(channel="CTEAM")["messages"][0]["ts"]
    assert [m["text"] for m in web.conversations_replies(channel="CTEAM", ts=lone)["messages"]] == [
        "elsewhere"
    ]


def test_replies_page_by_cursor(slack: SlackEmulator) -> None:
    slack.limits.enabled = False
    web = client(slack)
    parent = web.chat_postMessage(channel="CTEAM", text="parent")["ts"]
    for n in range(4):
        web.chat_postMessage(channel="CTEAM", thread_ts=parent, text=f"reply {n}")
    seen, cursor = [], None
    while True:
        page = web.conversations_replies(channel="CTEAM", ts=parent, limit=2, cursor=cursor)
        seen += [m["text"] for m in page["messages"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            assert page["has_more"] is False
            break
        assert page["has_more"] is True
    assert seen == ["parent", "reply 0", "reply 1", "reply 2", "reply 3"]


def test_replies_refuse_as_slack_does(slack: SlackEmulator) -> None:
    web = client(slack)
    assert refusal(lambda: web.api_call("conversations.replies", params={"channel": "CTEAM"}))[
        "error"
    ] == ("invalid_arguments")  # ts is required
    assert refusal(lambda: web.conversations_replies(channel="CTEAM", ts="1.000001"))["error"] == (
        "thread_not_found"
    )
    assert refusal(lambda: web.conversations_replies(channel="CNOPE", ts="1.0"))["error"] == (
        "channel_not_found"
    )
    slack.add_channel("COTHER", "other", members=["UOWNER"], bot_member=False)
    slack.post_as_user("COTHER", "UOWNER", "hello")
    ts = slack.channel_messages("COTHER")[0].ts
    assert refusal(lambda: web.conversations_replies(channel="COTHER", ts=ts))["error"] == (
        "not_in_channel"
    )
    slack.add_channel("CPRIVATE", "managers", members=["UMANAGER"], is_private=True)
    slack.grant(["chat:write", "channels:history"])
    assert refusal(lambda: web.conversations_replies(channel="CPRIVATE", ts=ts))["needed"] == (
        "groups:history"
    )
