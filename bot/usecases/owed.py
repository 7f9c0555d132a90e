"""Which teams still owe scheduled work at an instant, for all teams at once:
the tick reads a team's roster only when this names it (bot/services/pending.py).

The calendar's part (in which zones a week's reminder is due now, where a
review window is open) is worked out here, from each team's members' zones;
the database's part (what was sent already) in one query per kind."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from bot.domain.calendar import (
    grace_close_due,
    grace_close_quarter,
    nudge_quarters,
    proposal_nudge_due,
)
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter, quarter_of, week_start, zone
from bot.domain.rhythm import prompt_at, reminder_due
from bot.services import Services, use_case
from bot.services.pending import PromptWeek, ReminderWeek, ReviewAsks, TeamZone, ZonesDue
from bot.services.rhythm import OPEN_STATES, REVIEWABLE_STATES, TeamRow
from bot.usecases.scheduled import prompt_week, review_due

# A team with no lead, or nothing to propose yet, stays not offered its
# standards all window long, and finding that out reads the team: twice an
# hour, not every minute (the offer waits at most half an hour).
STANDARDS_MINUTES = (0, 30)


@dataclass(frozen=True, kw_only=True)
class Owed:
    # Every team of every installed workspace, with its members' zones.
    teams: list[TeamRow] = field(default_factory=list)
    # Teams whose week's prompt (or leaders' thread) is due now and not sent.
    prompts: set[int] = field(default_factory=set)
    # Of those, one a workspace (with a leaders channel): it sends the leaders'
    # thread of the week (and, with the quarter's first prompt, the leaders'
    # public plans), which scans the workspace's members; the others need not.
    leaders: set[int] = field(default_factory=set)
    # Each team's weeks (by Monday) with a reminder owed now.
    reminder_weeks: dict[int, set[dt.date]] = field(default_factory=dict)
    # Teams with a review request or reminder owed now.
    reviews: set[int] = field(default_factory=set)
    # Teams whose review window is open and whose standards were not offered yet.
    standards: set[int] = field(default_factory=set)
    # Teams with a draft owed its nudge to be proposed, and with a grace close owed.
    nudges: set[int] = field(default_factory=set)
    closes: set[int] = field(default_factory=set)

    def owing(self) -> list[TeamRow]:
        """The teams that owe anything now: the only ones the tick works on."""
        return [team for team in self.teams if self.anything(team.id)]

    def anything(self, team_id: int) -> bool:
        return (
            team_id in self.prompts
            or team_id in self.reminder_weeks
            or team_id in self.reviews
            or team_id in self.standards
            or team_id in self.nudges
            or team_id in self.closes
        )


@dataclass
class _Places:
    """Where (team, zone) each kind of work may be due now, by what its query needs."""

    prompts: dict[tuple[dt.date, Quarter], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    weeks: dict[tuple[dt.date, Quarter], list[TeamZone]] = field(
        default_factory=lambda: defaultdict(list)
    )
    asks: dict[Quarter, tuple[list[TeamZone], list[TeamZone]]] = field(
        default_factory=lambda: defaultdict(lambda: ([], []))
    )
    standards: dict[Quarter, list[int]] = field(default_factory=lambda: defaultdict(list))
    nudges: dict[tuple[Quarter, int], list[TeamZone]] = field(
        default_factory=lambda: defaultdict(list)
    )
    closes: dict[Quarter, list[TeamZone]] = field(default_factory=lambda: defaultdict(list))


@use_case
def owed(services: Services, *, now: dt.datetime) -> Owed:
    """What each team owes at ``now``, in one transaction: the teams, then a
    few indexed statements however many teams, members and deliveries there are."""
    teams = services.rhythm.teams()
    places = _Places()
    for team in teams:
        monday = prompt_week(team, now)
        if monday is not None:
            prompt_day = monday + dt.timedelta(days=team.checkin_weekday)
            places.prompts[(monday, quarter_of(prompt_day, team.fiscal_start_month))].append(
                team.id
            )
        for key, pairs in _reminder_zones(team, now).items():
            places.weeks[key].extend(pairs)
        _review_places(places, team=team, now=now)
        _nudge_places(places, team=team, now=now)
        _close_places(places, team=team, now=now)
    pending = services.pending
    prompts: set[int] = set()
    for (monday, quarter), team_ids in places.prompts.items():
        due = PromptWeek(monday=monday, quarter=quarter, team_ids=team_ids)
        prompts |= pending.prompts_owed(due, states=(PlanState.DRAFT, *OPEN_STATES))
    reminder_weeks: dict[int, set[dt.date]] = defaultdict(set)
    for (monday, quarter), pairs in places.weeks.items():
        week = ReminderWeek(monday=monday, quarter=quarter, zones=pairs)
        for team_id in pending.reminders_owed(week, states=OPEN_STATES):
            reminder_weeks[team_id].add(monday)
    reviews: set[int] = set()
    for quarter, (open_zones, reminder_zones) in places.asks.items():
        asks = ReviewAsks(quarter=quarter, zones=open_zones, reminder_zones=reminder_zones)
        reviews |= pending.reviews_owed(asks, states=REVIEWABLE_STATES)
    standards: set[int] = set()
    for quarter, team_ids in places.standards.items():
        standards |= pending.standards_unoffered(team_ids=team_ids, quarter=quarter)
    nudges: set[int] = set()
    for (quarter, number), pairs in places.nudges.items():
        nudges |= pending.nudges_owed(ZonesDue(quarter=quarter, zones=pairs), number=number)
    closes: set[int] = set()
    for quarter, pairs in places.closes.items():
        closes |= pending.closes_owed(ZonesDue(quarter=quarter, zones=pairs), states=OPEN_STATES)
    return Owed(
        teams=teams,
        prompts=prompts,
        leaders=_leaders_senders(teams, prompts),
        reminder_weeks=dict(reminder_weeks),
        reviews=reviews,
        standards=standards,
        nudges=nudges,
        closes=closes,
    )


def _leaders_senders(teams: list[TeamRow], prompts: set[int]) -> set[int]:
    first: dict[int, int] = {}
    for team in teams:
        if team.id in prompts and team.leaders_channel_id is not None:
            first[team.workspace_id] = min(team.id, first.get(team.workspace_id, team.id))
    return set(first.values())


def _review_places(places: _Places, *, team: TeamRow, now: dt.datetime) -> None:
    in_review = review_due(team, now)
    if in_review is None:
        return
    quarter, window = in_review
    open_zones, reminder_zones = places.asks[quarter]
    for member_zone in _zones(team):
        tz = zone(member_zone)
        if window.is_open(now, tz):
            open_zones.append((team.id, member_zone))
            if window.reminder_due(now, tz):
                reminder_zones.append((team.id, member_zone))
    if now.minute in STANDARDS_MINUTES and window.is_open(now, zone(team.timezone)):
        places.standards[quarter].append(team.id)


def _nudge_places(places: _Places, *, team: TeamRow, now: dt.datetime) -> None:
    """Where a quarter's proposal nudge is due now."""
    local_today = now.astimezone(zone(team.timezone)).date()
    for quarter in nudge_quarters(
        local_today, fiscal_start_month=team.fiscal_start_month, calendar=team.calendar
    ):
        for member_zone in _zones(team):
            number = proposal_nudge_due(quarter, team.calendar, now=now, tz=zone(member_zone))
            if number is not None:
                places.nudges[(quarter, number)].append((team.id, member_zone))


def _close_places(places: _Places, *, team: TeamRow, now: dt.datetime) -> None:
    """Where last quarter's grace is over now, in its catch-up week."""
    local_today = now.astimezone(zone(team.timezone)).date()
    quarter = grace_close_quarter(
        local_today, fiscal_start_month=team.fiscal_start_month, grace_days=team.grace_days
    )
    if quarter is None:
        return
    for member_zone in _zones(team):
        if grace_close_due(quarter, grace_days=team.grace_days, now=now, tz=zone(member_zone)):
            places.closes[quarter].append((team.id, member_zone))


def _zones(team: TeamRow) -> frozenset[str]:
    # The tick's teams carry their members' zones (RhythmService.teams).
    return team.member_zones if team.member_zones is not None else frozenset({team.timezone})


def _reminder_zones(
    team: TeamRow, now: dt.datetime
) -> dict[tuple[dt.date, Quarter], list[TeamZone]]:
    """This week's and last week's reminders of ``team``: the zones where each
    is due now, by the week's Monday and its prompt's quarter."""
    tz = zone(team.timezone)
    this_week = week_start(now.astimezone(tz).date())
    due: dict[tuple[dt.date, Quarter], list[TeamZone]] = {}
    for monday in (this_week - dt.timedelta(days=7), this_week):
        prompt = prompt_at(
            monday, weekday=team.checkin_weekday, wall_clock=team.checkin_time, tz=tz
        )
        pairs = [
            (team.id, member_zone)
            for member_zone in _zones(team)
            if reminder_due(now, prompt=prompt, tz=zone(member_zone), calendar=team.calendar)
        ]
        if pairs:
            prompt_day = monday + dt.timedelta(days=team.checkin_weekday)
            due[(monday, quarter_of(prompt_day, team.fiscal_start_month))] = pairs
    return due
