"""Typed settings read from the environment (PRODUCT section 6).

Every problem is reported as one sentence naming the variable, so that an
operator reading a crash-looping dyno's log knows what to fix.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///myplan.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
MAX_WEB_CONCURRENCY = 32
# Days an uninstalled workspace's data is kept (a reinstall meanwhile keeps it), then purged.
DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650
T = TypeVar("T")


# Every variable myplan reads, with what it means: `myplan --help` lists these.
ENVIRONMENT: tuple[tuple[str, str], ...] = (
    ("DATABASE_URL", "sqlite:///myplan.db (default) or postgresql://user:pass@host/db"),
    ("SLACK_BOT_TOKEN", "the bot token, xoxb-... (one workspace)"),
    ("SLACK_SIGNING_SECRET", "from the app's Basic Information page (always needed to serve)"),
    ("SLACK_APP_TOKEN", "xapp-...: myplan run serves over Socket Mode instead of HTTP"),
    ("SLACK_CLIENT_ID", "with SLACK_CLIENT_SECRET: install into many workspaces (OAuth)"),
    ("SLACK_CLIENT_SECRET", "see SLACK_CLIENT_ID"),
    ("SLACK_API_URL", f"the Web API, default {DEFAULT_SLACK_API_URL}"),
    ("PORT", f"the HTTP port, default {DEFAULT_PORT}"),
    ("WEB_CONCURRENCY", "myplan web's processes (see the README's connection budget)"),
    ("MYPLAN_POSTS_PER_MINUTE", "the scheduler's workspace-wide posting rate, default 600"),
    (
        "MYPLAN_RETENTION_DAYS",
        "days an uninstalled workspace's data is kept, then purged, "
        f"default {DEFAULT_RETENTION_DAYS}",
    ),
)


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one readable sentence."""

    @classmethod
    def of(cls, problems: list[str]) -> ConfigError:
        """Every problem at once, as one sentence (clauses joined by semicolons)."""
        return cls("; ".join(problem.rstrip(".") for problem in problems) + ".")


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True, kw_only=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = DEFAULT_PORT
    posts_per_minute: float = 600.0
    web_concurrency: int | None = None  # None: bot.web picks the default
    retention_days: int = DEFAULT_RETENTION_DAYS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check every variable; all the malformed ones are reported at once."""
        source = os.environ if env is None else env
        problems: list[str] = []

        def read(name: str) -> str | None:
            value = source.get(name, "").strip()
            return value or None

        def checked(parse: Callable[[], T], fallback: T) -> T:
            try:
                return parse()
            except ConfigError as error:
                problems.append(str(error))
                return fallback

        settings = cls(
            database_url=checked(
                lambda: parse_database_url(read("DATABASE_URL") or DEFAULT_DATABASE_URL),
                DEFAULT_DATABASE_URL,
            ),
            slack_bot_token=checked(
                lambda: _token(read("SLACK_BOT_TOKEN"), "SLACK_BOT_TOKEN", prefixes=BOT_TOKEN),
                None,
            ),
            slack_signing_secret=read("SLACK_SIGNING_SECRET"),
            slack_app_token=checked(
                lambda: _token(read("SLACK_APP_TOKEN"), "SLACK_APP_TOKEN", prefixes=APP_TOKEN),
                None,
            ),
            slack_client_id=read("SLACK_CLIENT_ID"),
            slack_client_secret=read("SLACK_CLIENT_SECRET"),
            slack_api_url=checked(
                lambda: _api_url(read("SLACK_API_URL") or DEFAULT_SLACK_API_URL),
                DEFAULT_SLACK_API_URL,
            ),
            port=checked(lambda: _port(read("PORT")), DEFAULT_PORT),
            posts_per_minute=checked(lambda: _rate(read("MYPLAN_POSTS_PER_MINUTE")), 600.0),
            web_concurrency=checked(lambda: _processes(read("WEB_CONCURRENCY")), None),
            retention_days=checked(
                lambda: _retention(read("MYPLAN_RETENTION_DAYS")), DEFAULT_RETENTION_DAYS
            ),
        )
        if (settings.slack_client_id is None) != (settings.slack_client_secret is None):
            missing = (
                "SLACK_CLIENT_SECRET" if settings.slack_client_secret is None else "SLACK_CLIENT_ID"
            )
            problems.append(
                f"{missing} is not set: OAuth install mode needs both SLACK_CLIENT_ID "
                "and SLACK_CLIENT_SECRET."
            )
        if problems:
            raise ConfigError.of(problems)
        return settings

    @property
    def oauth_mode(self) -> bool:
        return self.slack_client_id is not None and self.slack_client_secret is not None

    def missing_slack(self, *, serving: bool = True) -> str | None:
        """The one sentence naming every Slack credential missing, or None.

        Serving Slack's requests needs the signing secret; posting (the
        scheduler) needs a bot token, or OAuth mode's installed ones."""
        names: list[str] = []
        fixes: list[str] = []
        if serving and self.slack_signing_secret is None:
            names.append("SLACK_SIGNING_SECRET")
            fixes.append("copy the signing secret from your Slack app's Basic Information page")
        if not self.oauth_mode and self.slack_bot_token is None:
            names.append("SLACK_BOT_TOKEN")
            fixes.append(
                "set the bot token (xoxb-...) from its OAuth & Permissions page for one "
                "workspace, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install into many"
            )
        if not names:
            return None
        verb = "is" if len(names) == 1 else "are"
        return f"{_names(names)} {verb} not set: {' and '.join(fixes)}."

    def require_slack(self, *, serving: bool = True) -> None:
        """Check that the Slack credentials needed to serve requests are present."""
        problem = self.missing_slack(serving=serving)
        if problem:
            raise ConfigError(problem)


def parse_database_url(raw: str) -> str:
    """Validate DATABASE_URL and pick our PostgreSQL driver (psycopg 3)."""
    # Heroku and many hosts still hand out the pre-SQLAlchemy-1.4 scheme.
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://") :]
    try:
        url: URL = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            f"DATABASE_URL {raw!r} is not a database URL: expected something like "
            "sqlite:///myplan.db or postgresql://user:password@host:5432/name."
        ) from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.drivername in ("postgresql", "postgresql+psycopg2"):
            url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise ConfigError(
            f"DATABASE_URL uses {backend!r}, which myplan does not support: "
            "use sqlite:///... or postgresql://..."
        )
    return url.render_as_string(hide_password=False)


BOT_TOKEN = ("xoxb-",)  # what a bot token starts with
APP_TOKEN = ("xapp-",)  # and an app-level token, for Socket Mode


def _token(value: str | None, name: str, *, prefixes: tuple[str, ...]) -> str | None:
    if value is not None and not value.startswith(prefixes):
        raise ConfigError(f"{name} should start with {' or '.join(prefixes)}.")
    return value


def _api_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"SLACK_API_URL {value!r} is not an http(s) URL: expected something like "
            f"{DEFAULT_SLACK_API_URL}."
        )
    # slack_sdk joins method names onto the base URL, so it must end with a slash.
    return value if value.endswith("/") else value + "/"


def _rate(value: str | None) -> float:
    if value is None:
        return 600.0
    try:
        rate = float(value)
    except ValueError:
        rate = 0.0
    if not 0 < rate <= 100_000:
        raise ConfigError(
            f"MYPLAN_POSTS_PER_MINUTE {value!r} is not a rate: "
            "expected messages per minute, like 600."
        )
    return rate


def _port(value: str | None) -> int:
    if value is None:
        return DEFAULT_PORT
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"PORT {value!r} is not a TCP port: expected a number from 1 to 65535.")
    return int(value)


def _retention(value: str | None) -> int:
    if value is None:
        return DEFAULT_RETENTION_DAYS
    if not value.isdigit() or not 1 <= int(value) <= MAX_RETENTION_DAYS:
        raise ConfigError(
            f"MYPLAN_RETENTION_DAYS {value!r} is not a number of days: expected a whole "
            f"number from 1 to {MAX_RETENTION_DAYS}, like {DEFAULT_RETENTION_DAYS}."
        )
    return int(value)


def _processes(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_WEB_CONCURRENCY:
        raise ConfigError(
            f"WEB_CONCURRENCY {value!r} is not a number of web processes: expected a whole "
            f"number from 1 to {MAX_WEB_CONCURRENCY}, like 2, or leave it unset for the default."
        )
    return int(value)
