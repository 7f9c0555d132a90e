"""An idle tick costs a few statements, however many members are pending:
what is due is found by indexed queries, not by claiming every reminder
again and failing on the unique key."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.db.models import Workspace
from bot.domain.calendar import (
    DEFAULT_GRACE_DAYS,
    NUDGE_TIME,
    WorkingCalendar,
    at_local_time,
    grace_close_at,
    proposal_nudge_days,
)
from bot.domain.quarters import quarter_of, zone
from bot.domain.rhythm import DEFAULT_REVIEW_WINDOW_DAYS, REVIEW_TIME, review_window
from bot.outbox.store import OutboxStore
from tests.scenarios.conftest import Bot
from tests.scenarios.test_home_queries import counting
from tests.scenarios.test_rhythm import AT, client, setup_team
from tests.support import run_due

UTC = dt.UTC
REMINDER = dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # Tuesday 15:00 in New York
# Today's tick, idle after the reminders: the teams (with their members'
# zones) and one look for a reminder still owed, in any team.
IDLE_BOUND = 2
MINUTE = dt.timedelta(minutes=1)
# Any idle minute: the teams, and one look per kind of work due somewhere
# (prompts, reminders, review asks, standards, nudges, closes): here at most
# three kinds at once.
IDLE_ANY_MOMENT = 4


def idle_statements(bot: Bot, members: int) -> int:
    users = tuple(f"U{n:04d}" for n in range(members))
    for user in users:
        bot.slack.add_user(user, user.lower(), tz="America/New_York")
    setup_team(bot, users=users)
    web = client(bot)
    assert run_due(services=bot.services, clients=lambda _t: web, now=AT).sent == {
        "checkin-prompt": 1
    }
    sent = run_due(services=bot.services, clients=lambda _t: web, now=REMINDER).sent
    assert sent == {"checkin-reminder": members}
    # A clock started afresh (a new process: nothing remembered) a minute later.
    store = OutboxStore(bot.services.db)
    with counting(bot) as counted:
        report = run_due(
            services=bot.services,
            clients=lambda _t: web,
            now=REMINDER + dt.timedelta(minutes=1),
            store=store,
        )
    assert report.sent == {} and report.failed == []
    return len(counted.statements)


@pytest.mark.parametrize("members", [8, 40])
def test_an_idle_tick_after_the_reminders_costs_a_bounded_count(bot: Bot, members: int) -> None:
    # Fewer than the members either way: the count does not grow with the team.
    assert idle_statements(bot, members) <= IDLE_BOUND < members


@pytest.mark.parametrize("members", [8, 40])
def test_the_rest_of_a_prompts_day_reads_no_roster_nor_leaders(bot: Bot, members: int) -> None:
    """After the week's prompt and the leaders' thread went out, each minute
    of that day costs a few statements: no roster, no scan of the leaders."""
    users = tuple(f"U{n:04d}" for n in range(members))
    for user in users:
        bot.slack.add_user(user, user.lower(), tz="America/New_York")
    setup_team(bot, users=users)
    services = bot.services
    refs = [services.members.find(workspace_id=1, slack_user_id=user) for user in users]
    for report in refs[1:]:  # the first member leads the others
        services.members.set_manager(
            member_id=report.id, manager_id=refs[0].id, changed_by_id=report.id, now=AT
        )
    with bot.db.sessions.begin() as session:
        session.query(Workspace).one().leaders_channel_id = "CLEADERS"
    bot.slack.channels["CLEADERS"].members.add(bot.slack.bot_user_id)
    web = client(bot)
    assert run_due(services=services, clients=lambda _t: web, now=AT).sent == {
        "checkin-prompt": 1,
        "leaders-prompt": 1,
    }
    store = OutboxStore(services.db)  # a clock started afresh
    with counting(bot) as counted:
        report = run_due(
            services=services, clients=lambda _t: web, now=AT + dt.timedelta(minutes=1), store=store
        )
    assert report.sent == {} and report.failed == []
    # The teams (with their zones) and one look for a prompt or thread still owed.
    assert len(counted.statements) <= 2 < members, counted.statements
    with counting(bot) as counted:
        run_due(
            services=services, clients=lambda _t: web, now=AT + dt.timedelta(minutes=2), store=store
        )
    assert len(counted.statements) <= 2, counted.statements  # a clock that ran: the same


def _quarter_instants() -> list[tuple[str, dt.datetime]]:
    """A quarter's scheduled moments for a New York team on the default
    calendar, each a busy tick: the prompt, the reminders, the review window
    opening and its reminder, the grace close, a nudge of next quarter's drafts."""
    quarter = quarter_of(AT.date(), 1)
    window = review_window(quarter, working_days=DEFAULT_REVIEW_WINDOW_DAYS)
    new_york = zone("America/New_York")
    closes = grace_close_at(quarter, grace_days=DEFAULT_GRACE_DAYS, tz=new_york)
    # Next quarter's drafts are made as this one closes: its first nudge after that.
    nudge_day = next(
        day
        for day in proposal_nudge_days(quarter.next(), WorkingCalendar())
        if day > closes.astimezone(new_york).date()
    )
    return [
        ("prompt", AT),
        ("reminders", REMINDER),
        ("review opens", window.opens_at(new_york)),
        (
            "review reminder",
            at_local_time(window.reminder_on or window.last_day, REVIEW_TIME, tz=new_york),
        ),
        ("grace close", closes),
        ("nudge", at_local_time(nudge_day, NUDGE_TIME, tz=new_york)),
    ]


def setup_teams(bot: Bot, *, teams: int, members: int) -> None:
    """``teams`` teams in one workspace (channels CTEAM0...), of ``members`` each
    (U0M0...), all in New York."""
    for number in range(teams):
        channel = f"CTEAM{number}"
        users = tuple(f"U{number}M{n}" for n in range(members))
        for user in users:
            bot.slack.add_user(user, user.lower(), tz="America/New_York")
        if channel not in bot.slack.channels:
            bot.slack.add_channel(channel, channel.lower())
        setup_team(bot, channel=channel, users=users)


def _idle_counts(bot: Bot, *, teams: int) -> dict[str, int]:
    """For each of the quarter's moments, what the tick a minute after it
    costs in statements, in a clock just started (nothing remembered)."""
    setup_teams(bot, teams=teams, members=3)
    web = client(bot)
    counts = {}
    for name, instant in _quarter_instants():
        busy = run_due(services=bot.services, clients=lambda _t: web, now=instant)
        assert busy.sent and not busy.failed, (name, busy.sent, busy.failed)
        # What that made due (a close's new draft is nudged) goes the minute after.
        run_due(services=bot.services, clients=lambda _t: web, now=instant + MINUTE)
        with counting(bot) as counted:
            idle = run_due(
                services=bot.services,
                clients=lambda _t: web,
                now=instant + 2 * MINUTE,
                store=OutboxStore(bot.services.db),
            )
        assert idle.sent == {} and idle.failed == [], (name, idle.sent)
        counts[name] = len(counted.statements)
    return counts


@pytest.mark.parametrize("teams", [1, 5])
def test_an_idle_tick_costs_a_handful_of_statements_whatever_the_teams(
    bot: Bot, teams: int
) -> None:
    """After each of the quarter's busy moments (a prompt, reminders, a review
    window, its reminder, nudges, grace closes), the next minute costs the
    same few statements for one team as for five: what is owed is found for
    every team at once, not by reading each team's roster again."""
    counts = _idle_counts(bot, teams=teams)
    # The same bound for one team and for five: no team is read on its own.
    assert max(counts.values()) <= IDLE_ANY_MOMENT, counts


def test_the_leaders_are_read_once_a_workspace_not_once_a_team(bot: Bot) -> None:
    """The prompts of several teams due at once: the leaders' thread is the
    workspace's, so the scan of the workspace's managers is made for one of
    them, however many teams prompt."""
    setup_teams(bot, teams=3, members=2)
    services = bot.services
    lead = services.members.find(workspace_id=1, slack_user_id="U0M0")
    report = services.members.find(workspace_id=1, slack_user_id="U1M0")
    assert lead is not None and report is not None
    services.members.set_manager(
        member_id=report.id, manager_id=lead.id, changed_by_id=report.id, now=AT
    )
    with bot.db.sessions.begin() as session:
        session.query(Workspace).one().leaders_channel_id = "CLEADERS"
    bot.slack.channels["CLEADERS"].members.add(bot.slack.bot_user_id)
    web = client(bot)
    with counting(bot) as counted:
        report_ = run_due(services=services, clients=lambda _t: web, now=AT)
    assert report_.sent == {"checkin-prompt": 3, "leaders-prompt": 1}, report_.sent
    # The leaders channel, the leaders and the thread's seats (whole members,
    # the workspace's managers): once each, not once each a team.
    channel = [s for s in counted.statements if "SELECT workspaces.leaders_channel_id" in s]
    scans = [
        s for s in counted.statements if s.startswith("SELECT members.id, members.workspace_id")
    ]
    assert (len(channel), len(scans)) == (1, 2), counted.statements
