"""The loopback Slack's file uploads, as slack_sdk's ``files_upload_v2`` drives them:
``files.getUploadURLExternal``, a POST of the bytes to the upload URL, then
``files.completeUploadExternal``; and image blocks that show a ``slack_file``
only when Slack would."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slack_emulator import SlackEmulator
from tests.slack_emulator.server import manifest_bot_scopes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def client(slack: SlackEmulator) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


@pytest.fixture
def web(slack: SlackEmulator) -> WebClient:
    slack.grant([*manifest_bot_scopes(), "files:write"])
    return client(slack)


def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as caught:
        call()
    return dict(caught.value.response.data)  # type: ignore[arg-type]


def image(ref: dict[str, str], alt: str = "a chart") -> list[dict[str, Any]]:
    return [{"type": "image", "slack_file": ref, "alt_text": alt}]


def test_files_upload_v2_shares_a_file_in_a_dm_with_its_bytes(
    slack: SlackEmulator, web: WebClient
) -> None:
    dm = web.conversations_open(users="UOWNER")["channel"]["id"]
    sent = web.files_upload_v2(
        channel=dm,
        content=PNG,
        filename="trend.png",
        title="Calls per week",
        alt_txt="Calls per week: 20, 24, 27",
        initial_comment="Your trends",
    )
    file = sent["file"]
    assert file["id"].startswith("F") and file["title"] == "Calls per week"
    assert file["size"] == len(PNG) and file["mimetype"] == "image/png"
    assert slack.file_bytes(file["id"]) == PNG
    assert [f.id for f in slack.shared_files(dm)] == [file["id"]]
    [share] = slack.dms("UOWNER")
    assert share.text == "Your trends" and share.files and share.files[0]["id"] == file["id"]
    assert [c.method for c in slack.calls[-3:]] == [
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
    ]


def test_the_upload_methods_need_files_write(slack: SlackEmulator) -> None:
    body = refusal(lambda: client(slack).files_getUploadURLExternal(filename="a.png", length=3))
    assert body["error"] == "missing_scope" and body["needed"] == "files:write"
    body = refusal(
        lambda: client(slack).files_completeUploadExternal(files=[{"id": "F0000000001"}])
    )
    assert body["error"] == "missing_scope"


def test_bad_length_filename_and_alt_text_are_refused_as_slack_does(web: WebClient) -> None:
    assert refusal(lambda: web.files_getUploadURLExternal(filename="a.png", length=0))["error"] == (
        "missing_argument"
    )
    assert refusal(lambda: web.api_call("files.getUploadURLExternal", params={"length": 3}))[
        "error"
    ] == ("invalid_arguments")
    assert refusal(
        lambda: web.api_call(
            "files.getUploadURLExternal", params={"filename": "a.png", "length": "three"}
        )
    )["error"] == ("invalid_arguments")
    assert refusal(
        lambda: web.files_getUploadURLExternal(filename="a.png", length=3, alt_txt="x" * 1001)
    )["error"] == ("alt_txt_too_large")


def test_completing_an_unknown_or_unfinished_upload_finds_no_file(
    slack: SlackEmulator, web: WebClient
) -> None:
    assert refusal(lambda: web.files_completeUploadExternal(files=[{"id": "F9999999999"}]))[
        "error"
    ] == ("file_not_found")
    ticket = web.files_getUploadURLExternal(filename="a.png", length=len(PNG))
    not_posted = [{"id": ticket["file_id"]}]
    assert refusal(lambda: web.files_completeUploadExternal(files=not_posted))["error"] == (
        "file_not_found"
    )
    # The upload URL takes exactly the announced bytes, once.
    short = urllib.request.Request(ticket["upload_url"], data=PNG[:-1], method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(short)
    assert caught.value.code == 400
    with urllib.request.urlopen(
        urllib.request.Request(ticket["upload_url"], data=PNG, method="POST")
    ) as answer:
        assert answer.status == 200
    assert (
        web.files_completeUploadExternal(files=not_posted)["files"][0]["id"] == (ticket["file_id"])
    )
    # A completed upload cannot be completed again.
    assert refusal(lambda: web.files_completeUploadExternal(files=not_posted))["error"] == (
        "file_not_found"
    )


def test_sharing_needs_a_conversation_id_the_bot_is_in(
    slack: SlackEmulator, web: WebClient
) -> None:
    slack.add_channel("COUTSIDE", "elsewhere", bot_member=False)
    body = refusal(lambda: web.files_upload_v2(channel="UOWNER", content=PNG, filename="a.png"))
    assert body["error"] == "invalid_arguments"  # a user id is not a channel_id
    assert refusal(lambda: web.files_upload_v2(channel="COUTSIDE", content=PNG, filename="a.png"))[
        "error"
    ] == ("not_in_channel")
    assert refusal(lambda: web.files_upload_v2(channel="CNOPE", content=PNG, filename="a.png"))[
        "error"
    ] == ("channel_not_found")


def test_a_file_goes_in_a_thread(slack: SlackEmulator, web: WebClient) -> None:
    parent = web.chat_postMessage(channel="CTEAM", text="Week 9")
    web.files_upload_v2(channel="CTEAM", thread_ts=parent["ts"], content=PNG, filename="a.png")
    [reply] = slack.thread("CTEAM", parent["ts"])
    assert reply.files
    with pytest.raises(SlackApiError):
        web.files_upload_v2(channel="CTEAM", thread_ts="1.000001", content=PNG, filename="a.png")


def test_an_image_block_shows_only_a_file_slack_has_and_the_viewer_may_see(
    slack: SlackEmulator, web: WebClient
) -> None:
    slack.limits.enabled = False  # many posts to one channel in a moment
    dm = web.conversations_open(users="UOWNER")["channel"]["id"]
    shared = web.files_upload_v2(channel=dm, content=PNG, filename="trend.png")["file"]
    private = web.files_upload_v2(content=PNG, filename="private.png")["file"]

    # Shared in the owner's DM: shown there, on the owner's home, by id or by url.
    assert web.chat_postMessage(channel=dm, text="t", blocks=image({"id": shared["id"]}))["ok"]
    home = {"type": "home", "blocks": image({"url": shared["url_private"]})}
    assert web.views_publish(user_id="UOWNER", view=home)["ok"]
    assert slack.home["UOWNER"] == home

    def refused(call: Any) -> None:
        body = refusal(call)
        assert body["error"] == "invalid_blocks", body
        slack.violations.clear()  # expected: the test is that Slack refuses them

    refused(lambda: web.chat_postMessage(channel=dm, text="t", blocks=image({"id": "F9999999999"})))
    refused(lambda: web.chat_postMessage(channel=dm, text="t", blocks=image({"id": "12"})))
    # Never shared (no channel): only the bot has it.
    refused(lambda: web.chat_postMessage(channel=dm, text="t", blocks=image({"id": private["id"]})))
    # Shared with the owner, not with the peer nor in the team channel.
    refused(lambda: web.views_publish(user_id="UPEER", view=home))
    refused(
        lambda: web.chat_postMessage(channel="CTEAM", text="t", blocks=image({"id": shared["id"]}))
    )
    refused(
        lambda: web.chat_postMessage(
            channel=dm, text="t", blocks=image({"id": shared["id"], "url": shared["url_private"]})
        )
    )


def test_an_unfinished_upload_cannot_be_shown(slack: SlackEmulator, web: WebClient) -> None:
    ticket = web.files_getUploadURLExternal(filename="a.png", length=len(PNG))
    with pytest.raises(SlackApiError):
        web.views_publish(
            user_id="UOWNER", view={"type": "home", "blocks": image({"id": ticket["file_id"]})}
        )
    slack.violations.clear()


def test_an_upload_url_takes_its_bytes_once(web: WebClient) -> None:
    ticket = web.files_getUploadURLExternal(filename="a.png", length=len(PNG))
    post = urllib.request.Request(ticket["upload_url"], data=PNG, method="POST")
    with urllib.request.urlopen(post) as answer:
        assert answer.read() == f"OK - {len(PNG)}".encode()
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(post)
    assert caught.value.code == 404
