"""Four quarters of 2027, played hourly on the loopback Slack with the injected
clock: a team that checks in on Monday in New York (one member in Tokyo) and
a team that checks in on Friday in Berlin. Every prompt, reminder, review
request, proposal nudge and close is asserted by its recipient's local date
and time.

The year, as the members live it (fiscal year = calendar year):
- Q1: an early close and its undo (Berlin); New York reviews in the window;
  Tokyo edits its Q2 plan ahead and leaves Q1 unreviewed, as does Berlin:
  both close by grace (12 days, a workspace setting), and Tokyo, who had
  edited its next plan, is asked to take the raised bars.
- Q2: drafts are nudged weekly until proposed; Memorial Day (a workspace
  holiday) has no prompt; the app is uninstalled and installed again.
- Q3: the Friday team's holiday (Jul 2) has no prompt; everyone reviews.
- Q4: the year ends with the review window of a Friday quarter's end.

- Q3: New York renames its commitment mid-quarter (history kept, the diff
  says renamed, the roll-up goes on); Berlin, whose Slack locale is de-DE,
  fills in a missed week late with the week picker, typing "1,5".

To extend: add a step to ``STEPS`` at its instant, and its expectations
beside the others.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.app import create_app, make_client
from bot.config import Settings
from bot.db.models import CheckIn, CheckInValue, Revision
from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.plans import PlanState
from bot.listeners.running import ListenerRunner
from bot.scheduler import fanout
from bot.web import wsgi_app
from tests.scenarios.conftest import Bot
from tests.scenarios.test_reinstall import CLIENT, Installed
from tests.scenarios.test_weeks import choose_week, inputs
from tests.slack_emulator import SlackDriver, SlackEmulator, serve_wsgi, wait_until
from tests.support import PerCallServices, run_due

UTC = dt.UTC
T, R = TypeVar("T"), TypeVar("R")
NY, TOKYO, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo"), ZoneInfo("Europe/Berlin")
ZONES = {"UNY": NY, "UTOKYO": TOKYO, "UBER": BERLIN, "CMON": NY, "CFRI": BERLIN}
TEAM_OF = {"UNY": "CMON", "UTOKYO": "CMON", "UBER": "CFRI"}
LOCALES = {"UBER": "de-DE"}  # Berlin types and reads "1,5"
MEMORIAL_DAY = dt.date(2027, 5, 31)  # a workspace holiday: a Monday
FRI_TEAM_HOLIDAY = dt.date(2027, 7, 2)  # the Friday team's own holiday
GRACE_DAYS = 12
START = dt.datetime(2027, 1, 1, 0, tzinfo=UTC)
END = dt.datetime(2028, 1, 1, 12, tzinfo=UTC)
PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25")
    ],
)


def at(zone: ZoneInfo, *parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=zone).astimezone(UTC)  # type: ignore[misc]


class Year:
    """The scenario's world: the installed app, its members, what was sent."""

    def __init__(self, installed: Installed) -> None:
        self.installed, self.bot, self.slack = installed, installed.bot, installed.bot.slack
        self.ids: dict[str, tuple[int, int]] = {}  # user -> (member id, Q1 plan id)
        self.sent: dict[tuple[str, str], list[str]] = defaultdict(list)  # (kind, who) -> local
        self._seen = 0
        self._clients: dict[str, WebClient | None] = {}

    def setup(self) -> None:
        services = self.bot.services
        for user in TEAM_OF:
            self.slack.add_user(user, user.lower(), tz=str(ZONES[user]))
        self.slack.users["UBER"].locale = LOCALES["UBER"]
        self.slack.add_channel("CMON", "monday-aes", members=("UNY", "UTOKYO"))
        self.slack.add_channel("CFRI", "friday-sdrs", members=("UBER",))
        workspace = services.members.ensure_workspace(slack_team_id=self.slack.team_id)
        services.settings.update_workspace(
            workspace_id=workspace, grace_days=GRACE_DAYS, holidays=frozenset({MEMORIAL_DAY})
        )
        teams = {
            "CMON": services.members.configure_team(
                workspace_id=workspace,
                channel_id="CMON",
                name="Monday AEs",
                checkin_weekday=0,
                checkin_time=dt.time(9),
                timezone="America/New_York",
            ),
            "CFRI": services.members.configure_team(
                workspace_id=workspace,
                channel_id="CFRI",
                name="Friday SDRs",
                checkin_weekday=4,
                checkin_time=dt.time(16),
                timezone="Europe/Berlin",
            ),
        }
        fri = services.settings.team(team_id=teams["CFRI"], workspace_id=workspace)
        assert fri is not None
        services.settings.update_team(
            team_id=fri.id,
            channel_id=fri.channel_id,
            checkin_weekday=fri.checkin_weekday,
            checkin_time=fri.checkin_time,
            timezone=fri.timezone,
            holidays=frozenset({FRI_TEAM_HOLIDAY}),
        )
        for user, team in TEAM_OF.items():
            member = services.members.ensure_member(
                slack_team_id=self.slack.team_id,
                slack_user_id=user,
                display_name=user.lower(),
                timezone=str(ZONES[user]),
                locale=LOCALES.get(user),
            )
            services.members.mark_onboarded(member_id=member.id, now=START)
            services.members.set_manager(
                member_id=member.id,
                manager_id=None,
                changed_by_id=member.id,
                now=START,
                no_manager=True,
            )
            services.members.join_team(member_id=member.id, team_id=teams[team])
            plan = self.save_plan(member.id, dt.date(2027, 1, 1), propose=True)
            self.ids[user] = (member.id, plan)
        for user in ("UTOKYO", "UBER"):  # their first week: 40 calls, a bar to raise
            self.check_in(user, dt.date(2027, 1, 4), calls="40")

    def check_in(self, user: str, day: dt.date, *, calls: str) -> None:
        services, (member_id, _) = self.bot.services, self.ids[user]
        plan = services.plans.current_plan(owner_id=member_id, today=day)
        assert plan is not None
        services.plans.record_checkin(
            actor_id=member_id,
            plan_id=plan.id,
            day=day,
            values={plan.commitments[0].id: calls},
            confidence=4,
            now=dt.datetime.combine(day, dt.time(12), tzinfo=UTC),
        )

    def save_plan(self, member_id: int, day: dt.date, *, propose: bool) -> int:
        services, now = self.bot.services, dt.datetime.combine(day, dt.time(0), tzinfo=UTC)
        plan = services.plans.start_plan(owner_id=member_id, today=day)
        services.plans.save(actor_id=member_id, plan_id=plan.id, plan_input=PLAN, now=now)
        if propose:
            services.plans.propose(actor_id=member_id, plan_id=plan.id, now=now)
        return plan.id

    def plan_of(self, user: str, day: dt.date) -> tuple[int, PlanState]:
        plan = self.bot.services.plans.current_plan(owner_id=self.ids[user][0], today=day)
        assert plan is not None
        return plan.id, plan.state

    def propose(self, user: str, now: dt.datetime) -> None:
        plan_id, _ = self.plan_of(user, now.date())
        self.bot.services.plans.propose(actor_id=self.ids[user][0], plan_id=plan_id, now=now)

    def review(self, user: str, now: dt.datetime) -> None:
        plan_id, _ = self.plan_of(user, now.astimezone(ZONES[user]).date())
        self.bot.services.reviews.complete(
            actor_id=self.ids[user][0],
            plan_id=plan_id,
            reflection="Done",
            chosen={},
            reason=None,
            now=now,
        )

    def clients(self, slack_team_id: str) -> WebClient | None:
        """The installed token's client, as the store says (asked again after
        each step: an uninstall or an install changes it)."""
        if slack_team_id not in self._clients:
            found = self.installed.store.find_bot(enterprise_id=None, team_id=slack_team_id)
            self._clients[slack_team_id] = (
                make_client(Settings(slack_api_url=self.slack.api_url), token=found.bot_token)
                if found is not None and found.bot_token
                else None
            )
        return self._clients[slack_team_id]

    def forget_clients(self) -> None:
        self._clients.clear()

    def tick(self, now: dt.datetime) -> None:
        report = run_due(services=self.bot.services, clients=self.clients, now=now)
        assert report.failed == [], report.failed
        self.record(now)

    def record(self, now: dt.datetime) -> None:
        calls = self.slack.calls_to("chat.postMessage")
        for call in calls[self._seen :]:
            channel, text = str(call.args.get("channel")), str(call.args.get("text", ""))
            who = "U" + channel[1:] if channel.startswith("D") else channel
            kind = kind_of(text)
            if kind is not None:
                self.sent[kind, who].append(f"{now.astimezone(ZONES[who]):%a %Y-%m-%d %H:%M}")
        self._seen = len(calls)

    def dm(self, user: str, containing: str) -> object:
        return wait_until(
            lambda: next((m for m in reversed(self.slack.dms(user)) if containing in m.text), None),
            message=f"a DM to {user} with {containing!r}",
        )


def kind_of(text: str) -> str | None:
    """What a sent message is, from its text."""
    for start, kind in (
        ("Check-ins for the week", "prompt"),
        ("A reminder: this week's check-in", "reminder"),
        ("A reminder: last week's check-in", "reminder"),
        ("Time to review", "review"),
        ("A reminder: the Q", "review-reminder"),
    ):
        if text.startswith(start):
            return kind
    if "your plan for it is still a draft" in text or "A weekly nudge" in text:
        return "nudge"
    if "closed by itself" in text:
        return "close"
    return None


# ---- the year's steps, each at its instant (UTC) ----------------------------------------


def early_close_and_undo(year: Year) -> None:
    """Berlin, Wed Mar 10: `/myplan review` asks first; closed early, then undone."""
    bot, slack = year.bot, year.slack
    bot.now = at(BERLIN, 2027, 3, 10, 12)
    before = len(slack.responses)
    bot.driver.slash_command("UBER", "review")
    wait_until(lambda: len(slack.responses) > before, message="the confirmation")
    asked = slack.responses[-1]
    assert "blocks" in asked, asked
    assert "Its review window opens on Thu Mar 25" in str(asked["blocks"])
    assert "undo it until Mar 31" in str(asked["blocks"])
    bot.driver.click_button_in("UBER", "Review now, early", blocks=asked["blocks"])
    wait_until(lambda: slack.open_modal("UBER"), message="the review modal")
    assert bot.driver.submit_view("UBER", {"reflection": "Done early"}).errors == {}
    closed = year.dm("UBER", "You closed it early")
    assert year.plan_of("UBER", dt.date(2027, 3, 10))[1] is PlanState.CLOSED
    bot.now = at(BERLIN, 2027, 3, 11, 9)
    bot.driver.click_button("UBER", "Undo the close", message=closed)  # type: ignore[arg-type]
    year.dm("UBER", "Q1 FY2027 is open again")
    assert year.plan_of("UBER", dt.date(2027, 3, 11))[1] is PlanState.ACTIVE


def tokyo_drafts_q2_ahead(year: Year) -> None:
    """Tokyo writes its Q2 plan before Q1 closes (an edited draft)."""
    year.save_plan(year.ids["UTOKYO"][0], dt.date(2027, 4, 5), propose=False)


def tokyo_takes_the_new_bars(year: Year) -> None:
    bot = year.bot
    bot.now = at(TOKYO, 2027, 4, 13, 12)
    asked = year.dm("UTOKYO", "Take the raised bars")
    bot.driver.click_button("UTOKYO", "Use the new bars", message=asked)  # type: ignore[arg-type]
    year.dm("UTOKYO", "takes the new bars")


def new_york_renames_its_commitment(year: Year) -> None:
    """New York, Wed Aug 11: a week checked in, the commitment renamed in the
    builder through Slack, a week more: one commitment, one history."""
    bot, slack = year.bot, year.slack
    year.check_in("UNY", d(8, 4), calls="30")  # the week of Aug 2
    plan_id, _ = year.plan_of("UNY", d(8, 11))
    before = bot.services.plans.get_plan(viewer_id=year.ids["UNY"][0], plan_id=plan_id)
    bot.driver.slash_command("UNY", "edit")
    wait_until(lambda: slack.open_modal("UNY"), message="the builder")
    assert bot.driver.submit_view("UNY", {"commitment_0_title": "Calls made"}).errors == {}
    wait_until(lambda: not slack.open_modal("UNY"), message="the builder, saved")
    edited = bot.services.plans.get_plan(viewer_id=year.ids["UNY"][0], plan_id=plan_id)
    assert edited.state is PlanState.PROPOSED  # an edit is acknowledged again, by her alone
    bot.services.plans.acknowledge(
        actor_id=year.ids["UNY"][0], plan_id=plan_id, revision=edited.revision, now=bot.now
    )
    year.check_in("UNY", d(8, 11), calls="34")  # the week of Aug 9, on the renamed one
    after = bot.services.plans.get_plan(viewer_id=year.ids["UNY"][0], plan_id=plan_id)
    calls, renamed = before.commitments[0], after.commitments[0]
    assert (renamed.id, renamed.commitment.title) == (calls.id, "Calls made")
    assert renamed.weekly_values[-2:] == (30, 34)
    assert after.state is PlanState.ACTIVE
    with bot.db.sessions.begin() as session:
        summary = session.scalars(
            select(Revision.summary).where(Revision.plan_id == plan_id).order_by(Revision.number)
        ).all()[-1]
    assert summary == "Commitment \u201cCalls made\u201d: renamed from \u201cCalls\u201d"


def berlin_fills_in_a_missed_week(year: Year) -> None:
    """Berlin (de-DE), Tue Jul 20: the week of Jul 5 was missed; picked, filled
    in with "1,5", stored under that week as 1.5 and answered in that week's
    thread; her card shows "1,5" and counts the weeks reported."""
    bot, slack = year.bot, year.slack
    bot.driver.slash_command("UBER", "checkin")
    modal = wait_until(lambda: slack.open_modal("UBER"), message="the check-in")
    picker = next(b for b in modal.view["blocks"] if b.get("block_id") == "week")
    options = [o["text"]["text"] for o in picker["element"]["options"]]
    assert "Jul 5\u201311 · not checked in" in options, options
    modal = choose_week(bot, d(7, 5), "Jul 5\u201311", user="UBER")
    value = next(block for block in inputs(modal) if block.startswith("value_"))
    assert bot.driver.submit_view("UBER", {value: "1,5", "confidence": "4"}).errors == {}
    thread = next(
        m
        for m in slack.channel_messages("CFRI", top_level=True)
        if m.text.startswith("Check-ins for the week of Jul 5\u201311")
    )
    reply = wait_until(lambda: slack.thread("CFRI", thread.ts), message="the late reply")
    assert reply[0].text == "*uber* checked in · confidence 4/5"  # a private plan: no numbers
    assert bot.runner.wait_idle(10)
    with bot.db.sessions.begin() as session:
        stored = session.execute(
            select(CheckIn.week_start, CheckInValue.value).join(
                CheckInValue, CheckInValue.checkin_id == CheckIn.id
            )
        ).all()
    assert (d(7, 5), 1.5) in stored
    before = len(slack.responses)
    bot.driver.slash_command("UBER")
    card = wait_until(lambda: slack.responses[before:], message="the card")
    # Read in her locale; the quarter so far is Jun 28 to Jul 19: four weeks.
    assert "now 1,5 · average of 1 of 4 weeks" in str(card[-1]["blocks"])


def uninstall(year: Year) -> None:
    year.slack.revoke("xoxb-year-1")
    assert year.bot.driver.app_uninstalled().status == 200
    assert year.bot.runner.wait_idle(10)


def reinstall(year: Year) -> None:
    year.installed.install("xoxb-year-2")


Step = tuple[dt.datetime, Callable[[Year], None]]


def act(user: str, action: str, month: int, day: int, hour: int) -> Step:
    """``user`` does ``action`` ("review", "propose") at that time of 2027, theirs."""
    when = at(ZONES[user], 2027, month, day, hour)
    return when, lambda year: getattr(year, action)(user, when)


def everyone(action: str, month: int, day: int, hour: int) -> list[Step]:
    return [act(user, action, month, day, hour) for user in TEAM_OF]


STEPS: list[Step] = [
    (at(BERLIN, 2027, 3, 10, 12), early_close_and_undo),
    act("UNY", "review", 3, 29, 10),
    (at(TOKYO, 2027, 4, 5, 8), tokyo_drafts_q2_ahead),
    act("UNY", "propose", 4, 12, 8),
    (at(TOKYO, 2027, 4, 13, 12), tokyo_takes_the_new_bars),
    act("UTOKYO", "propose", 4, 19, 8),
    act("UBER", "propose", 4, 30, 8),
    (dt.datetime(2027, 5, 17, 12, tzinfo=UTC), uninstall),
    (dt.datetime(2027, 5, 20, 12, tzinfo=UTC), reinstall),
    *everyone("review", 6, 28, 12),
    *everyone("propose", 7, 5, 8),
    (at(BERLIN, 2027, 7, 20, 10), berlin_fills_in_a_missed_week),
    (at(NY, 2027, 8, 11, 12), new_york_renames_its_commitment),
    *everyone("review", 9, 28, 12),
    *everyone("propose", 10, 4, 8),
]


def hours(start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    now = start
    while now < end:
        yield now
        now += dt.timedelta(hours=1)


@pytest.fixture
def installed(slack: SlackEmulator, db: Database) -> Iterator[Installed]:
    """Installed through OAuth (so it can be uninstalled), on the injected clock."""
    settings = Settings(
        database_url=db.engine.url.render_as_string(hide_password=False),
        slack_signing_secret=slack.signing_secret,
        slack_client_id=CLIENT["client_id"],
        slack_client_secret=CLIENT["client_secret"],
        slack_api_url=slack.api_url,
    )
    runner = ListenerRunner()
    holder: list[Bot] = []
    app = create_app(settings, db=db, runner=runner, clock=lambda: holder[0].now)
    with serve_wsgi(wsgi_app(app, db, signing_secret=slack.signing_secret)) as url:
        bot = Bot(
            slack=slack,
            driver=SlackDriver(slack, url),
            services=PerCallServices.build(db),
            db=db,
            runner=runner,
        )
        bot.now = START
        holder.append(bot)
        # Slack's limits (a message a second per channel...) run on the year's
        # clock, as they would over a real year: on the wall clock, a year in a
        # minute posts a DM's month in a second and waits out 429s (~25 s).
        slack.clock = lambda: holder[0].now.timestamp()
        yield Installed(bot, url, settings)
    runner.shutdown()


class InTurn:
    """Each team's work of a tick in turn, on the ticking thread: the fan-out
    (bot/scheduler/fanout.py) runs them on thread pools, and handing two teams to threads and
    back each hour, 8,800 times, cost most of the year's wall time (the main
    thread waiting on the pool's locks) while the teams' work is the same.
    Every other scenario's tick runs the real pool."""

    def __call__(self, **_: object) -> InTurn:
        return self

    def __enter__(self) -> InTurn:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return map(work, items)


@pytest.fixture
def year(installed: Installed, monkeypatch: pytest.MonkeyPatch) -> Year:
    monkeypatch.setattr(fanout, "ThreadPoolExecutor", InTurn())
    return play(installed)


def play(installed: Installed) -> Year:
    installed.install("xoxb-year-1")
    world = Year(installed)
    world.setup()
    steps = sorted(STEPS, key=lambda step: step[0])
    for now in hours(START, END):
        while steps and steps[0][0] <= now:
            steps.pop(0)[1](world)
            world.record(now)
            world.forget_clients()
        year_now(world, now)
        world.tick(now)
    return world


def year_now(world: Year, now: dt.datetime) -> None:
    world.bot.now = now


def weekly(first: dt.date, last: dt.date, *, skip: set[dt.date] = frozenset()) -> list[dt.date]:  # type: ignore[assignment]
    days, day = [], first
    while day <= last:
        if day not in skip:
            days.append(day)
        day += dt.timedelta(days=7)
    return days


def local(days: list[dt.date], wall_clock: str) -> list[str]:
    return [f"{day:%a %Y-%m-%d} {wall_clock}" for day in days]


def d(month: int, day: int) -> dt.date:
    return dt.date(2027, month, day)


UNINSTALLED_MONDAY = d(5, 17)  # uninstalled at 12:00 UTC, before New York's 09:00
CMON_PROMPTS = weekly(d(1, 4), d(12, 27), skip={UNINSTALLED_MONDAY, MEMORIAL_DAY})
# Q2 has no plan of the Friday team until Berlin's Q1 closes by grace on Apr 13.
CFRI_PROMPTS = weekly(d(1, 1), d(12, 31), skip={d(4, 2), d(4, 9), FRI_TEAM_HOLIDAY})


def after(prompts: list[dt.date], *, skip: set[dt.date]) -> list[dt.date]:
    """The next working day after each prompt (Memorial Day is none), but ``skip``'s."""
    days = []
    for prompt in prompts:
        if prompt in skip:
            continue
        day = prompt + dt.timedelta(days=1)
        while day.weekday() >= 5 or day == MEMORIAL_DAY:
            day += dt.timedelta(days=1)
        days.append(day)
    return days


def test_four_quarters(year: Year) -> None:
    sent = year.sent
    assert sent["prompt", "CMON"] == local(CMON_PROMPTS, "09:00")
    assert sent["prompt", "CFRI"] == local(CFRI_PROMPTS, "16:00")

    # Reminders: at 15:00 on the member's next working day after the prompt in
    # their zone (Tokyo's Monday prompt arrives at 23:00: Tuesday too), never
    # to a plan that is a draft, closed, or checked in; Berlin's Friday prompt
    # before Memorial Day is reminded on Tuesday.
    closed_by_review = {d(6, 28), d(9, 27)}  # reviewed before that week's reminder
    assert sent["reminder", "UNY"] == local(
        after(CMON_PROMPTS, skip={d(3, 29), d(4, 5), *closed_by_review}), "15:00"
    )
    assert sent["reminder", "UTOKYO"] == local(
        after(CMON_PROMPTS, skip={d(1, 4), d(4, 5), d(4, 12), *closed_by_review}), "15:00"
    )
    assert sent["reminder", "UBER"] == local(
        after(
            CFRI_PROMPTS,
            # checked in; drafts; reminded while uninstalled; reviewed that Monday; 2028
            skip={d(1, 8), d(4, 16), d(4, 23), d(5, 14), d(6, 25), d(12, 31)},
        ),
        "15:00",
    )
    assert "Tue 2027-06-01 15:00" in sent["reminder", "UBER"]

    # Review windows: five working days back from each quarter's last day, at
    # 09:00 in each owner's zone, whatever the check-in weekday; one reminder on
    # the last working day when not done.
    windows = ["Thu 2027-03-25 09:00", "Thu 2027-06-24 09:00", "Fri 2027-09-24 09:00"]
    for user in TEAM_OF:
        assert sent["review", user] == [*windows, "Mon 2027-12-27 09:00"]
    assert sent["review-reminder", "UNY"] == ["Fri 2027-12-31 09:00"]  # reviewed Q1-Q3
    for user in ("UTOKYO", "UBER"):  # Q1 unreviewed
        assert sent["review-reminder", user] == ["Wed 2027-03-31 09:00", "Fri 2027-12-31 09:00"]

    # Q1 closed by grace (12 days) for the two who did not review, at 09:00 theirs.
    assert sent["close", "UTOKYO"] == sent["close", "UBER"] == ["Tue 2027-04-13 09:00"]
    assert ("close", "UNY") not in sent

    # Drafts are nudged on the quarter's first working day, then weekly, until proposed.
    assert sent["nudge", "UNY"] == [
        *local([d(4, 1), d(4, 8), d(7, 1)], "09:00"),
        "Fri 2027-10-01 09:00",
    ]
    assert sent["nudge", "UTOKYO"] == [
        *local([d(4, 8), d(4, 15), d(7, 1)], "09:00"),
        "Fri 2027-10-01 09:00",
    ]
    assert sent["nudge", "UBER"] == [
        *local([d(4, 15), d(4, 22), d(4, 29), d(7, 1)], "09:00"),
        "Fri 2027-10-01 09:00",
    ]

    # Q2's first Monday thread goes out while its plans are drafts, and says so.
    april = next(
        m for m in year.slack.channel_messages("CMON", top_level=True) if "Apr 5" in m.text
    )
    assert "plans are still drafts: propose yours" in str(april.blocks)

    # What the closes did to next quarter's plan.
    uber = year.dm("UBER", "closed by itself")
    assert "drafted on the new bars" in uber.text  # type: ignore[attr-defined]
    q2 = year.bot.services.plans.current_plan(owner_id=year.ids["UBER"][0], today=d(4, 14))
    assert q2 is not None
    assert q2.commitments[0].commitment.baseline == 40  # Berlin's one week: 40 calls
    tokyo_q2 = year.bot.services.plans.current_plan(owner_id=year.ids["UTOKYO"][0], today=d(4, 14))
    assert tokyo_q2 is not None
    assert tokyo_q2.commitments[0].commitment.baseline == 40  # taken with the button
