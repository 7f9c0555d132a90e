"""An idle tick costs a few statements, however many members are pending:
what is due is found by indexed queries, not by claiming every reminder
again and failing on the unique key."""

from __future__ import annotations

import datetime as dt

import pytest

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
