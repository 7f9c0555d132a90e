"""The request edge of POST /slack/events: signature first, then shape, then Bolt.

Nothing reads a body before its signature is checked, on the raw bytes:
anything unsigned, stale or forged is answered 401 and logged in one line. A
signed body is then parsed into one of Slack's payloads (bot/payloads.py);
one that is not (no actions, a view with no type, a command without its
trigger) is answered 400, in one line of the log. Only then does Bolt see
it, already parsed, so nothing after this point meets malformed input.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError
from slack_bolt import App, BoltContext, BoltRequest
from slack_bolt.request.internals import build_context

from bot import payloads
from bot.listeners.admission import arriving

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
BODY_MAX_BYTES = 1 << 20  # Slack's payloads are a few kB; a view at most 250 kB
SIGNATURE_MAX_AGE_SECONDS = 5 * 60  # Slack's advice: refuse older, against replays


class Malformed(Exception):
    """A signed body that is not one of Slack's payloads; ``str()`` says why."""


def verified(headers: dict[str, str], body: bytes, *, secret: str, now: float) -> bool:
    """Slack's v0 signature of ``body``, from a timestamp at most five minutes off."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def parse(body: str, content_type: str) -> dict[str, Any]:
    """A signed body as the payload it is; raises Malformed for anything else."""
    try:
        if content_type == "application/json":
            data = json.loads(body)
            _check(payloads.ENVELOPE, data)
            return dict(data)
        form = dict(parse_qsl(body, keep_blank_values=True, strict_parsing=bool(body)))
        if "payload" in form:
            data = json.loads(form["payload"])
            _check(payloads.INTERACTION, data)
            return dict(data)
        if "ssl_check" in form:
            payloads.SslCheck.model_validate(form)
            return form
        payloads.Command.model_validate(form)
        return form
    except (ValueError, TypeError) as error:  # json's and parse_qsl's errors are ValueErrors
        raise Malformed(_summary(error)) from None


def _check(adapter: Any, data: Any) -> None:
    if not isinstance(data, dict):
        raise Malformed(f"a JSON {type(data).__name__}, not an object")
    adapter.validate_python(data)


def _summary(error: Exception) -> str:
    """One line: which fields are wrong, never their (maybe hostile) values."""
    if isinstance(error, ValidationError):
        where = sorted({".".join(str(p) for p in e["loc"]) or "(body)" for e in error.errors()})
        return f"{error.error_count()} wrong field(s): {', '.join(where)[:300]}"
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


class SlackEvents:
    """The WSGI app of POST /slack/events, in front of Bolt."""

    def __init__(
        self, app: App, *, signing_secret: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._app = app
        self._secret = signing_secret
        self._clock = clock

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # The listener Bolt runs in this thread reads when the request came in:
        # its trigger_id's age (bot/listeners/admission.py); the work behind
        # an ack starts once the server has sent it, when it closes the body.
        with arriving() as after:
            try:
                body = self._serve(environ, start_response)
            except BaseException:
                _ThenStart([], after).close()  # let in, so started: nothing is lost
                raise
        return _ThenStart(body, after) if after else body

    def _serve(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        headers = _headers(environ)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= BODY_MAX_BYTES:
            log.warning("refused a request of %s bytes to /slack/events", length)
            return _answer(start_response, 413, body={"error": "request_too_large"})
        raw: bytes = environ["wsgi.input"].read(length) if length else b""
        if not verified(headers, raw, secret=self._secret, now=self._clock()):
            log.warning("refused a request with a missing, stale or wrong Slack signature")
            return _answer(start_response, 401, body={"error": "invalid_signature"})
        try:
            text = raw.decode("utf-8")
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            body = parse(text, content_type)
        except (UnicodeDecodeError, Malformed) as error:
            log.warning("refused a signed but malformed request: %s", _summary(error))
            return _answer(start_response, 400, body={"error": "malformed_payload"})
        request = BoltRequest(
            body=text, query=environ.get("QUERY_STRING", ""), headers=dict(headers.items())
        )
        # Bolt's own reading guesses at forms from their text (a command whose
        # text says "payload" reads as nothing); it gets the payload as parsed.
        request.body = body
        request.context = build_context(BoltContext({}), body)
        response = self._app.dispatch(request)
        return _send(start_response, response.status, headers=response.headers, body=response.body)


class _ThenStart:
    """A response body that, when the server closes it (PEP 3333: after the
    body is sent), starts the work the request's listeners left to do."""

    def __init__(self, body: list[bytes], tasks: list[Callable[[], object]]) -> None:
        self._body = body
        self._tasks = tasks

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task()


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].lower().replace("_", "-"): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if key in environ:
            headers[key.lower().replace("_", "-")] = str(environ[key])
    return headers


def _answer(start_response: StartResponse, status: int, *, body: dict[str, Any]) -> list[bytes]:
    headers = {"content-type": ["application/json"]}
    return _send(start_response, status, headers=headers, body=json.dumps(body))


_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 413: "Too Large"}


def _send(
    start_response: StartResponse, status: int, *, headers: dict[str, Any], body: str
) -> list[bytes]:
    payload = body.encode()
    pairs = [
        (name, value)
        for name, values in headers.items()
        if name.lower() != "content-length"
        for value in (values if isinstance(values, list | tuple) else [values])
    ]
    start_response(
        f"{status} {_REASONS.get(status, 'Status')}",
        [*pairs, ("Content-Length", str(len(payload)))],
    )
    return [payload]
