"""Sends what Slack sends: signed requests to a running bot's /slack/events,
or the same payloads as Socket Mode envelopes on the bot's WebSocket.

Payloads follow the samples in ``reference/payloads`` (Slack's own SDK
tests). Helpers act like a person: submit the open modal with these values,
click the button with this text, open the App Home. Every request's time to
ack is measured, and a scenario whose ack takes 3 seconds or more fails.

The transport is the driver's: ``SlackDriver(slack, url)`` posts over HTTP;
``SlackDriver(slack, transport="socket_mode")`` sends envelopes through
``slack.socket_mode`` to the app connected there and waits for the ack of
each envelope id. Either way a call returns the same ``Ack``, so a scenario
runs unchanged over both.
"""

from __future__ import annotations

import http.client
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from slack_sdk.signature import SignatureVerifier

from tests.slack_emulator.blockkit import check_view
from tests.slack_emulator.server import Message, OpenView, SlackEmulator

ACK_LIMIT_SECONDS = 3.0
# How long a Socket Mode envelope waits for its ack before the driver says none
# came (past ACK_LIMIT_SECONDS, so a slow ack is measured rather than lost).
SOCKET_ACK_WAIT_SECONDS = 10.0

Transport = Literal["http", "socket_mode"]


class AckTooSlow(AssertionError):
    pass


@dataclass
class Ack:
    """The bot's answer. Over HTTP: the response's status, body and headers.
    Over Socket Mode: 200 and the ack's ``payload`` as JSON (empty without
    one), or status 0 when no ack came back for the envelope."""

    status: int
    body: str
    seconds: float
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def errors(self) -> dict[str, str]:
        """The field errors of a refused view submission."""
        data = self.json or {}
        return dict(data.get("errors", {})) if data.get("response_action") == "errors" else {}


class SlackDriver:
    def __init__(
        self,
        slack: SlackEmulator,
        bot_url: str = "",
        *,
        path: str = "/slack/events",
        transport: Transport = "http",
    ) -> None:
        if transport == "http" and not bot_url:
            raise ValueError("an HTTP driver needs the bot's URL")
        self.slack = slack
        self.transport = transport
        parts = urlsplit(bot_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.path = path
        self.acks: list[Ack] = []
        # Scenarios fail on an ack Slack would have given up on; a benchmark
        # counts them instead.
        self.fail_slow_acks = True
        self._verifier = SignatureVerifier(slack.signing_secret)

    # -- the wire ------------------------------------------------------------

    def signature_headers(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = self._verifier.generate_signature(timestamp=ts, body=body)
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature or ""}

    def post(
        self,
        body: str,
        content_type: str,
        *,
        sign: bool = True,
        timestamp: int | None = None,
        signature: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Ack:
        headers = {"Content-Type": content_type}
        if sign:
            headers.update(self.signature_headers(body, timestamp))
        if signature is not None:
            headers["X-Slack-Signature"] = signature
            headers.setdefault("X-Slack-Request-Timestamp", str(int(time.time())))
        headers.update(extra_headers or {})
        if self.transport != "http":
            raise AssertionError("a Socket Mode driver sends envelopes, not HTTP requests")
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        started = time.perf_counter()
        try:
            connection.request("POST", self.path, body=body.encode(), headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            seconds = time.perf_counter() - started
            ack = Ack(
                response.status, text, seconds, {k.lower(): v for k, v in response.getheaders()}
            )
        finally:
            connection.close()
        return self._measured(ack)

    def _measured(self, ack: Ack) -> Ack:
        self.acks.append(ack)
        if ack.seconds >= ACK_LIMIT_SECONDS and self.fail_slow_acks:
            what = "to ack" if ack.status else "and never acked"
            raise AckTooSlow(f"the bot took {ack.seconds:.2f}s {what}; Slack gives up at 3s")
        return ack

    def send_envelope(self, envelope_type: str, payload: Mapping[str, Any]) -> Ack:
        """Socket Mode: ``payload`` in an envelope on the app's connection; the ack
        of its envelope id, with the ack's payload as the body."""
        delivery = self.slack.socket_mode.deliver(
            envelope_type, payload, timeout=SOCKET_ACK_WAIT_SECONDS
        )
        if not delivery.acked.is_set():
            return self._measured(Ack(0, "", SOCKET_ACK_WAIT_SECONDS))
        body = json.dumps(delivery.response) if delivery.response else ""
        return self._measured(Ack(200, body, delivery.seconds or 0.0))

    # What each kind of request is on the wire, by transport: a form, a
    # form with the payload, JSON; or an envelope of a type of its own.

    def _command(self, fields: Mapping[str, str]) -> Ack:
        if self.transport == "socket_mode":
            return self.send_envelope("slash_commands", fields)
        return self.post_form(fields)

    def _interaction(self, payload: Mapping[str, Any]) -> Ack:
        if self.transport == "socket_mode":
            return self.send_envelope("interactive", payload)
        return self.post_payload(payload)

    def _event(self, envelope: Mapping[str, Any], **kwargs: Any) -> Ack:
        if self.transport == "socket_mode":
            if kwargs:
                raise AssertionError(f"Socket Mode has no signatures to vary: {sorted(kwargs)}")
            return self.send_envelope("events_api", envelope)
        return self.post_event(envelope, **kwargs)

    def post_form(self, fields: Mapping[str, str], **kwargs: Any) -> Ack:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", **kwargs)

    def post_payload(self, payload: Mapping[str, Any], **kwargs: Any) -> Ack:
        """Interactivity: Slack posts ``payload=<url-encoded JSON>`` as a form."""
        return self.post_form({"payload": json.dumps(payload)}, **kwargs)

    def post_event(self, envelope: Mapping[str, Any], **kwargs: Any) -> Ack:
        return self.post(json.dumps(envelope), "application/json", **kwargs)

    # -- who is acting -------------------------------------------------------

    def _user(self, user_id: str) -> dict[str, str]:
        user = self.slack.users[user_id]
        return {
            "id": user.id,
            "username": user.name,
            "name": user.name,
            "team_id": self.slack.team_id,
        }

    def _team(self) -> dict[str, str]:
        return {"id": self.slack.team_id, "domain": self.slack.team_domain}

    def _channel(self, channel_id: str) -> dict[str, str]:
        channel = self.slack.channels.get(channel_id)
        return {"id": channel_id, "name": channel.name if channel else "directmessage"}

    # -- slash commands ------------------------------------------------------

    def slash_command(
        self,
        user_id: str,
        text: str = "",
        *,
        command: str = "/myplan",
        channel_id: str | None = None,
    ) -> Ack:
        channel_id = channel_id or self.slack.dm_channel_id(user_id)
        user = self.slack.users[user_id]
        return self._command(
            {
                "token": "verification_token",
                "team_id": self.slack.team_id,
                "team_domain": self.slack.team_domain,
                "channel_id": channel_id,
                "channel_name": self._channel(channel_id)["name"],
                "user_id": user_id,
                "user_name": user.name,
                "command": command,
                "text": text,
                "api_app_id": self.slack.app_id,
                "is_enterprise_install": "false",
                "response_url": self.slack.issue_response_url(user_id, channel_id),
                "trigger_id": self.slack.issue_trigger(user_id),
            }
        )

    # -- buttons -------------------------------------------------------------

    def block_action(
        self,
        user_id: str,
        action: Mapping[str, Any],
        *,
        message: Message | None = None,
        view: OpenView | None = None,
        block_id: str = "",
        values: Mapping[str, Any] | None = None,
        ephemeral_in: str | None = None,
    ) -> Ack:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": self.slack.app_id,
            "token": "verification_token",
            "trigger_id": self.slack.issue_trigger(user_id),
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [{"block_id": block_id, "action_ts": f"{time.time():.6f}", **action}],
        }
        if message is not None:
            payload["container"] = {
                "type": "message",
                "message_ts": message.ts,
                "channel_id": message.channel,
                "is_ephemeral": False,
            }
            payload["channel"] = self._channel(message.channel)
            payload["message"] = message.to_dict()
            payload["response_url"] = self.slack.issue_response_url(user_id, message.channel)
        elif ephemeral_in is not None:
            payload["container"] = {
                "type": "message",
                "message_ts": f"{time.time():.6f}",
                "channel_id": ephemeral_in,
                "is_ephemeral": True,
            }
            payload["channel"] = self._channel(ephemeral_in)
            payload["response_url"] = self.slack.issue_response_url(user_id, ephemeral_in)
        elif view is not None:
            payload["container"] = {"type": "view", "view_id": view.id}
            payload["view"] = self.slack.view_payload(view, self._state(view, values or {}))
        return self._interaction(payload)

    def choose(self, user_id: str, block_id: str, option: str) -> Ack:
        """Choose ``option`` (its value or text) in the select of ``block_id`` in
        the modal on top, as Slack sends it when the input dispatches actions
        (``dispatch_action``): a block_actions payload with the view's state."""
        view = self.slack.open_modal(user_id)
        if view is None:
            raise AssertionError(f"{user_id} has no modal open")
        block = next(
            (b for b in view.view.get("blocks", []) if b.get("block_id") == block_id), None
        )
        if block is None or block.get("type") != "input":
            raise AssertionError(f"the open view has no input {block_id!r}")
        if not block.get("dispatch_action"):
            raise AssertionError(f"{block_id!r} does not dispatch actions: Slack sends nothing")
        element = block["element"]
        chosen = _element_value(element, option)
        action = {"type": element["type"], "action_id": element.get("action_id", ""), **chosen}
        return self.block_action(
            user_id, action, view=view, block_id=block_id, values={block_id: option}
        )

    def find_button(self, blocks: list[Any], text: str) -> tuple[str, dict[str, Any]]:
        for block in blocks:
            elements = block.get("elements", []) if block.get("type") == "actions" else []
            if block.get("accessory"):
                elements = [*elements, block["accessory"]]
            for element in elements:
                if element.get("type") == "button" and element["text"]["text"] == text:
                    return block.get("block_id", ""), element
        raise AssertionError(f"no button {text!r} in {json.dumps(blocks)[:400]}")

    def click_button(
        self,
        user_id: str,
        text: str,
        *,
        channel_id: str | None = None,
        message: Message | None = None,
        view: OpenView | None = None,
        home: bool = False,
        values: Mapping[str, Any] | None = None,
    ) -> Ack:
        """Click the button labelled ``text``: in ``message``, in the last
        message of ``channel_id`` (the user's DM by default), in ``view``, or in
        the user's App Home."""
        if home:
            view_dict = self.slack.home[user_id]
            stored = next(v for v in reversed(self.slack.views.values()) if v.view is view_dict)
            return self._click(user_id, text, stored.view["blocks"], view=stored)
        if view is not None:
            return self._click(user_id, text, view.view["blocks"], view=view, values=values)
        if message is None:
            channel_id = channel_id or self.slack.dm_channel_id(user_id)
            candidates = [m for m in self.slack.channel_messages(channel_id) if m.blocks]
            for candidate in reversed(candidates):
                try:
                    self.find_button(candidate.blocks or [], text)
                except AssertionError:
                    continue
                message = candidate
                break
            if message is None:
                raise AssertionError(f"no message in {channel_id} has a button {text!r}")
        return self._click(user_id, text, message.blocks or [], message=message)

    def click_button_in(
        self, user_id: str, text: str, *, blocks: list[Any], channel_id: str | None = None
    ) -> Ack:
        """Click the button labelled ``text`` in ``blocks`` a command's
        ephemeral answer carried (Slack keeps no message of it). With
        ``channel_id`` (where the command was typed), the payload is Slack's
        for an ephemeral message: its container and a response_url of its own."""
        if channel_id is None:
            return self._click(user_id, text, blocks)
        block_id, button = self.find_button(blocks, text)
        action = {
            "type": "button",
            "action_id": button.get("action_id", ""),
            "text": button["text"],
            "value": button.get("value", ""),
        }
        return self.block_action(user_id, action, block_id=block_id, ephemeral_in=channel_id)

    def _click(self, user_id: str, text: str, blocks: list[Any], **where: Any) -> Ack:
        block_id, button = self.find_button(blocks, text)
        action = {
            "type": "button",
            "action_id": button.get("action_id", ""),
            "text": button["text"],
            "value": button.get("value", ""),
        }
        return self.block_action(user_id, action, block_id=block_id, **where)

    # -- modals --------------------------------------------------------------

    def _state(self, view: OpenView, values: Mapping[str, Any]) -> dict[str, Any]:
        """``view.state.values`` as Slack builds it: keyed by the view's real
        block_id and action_id, starting from each input's initial value."""
        state: dict[str, dict[str, Any]] = {}
        used: set[str] = set()
        for block in view.view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block["element"]
            block_id = block.get("block_id", "")
            label = block["label"]["text"]
            key = block_id if block_id in values else label if label in values else None
            if key is not None:
                used.add(key)
                entry = _element_value(element, values[key])
            else:
                entry = _initial_value(element)
            state[block_id] = {element.get("action_id", ""): entry}
        unknown = set(values) - used
        if unknown:
            raise AssertionError(f"the open view has no input {sorted(unknown)}")
        return {"values": state}

    def submit_view(self, user_id: str, values: Mapping[str, Any] | None = None) -> Ack:
        """Submit the modal on top of ``user_id``'s stack with ``values``
        (keyed by block_id or by label), then apply the bot's response_action
        to the stack as Slack would."""
        view = self.slack.open_modal(user_id)
        if view is None:
            raise AssertionError(f"{user_id} has no modal open")
        payload = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": self.slack.app_id,
            "token": "verification_token",
            "trigger_id": self.slack.issue_trigger(user_id),
            "view": self.slack.view_payload(view, self._state(view, values or {})),
            "response_urls": [],
            "enterprise": None,
            "is_enterprise_install": False,
        }
        ack = self._interaction(payload)
        if ack.status == 200:
            self._apply_response_action(user_id, ack)
        return ack

    def _apply_response_action(self, user_id: str, ack: Ack) -> None:
        data = ack.json if ack.body.strip() else None
        action = (data or {}).get("response_action")
        stack = self.slack.stacks.get(user_id, [])
        if action == "errors":
            return
        if action in ("update", "push"):
            problems = check_view(data["view"], f"response_action={action}.view")
            if problems:
                self.slack.violations.extend(problems)
                raise AssertionError(f"the bot answered with an invalid view: {problems}")
            if action == "update":
                self.slack.views[stack[-1]].view = data["view"]
            else:
                if len(stack) >= 3:
                    raise AssertionError("push_limit_reached: Slack keeps at most 3 views")
                stored = self.slack._new_view(
                    user_id, data["view"], root=stack[0], previous=stack[-1]
                )
                stack.append(stored.id)
            return
        if action == "clear":
            stack.clear()
        elif stack:
            stack.pop()

    def close_view(self, user_id: str) -> Ack | None:
        """The person closes the modal; the bot hears of it if it asked to."""
        view = self.slack.open_modal(user_id)
        if view is None:
            raise AssertionError(f"{user_id} has no modal open")
        self.slack.stacks[user_id].pop()
        if not view.view.get("notify_on_close"):
            return None
        return self._interaction(
            {
                "type": "view_closed",
                "team": self._team(),
                "user": self._user(user_id),
                "api_app_id": self.slack.app_id,
                "token": "verification_token",
                "view": self.slack.view_payload(view),
                "is_cleared": False,
            }
        )

    # -- shortcuts -----------------------------------------------------------

    def message_shortcut(self, user_id: str, callback_id: str, message: Message) -> Ack:
        return self._interaction(
            {
                "type": "message_action",
                "token": "verification_token",
                "action_ts": f"{time.time():.6f}",
                "team": self._team(),
                "user": self._user(user_id),
                "channel": self._channel(message.channel),
                "is_enterprise_install": False,
                "enterprise": None,
                "callback_id": callback_id,
                "trigger_id": self.slack.issue_trigger(user_id),
                "response_url": self.slack.issue_response_url(user_id, message.channel),
                "message_ts": message.ts,
                "message": message.to_dict(),
            }
        )

    # -- events --------------------------------------------------------------

    def event(self, event: Mapping[str, Any], **kwargs: Any) -> Ack:
        envelope = {
            "token": "verification_token",
            "team_id": self.slack.team_id,
            "api_app_id": self.slack.app_id,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.slack.team_id,
                    "user_id": self.slack.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        return self._event(envelope, **kwargs)

    def open_app_home(self, user_id: str) -> Ack:
        return self.event(
            {
                "type": "app_home_opened",
                "user": user_id,
                "channel": self.slack.dm_channel_id(user_id),
                "tab": "home",
            }
        )

    def app_uninstalled(self) -> Ack:
        return self.event({"type": "app_uninstalled"})

    def tokens_revoked(self, *, bot_user_ids: list[str] | None = None) -> Ack:
        return self.event(
            {"type": "tokens_revoked", "tokens": {"bot": bot_user_ids or [self.slack.bot_user_id]}}
        )

    def url_verification(self, challenge: str) -> Ack:
        if self.transport == "socket_mode":
            raise AssertionError("Slack checks a request URL only over HTTP")
        return self.post_event(
            {"token": "verification_token", "challenge": challenge, "type": "url_verification"}
        )


def _option(value: Any) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}


def _element_value(element: Mapping[str, Any], value: Any) -> dict[str, Any]:
    kind = element["type"]
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        return {"type": kind, "value": None if value is None else str(value)}
    if kind in ("static_select", "radio_buttons"):
        options = _options(element)
        chosen = next(
            (o for o in options if o["value"] == value or o["text"]["text"] == value), None
        )
        if chosen is None:
            raise AssertionError(f"{value!r} is not an option of {element.get('action_id')}")
        return {"type": kind, "selected_option": chosen}
    if kind == "checkboxes":
        options = _options(element)
        wanted = set(value or [])
        return {
            "type": kind,
            "selected_options": [
                o for o in options if o["value"] in wanted or o["text"]["text"] in wanted
            ],
        }
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(value or [])}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": value}
    if kind == "channels_select":
        return {"type": kind, "selected_channel": value}
    if kind == "datepicker":
        return {
            "type": kind,
            "selected_date": value.isoformat() if isinstance(value, date) else value,
        }
    if kind == "timepicker":
        return {"type": kind, "selected_time": value}
    raise AssertionError(f"the driver cannot fill a {kind}")


def _options(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options += group["options"]
    return options


def _initial_value(element: Mapping[str, Any]) -> dict[str, Any]:
    kind = element["type"]
    initial: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
        "plain_text_input": lambda e: {"value": e.get("initial_value")},
        "number_input": lambda e: {"value": e.get("initial_value")},
        "static_select": lambda e: {"selected_option": e.get("initial_option")},
        "radio_buttons": lambda e: {"selected_option": e.get("initial_option")},
        "checkboxes": lambda e: {"selected_options": e.get("initial_options", [])},
        "users_select": lambda e: {"selected_user": e.get("initial_user")},
        "multi_users_select": lambda e: {"selected_users": e.get("initial_users", [])},
        "conversations_select": lambda e: {"selected_conversation": e.get("initial_conversation")},
        "channels_select": lambda e: {"selected_channel": e.get("initial_channel")},
        "datepicker": lambda e: {"selected_date": e.get("initial_date")},
        "timepicker": lambda e: {"selected_time": e.get("initial_time")},
    }
    if kind not in initial:
        return {"type": kind}
    return {"type": kind, **initial[kind](element)}
