"""/myplan and its subcommands."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.blocks.builder import builder_for
from bot.blocks.checkin import checkin_modal
from bot.blocks.help import help_blocks
from bot.blocks.onboarding import onboarding_modal
from bot.blocks.plan_card import card_blocks, team_blocks
from bot.blocks.review import review_modal
from bot.blocks.settings import settings_modal
from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.ids import COMMAND
from bot.listeners.people import MENTION, move_team, name_manager
from bot.listeners.posts import post_shared_plan, tell_unshared
from bot.listeners.profiles import slack_profile
from bot.listeners.running import Registrar
from bot.outbox.store import OutboxStore
from bot.services.read_model import PlanCard
from bot.usecases import checkins, home, plans, reviews, settings, sharing
from bot.usecases.common import Actor, NeedsOnboarding

SUBCOMMANDS = [
    "edit",
    "checkin",
    "skip",
    "away",
    "reminders",
    "win",
    "share",
    "unshare",
    "review",
    "team",
    "manager",
    "settings",
    "help",
]


def register(on: Registrar) -> None:
    on.command(COMMAND, myplan)


class Command:
    """One `/myplan` as typed, with what answering it takes."""

    def __init__(
        self,
        *,
        command: dict[str, Any],
        client: WebClient,
        respond: Respond,
        db: Database,
        outbox: OutboxStore,
        actor: Actor,
        now: dt.datetime,
    ) -> None:
        self.text = (command.get("text") or "").strip()
        self.trigger = str(command["trigger_id"])
        self.client = client
        self.respond = respond
        self.db = db
        self.outbox = outbox
        self.actor = actor
        self.now = now

    def open(self, view: dict[str, Any]) -> None:
        self.client.views_open(trigger_id=self.trigger, view=view)

    def show_card(self, card: PlanCard, text: str) -> None:
        self.respond(blocks=card_blocks(card), text=text)


def myplan(
    ack: Ack,
    command: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    ack()
    typed = Command(
        command=command,
        client=client,
        respond=respond,
        db=db,
        outbox=outbox,
        actor=actor,
        now=now,
    )
    word, _, rest = typed.text.partition(" ")
    handler = HANDLERS.get(word.lower())
    mention = MENTION.match(word)
    if handler is not None:
        handler(typed, rest)
    elif mention:
        _someone(typed, mention.group(1))
    else:
        close = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1, cutoff=0.5)
        respond(
            blocks=help_blocks(unknown=word, suggestion=close[0] if close else None),
            text="myplan help",
        )


def _show_or_start(typed: Command, _: str) -> None:
    answer = plans.show_my_plan(typed.db, actor=typed.actor, now=typed.now)
    if isinstance(answer, NeedsOnboarding):
        typed.open(onboarding_modal(manager=None, channel=None))
    elif isinstance(answer, plans.OpenBuilder):
        typed.open(builder_for(answer.plan))
    else:
        typed.show_card(answer, f"Your {answer.plan.quarter.label} plan")


def _edit(typed: Command, _: str) -> None:
    opened = plans.start_plan(typed.db, actor=typed.actor, now=typed.now)
    if isinstance(opened, NeedsOnboarding):
        typed.open(onboarding_modal(manager=None, channel=None))
        return
    typed.open(builder_for(opened.plan))


def _checkin(typed: Command, _: str) -> None:
    form = checkins.open_checkin(typed.db, actor=typed.actor, now=typed.now)
    if isinstance(form, NeedsOnboarding):
        typed.open(onboarding_modal(manager=None, channel=None))
        return
    if isinstance(form, str):
        typed.respond(text=form)
        return
    typed.open(
        checkin_modal(form.plan, monday=form.monday, previous=form.previous, weeks=form.weeks)
    )


def _skip(typed: Command, reason: str) -> None:
    monday = checkins.skip_week(typed.db, actor=typed.actor, reason=reason, now=typed.now)
    typed.respond(text=f"Skipped the week of {monday:%b %-d}: no check-in expected, no reminder.")


def _away(typed: Command, text: str) -> None:
    """`/myplan away 2026-12-31` marks you away until then; `/myplan away off` ends it."""
    word = text.strip().lower()
    until = None
    if word not in ("off", "back", "none"):
        try:
            until = dt.date.fromisoformat(word)
        except ValueError:
            typed.respond(
                text="Give the last day you are away as a date, like `/myplan away 2026-12-31`."
            )
            return
    answer = checkins.set_away(typed.db, actor=typed.actor, until=until, now=typed.now)
    if answer is checkins.Away.BACK:
        typed.respond(text="Welcome back: check-ins and reminders are on again.")
    elif until is not None and answer is checkins.Away.IN_THE_PAST:
        typed.respond(text=f"{until:%b %-d} has passed: give the last day you will be away.")
    elif until is not None:
        typed.respond(
            text=f"You are away until {until:%b %-d}: no check-ins expected, no reminders."
        )


def _reminders(typed: Command, text: str) -> None:
    """`/myplan reminders off` stops your check-in reminders; `on` brings them back."""
    word = text.strip().lower()
    if word not in ("on", "off"):
        typed.respond(text="Say `/myplan reminders off` or `/myplan reminders on`.")
        return
    checkins.set_reminders(typed.db, actor=typed.actor, on=word == "on")
    typed.respond(
        text="Check-in reminders are on: one DM at 15:00 your time on the working day "
        "after your team's prompt, when you have not checked in."
        if word == "on"
        else "Check-in reminders are off: the weekly thread still asks, but no DM "
        "reminds you. `/myplan reminders on` turns them back on."
    )


def _win(typed: Command, text: str) -> None:
    logged = plans.log_win(typed.db, actor=typed.actor, text=text, now=typed.now)
    typed.respond(
        text=f":trophy: Logged on your {logged.quarter_label} plan. "
        f"That's {logged.wins} this quarter."
    )


def _review(typed: Command, _: str) -> None:
    form = reviews.open_review(typed.db, actor=typed.actor, plan_id=None, now=typed.now)
    if isinstance(form, str):
        typed.respond(text=form)
        return
    typed.open(review_modal(form.proposal, editable=form.editable))


def _share(typed: Command, _: str) -> None:
    shared = sharing.share_plan(typed.db, actor=typed.actor, plan_id=None, now=typed.now)
    typed.respond(text=post_shared_plan(typed.client, typed.outbox, shared=shared))


def _unshare(typed: Command, _: str) -> None:
    unshared = sharing.unshare_plan(typed.db, actor=typed.actor, plan_id=None, now=typed.now)
    typed.respond(text=tell_unshared(typed.client, typed.outbox, unshared=unshared))


def _team(typed: Command, channel: str) -> None:
    """`/myplan team` shows your reports; `/myplan team #channel` moves you to that team."""
    if channel.strip():
        typed.respond(text=move_team(typed.client, db=typed.db, actor=typed.actor, text=channel))
        return
    team = home.team_overview(typed.db, actor=typed.actor, now=typed.now)
    typed.respond(blocks=team_blocks(team.rows, today=team.today), text="Your team")


def _manager(typed: Command, text: str) -> None:
    typed.respond(
        text=name_manager(typed.client, db=typed.db, actor=typed.actor, now=typed.now, text=text)
    )


def _settings(typed: Command, _: str) -> None:
    # Admin rights are read from Slack now and kept in the database; the
    # payload's claims about the user are never consulted.
    profile = slack_profile(typed.client, typed.actor.slack_user_id)
    form = settings.open_settings(typed.db, actor=typed.actor, profile=profile)
    typed.open(
        settings_modal(
            workspace=form.workspace, team=form.team, settings_admins=form.settings_admins
        )
    )


def _help(typed: Command, _: str) -> None:
    typed.respond(blocks=help_blocks(), text="myplan help")


def _someone(typed: Command, slack_user_id: str) -> None:
    name, card = plans.someones_plan(
        typed.db, actor=typed.actor, slack_user_id=slack_user_id, now=typed.now
    )
    shown = escape_mrkdwn(name) if name else "They"
    if card is None:
        typed.respond(text=f"{shown} have no plan you can see this quarter.")
        return
    typed.show_card(card, f"{shown}'s {card.plan.quarter.label} plan")


HANDLERS: dict[str, Callable[[Command, str], None]] = {
    "": _show_or_start,
    "edit": _edit,
    "checkin": _checkin,
    "skip": _skip,
    "away": _away,
    "reminders": _reminders,
    "win": _win,
    "review": _review,
    "share": _share,
    "unshare": _unshare,
    "team": _team,
    "manager": _manager,
    "settings": _settings,
    "help": _help,
}
