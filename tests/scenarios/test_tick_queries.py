"""An idle tick costs a few statements, however many members are pending:
what is due is found by indexed queries, not by claiming every reminder
again and failing on the unique key."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.db.models import Workspace
from bot.outbox.store import OutboxStore
from tests.scenarios.conftest import Bot
from tests.scenarios.test_home_queries import counting
from tests.scenarios.test_rhythm import AT, client, setup_team
from tests.support import run_due

UTC = dt.UTC
REMINDER = dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # Tuesday 15:00 in New York
# Today's tick, idle after the reminders: the teams, their members' zones, the
# prompt's record, the week's roster (two) and one look at the reminders' records.
IDLE_BOUND = 6


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
    # The teams, their zones and one look at the prompt's and the thread's records.
    assert len(counted.statements) <= 3 < members, counted.statements
    with counting(bot) as counted:
        run_due(
            services=services, clients=lambda _t: web, now=AT + dt.timedelta(minutes=2), store=store
        )
    assert len(counted.statements) <= 2, counted.statements  # remembered: the teams only
