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
from bot.blocks.plan_card import card_blocks, team_page_blocks
from bot.blocks.review import early_close_blocks, review_modal
from bot.blocks.settings import settings_modal
from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.ids import COMMAND
from bot.listeners.exports import send_my_export
from bot.listeners.history import open_history, show_trends
from bot.listeners.own import list_entries
from bot.listeners.people import MENTION, move_team, name_manager
from bot.listeners.posts import post_shared_plan, refresh_leaders_post, tell_unshared
from bot.listeners.profiles import slack_profile
from bot.listeners.replies import dm
from bot.listeners.running import Registrar
from bot.outbox.store import OutboxStore
from bot.services.read_model import PlanCard
from bot.usecases import checkins, home, own, plans, reviews, settings, sharing
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
    "export",
    "wins",
    "comments",
    "checkins",
    "review",
    "history",
    "trends",
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
    skipped = checkins.skip_week(typed.db, actor=typed.actor, reason=reason, now=typed.now)
    typed.respond(
        text=f"Skipped the week of {skipped.monday:%b %-d}: no check-in expected, no reminder."
    )
    if skipped.manager_slack_user_id:  # the manager sees every check-in, and every skip
        dm(
            typed.client,
            skipped.manager_slack_user_id,
            text=f"{escape_mrkdwn(skipped.member_name)} skips the week of "
            f"{skipped.monday:%b %-d}: {escape_mrkdwn(skipped.reason)}",
        )


def _away(typed: Command, text: str) -> None:
    """`/myplan away Friday` (or "next week", "Dec 24", "2026-12-24") marks you
    away until then, read in your zone; `/myplan away off` ends it."""
    word = text.strip().lower()
    answer, until = checkins.set_away(
        typed.db,
        actor=typed.actor,
        typed=None if word in ("off", "back", "none") else word,
        now=typed.now,
    )
    if answer is checkins.Away.UNREADABLE:
        typed.respond(
            text="Give the last day you are away, like `/myplan away Friday`, "
            "`/myplan away next week`, `/myplan away Dec 24` or `/myplan away 2026-12-24`."
        )
    elif answer is checkins.Away.BACK:
        typed.respond(text="Welcome back: check-ins and reminders are on again.")
    elif until is not None and answer is checkins.Away.IN_THE_PAST:
        typed.respond(text=f"{until:%b %-d} has passed: give the last day you will be away.")
    elif until is not None:
        typed.respond(
            text=f"You are away until {until:%A, %b %-d, %Y}: no check-ins expected, "
            "no reminders. Not the day you meant? Say it again, like `/myplan away 2026-12-24`."
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
    refresh_leaders_post(typed.client, typed.outbox, post=logged.leaders_post)


def _review(typed: Command, text: str) -> None:
    """`/myplan review`: the quarter's review (before its window, asked to
    confirm an early close first); `/myplan review undo` reopens an early close."""
    if text.strip().lower() == "undo":
        reopened = reviews.undo_early_close(
            typed.db, actor=typed.actor, plan_id=None, now=typed.now
        )
        if isinstance(reopened, str):
            typed.respond(text=reopened)
        else:
            typed.show_card(
                reopened, f"{reopened.plan.quarter.label} is open again: check in as before."
            )
        return
    form = reviews.open_review(typed.db, actor=typed.actor, plan_id=None, now=typed.now)
    if isinstance(form, str):
        typed.respond(text=form)
        return
    if form.early and form.window is not None and form.quarter is not None:
        typed.respond(
            text=f"{form.quarter.label} is not over yet: close it early?",
            blocks=early_close_blocks(
                plan_id=form.proposal.plan.id,
                quarter_label=form.quarter.label,
                opens_on=form.window.opens_on,
                last_day=form.window.last_day,
            ),
        )
        return
    typed.open(
        review_modal(
            form.proposal,
            editable=form.editable,
            reflects=form.reflects,
            conversation=form.conversation,
        )
    )


def _mentioned(text: str) -> str | None:
    mention = MENTION.match(text.strip())
    return mention.group(1) if mention else None


def _history(typed: Command, text: str) -> None:
    """`/myplan history [@someone]`: past quarters, each one a click away."""
    open_history(
        typed.client,
        db=typed.db,
        actor=typed.actor,
        now=typed.now,
        trigger_id=typed.trigger,
        who=_mentioned(text),
    )


def _trends(typed: Command, text: str) -> None:
    """`/myplan trends [@someone]`: this quarter's plan, charted."""
    show_trends(
        typed.client,
        db=typed.db,
        actor=typed.actor,
        now=typed.now,
        trigger_id=typed.trigger,
        push=False,
        plan_id=None,
        who=_mentioned(text),
    )


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
    typed.respond(blocks=team_page_blocks(team.rows), text="Your team")


def _manager(typed: Command, text: str) -> None:
    typed.respond(
        text=name_manager(
            typed.client,
            db=typed.db,
            outbox=typed.outbox,
            actor=typed.actor,
            now=typed.now,
            text=text,
        )
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


def _own(typed: Command, kind: own.Kind) -> None:
    """Your own wins, comments or check-ins, each with Edit and Delete."""
    typed.respond(**list_entries(typed.db, actor=typed.actor, kind=kind))


def _export(typed: Command, _: str) -> None:
    typed.respond(text=send_my_export(typed.client, db=typed.db, actor=typed.actor, now=typed.now))


HANDLERS: dict[str, Callable[[Command, str], None]] = {
    "": _show_or_start,
    "edit": _edit,
    "checkin": _checkin,
    "skip": _skip,
    "away": _away,
    "reminders": _reminders,
    "win": _win,
    "review": _review,
    "history": _history,
    "trends": _trends,
    "share": _share,
    "unshare": _unshare,
    "export": _export,
    "wins": lambda typed, _: _own(typed, own.Kind.WINS),
    "comments": lambda typed, _: _own(typed, own.Kind.COMMENTS),
    "checkins": lambda typed, _: _own(typed, own.Kind.CHECKINS),
    "team": _team,
    "manager": _manager,
    "settings": _settings,
    "help": _help,
}
