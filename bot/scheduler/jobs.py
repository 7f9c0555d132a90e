"""The weekly rhythm: team check-in prompts and reminders.

``run_due(now)`` posts whatever is due at ``now`` and nothing else, so it can
run every minute, twice, in two processes, or after a restart.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.blocks.checkin import reminder_blocks, reminder_text
from bot.blocks.plan_card import plan_blocks
from bot.blocks.review import standards_blocks
from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.domain.quarters import Quarter, week_start, zone
from bot.domain.rhythm import prompt_at, reminder_at, reminder_due
from bot.outbox.delivery import Delivered, Outcome, WorkspaceUnavailable, deliver
from bot.outbox.keys import (
    leader_plan_key,
    leaders_prompt_key,
    posting_failure_key,
    prompt_key,
    reminder_key,
    standards_key,
)
from bot.outbox.leases import Lease, LeaseLost, Leases
from bot.outbox.notices import LEADERS_KINDS, fixable, posting_failure_text
from bot.outbox.pacing import Pacer
from bot.outbox.posts import keep_or_delete
from bot.outbox.store import OutboxStore
from bot.outbox.threads import leaders_parent, render_parent, thread_parent
from bot.scheduler.digests import morning_digests
from bot.scheduler.fanout import TickReport, fan_out
from bot.scheduler.reviews import review_requests
from bot.scheduler.turns import grace_closes, proposal_nudges
from bot.services.rhythm import RosterRow, TeamRow
from bot.usecases import scheduled
from bot.usecases.owed import Owed
from bot.usecases.owed import owed as owed_now
from bot.usecases.scheduled import (
    LeadersDue,
    PromptDue,
    StandardsDue,
    TeamDue,
)

log = logging.getLogger(__name__)


DIGEST_MINUTES = (0, 30)  # the morning digests: 09:00 (or 09:30) in each manager's zone


ClientFor = Callable[[str], WebClient | None]


def run_due(
    *,
    db: Database,
    clients: ClientFor,
    now: dt.datetime,
    pacers: Callable[[str], Pacer] | None = None,
    store: OutboxStore | None = None,
    leases: Leases | None = None,
) -> TickReport:
    """``clients`` gives the WebClient of a workspace (by Slack team id), or
    None when the app is no longer installed there; ``pacers`` its pacer;
    ``leases``, when clocks share the work, which workspaces this one sends
    for. Workspaces are worked on side by side (bot/scheduler/fanout.py). One
    use case finds which teams owe anything now (a few statements for all
    teams); for each of those, one more finds what (one transaction); the
    outbox sends it."""
    report = TickReport()
    # A clock keeps one store across its ticks (see OutboxStore's memory).
    store = store or OutboxStore(db)

    def one_team(team: TeamRow, lease: Lease | None) -> None:
        client = clients(team.slack_team_id)
        if client is None:
            return
        outbox = Outbox(
            db=db,
            team=team,
            store=store,
            client=client,
            pacer=pacers(team.slack_team_id) if pacers else None,
            workspace_id=team.workspace_id,
            now=now,
            report=report,
            lease=lease,
        )
        try:
            _send_due(outbox, _team_due(db, team=team, owed=owed, now=now))
        except (WorkspaceUnavailable, LeaseLost) as error:
            log.warning("workspace %s: %s", team.slack_team_id, error)
            report.count("team", outcome=Outcome.FAILED, what=f"team {team.id}: {error}")
        except Exception:  # one team's trouble must not stop the others
            log.exception("scheduled work for team %s failed", team.id)
            report.count("team", outcome=Outcome.FAILED, what=f"team {team.id}")

    owed = owed_now(db, now=now)
    # A team that owes nothing costs no lease, no transaction, no thread.
    fan_out(teams=owed.owing(), work=one_team, now=now, leases=leases)
    try:
        # Twice an hour, not every minute: an idle tick reads no more than it did.
        if now.minute in DIGEST_MINUTES:
            morning_digests(
                db=db, clients=clients, store=store, pacers=pacers, now=now, report=report
            )
    except Exception:
        log.exception("the managers' morning digests failed")
        report.count("manager-digest", outcome=Outcome.FAILED, what="morning digests")
    return report


def _team_due(db: Database, *, team: TeamRow, owed: Owed, now: dt.datetime) -> TeamDue:
    """What is due for ``team``, told what it still owes (found for every team at once)."""
    return scheduled.team_due(
        db,
        team=team,
        now=now,
        reminder_weeks=owed.reminder_weeks.get(team.id, set()),
        reviews_owed=team.id in owed.reviews,
        standards_owed=team.id in owed.standards,
        nudges_owed=team.id in owed.nudges,
        closes_owed=team.id in owed.closes,
        prompt_owed=team.id in owed.prompts,
        leaders_owed=team.id in owed.leaders,
    )


@dataclass(frozen=True)
class Outbox:
    """What one team's work in one tick sends through: a workspace's client
    and pacer, "now", and the report every outcome is counted in."""

    db: Database
    team: TeamRow
    store: OutboxStore
    client: WebClient
    pacer: Pacer | None
    workspace_id: int
    now: dt.datetime
    report: TickReport
    lease: Lease | None = None

    def send(
        self,
        *,
        kind: str,
        key: str,
        channel: str,
        text: str,
        what: str,
        blocks: list[dict[str, Any]] | None = None,
        due_at: dt.datetime | None = None,
    ) -> Delivered:
        if self.lease is not None:
            self.lease.keep()  # LeaseLost: another clock sends for this workspace now
        result = deliver(
            store=self.store,
            client=self.client,
            pacer=self.pacer,
            workspace_id=self.workspace_id,
            key=key,
            kind=kind,
            channel=channel,
            due_at=due_at or self.now,
            now=self.now,
            text=text,
            blocks=blocks,
        )
        self.report.count(kind, outcome=result.outcome, what=f"{what}: {result.error}")
        if result.outcome is Outcome.FAILED and fixable(channel=channel, error=result.error):
            self.tell_fixers(kind=kind, channel=channel, error=str(result.error))
        return result

    def tell_fixers(self, *, kind: str, channel: str, error: str) -> None:
        """Whoever can fix a refused post hears it once a week per channel and
        error, with the fix (see bot/outbox/notices.py)."""
        recipients = scheduled.posting_fixers(
            self.db,
            workspace_id=self.workspace_id,
            team_id=self.team.id,
            workspace_setting=kind in LEADERS_KINDS,
        )
        monday = week_start(self.now.astimezone(zone(self.team.timezone)).date())
        for recipient in recipients:
            self.send(
                kind="posting-failure",
                key=posting_failure_key(channel, error, monday=monday, recipient=recipient),
                channel=recipient,
                text=posting_failure_text(kind=kind, channel=channel, error=error),
                what=f"posting failure notice to {recipient}",
            )


def _send_due(outbox: Outbox, due: TeamDue) -> None:
    team, prompt = due.team, due.prompt
    if prompt is not None:
        tz = zone(team.timezone)
        parent = render_parent(
            thread_parent(
                monday=prompt.monday,
                checkin_weekday=team.checkin_weekday,
                fiscal_start_month=team.fiscal_start_month,
                roster=prompt.roster,
            )
        )
        outbox.send(
            kind="checkin-prompt",
            key=prompt_key(team.id, prompt.monday),
            channel=team.channel_id,
            due_at=prompt_at(
                prompt.monday, weekday=team.checkin_weekday, wall_clock=team.checkin_time, tz=tz
            ),
            text=parent.text,
            blocks=parent.blocks,
            what=f"prompt for team {team.id}",
        )
        if prompt.leaders is not None:
            _send_leaders(outbox, team=team, prompt=prompt, due=prompt.leaders)
    if due.reviews is not None:
        review_requests(outbox, due=due.reviews)
        if due.reviews.standards is not None:
            _standards_request(
                outbox, team=team, quarter=due.reviews.quarter, due=due.reviews.standards
            )
    _reminders(outbox, team=team, rosters=due.reminder_rosters)
    proposal_nudges(outbox, due=due.nudges)
    grace_closes(outbox, due=due.closes)


def _send_leaders(outbox: Outbox, *, team: TeamRow, prompt: PromptDue, due: LeadersDue) -> None:
    """With the workspace's first team prompt of the week: the leaders' weekly
    thread, and with the quarter's first prompt each leader's public plan."""
    # Updated as leaders check in (bot/outbox/threads.py:post_leaders_reply).
    if due.seats:
        parent = render_parent(
            leaders_parent(
                monday=prompt.monday,
                fiscal_start_month=team.fiscal_start_month,
                seats=due.seats,
            )
        )
        outbox.send(
            kind="leaders-prompt",
            key=leaders_prompt_key(team.workspace_id, prompt.monday),
            channel=due.channel_id,
            text=parent.text,
            blocks=parent.blocks,
            what="leaders prompt",
        )
    for leader, plan in due.public_plans:
        posted = outbox.send(
            kind="leader-plan",
            key=leader_plan_key(plan.id),
            channel=due.channel_id,
            text=f"{escape_mrkdwn(leader.name)}'s {prompt.quarter.label} plan",
            blocks=plan_blocks(plan, owner_name=leader.name, manager_name=None),
            what=f"plan of {leader.slack_user_id}",
        )
        if posted.outcome in (Outcome.SENT, Outcome.RECOVERED) and posted.channel and posted.ts:
            # The plan's one post there: updated as it changes, deleted when unshared.
            keep_or_delete(
                store=outbox.store,
                client=outbox.client,
                plan_id=plan.id,
                channel_id=posted.channel,
                ts=posted.ts,
            )


def _standards_request(
    outbox: Outbox, *, team: TeamRow, quarter: Quarter, due: StandardsDue
) -> None:
    """In the quarter's last week, the team's leader gets the proposed standards."""
    outbox.send(
        kind="standards",
        key=standards_key(team.id, quarter.label),
        channel=due.leader_slack_user_id,
        text=f"Proposed team standards after {quarter.label}",
        blocks=standards_blocks(
            team_id=team.id,
            team_name=team.name,
            quarter_label=quarter.label,
            standards=due.proposals,
        ),
        what=f"standards to {due.leader_slack_user_id}",
    )


def _reminders(outbox: Outbox, *, team: TeamRow, rosters: dict[dt.date, list[RosterRow]]) -> None:
    """One DM to each member who has not checked in (nor skipped, nor is away,
    nor turned reminders off), at 15:00 their time on their next working day
    after the team's prompt, with a button to check in for that week."""
    tz = zone(team.timezone)
    for monday, roster in rosters.items():
        prompt = prompt_at(
            monday, weekday=team.checkin_weekday, wall_clock=team.checkin_time, tz=tz
        )
        outbox.store.learn_settled(
            workspace_id=outbox.workspace_id,
            keys=[reminder_key(row.member_id, monday) for row in roster],
        )
        for row in roster:
            if row.checked_in or row.skipped or row.away or not row.reminders:
                continue
            member_tz = zone(row.timezone)
            if not reminder_due(outbox.now, prompt=prompt, tz=member_tz, calendar=team.calendar):
                continue
            this_week = week_start(outbox.now.astimezone(member_tz).date()) == monday
            outbox.send(
                kind="checkin-reminder",
                key=reminder_key(row.member_id, monday),
                channel=row.slack_user_id,
                due_at=reminder_at(prompt, member_tz, calendar=team.calendar),
                text=reminder_text(channel_id=team.channel_id, monday=monday, this_week=this_week),
                blocks=reminder_blocks(
                    channel_id=team.channel_id, monday=monday, this_week=this_week
                ),
                what=f"reminder for {row.slack_user_id}",
            )
