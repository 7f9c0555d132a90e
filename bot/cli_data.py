"""The ``myplan`` commands for an admin's data: export, import, forget."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings
from bot.domain.errors import DomainError

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.db.session import Database
    from bot.outbox.erasure import Deleted
    from bot.services.erasure import About

SUBCOMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "export",
        "write a workspace's, a member's or every workspace's data as JSON or CSV",
        "Write a workspace's data (--workspace T), one member's (--member U too), or\n"
        "every table (--all: the move to another database) to --output or stdout:\n"
        "--format json (every row, the schema in bot/schemas/export.schema.json) or\n"
        "--format csv (the check-ins, one row per value).",
    ),
    (
        "import",
        "restore a JSON export into this database, exactly",
        "Insert every row of a JSON export, ids included, into the database named by\n"
        "DATABASE_URL (migrated to the export's schema first: `myplan migrate`), in one\n"
        "transaction: all of it, or nothing if any row is there already.",
    ),
    (
        "forget",
        "erase a person's content everywhere, and the bot's posts about them",
        "Erase everything a person wrote and everything about them (their plans,\n"
        "check-ins, wins, comments, reviews) in one workspace (--workspace T, needed\n"
        "when myplan serves several), delete the bot's posts about them that Slack lets\n"
        "it delete, and keep one audit line with no content.",
    ),
)


def add_arguments(name: str, command: argparse.ArgumentParser) -> None:
    if name == "export":
        command.add_argument("--workspace", metavar="T", help="the Slack team id (T...)")
        command.add_argument("--member", metavar="U", help="one member's data (a Slack user id)")
        command.add_argument("--all", action="store_true", help="every table, every workspace")
        command.add_argument("--format", choices=("json", "csv"), default="json")
        command.add_argument("--output", metavar="FILE", type=Path, help="default: stdout")
    elif name == "import":
        command.add_argument("file", metavar="FILE", type=Path, help="a JSON export")
    elif name == "forget":
        command.add_argument("--member", metavar="U", required=True, help="a Slack user id")
        command.add_argument("--workspace", metavar="T", help="the Slack team id (T...)")


def _database(settings: Settings) -> Database:
    from bot.db.session import Database
    from bot.startup import schema_problem

    database = Database(settings.database_url)
    problem = schema_problem(database.engine)
    if problem:
        database.dispose()
        raise ConfigError(problem)
    return database


def export_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import utcnow
    from bot.services.export import Scope
    from bot.usecases.data import export_data

    if args.all == bool(args.workspace):
        raise ConfigError("Name a workspace with --workspace T, or export everything with --all.")
    if args.member and not args.workspace:
        raise ConfigError("--member needs --workspace: the member's workspace (T...).")
    database = _database(settings)
    try:
        exported = export_data(
            database,
            scope=Scope(slack_team_id=args.workspace, slack_user_id=args.member),
            now=utcnow(),
            rows=args.format == "json",
            checkins=args.format == "csv",
        )
    except DomainError as error:
        print(f"myplan: {error}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    if args.format == "json":
        out = json.dumps(exported.document, ensure_ascii=False, indent=1) + "\n"
    else:
        out = exported.checkins
    if args.output is None:
        sys.stdout.write(out)
    else:
        args.output.write_text(out, encoding="utf-8")
        print(f"Wrote {args.output}.", file=sys.stderr)
    return 0


def import_command(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import IntegrityError

    from bot.usecases.data import import_data

    try:
        document = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"{args.file} cannot be read as JSON ({error})") from None
    database = _database(settings)
    try:
        imported = import_data(database, document=document)
    except DomainError as error:
        print(f"myplan: {error}", file=sys.stderr)
        return 1
    except IntegrityError as error:
        reason = str(error.orig).strip().splitlines()[0]
        print(
            f"myplan: nothing imported: the database already holds some of these rows "
            f"({reason}). Import into an empty database, migrated with `myplan migrate`.",
            file=sys.stderr,
        )
        return 1
    finally:
        database.dispose()
    total = sum(imported.rows.values())
    print(f"Imported {total} rows into {len(imported.rows)} tables.")
    return 0


def _client_for(settings: Settings, slack_team_id: str) -> WebClient | None:
    """The workspace's bot client, or None when the app is not installed there."""
    from bot.app import installation_store, make_client

    settings.require_slack(serving=False)
    if not settings.oauth_mode:
        return make_client(settings)
    from bot.db.session import Database

    database = Database(settings.database_url)
    try:
        bot = installation_store(settings, database).find_bot(
            enterprise_id=None, team_id=slack_team_id
        )
    finally:
        database.dispose()
    return make_client(settings, token=bot.bot_token) if bot and bot.bot_token else None


def forget_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import utcnow
    from bot.usecases.data import forget_person, person_to_forget

    database = _database(settings)
    try:
        person = person_to_forget(database, slack_team_id=args.workspace, slack_user_id=args.member)
        client = _client_for(settings, person.slack_team_id)
        deleted = delete_about(client, person) if client is not None else None
        line = forget_person(
            database,
            person=person,
            requested_by="myplan forget",
            now=utcnow(),
            posts_deleted=deleted.deleted if deleted else 0,
            posts_kept=len(deleted.kept) if deleted else len(person.posts),
        )
        if client is not None:
            recount_threads(client, database=database, person=person)
    except DomainError as error:
        print(f"myplan: {error}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    print(
        f"Forgot {line.slack_user_id} in {line.slack_team_id}: {line.rows_deleted} rows erased, "
        f"{line.posts_deleted} of the bot's posts deleted."
    )
    if deleted is None:
        print("The app is not installed there: its posts could not be deleted.", file=sys.stderr)
    for kept in deleted.kept if deleted else ():
        print(f"Slack kept {kept}", file=sys.stderr)
    return 0


def delete_about(client: WebClient, person: About) -> Deleted:
    """Delete the bot's recorded posts about the person, its messages in their
    DM, and its DMs to those around them marked as about them."""
    from slack_sdk.errors import SlackApiError

    from bot.blocks.own import forgotten_home
    from bot.outbox.erasure import Subject, delete_posts, sweep_dm

    bot_user_id = str(client.auth_test()["user_id"])
    done = delete_posts(client, person.posts)
    done.add(sweep_dm(client, user_id=person.slack_user_id, bot_user_id=bot_user_id, about=None))
    subject = Subject(member_id=person.member_id, slack_user_id=person.slack_user_id)
    for neighbour in person.neighbours:
        done.add(sweep_dm(client, user_id=neighbour, bot_user_id=bot_user_id, about=subject))
    try:  # their App Home showed their plan: it shows nothing of theirs now
        client.views_publish(user_id=person.slack_user_id, view=forgotten_home())
    except SlackApiError as error:
        done.kept.append(f"App Home of {person.slack_user_id}: {error.response.get('error')}")
    return done


def recount_threads(client: WebClient, *, database: Database, person: About) -> None:
    """The weekly threads' parents count the person no more, nor name them."""
    from bot.outbox.store import OutboxStore
    from bot.outbox.threads import (
        leaders_parent,
        refresh_leaders_parent,
        refresh_parent,
        thread_parent,
    )
    from bot.usecases.data import recounts

    counts = recounts(database, person=person)
    store = OutboxStore(database)
    for team, monday, roster in counts.teams:
        parent = thread_parent(
            monday=monday,
            checkin_weekday=team.checkin_weekday,
            fiscal_start_month=team.fiscal_start_month,
            roster=roster,
        )
        refresh_parent(
            store=store,
            client=client,
            workspace_id=team.workspace_id,
            team_id=team.id,
            parent=parent,
        )
    for monday, seats in counts.leaders:
        parent = leaders_parent(
            monday=monday, fiscal_start_month=counts.fiscal_start_month, seats=seats
        )
        refresh_leaders_parent(
            store=store, client=client, workspace_id=counts.workspace_id, parent=parent
        )
