"""A Slack Web API on loopback that behaves like Slack.

Real HTTP on 127.0.0.1; bearer or form tokens; form, query and JSON bodies;
required arguments and rate-limit tiers from Slack's own method catalog;
Slack's error shapes (HTTP 200 with ``ok: false``; HTTP 429 with
``Retry-After``); Block Kit checks on everything the bot sends; single-use
trigger ids; a view stack of at most 3; the external file upload flow
(``files.getUploadURLExternal``, a POST of the bytes to the upload URL,
``files.completeUploadExternal``) and image blocks that show only files that
exist and the viewer may see; scripted faults; a record of every call for
tests to assert on.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import math
import re
import socket
import ssl
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from tests.slack_emulator.blockkit import check_message, check_view
from tests.slack_emulator.socket_mode import SocketModeServer

CATALOG_DIR = Path(__file__).parent / "reference" / "methods"
MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
# Methods whose scope depends on the kind of conversation: public channels,
# private ones, DMs, group DMs (the catalog lists one scope per kind).
CONVERSATION_KINDS = ("channels", "groups", "im", "mpim")
TIER_PER_MINUTE = {"t1": 1, "t2": 20, "t3": 50, "t4": 100, "t5": 600}
JSON_ARGS = ("blocks", "view", "metadata", "attachments", "files")
TRIGGER_TTL = 3.0
RESPONSE_URL_USES = 5
RESPONSE_URL_TTL = 30 * 60
# Methods called with the app-level token (xapp-...), and the app scope each needs.
APP_TOKEN_METHODS = {"apps.connections.open": "connections:write"}
# Files: Slack's limits on an external upload.
ALT_TXT_MAX = 1000
FILE_SIZE_MAX = 1024 * 1024 * 1024  # slack_sdk's MAX_V2_FILE_SIZE: 1 GB
FILE_ID = re.compile(r"^F[A-Z0-9]{8,}$")  # slack_file.id, as Slack checks it
SHARE_CHANNEL = re.compile(r"^[CGDZ][A-Z0-9]+$")  # completeUploadExternal's channel_id


class SlackError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass(frozen=True)
class MethodSpec:
    name: str
    http_method: str
    required: tuple[str, ...]
    tier: str
    errors: frozenset[str]
    scopes: tuple[str, ...] = ()  # bot scopes, from the catalog: any one, or one per kind


def manifest_bot_scopes(path: Path = MANIFEST) -> frozenset[str]:
    """The bot scopes manifest.yml asks for: what an installed token carries."""
    import yaml

    manifest = yaml.safe_load(path.read_text())
    return frozenset(manifest["oauth_config"]["scopes"]["bot"])


def load_catalog() -> dict[str, MethodSpec]:
    catalog = {}
    for path in CATALOG_DIR.glob("*.json"):
        raw = json.loads(path.read_text())
        name = path.stem
        catalog[name] = MethodSpec(
            name=name,
            http_method=raw.get("http_method", "POST"),
            required=tuple(arg for arg in (raw["args"].get("required") or []) if arg != "token"),
            tier=raw.get("rate_limits") or "t3",
            errors=frozenset(raw.get("errors", {})),
            scopes=tuple((raw.get("scope") or {}).get("bot") or ()),
        )
    return catalog


@dataclass
class RateLimits:
    """Slack's limits. ``scale`` speeds every limit up together (2.0 = twice
    the calls in the same time), so a test can keep its run short."""

    enabled: bool = True
    scale: float = 1.0
    tier_per_minute: dict[str, float] = field(default_factory=lambda: dict(TIER_PER_MINUTE))
    # chat.postMessage: about one message per second per channel, with short bursts...
    post_per_channel_per_second: float = 1.0
    post_channel_burst: float = 3.0
    # ...and a workspace-wide cap, allowing a burst of this many seconds' worth.
    post_per_workspace_per_minute: float = 600.0
    post_workspace_burst_seconds: float = 10.0


@dataclass
class Fault:
    error: str | None = None  # a Slack error code, returned as ok: false
    status: int | None = None  # an HTTP status (500, 503, ...)
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection without an answer
    retry_after: int | None = None  # with status 429


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float
    status: int = 200
    error: str | None = None


@dataclass
class User:
    id: str
    name: str
    real_name: str = ""
    tz: str = "America/Los_Angeles"
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    locale: str = "en-US"

    def to_dict(self, team_id: str) -> dict[str, Any]:
        zone = ZoneInfo(self.tz)
        now = datetime.now(UTC).astimezone(zone)
        offset = now.utcoffset()
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name or self.name,
            "tz": self.tz,
            "tz_label": now.tzname() or self.tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "profile": {
                "real_name": self.real_name or self.name,
                "display_name": self.name,
                "team": team_id,
            },
        }


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_archived: bool = False
    members: set[str] = field(default_factory=set)
    user: str | None = None  # the other person of a DM


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str
    blocks: list[Any] | None = None
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    replies: list[str] = field(default_factory=list)
    edited: bool = False
    bot_id: str | None = None
    files: list[dict[str, Any]] | None = None  # a file share: the files shown

    def to_dict(self, *, include_metadata: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "message",
            "user": self.user,
            "text": self.text,
            "ts": self.ts,
        }
        if self.bot_id:
            data["bot_id"] = self.bot_id
        if self.blocks is not None:
            data["blocks"] = self.blocks
        if self.files:
            data["files"] = self.files
            data["upload"] = True
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        if self.replies:
            data["reply_count"] = len(self.replies)
            data["latest_reply"] = self.replies[-1]
        if self.edited:
            data["edited"] = {"user": self.user, "ts": self.ts}
        if include_metadata and self.metadata:
            data["metadata"] = self.metadata
        return data


@dataclass
class File:
    """A file the bot uploaded: its bytes, once posted to its upload URL, and
    where it is shared, once the upload is completed."""

    id: str
    filename: str
    length: int
    upload_key: str
    user: str
    created: int
    alt_txt: str | None = None
    title: str | None = None
    data: bytes | None = None  # None until the bytes reach the upload URL
    completed: bool = False
    channels: list[str] = field(default_factory=list)  # where it is shared
    deleted: bool = False

    @property
    def uploaded(self) -> bool:
        return self.data is not None

    def url_private(self, team_id: str) -> str:
        return f"https://files.slack.com/files-pri/{team_id}-{self.id}/{self.filename.lower()}"

    def permalink(self, team_domain: str) -> str:
        return (
            f"https://{team_domain}.slack.com/files/{self.user}/{self.id}/{self.filename.lower()}"
        )

    def to_dict(self, team_id: str, team_domain: str) -> dict[str, Any]:
        name = self.filename
        filetype = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        mimetypes = {"png": "image/png", "json": "application/json", "csv": "text/csv"}
        return {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": name,
            "title": self.title or name,
            "mimetype": mimetypes.get(filetype, "application/octet-stream"),
            "filetype": filetype,
            "user": self.user,
            "user_team": team_id,
            "size": len(self.data or b""),
            "mode": "hosted",
            "is_external": False,
            "is_public": False,
            "alt_txt": self.alt_txt,
            "url_private": self.url_private(team_id),
            "url_private_download": self.url_private(team_id) + "?download=1",
            "permalink": self.permalink(team_domain),
            "channels": [c for c in self.channels if c.startswith("C")],
            "groups": [c for c in self.channels if c.startswith("G")],
            "ims": [c for c in self.channels if c.startswith("D")],
        }


@dataclass
class OpenView:
    id: str
    user: str
    view: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None
    external_id: str | None = None


@dataclass
class Ephemeral:
    channel: str
    user: str
    text: str
    blocks: list[Any] | None
    ts: str
    thread_ts: str | None = None


@dataclass
class Trigger:
    user: str
    issued: float
    used: bool = False


@dataclass
class ResponseUrl:
    user: str
    channel: str
    issued: float
    uses: int = 0


class TokenBuckets:
    """A token bucket per key: ``rate`` tokens a second, holding at most
    ``capacity`` (the burst Slack tolerates)."""

    def __init__(self) -> None:
        self._buckets: dict[Any, tuple[float, float]] = {}  # key -> (tokens, last refill)

    def take(self, key: Any, *, rate: float, capacity: float, now: float) -> float:
        """0 if a token was taken; otherwise the seconds until one is available."""
        capacity = max(1.0, capacity)
        tokens, last = self._buckets.get(key, (capacity, now))
        tokens = min(capacity, tokens + (now - last) * rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / rate


class SlackEmulator:
    """One Slack workspace with a bot installed, served on loopback."""

    def __init__(
        self,
        *,
        signing_secret: str = "emulator-signing-secret",
        team_id: str = "T0EMULATE",
        team_name: str = "Acme Sales",
        team_domain: str = "acme-sales",
        bot_token: str = "xoxb-emulator-bot-token",
        bot_user_id: str = "UBOT0001",
        bot_id: str = "BBOT0001",
        app_id: str = "AEMULATOR",
        limits: RateLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        bot_scopes: Iterable[str] | None = None,
        app_token: str = "xapp-1-AEMULATOR-1-emulator-app-token",
        app_scopes: Iterable[str] = ("connections:write",),
    ) -> None:
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_token = bot_token
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.limits = limits or RateLimits()
        self.clock = clock
        self.catalog = load_catalog()
        self.tokens: dict[str, str] = {bot_token: team_id}
        # What each token was granted; by default manifest.yml's bot scopes.
        self.bot_scopes = frozenset(manifest_bot_scopes() if bot_scopes is None else bot_scopes)
        self.scopes: dict[str, frozenset[str]] = {bot_token: self.bot_scopes}
        # App-level tokens (Socket Mode) and their app scopes: apart from bot tokens,
        # as Slack keeps them; each kind is refused where the other belongs.
        self.app_token = app_token
        self.app_tokens: dict[str, frozenset[str]] = {app_token: frozenset(app_scopes)}
        self.socket_mode = SocketModeServer(app_id=app_id, clock=clock)
        self.revoked: set[str] = set()
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[Message]] = defaultdict(list)
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, OpenView] = {}
        self.stacks: dict[str, list[str]] = {}  # user -> open modal ids, bottom first
        self.home: dict[str, dict[str, Any]] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.responses: list[dict[str, Any]] = []  # bodies posted to response_urls
        self.oauth_codes: dict[str, dict[str, Any]] = {}
        self.files: dict[str, File] = {}
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        # Seconds every Web API call takes before its answer (Slack's round trip).
        self.latency = 0.0
        # TCP connections accepted: with keep-alive, far fewer than calls.
        self.connections = 0
        self._buckets = TokenBuckets()
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._last_ts = 0.0
        self._server: ThreadingHTTPServer | None = None
        self._scheme = "http"
        self._thread: threading.Thread | None = None
        self.add_user(bot_user_id, "myplan", is_bot=True)

    # -- the workspace -------------------------------------------------------

    def add_user(self, user_id: str, name: str, **kwargs: Any) -> User:
        user = User(id=user_id, name=name, **kwargs)
        self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        members: Iterable[str] = (),
        bot_member: bool = True,
        is_private: bool = False,
    ) -> Channel:
        channel = Channel(id=channel_id, name=name, is_private=is_private, members=set(members))
        if bot_member:
            channel.members.add(self.bot_user_id)
        self.channels[channel_id] = channel
        return channel

    def dm_channel_id(self, user_id: str) -> str:
        return "D" + user_id[1:]

    def add_workspace(self, team_id: str) -> str:
        """Another workspace with the bot installed: its bot token. Its calls are
        answered from the same channels and users, under limits of its own
        (Slack's limits are per workspace); ``auth.test`` still names the first."""
        token = f"xoxb-emulator-{team_id.lower()}"
        with self._lock:
            self.tokens[token] = team_id
            self.scopes[token] = self.bot_scopes
        return token

    def revoke(self, token: str) -> None:
        self.revoked.add(token)

    def grant(self, scopes: Iterable[str], token: str | None = None) -> None:
        """Set the scopes ``token`` (the bot's by default) carries, as a reinstall would
        (for an app-level token: as regenerating it with other scopes would)."""
        if token in self.app_tokens:
            self.app_tokens[token] = frozenset(scopes)
        else:
            self.scopes[token or self.bot_token] = frozenset(scopes)

    # -- lifecycle -----------------------------------------------------------

    def start(self, *, tls: tuple[str, str] | None = None) -> SlackEmulator:
        """Serve on a free port; with ``tls`` (a certificate and its key, PEM
        files) over HTTPS, as slack.com is."""
        emulator = self

        class Handler(_Handler):
            pass

        Handler.emulator = emulator
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.socket_mode.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the emulator first"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # -- what tests look at --------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method and call.status == 200]

    def channel_messages(self, channel_id: str, *, top_level: bool = False) -> list[Message]:
        with self._lock:
            messages = list(self.messages.get(channel_id, []))
        if top_level:
            messages = [msg for msg in messages if not msg.thread_ts or msg.thread_ts == msg.ts]
        return messages

    def thread(self, channel_id: str, ts: str) -> list[Message]:
        return [
            msg for msg in self.messages.get(channel_id, []) if msg.thread_ts == ts and msg.ts != ts
        ]

    def dms(self, user_id: str) -> list[Message]:
        return self.channel_messages(self.dm_channel_id(user_id))

    def open_modal(self, user_id: str) -> OpenView | None:
        stack = self.stacks.get(user_id) or []
        return self.views[stack[-1]] if stack else None

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes of an uploaded file, as the bot posted them to its upload URL."""
        with self._lock:
            data = self.files[file_id].data
        assert data is not None, f"{file_id} was never uploaded"
        return data

    def shared_files(self, channel_id: str) -> list[File]:
        """Files shared in a conversation (completed uploads), oldest first."""
        with self._lock:
            return [f for f in self.files.values() if channel_id in f.channels and not f.deleted]

    def fail_next(self, method: str, times: int = 1, **fault: Any) -> None:
        """Script the next ``times`` calls of ``method`` to fail."""
        with self._lock:
            for _ in range(times):
                self.faults[method].append(Fault(**fault))

    # -- what the driver uses ------------------------------------------------

    def issue_trigger(self, user_id: str) -> str:
        trigger_id = f"{next(self._ids)}.{int(time.time())}.{threading.get_ident() % 9999:04x}"
        with self._lock:
            self.triggers[trigger_id] = Trigger(user=user_id, issued=self.clock())
        return trigger_id

    def issue_response_url(self, user_id: str, channel_id: str) -> str:
        key = f"R{next(self._ids):08d}"
        with self._lock:
            self.response_urls[key] = ResponseUrl(
                user=user_id, channel=channel_id, issued=self.clock()
            )
        return f"{self.url}/response/{key}"

    def next_ts(self) -> str:
        with self._lock:
            now = max(time.time(), self._last_ts + 0.000001)
            self._last_ts = now
            return f"{now:.6f}"

    def post_as_user(self, channel_id: str, user_id: str, text: str) -> Message:
        """A person writes a message (for shortcuts and history)."""
        message = Message(channel=channel_id, ts=self.next_ts(), user=user_id, text=text)
        with self._lock:
            self.messages[channel_id].append(message)
        return message

    def find_message(self, channel_id: str, ts: str) -> Message | None:
        for message in self.messages.get(channel_id, []):
            if message.ts == ts:
                return message
        return None

    # -- the Web API ---------------------------------------------------------

    def handle(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Answer one API call: (HTTP status, JSON body, extra headers)."""
        call = Call(method=method, args=args, token=token, at=self.clock())
        with self._lock:
            self.calls.append(call)
        spec = self.catalog.get(method)
        if spec is None:
            call.error = "unknown_method"
            return 200, {"ok": False, "error": "unknown_method", "req_method": method}, {}
        if token is None and method != "oauth.v2.access":
            call.error = "not_authed"
            return 200, {"ok": False, "error": "not_authed"}, {}
        if method != "oauth.v2.access":
            if token in self.revoked:
                call.error = "token_revoked"
                return 200, {"ok": False, "error": "token_revoked"}, {}
            is_app_token = token in self.app_tokens
            if not is_app_token and token not in self.tokens:
                call.error = "invalid_auth"
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            if is_app_token != (method in APP_TOKEN_METHODS):
                call.error = "not_allowed_token_type"
                return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        granted = (
            self.app_tokens[token]
            if token in self.app_tokens
            else self.scopes.get(token or "", frozenset())
        )
        headers = (
            {} if method == "oauth.v2.access" else {"x-oauth-scopes": ",".join(sorted(granted))}
        )
        needed = self.needed_scope(spec, args, granted)
        if needed is not None:
            call.error = "missing_scope"
            return (
                200,
                {
                    "ok": False,
                    "error": "missing_scope",
                    "needed": needed,
                    "provided": ",".join(sorted(granted)),
                },
                headers,
            )
        status, body, extra = self._answer(spec, method, args, call)
        return status, body, {**headers, **extra}

    def needed_scope(
        self, spec: MethodSpec, args: dict[str, Any], granted: frozenset[str]
    ) -> str | None:
        """The scope Slack would say is missing for this call, or None.

        A conversation method needs the scope of the conversation's kind
        (conversations.history in a public channel: channels:history); any
        other method, one of its catalog scopes; an app-token method, its app scope."""
        if spec.name in APP_TOKEN_METHODS:
            scope = APP_TOKEN_METHODS[spec.name]
            return None if scope in granted else scope
        if not spec.scopes:
            return None
        by_kind = {scope.split(":", 1)[0]: scope for scope in spec.scopes}
        if set(by_kind) == set(CONVERSATION_KINDS):
            kind = self._conversation_kind(args)
            if kind is not None:
                return None if by_kind[kind] in granted else by_kind[kind]
        if granted & set(spec.scopes):
            return None
        return ",".join(spec.scopes)

    def _conversation_kind(self, args: dict[str, Any]) -> str | None:
        with self._lock:
            if args.get("channel"):
                channel_id = str(args["channel"])
                if channel_id.startswith(("U", "W")):
                    return "im"
                channel = self.channels.get(channel_id)
                if channel is None:
                    return None  # the method answers channel_not_found
                if channel.is_im:
                    return "im"
                return "groups" if channel.is_private else "channels"
            users = [u for u in str(args.get("users") or "").split(",") if u]
            if users:
                return "im" if len(users) == 1 else "mpim"
        return None

    def _answer(
        self, spec: MethodSpec, method: str, args: dict[str, Any], call: Call
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        wait = self._rate_limit(spec, args, team=self.tokens.get(call.token or "", self.team_id))
        if wait > 0:
            call.status = 429
            call.error = "ratelimited"
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(math.ceil(wait))}
        missing = [name for name in spec.required if args.get(name) in (None, "")]
        if missing:
            call.error = "invalid_arguments"
            return (
                200,
                {
                    "ok": False,
                    "error": "invalid_arguments",
                    "response_metadata": {
                        "messages": [f"[ERROR] missing required field: {name}" for name in missing]
                    },
                },
                {},
            )
        handler = getattr(self, "_" + method.replace(".", "_"))
        try:
            with self._lock:
                result = handler(args)
        except SlackError as error:
            call.error = error.error
            return 200, {"ok": False, "error": error.error, **error.extra}, {}
        return 200, {"ok": True, **result}, {}

    def _rate_limit(self, spec: MethodSpec, args: dict[str, Any], *, team: str) -> float:
        limits = self.limits
        if not limits.enabled:
            return 0.0
        now = self.clock()
        with self._lock:
            if spec.name == "chat.postMessage":
                channel = str(args.get("channel", ""))
                wait = self._buckets.take(
                    ("post", team, channel),
                    rate=limits.post_per_channel_per_second * limits.scale,
                    capacity=limits.post_channel_burst,
                    now=now,
                )
                if wait:
                    return wait
                per_minute = limits.post_per_workspace_per_minute * limits.scale
                return self._buckets.take(
                    ("post-workspace", team),
                    rate=per_minute / 60,
                    capacity=per_minute / 60 * limits.post_workspace_burst_seconds,
                    now=now,
                )
            per_minute = limits.tier_per_minute.get(spec.tier, 100) * limits.scale
            # A tier allows its minute's worth of calls in a burst, as Slack's do.
            return self._buckets.take(
                (spec.name, team), rate=per_minute / 60, capacity=per_minute, now=now
            )

    def take_fault(self, method: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(method)
            return queue.popleft() if queue else None

    def _check(self, problems: list[str], method: str) -> None:
        if problems:
            self.violations.extend(f"{method}: {problem}" for problem in problems)
            raise SlackError("invalid_blocks", errors=problems)

    def _check_files(
        self, blocks: Any, path: str, *, channel: str | None = None, viewer: str | None = None
    ) -> list[str]:
        """Image blocks and elements that name a ``slack_file``: Slack shows only
        a file that exists, was uploaded and completed, and is shared where the
        message goes (``channel``) or with the person who sees the view
        (``viewer``); anything else is ``invalid_blocks``."""
        problems = []
        for where, node in _slack_files(blocks, path):
            ref = node.get("slack_file")
            if not isinstance(ref, dict) or len([k for k in ("id", "url") if ref.get(k)]) != 1:
                problems.append(f"{where}: needs exactly one of id or url")
                continue
            found: File | None = None
            if ref.get("id"):
                if not FILE_ID.match(str(ref["id"])):
                    problems.append(
                        f"{where}.id: input must match regex pattern: ^[F][A-Z0-9]{{8,}}$"
                    )
                    continue
                found = self.files.get(str(ref["id"]))
            else:
                found = next(
                    (
                        f
                        for f in self.files.values()
                        if ref["url"]
                        in (f.url_private(self.team_id), f.permalink(self.team_domain))
                    ),
                    None,
                )
            if found is None or found.deleted or not found.completed:
                problems.append(f"{where}: invalid slack file")
                continue
            if channel is not None and channel not in found.channels:
                problems.append(f"{where}: invalid slack file (not shared in {channel})")
            if viewer is not None and not any(
                viewer in self.channels[c].members for c in found.channels if c in self.channels
            ):
                problems.append(f"{where}: invalid slack file (not shared with {viewer})")
        return problems

    def _channel(self, channel_id: Any) -> Channel:
        channel_id = str(channel_id)
        if channel_id.startswith(("U", "W")) and channel_id in self.users:
            # Posting to a user id posts in the app's DM with them, as Slack does.
            channel_id = self._open_dm(channel_id)
        channel = self.channels.get(channel_id)
        if channel is None:
            raise SlackError("channel_not_found")
        return channel

    def _open_dm(self, user_id: str) -> str:
        user = self.users.get(user_id)
        if user is None:
            raise SlackError("user_not_found")
        if user.deleted:
            raise SlackError("user_disabled")
        dm_id = self.dm_channel_id(user_id)
        if dm_id not in self.channels:
            self.channels[dm_id] = Channel(
                id=dm_id, name=dm_id, is_im=True, members={user_id, self.bot_user_id}, user=user_id
            )
        return dm_id

    def _user(self, user_id: Any) -> User:
        user = self.users.get(str(user_id))
        if user is None:
            raise SlackError("user_not_found")
        return user

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": "myplan",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.socket_mode.issue_url()}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        if channel.is_archived:
            raise SlackError("is_archived")
        if not channel.is_im and self.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        if not args.get("text") and not args.get("blocks") and not args.get("attachments"):
            raise SlackError("no_text")
        self._check(check_message(args, "chat.postMessage"), "chat.postMessage")
        self._check(
            self._check_files(args.get("blocks"), "blocks", channel=channel.id),
            "chat.postMessage",
        )
        thread_ts = args.get("thread_ts") or None
        parent = self.find_message(channel.id, thread_ts) if thread_ts else None
        if thread_ts and parent is None:
            raise SlackError("thread_not_found")
        message = Message(
            channel=channel.id,
            ts=self.next_ts(),
            user=self.bot_user_id,
            bot_id=self.bot_id,
            text=args.get("text") or "",
            blocks=args.get("blocks"),
            thread_ts=thread_ts,
            metadata=args.get("metadata"),
        )
        if parent is not None:
            parent.thread_ts = parent.ts
            parent.replies.append(message.ts)
        self.messages[channel.id].append(message)
        return {"channel": channel.id, "ts": message.ts, "message": message.to_dict()}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        message = self.find_message(channel.id, str(args["ts"]))
        if message is None:
            raise SlackError("message_not_found")
        if message.user != self.bot_user_id:
            raise SlackError("cant_update_message")
        self._check(check_message(args, "chat.update"), "chat.update")
        self._check(
            self._check_files(args.get("blocks"), "blocks", channel=channel.id), "chat.update"
        )
        if "text" in args:
            message.text = args["text"] or ""
        if "blocks" in args:
            message.blocks = args["blocks"]
        if "metadata" in args:
            message.metadata = args["metadata"]
        message.edited = True
        return {
            "channel": channel.id,
            "ts": message.ts,
            "text": message.text,
            "message": message.to_dict(),
        }

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        user = self._user(args["user"])
        if not channel.is_im and user.id not in channel.members:
            raise SlackError("user_not_in_channel")
        if not args.get("text") and not args.get("blocks"):
            raise SlackError("no_text")
        self._check(check_message(args, "chat.postEphemeral"), "chat.postEphemeral")
        self._check(
            self._check_files(args.get("blocks"), "blocks", viewer=user.id), "chat.postEphemeral"
        )
        ts = self.next_ts()
        self.ephemerals.append(
            Ephemeral(
                channel=channel.id,
                user=user.id,
                text=args.get("text") or "",
                blocks=args.get("blocks"),
                ts=ts,
                thread_ts=args.get("thread_ts"),
            )
        )
        return {"message_ts": ts}

    def _chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        ts = str(args["message_ts"])
        if self.find_message(channel.id, ts) is None:
            raise SlackError("message_not_found")
        return {
            "channel": channel.id,
            "permalink": f"https://{self.team_domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}",
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        message = self.find_message(channel.id, str(args["ts"]))
        if message is None:
            raise SlackError("message_not_found")
        if message.user != self.bot_user_id:  # a bot token deletes only its own
            raise SlackError("cant_delete_message")
        self.messages[channel.id].remove(message)
        return {"channel": channel.id, "ts": message.ts}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("channel"):
            return {"channel": {"id": self._channel(args["channel"]).id}}
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > 1:
            raise SlackError("method_not_supported_for_channel_type")
        return {"channel": {"id": self._open_dm(users[0])}}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        return {
            "channel": {
                "id": channel.id,
                "name": channel.name,
                "is_channel": not channel.is_im and not channel.is_private,
                "is_private": channel.is_private,
                "is_im": channel.is_im,
                "is_archived": channel.is_archived,
                "is_member": self.bot_user_id in channel.members,
                "user": channel.user,
            }
        }

    def _page(
        self, items: list[Any], args: dict[str, Any], default: int = 100
    ) -> tuple[list[Any], str]:
        try:
            limit = int(args.get("limit") or default)
            start = int(args.get("cursor") or 0)
        except ValueError:
            raise SlackError("invalid_cursor") from None
        page = items[start : start + limit]
        cursor = str(start + limit) if start + limit < len(items) else ""
        return page, cursor

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        if channel.is_private and self.bot_user_id not in channel.members:
            # A private channel the bot is not in does not exist for its token.
            raise SlackError("channel_not_found")
        page, cursor = self._page(sorted(channel.members), args)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args["channel"])
        if not channel.is_im and self.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or 1e12)
        inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
        include_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        messages = [
            msg
            for msg in reversed(self.messages.get(channel.id, []))
            if (not msg.thread_ts or msg.thread_ts == msg.ts)
            and (
                oldest <= float(msg.ts) <= latest if inclusive else oldest < float(msg.ts) < latest
            )
        ]
        page, cursor = self._page(messages, args)
        return {
            "messages": [msg.to_dict(include_metadata=include_metadata) for msg in page],
            "has_more": bool(cursor),
            "response_metadata": {"next_cursor": cursor},
        }

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """A thread, oldest first: its parent, then its replies; ``ts`` may
        name the parent or any reply. A message with no replies is a thread of one."""
        channel = self._channel(args["channel"])
        if not channel.is_im and self.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        named = self.find_message(channel.id, str(args["ts"]))
        if named is None:
            raise SlackError("thread_not_found")
        root = named.thread_ts or named.ts
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or 1e12)
        inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
        include_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        thread = sorted(
            (
                msg
                for msg in self.messages.get(channel.id, [])
                if msg.ts == root or msg.thread_ts == root
            ),
            key=lambda msg: float(msg.ts),
        )
        messages = [
            msg
            for msg in thread
            if msg.ts == root
            or (oldest <= float(msg.ts) <= latest if inclusive else oldest < float(msg.ts) < latest)
        ]
        page, cursor = self._page(messages, args, default=1000)
        return {
            "messages": [msg.to_dict(include_metadata=include_metadata) for msg in page],
            "has_more": bool(cursor),
            "response_metadata": {"next_cursor": cursor},
        }

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._user(args["user"])
        shown = user.to_dict(self.team_id)
        # As Slack: the locale only when asked for (include_locale=true, or 1).
        if str(args.get("include_locale", "")).lower() in ("1", "true"):
            shown["locale"] = user.locale
        return {"user": shown}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [user.to_dict(self.team_id) for user in self.users.values()]
        page, cursor = self._page(users, args, default=200)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _team_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"team": {"id": self.team_id, "name": self.team_name, "domain": self.team_domain}}

    # -- files ---------------------------------------------------------------

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            length = int(str(args["length"]))
        except ValueError:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] length must be an integer"]},
            ) from None
        if length <= 0:
            raise SlackError("missing_argument")
        if length > FILE_SIZE_MAX:
            raise SlackError("file_upload_size_restricted")
        filename = str(args["filename"])
        alt_txt = args.get("alt_txt")
        if alt_txt is not None and len(str(alt_txt)) > ALT_TXT_MAX:
            raise SlackError("alt_txt_too_large")
        file_id = f"F{next(self._ids):010d}"
        key = f"{self.team_id}-{file_id}-{next(self._ids):08x}"
        self.files[file_id] = File(
            id=file_id,
            filename=filename,
            length=length,
            upload_key=key,
            user=self.bot_user_id,
            created=int(time.time()),
            alt_txt=None if alt_txt is None else str(alt_txt),
        )
        return {"upload_url": f"{self.url}/upload/v1/{key}", "file_id": file_id}

    def handle_upload(self, key: str, data: bytes) -> tuple[int, str]:
        """The POST of a file's bytes to its upload URL (no token: the URL is the
        credential). Once per file, and exactly the length that was announced."""
        with self._lock:
            self.calls.append(
                Call("upload_url", {"key": key, "size": len(data)}, None, self.clock())
            )
            found = next((f for f in self.files.values() if f.upload_key == key), None)
            if found is None or found.completed or found.uploaded:
                return 404, "Not Found"
            if len(data) != found.length:
                return 400, f"Bad Request: {len(data)} bytes, length was {found.length}"
            found.data = data
            return 200, f"OK - {len(data)}"

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        items = args["files"]
        if (
            not isinstance(items, list)
            or not items
            or not all(isinstance(item, dict) and item.get("id") for item in items)
        ):
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] files must be a list of {id, title}"]},
            )
        targets = [str(args["channel_id"])] if args.get("channel_id") else []
        targets += [c for c in str(args.get("channels") or "").split(",") if c]
        for target in targets:
            if not SHARE_CHANNEL.match(target):
                raise SlackError(
                    "invalid_arguments",
                    response_metadata={
                        "messages": [
                            "[ERROR] input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ "
                            "[json-pointer:/channel_id]"
                        ]
                    },
                )
        channels = [self._channel(target) for target in targets]
        for channel in channels:
            if channel.is_archived:
                raise SlackError("invalid_channel")
            if not channel.is_im and self.bot_user_id not in channel.members:
                raise SlackError("not_in_channel")
        thread_ts = str(args.get("thread_ts") or "") or None
        if thread_ts and (
            len(channels) != 1 or self.find_message(channels[0].id, thread_ts) is None
        ):
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] thread_ts names no message here"]},
            )
        found = []
        for item in items:
            upload = self.files.get(str(item["id"]))
            # Unknown, never uploaded, or already completed: the ticket finds no file.
            if upload is None or not upload.uploaded or upload.completed or upload.deleted:
                raise SlackError("file_not_found")
            found.append((upload, item))
        for upload, item in found:
            upload.completed = True
            upload.title = str(item.get("title") or upload.filename)
            upload.channels = [channel.id for channel in channels]
        shown = [upload.to_dict(self.team_id, self.team_domain) for upload, _ in found]
        for channel in channels:
            parent = self.find_message(channel.id, thread_ts) if thread_ts else None
            message = Message(
                channel=channel.id,
                ts=self.next_ts(),
                user=self.bot_user_id,
                bot_id=self.bot_id,
                text=str(args.get("initial_comment") or ""),
                thread_ts=thread_ts,
                files=shown,
            )
            if parent is not None:
                parent.thread_ts = parent.ts
                parent.replies.append(message.ts)
            self.messages[channel.id].append(message)
        return {"files": shown}

    def _take_trigger(self, trigger_id: Any) -> Trigger:
        trigger = self.triggers.get(str(trigger_id or ""))
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if self.clock() - trigger.issued > TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger

    def _new_view(
        self, user: str, view: dict[str, Any], *, root: str | None, previous: str | None
    ) -> OpenView:
        view_id = f"V{next(self._ids):08d}"
        stored = OpenView(
            id=view_id,
            user=user,
            view=view,
            hash=f"{int(time.time())}.{next(self._ids):08x}",
            root_view_id=root or view_id,
            previous_view_id=previous,
            external_id=view.get("external_id"),
        )
        self.views[view_id] = stored
        return stored

    def view_payload(self, stored: OpenView, state: dict[str, Any] | None = None) -> dict[str, Any]:
        """The view as Slack shows it back: with ids, hash and state."""
        return {
            "id": stored.id,
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "root_view_id": stored.root_view_id,
            "previous_view_id": stored.previous_view_id,
            "hash": stored.hash,
            "state": state or {"values": {}},
            "private_metadata": stored.view.get("private_metadata", ""),
            "callback_id": stored.view.get("callback_id", ""),
            "external_id": stored.view.get("external_id", ""),
            "clear_on_close": stored.view.get("clear_on_close", False),
            "notify_on_close": stored.view.get("notify_on_close", False),
            **{
                k: v
                for k, v in stored.view.items()
                if k not in ("private_metadata", "callback_id", "external_id")
            },
        }

    def _checked_view(self, args: dict[str, Any], method: str, kind: str) -> dict[str, Any]:
        view = args["view"]
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments")
        self._check(check_view(view, f"{method}.view"), method)
        if view.get("type") != kind:
            raise SlackError(
                "invalid_arguments", response_metadata={"messages": [f"view.type must be {kind}"]}
            )
        return view

    def _check_view_files(self, view: dict[str, Any], method: str, viewer: str) -> None:
        self._check(self._check_files(view.get("blocks"), "view.blocks", viewer=viewer), method)

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._checked_view(args, "views.open", "modal")
        trigger = self._take_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        self._check_view_files(view, "views.open", trigger.user)
        stored = self._new_view(trigger.user, view, root=None, previous=None)
        self.stacks[trigger.user] = [stored.id]
        return {"view": self.view_payload(stored)}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._checked_view(args, "views.push", "modal")
        trigger = self._take_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        self._check_view_files(view, "views.push", trigger.user)
        stack = self.stacks.get(trigger.user) or []
        if not stack:
            raise SlackError("not_found")
        if len(stack) >= 3:
            raise SlackError("push_limit_reached")
        stored = self._new_view(trigger.user, view, root=stack[0], previous=stack[-1])
        stack.append(stored.id)
        return {"view": self.view_payload(stored)}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args["view"]
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments")
        self._check(check_view(view, "views.update.view"), "views.update")
        stored = None
        if args.get("view_id"):
            stored = self.views.get(str(args["view_id"]))
        elif args.get("external_id"):
            stored = next(
                (v for v in self.views.values() if v.external_id == args["external_id"]), None
            )
        if stored is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != stored.hash:
            raise SlackError("hash_conflict")
        self._check_view_files(view, "views.update", stored.user)
        stored.view = view
        stored.external_id = view.get("external_id", stored.external_id)
        stored.hash = f"{int(time.time())}.{next(self._ids):08x}"
        return {"view": self.view_payload(stored)}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._checked_view(args, "views.publish", "home")
        user = self._user(args["user_id"])
        self._check_view_files(view, "views.publish", user.id)
        self.home[user.id] = view
        stored = self._new_view(user.id, view, root=None, previous=None)
        return {"view": self.view_payload(stored)}

    def _oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        install = self.oauth_codes.pop(str(args.get("code") or ""), None)
        if install is None:
            raise SlackError("invalid_code")
        if args.get("client_id") != install.get("client_id"):
            raise SlackError("invalid_client_id")
        if args.get("client_secret") != install.get("client_secret"):
            raise SlackError("bad_client_secret")
        self.tokens[install["access_token"]] = self.team_id
        # Granted: what the install asked for (by default, the manifest's scopes).
        scope = str(install.get("scope") or ",".join(sorted(self.bot_scopes)))
        self.scopes[install["access_token"]] = frozenset(s for s in scope.split(",") if s)
        return {
            "app_id": self.app_id,
            "authed_user": {"id": install.get("user_id", "U0INSTALL")},
            "scope": scope,
            "token_type": "bot",
            "access_token": install["access_token"],
            "bot_user_id": self.bot_user_id,
            "team": {"id": self.team_id, "name": self.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    # -- response_url --------------------------------------------------------

    def handle_response_url(self, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            entry = self.response_urls.get(key)
            if entry is None:
                return 404, {"ok": False, "error": "invalid_response_url"}
            if entry.uses >= RESPONSE_URL_USES:
                return 404, {"ok": False, "error": "used_up"}
            if self.clock() - entry.issued > RESPONSE_URL_TTL:
                return 404, {"ok": False, "error": "expired_url"}
            entry.uses += 1
            problems = check_message(body, "response_url") + self._check_files(
                body.get("blocks"), "response_url.blocks", viewer=entry.user
            )
            if problems:
                self.violations.extend(problems)
                return 400, {"ok": False, "error": "invalid_blocks"}
            self.responses.append({"user": entry.user, "channel": entry.channel, **body})
            return 200, {"ok": True}


def _slack_files(value: Any, path: str) -> Iterable[tuple[str, dict[str, Any]]]:
    """Every image block or element that names a ``slack_file``, with its path."""
    if isinstance(value, dict):
        if value.get("type") == "image" and "slack_file" in value:
            yield f"{path}.slack_file", value
        for key, child in value.items():
            yield from _slack_files(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _slack_files(child, f"{path}[{index}]")


class _Handler(BaseHTTPRequestHandler):
    emulator: SlackEmulator
    protocol_version = "HTTP/1.1"
    # An answer is written as headers, then body: on a kept-alive connection
    # Nagle's algorithm holds the body until the client's delayed ACK (40 ms).
    # Slack's front ends answer at once.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.emulator._lock:
            self.emulator.connections += 1

    def _read_args(self) -> tuple[dict[str, Any], str | None]:
        parts = urlsplit(self.path)
        args: dict[str, Any] = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if raw:
            if content_type == "application/json":
                args.update(json.loads(raw))
            else:
                args.update({k: v[-1] for k, v in parse_qs(raw.decode()).items()})
        for name in JSON_ARGS:
            if isinstance(args.get(name), str) and args[name]:
                with contextlib.suppress(json.JSONDecodeError):
                    args[name] = json.loads(args[name])
        token = None
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Bearer "):
            token = auth[len("Bearer ") :].strip()
        elif auth.startswith("Basic "):
            # oauth.v2.access: the client id and secret come as HTTP Basic auth.
            client_id, _, secret = base64.b64decode(auth[len("Basic ") :]).decode().partition(":")
            args.setdefault("client_id", client_id)
            args.setdefault("client_secret", secret)
        token = token or args.pop("token", None)
        args.pop("token", None)
        return args, token

    def _send(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _dispatch(self) -> None:
        path = urlsplit(self.path).path
        emulator = self.emulator
        if path.startswith("/response/"):
            args, _ = self._read_args()
            status, body = emulator.handle_response_url(path.rsplit("/", 1)[1], args)
            self._send(status, body)
            return
        if path.startswith("/upload/v1/"):
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else b""
            status, text = emulator.handle_upload(path.rsplit("/", 1)[1], data)
            payload = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if not path.startswith("/api/"):
            self._send(404, {"ok": False, "error": "not_found"})
            return
        method = path[len("/api/") :]
        args, token = self._read_args()
        fault = emulator.take_fault(method)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                with emulator._lock:
                    emulator.calls.append(Call(method, args, token, emulator.clock(), 0, "dropped"))
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.status or fault.error:
                status = fault.status or 200
                with emulator._lock:
                    emulator.calls.append(
                        Call(
                            method,
                            args,
                            token,
                            emulator.clock(),
                            status,
                            fault.error or str(status),
                        )
                    )
                headers = (
                    {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                )
                error = fault.error or ("ratelimited" if status == 429 else "internal_error")
                self._send(status, {"ok": False, "error": error}, headers)
                return
        if emulator.latency:
            time.sleep(emulator.latency)
        status, body, headers = emulator.handle(method, args, token)
        self._send(status, body, headers)

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()
