"""Slack's Web API over kept-alive connections.

slack_sdk's WebClient sends every call through ``urllib.request.urlopen``,
which opens a new connection (against slack.com, a TCP and TLS handshake) for
each call and closes it after. ``PooledWebClient`` is the same client, whose
one transport step, sending the request urllib built and reading the answer,
goes through a urllib3 pool shared by every client of the process: what is
sent, the retries (429 with Retry-After, 5xx, dropped connections), the
response and the errors stay slack_sdk's own.
"""

from __future__ import annotations

import io
import os
import ssl
import threading
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_bolt import BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient, WebhookResponse

# Connections kept per Slack host and process: as many as a process's
# listeners and fan-out threads call Slack at once, so none waits for another.
CONNECTIONS_PER_HOST = 16

_pools: dict[int, urllib3.PoolManager] = {}
_pools_lock = threading.Lock()


def _pool(context: ssl.SSLContext | None) -> urllib3.PoolManager:
    """One pool per TLS context (slack_sdk's default is None), for the process."""
    key = id(context)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = urllib3.PoolManager(
                num_pools=8, maxsize=CONNECTIONS_PER_HOST, block=False, ssl_context=context
            )
            _pools[key] = pool
        return pool


def _forget_pools() -> None:
    """In a forked child (gunicorn's workers fork after startup's auth.test):
    its parent's open connections are not its own to use."""
    global _pools_lock
    _pools.clear()
    _pools_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_pools)


def _post(url: str, req: Request, *, tls: ssl.SSLContext | None, timeout: int) -> _Answer:
    """``req`` (as slack_sdk built it) sent on a pooled connection, answered as
    urlopen answers: an HTTPError for 4xx and 5xx, a URLError for a failed connection."""
    try:
        answer = _pool(tls).request(
            "POST",
            url,
            body=req.data,  # type: ignore[arg-type]  # bytes, as slack_sdk builds it
            headers=dict(req.header_items()),
            timeout=timeout,
            retries=False,  # slack_sdk's retry handlers decide, as with urllib
            redirect=False,
        )
    except urllib3.exceptions.HTTPError as error:
        # As urlopen raises it, so ConnectionErrorRetryHandler retries it.
        raise URLError(error) from error
    headers = HTTPMessage()
    for name, value in answer.headers.items():
        headers[name] = value
    if answer.status >= 400:
        body = io.BytesIO(answer.data)
        raise HTTPError(url, answer.status, answer.reason or "", headers, body)
    return _Answer(status=answer.status, headers=headers, data=answer.data)


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: HTTPMessage
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode(self.headers.get_content_charset() or "utf-8")


class PooledWebClient(WebClient):
    """A WebClient whose calls reuse the process's kept-alive connections."""

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None or not url.lower().startswith("http"):
            return dict(super()._perform_urllib_http_request_internal(url, req))
        answer = _post(url, req, tls=self.ssl, timeout=self.timeout)
        binary = answer.headers.get_content_type() == "application/gzip"
        body = answer.data if binary else answer.text
        return {"status": answer.status, "headers": answer.headers, "body": body}


class PooledWebhookClient(WebhookClient):
    """A response_url's WebhookClient on the same kept-alive connections."""

    def _perform_http_request_internal(self, url: str, req: Request) -> WebhookResponse:
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_http_request_internal(url, req)  # type: ignore[no-any-return]
        answer = _post(url, req, tls=self.ssl, timeout=self.timeout)
        return WebhookResponse(
            url=url, status_code=answer.status, body=answer.text, headers=dict(answer.headers)
        )


class PooledRespond(Respond):
    """Bolt's ``respond``, answering on the response_url over the pool."""

    def __call__(self, text: str | dict[str, Any] = "", **fields: Any) -> WebhookResponse:  # type: ignore[override]
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        message = dict(text) if isinstance(text, dict) else {"text": text, **fields}
        webhook = PooledWebhookClient(url=self.response_url, proxy=self.proxy, ssl=self.ssl)
        return webhook.send_dict({k: v for k, v in message.items() if v is not None})


def pooled(client: WebClient) -> WebClient:
    """``client``'s settings and token on the pooled transport."""
    if isinstance(client, PooledWebClient):
        return client
    return PooledWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        team_id=client.default_params.get("team_id"),
        logger=client.logger,
        retry_handlers=list(client.retry_handlers),
    )


def use_pooled_client(context: BoltContext, next: Any) -> BoltResponse:
    """Bolt middleware: Bolt builds a plain WebClient for each request (with
    the request's token, once authorised), and a ``respond`` on urllib; its
    listeners get both pooled."""
    client = context.get("client")
    if isinstance(client, WebClient):
        context["client"] = client = pooled(client)
        if context.response_url:
            context["respond"] = PooledRespond(
                response_url=context.response_url, proxy=client.proxy, ssl=client.ssl
            )
    response: BoltResponse = next()
    return response
