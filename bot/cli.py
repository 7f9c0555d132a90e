"""The ``myplan`` command line (PRODUCT section 6)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, OperationalError

from bot import cli_data
from bot.config import ENVIRONMENT, ConfigError, Settings
from bot.startup import database_problem, safe_url

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.db.session import Database
    from bot.scheduler.jobs import ClientFor
    from bot.startup import TokenInfo

log = logging.getLogger("myplan")


def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.db.migrate import upgrade

    upgrade(settings.database_url)
    print(f"Database at {safe_url(settings.database_url)} is up to date.")
    return 0


def _preflight(settings: Settings, *, serving: bool, migrated: bool) -> TokenInfo | None:
    """Everything a long-running command needs, checked before anything starts:
    the variables (all missing ones named at once), Slack's answer to the bot
    token (what it says of the token, in single-workspace mode), and, unless
    the command migrates first, the schema."""
    problem = settings.missing_slack(serving=serving)
    if problem:
        raise ConfigError(problem)
    token = None
    if not settings.oauth_mode:
        from bot.app import make_client
        from bot.startup import check_token

        token = check_token(settings, make_client(settings))
    if migrated:
        from bot.db.session import Database
        from bot.startup import schema_problem

        database = Database(settings.database_url)
        try:
            problem = schema_problem(database.engine)
        finally:
            database.dispose()
        if problem:
            raise ConfigError(problem)
    return token


def _installed(settings: Settings, token: TokenInfo | None) -> None:
    """Single-workspace mode: Slack has just accepted the bot token (auth.test),
    so the app is installed in the token's workspace. One marked uninstalled
    (app_uninstalled, tokens_revoked) was installed again with the new token
    this start needed: it resumes from its next due time. (Many workspaces:
    the OAuth callback does the same, bot/app.py:on_install.)"""
    if token is None or not token.team_id:
        return
    from bot.db.session import Database
    from bot.usecases import workspace

    database = Database(settings.database_url)
    try:
        if workspace.installed(database, slack_team_id=token.team_id, name=token.team):
            log.info("workspace %s is installed again: resuming its schedule", token.team_id)
    finally:
        database.dispose()


def _build(settings: Settings) -> tuple[App, Database]:
    from bot.app import create_app
    from bot.db.session import Database

    settings.require_slack()
    db = Database(settings.database_url)
    return create_app(settings, db=db), db


def _web(settings: Settings, _args: argparse.Namespace) -> int:
    _installed(settings, _preflight(settings, serving=True, migrated=True))
    return _serve_http(settings)


def _serve_http(settings: Settings) -> int:
    from bot.web import serve, wsgi_app

    app, db = _build(settings)
    assert settings.slack_signing_secret is not None  # require_slack(serving=True)
    events = wsgi_app(app, db, signing_secret=settings.slack_signing_secret)
    serve(events, port=settings.port, workers=settings.web_concurrency)
    return 0


def _scheduler_parts(settings: Settings) -> tuple[Database, ClientFor]:
    from bot.app import installation_store, make_client
    from bot.db.session import Database

    settings.require_slack(serving=False)
    database = Database(settings.database_url)
    if settings.oauth_mode:
        store = installation_store(settings, database)

        def installed(slack_team_id: str) -> WebClient | None:
            bot = store.find_bot(enterprise_id=None, team_id=slack_team_id)
            return make_client(settings, token=bot.bot_token) if bot and bot.bot_token else None

        return database, installed
    client = make_client(settings)
    return database, lambda _team: client


def _tick(settings: Settings, args: argparse.Namespace) -> int:
    from bot.outbox.leases import Leases
    from bot.outbox.pacing import Pacers
    from bot.scheduler.clock import tick

    db, clients = _scheduler_parts(settings)
    leases = Leases(db)  # running clocks (or other ticks) keep their workspaces
    try:
        report = tick(
            db=db,
            clients=clients,
            now=args.now,
            pacers=Pacers(posts_per_minute=settings.posts_per_minute),
            leases=leases,
            retention_days=settings.retention_days,
        )
    finally:
        leases.leave()
    print(
        f"tick at {args.now.isoformat()}: sent {report.sent or 'nothing'}"
        + (f"; failed: {'; '.join(report.failed)}" if report.failed else "")
    )
    return 0


def _clock(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.app import utcnow
    from bot.outbox.pacing import Pacers
    from bot.scheduler.clock import run_forever

    _installed(settings, _preflight(settings, serving=False, migrated=True))
    db, clients = _scheduler_parts(settings)
    run_forever(
        db=db,
        clients=clients,
        clock=utcnow,
        pacers=Pacers(posts_per_minute=settings.posts_per_minute),
        retention_days=settings.retention_days,
    )
    return 0


def _doctor(_settings: Settings | None, _args: argparse.Namespace) -> int:
    from bot.doctor import main as doctor

    return doctor()


def _instant(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 instant like 2026-12-07T09:00:00Z"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no time zone: add Z or an offset like +01:00"
        )
    return value


def _run(settings: Settings, args: argparse.Namespace) -> int:
    # Every check before the first change: a misconfigured run migrates nothing.
    token = _preflight(settings, serving=True, migrated=False)
    _migrate(settings, args)
    _installed(settings, token)
    from bot.app import utcnow
    from bot.outbox.pacing import Pacers
    from bot.scheduler.clock import start_in_background

    db, clients = _scheduler_parts(settings)
    start_in_background(
        db=db,
        clients=clients,
        clock=utcnow,
        pacers=Pacers(posts_per_minute=settings.posts_per_minute),
        retention_days=settings.retention_days,
    )
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        app, _db = _build(settings)
        SocketModeHandler(app, settings.slack_app_token).start()  # type: ignore[no-untyped-call]
        return 0
    return _serve_http(settings)


Command = Callable[[Settings, argparse.Namespace], int]


def _version() -> str:
    try:
        return metadata.version("myplan")
    except metadata.PackageNotFoundError:  # a checkout run without installing
        return "unknown"


def _environment_help() -> str:
    width = max(len(name) for name, _ in ENVIRONMENT)
    lines = [f"  {name.ljust(width)}  {meaning}" for name, meaning in ENVIRONMENT]
    return "environment variables (read at start; see the README):\n" + "\n".join(lines)


# (name, what it does in a line, what it does in full), in the order --help lists them.
SUBCOMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "run",
        "migrate, then serve Slack with the scheduler in one process",
        "Upgrade the database to the newest schema, then serve Slack with the scheduler\n"
        "in the same process: over Socket Mode when SLACK_APP_TOKEN is set (no public\n"
        "URL needed), otherwise over HTTP on $PORT (POST /slack/events, GET /healthz).",
    ),
    (
        "web",
        "serve Slack's requests over HTTP on $PORT (no scheduler)",
        "Serve Slack over HTTP on $PORT with gunicorn ($WEB_CONCURRENCY processes):\n"
        "POST /slack/events (commands, interactivity, events), the OAuth install routes\n"
        "when SLACK_CLIENT_ID is set, and GET /healthz. Refuses a database that is not\n"
        "migrated: run `myplan migrate` first (the Procfile's release step).",
    ),
    (
        "clock",
        "run the scheduler alone (weekly check-ins, reminders, reviews)",
        "Run the scheduler alone, every minute: weekly check-in threads, reminders,\n"
        "leader posts and quarterly reviews, each sent exactly once. Clock processes\n"
        "split the workspaces between them, one sending for a workspace at a time.\n"
        "Refuses a database that is not migrated.",
    ),
    (
        "tick",
        "run every scheduled job due at an instant once, then exit",
        "Run every scheduled job that is due at --now once, then exit (for tests and\n"
        "for catching up by hand). Messages already sent are not sent again.",
    ),
    (
        "doctor",
        "check the settings, database, Slack token, scopes, channels and teams",
        "A checklist, each failure with its fix, exit status 1 on any: the settings;\n"
        "the database and its schema; the bot token (auth.test) and its scopes against\n"
        "manifest.yml's; the bot's membership of every team channel and the leaders\n"
        "channel; teams without a time zone or a channel.",
    ),
    (
        "migrate",
        "upgrade the database to the newest schema (Alembic)",
        "Upgrade the database named by DATABASE_URL to the newest schema (Alembic).\n"
        "Safe to run again; run it on every upgrade, before starting web and clock.",
    ),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="myplan",
        description="Continuous Personal Improvement Plans for every member of a team, in Slack.",
        epilog=_environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"myplan {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    handlers: dict[str, Command] = {
        "run": _run,
        "web": _web,
        "clock": _clock,
        "tick": _tick,
        "doctor": _doctor,  # reads the settings itself, as its first check
        "migrate": _migrate,
        "export": cli_data.export_command,
        "import": cli_data.import_command,
        "forget": cli_data.forget_command,
    }
    for name, summary, description in (*SUBCOMMANDS, *cli_data.SUBCOMMANDS):
        command = commands.add_parser(
            name,
            help=summary,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.set_defaults(handler=handlers[name])
        if name == "tick":
            command.add_argument(
                "--now",
                type=_instant,
                required=True,
                metavar="ISO-8601",
                help="the instant, e.g. 2026-12-07T09:00:00Z",
            )
        cli_data.add_arguments(name, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Alembic narrates every plugin it loads; the operator needs only the outcome.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    handler: Command = args.handler
    if args.command == "doctor":  # reports bad settings in its checklist
        return _doctor(None, args)
    try:
        settings = Settings.from_env()
        return handler(settings, args)
    except ConfigError as error:
        print(f"myplan: {error}", file=sys.stderr)
        return 2
    except (OperationalError, DBAPIError) as error:
        print(f"myplan: {database_problem(error)}", file=sys.stderr)
        return 2
