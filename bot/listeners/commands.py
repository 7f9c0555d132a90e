"""/myplan and its subcommands."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.builder import builder_slots, plan_builder_modal, plan_input_of
from bot.blocks.help import help_blocks
from bot.blocks.onboarding import onboarding_modal
from bot.blocks.plan_card import team_blocks
from bot.blocks.settings import settings_modal
from bot.ids import COMMAND
from bot.listeners.checkins import open_checkin
from bot.listeners.common import display, owner_card, refresh_profile, today_for
from bot.listeners.reviews import open_review
from bot.listeners.running import guarded
from bot.listeners.sharing import share_plan
from bot.services import Services
from bot.services.members import MemberRef

SUBCOMMANDS = [
    "edit",
    "checkin",
    "skip",
    "away",
    "win",
    "share",
    "review",
    "team",
    "settings",
    "help",
]
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


def register(app: App) -> None:
    app.command(COMMAND)(guarded(myplan))


def myplan(
    ack: Ack,
    command: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    ack()
    text = (command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    trigger = command["trigger_id"]
    today = today_for(member, now)
    handlers: dict[str, Callable[[], object]] = {
        "": lambda: _show_or_start(client, respond, services, member, trigger, today, command),
        "edit": lambda: open_builder(client, services, member, trigger, today),
        "checkin": lambda: _checkin(client, respond, services, member, trigger, today),
        "skip": lambda: _skip(respond, services, member, rest, today),
        "away": lambda: _away(respond, services, member, rest, today),
        "win": lambda: _win(respond, services, member, rest, today),
        "review": lambda: _review(client, respond, services, member, trigger, today),
        "share": lambda: _share(client, respond, services, member, today),
        "team": lambda: respond(
            blocks=team_blocks(
                services.plans.team_overview(manager_id=member.id, today=today), today=today
            ),
            text="Your team",
        ),
        "settings": lambda: _settings(
            client, respond, services, member, trigger, command["team_id"]
        ),
        "help": lambda: respond(blocks=help_blocks(), text="myplan help"),
    }
    # A domain error (an empty win, a plan one may not see...) is answered by
    # guarded() with its sentence; see listeners/common.py.
    mention = MENTION.match(word)
    if word.lower() in handlers:
        handlers[word.lower()]()
    elif mention:
        _someone(respond, services, member, mention.group(1), today)
    else:
        close = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1, cutoff=0.5)
        respond(
            blocks=help_blocks(unknown=word, suggestion=close[0] if close else None),
            text="myplan help",
        )


def _show_or_start(
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
    trigger: str,
    today: dt.date,
    command: dict[str, Any],
) -> None:
    if not member.onboarded:
        client.views_open(trigger_id=trigger, view=onboarding_modal(manager=None, channel=None))
        refresh_profile(client=client, services=services, member=member, team_id=command["team_id"])
        return
    plan = services.plans.current_plan(owner_id=member.id, today=today)
    if plan is None:
        open_builder(client, services, member, trigger, today)
        return
    respond(blocks=owner_card(plan, services), text=f"Your {plan.quarter.label} plan")


def open_builder(
    client: WebClient, services: Services, member: MemberRef, trigger: str, today: dt.date
) -> None:
    plan = services.plans.start_plan(owner_id=member.id, today=today)
    client.views_open(
        trigger_id=trigger,
        view=builder_view(plan.id, plan.quarter.label, plan.content, len(plan.commitments)),
    )


def builder_view(plan_id: int, quarter_label: str, content: Any, count: int) -> dict[str, Any]:
    return plan_builder_modal(
        plan_id=plan_id,
        quarter_label=quarter_label,
        plan=plan_input_of(content),
        slots=builder_slots(count),
    )


def _checkin(
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
    trigger: str,
    today: dt.date,
) -> None:
    message = open_checkin(client, services, member, trigger, today)
    if message:
        respond(text=message)


def _skip(
    respond: Respond, services: Services, member: MemberRef, reason: str, today: dt.date
) -> None:
    monday = services.rhythm.skip(actor_id=member.id, day=today, reason=reason)
    respond(text=f"Skipped the week of {monday:%b %-d}: no check-in expected, no reminder.")


def _review(
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
    trigger: str,
    today: dt.date,
) -> None:
    plan = services.plans.current_plan(owner_id=member.id, today=today)
    if plan is None:
        respond(text="You have no plan this quarter to review.")
        return
    open_review(client, services, member, trigger, plan.id)


def _away(
    respond: Respond, services: Services, member: MemberRef, text: str, today: dt.date
) -> None:
    """`/myplan away 2026-12-31` marks you away until then; `/myplan away off` ends it."""
    word = text.strip().lower()
    if word in ("off", "back", "none"):
        services.rhythm.set_away(actor_id=member.id, until=None)
        respond(text="Welcome back: check-ins and reminders are on again.")
        return
    try:
        until = dt.date.fromisoformat(word)
    except ValueError:
        respond(text="Give the last day you are away as a date, like `/myplan away 2026-12-31`.")
        return
    if until < today:
        respond(text=f"{until:%b %-d} has passed: give the last day you will be away.")
        return
    services.rhythm.set_away(actor_id=member.id, until=until)
    respond(text=f"You are away until {until:%b %-d}: no check-ins expected, no reminders.")


def _win(
    respond: Respond, services: Services, member: MemberRef, text: str, today: dt.date
) -> None:
    plan = services.plans.add_win(actor_id=member.id, text=text, today=today)
    respond(
        text=f":trophy: Logged on your {plan.quarter.label} plan. "
        f"That's {len(plan.wins)} this quarter."
    )


def _share(
    client: WebClient, respond: Respond, services: Services, member: MemberRef, today: dt.date
) -> None:
    plan = services.plans.current_plan(owner_id=member.id, today=today)
    if plan is None:
        respond(text="Start your plan with `/myplan` first, then share it.")
        return
    respond(text=share_plan(client, services, member, plan.id))


def _someone(
    respond: Respond, services: Services, member: MemberRef, slack_user_id: str, today: dt.date
) -> None:
    other = services.members.find(workspace_id=member.workspace_id, slack_user_id=slack_user_id)
    plan = (
        services.plans.plan_of(viewer_id=member.id, owner_id=other.id, today=today)
        if other
        else None
    )
    if other is None or plan is None:
        respond(
            text=f"{display(other) if other else 'They'} have no plan you can see this quarter."
        )
        return
    respond(blocks=owner_card(plan, services), text=f"{display(other)}'s {plan.quarter.label} plan")


def _settings(
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
    trigger: str,
    team_id: str,
) -> None:
    # Admin rights are read from Slack now and kept in the database; the
    # payload's claims about the user are never consulted.
    member = refresh_profile(client=client, services=services, member=member, team_id=team_id)
    if not member.is_admin:
        respond(text="Only workspace admins can change myplan's settings.")
        return
    client.views_open(
        trigger_id=trigger,
        view=settings_modal(
            workspace=services.members.workspace_settings(member_id=member.id),
            team=services.members.team_of(member_id=member.id),
        ),
    )
