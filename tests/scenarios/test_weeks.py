"""Which week a check-in is for, commitments that keep their identity, and
numbers in each member's locale (issue 12 items 3, 5 and 6), through Slack."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.blocks.builder import plan_input_of
from bot.db.models import CheckIn, CheckInValue, Commitment, Revision
from bot.domain.content import CommitmentInput, PlanInput
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, MONDAY, parents, tick
from tests.slack_emulator import wait_until

WEEK = dt.timedelta(weeks=1)
PLAN = PlanInput(
    aspiration="Close bigger deals",
    visibility="team",
    one_on_one_cadence="1",
    commitments=[
        CommitmentInput(
            title="Cals", kind="activity", unit="calls", baseline="20", target="25", rollup="sum"
        ),
        CommitmentInput(title="Pipeline", kind="result", unit="k$", baseline="100", target="150"),
    ],
)


def stage(bot: Bot) -> tuple[int, int]:
    """Dana, managed by Sam, alone in a Monday 09:00 New York team, with a
    proposed plan; returns (her member id, her plan id)."""
    services, slack = bot.services, bot.slack
    workspace = services.members.ensure_workspace(slack_team_id=slack.team_id)
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )
    owner = services.members.ensure_member(
        slack_team_id=slack.team_id,
        slack_user_id="UOWNER",
        display_name="Dana",
        timezone="America/New_York",
    )
    manager = services.members.ensure_member(
        slack_team_id=slack.team_id, slack_user_id="UMANAGER", display_name="Sam"
    )
    services.members.mark_onboarded(member_id=owner.id, now=AT)
    services.members.join_team(member_id=owner.id, team_id=team)
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=AT
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=MONDAY - 2 * WEEK)
    services.plans.save(actor_id=owner.id, plan_id=plan.id, now=AT - 2 * WEEK, plan_input=PLAN)
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=AT - 2 * WEEK)
    return owner.id, plan.id


def check_in(bot: Bot, owner: int, plan: int, monday: dt.date, values: list[str]) -> None:
    view = bot.services.plans.get_plan(viewer_id=owner, plan_id=plan)
    bot.services.plans.record_checkin(
        actor_id=owner,
        plan_id=plan,
        day=monday,
        values={cv.id: value for cv, value in zip(view.commitments, values, strict=True)},
        confidence=3,
        now=AT,
    )


def inputs(modal: Any) -> dict[str, Any]:
    """Each input's initial value (a text) or option (its value), by block id."""
    shown = {}
    for block in modal.view["blocks"]:
        element = block.get("element", {})
        if block.get("type") == "input":
            option = element.get("initial_option")
            shown[block["block_id"]] = option["value"] if option else element.get("initial_value")
    return shown


def test_a_rename_mid_quarter_keeps_the_history_and_the_diff_says_renamed(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    owner, plan_id = stage(bot)
    for week, values in enumerate((["22", "110"], ["24", "120"])):
        check_in(bot, owner, plan_id, MONDAY - (2 - week) * WEEK, values)
    before = bot.services.plans.get_plan(viewer_id=owner, plan_id=plan_id)
    calls = before.commitments[0]

    # The typo fixed in the builder, through Slack: the same commitment, renamed.
    driver.slash_command("UOWNER", "edit")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the builder")
    assert driver.submit_view("UOWNER", {"commitment_0_title": "Calls"}).errors == {}
    wait_until(lambda: not slack.open_modal("UOWNER"), message="the builder, saved")
    after = bot.services.plans.get_plan(viewer_id=owner, plan_id=plan_id)
    renamed = after.commitments[0]
    assert (renamed.id, renamed.commitment.title) == (calls.id, "Calls")
    assert renamed.weekly_values == calls.weekly_values == (22, 24)
    assert renamed.progress == calls.progress
    with bot.db.sessions.begin() as session:
        summary = session.scalars(
            select(Revision.summary).where(Revision.plan_id == plan_id).order_by(Revision.number)
        ).all()[-1]
    assert summary == "Commitment \u201cCalls\u201d: renamed from \u201cCals\u201d"

    # Pipeline removed (a caller that edits the plan's own content, as a
    # suggested edit would): its check-ins stay, with the revisions that had it.
    content = plan_input_of(after.content)
    saved = bot.services.plans.save(
        actor_id=owner,
        plan_id=plan_id,
        now=AT,
        plan_input=PlanInput(
            aspiration=content.aspiration,
            visibility=content.visibility,
            one_on_one_cadence=content.one_on_one_cadence,
            commitments=[content.commitments[0]],
        ),
    )
    assert [c.line for c in saved.changes] == [
        "Commitment \u201cPipeline\u201d: removed (was \u201cresult: 100 \u2192 150 k$ "
        "(higher is better, latest of weeks)\u201d)"
    ]
    assert [cv.id for cv in saved.plan.commitments] == [calls.id]
    with bot.db.sessions.begin() as session:
        kept = session.scalars(select(Commitment).where(Commitment.plan_id == plan_id)).all()
        retired = {row.title: row.retired_in_revision for row in kept}
        values = session.scalars(
            select(CheckInValue.value)
            .join(Commitment, Commitment.id == CheckInValue.commitment_id)
            .where(Commitment.title == "Pipeline")
        ).all()
    assert retired == {"Calls": None, "Pipeline": saved.plan.revision}
    assert sorted(values) == [110, 120]

    # A week that had it, corrected after: it asks for what the plan has now,
    # and the removed commitment's value that week stays.
    bot.now = AT
    driver.slash_command("UOWNER", "checkin")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in")
    modal = choose_week(bot, MONDAY - WEEK, "Nov 16\u201322")
    assert [b for b in inputs(modal) if b.startswith("value_")] == [f"value_{calls.id}"]
    assert inputs(modal)[f"value_{calls.id}"] == "24"
    assert driver.submit_view("UOWNER", {f"value_{calls.id}": "26", "confidence": "4"}).errors == {}
    with bot.db.sessions.begin() as session:
        week = session.scalars(
            select(CheckIn).where(CheckIn.plan_id == plan_id, CheckIn.week_start == MONDAY - WEEK)
        ).one()
        assert sorted(row.value for row in week.values) == [26, 120]


def parent_of(bot: Bot, ts: str) -> Any:
    return next(m for m in bot.slack.channel_messages("CTEAM") if m.ts == ts)


def choose_week(bot: Bot, monday: dt.date, dates: str, *, user: str = "UOWNER") -> Any:
    bot.driver.choose(user, "week", monday.isoformat())
    return wait_until(
        lambda: (
            (m := bot.slack.open_modal(user))
            and f"The week of {dates}" in str(m.view["blocks"][0])
            and m
        ),
        message=f"the check-in of {dates}",
    )


def test_a_missed_week_is_filled_in_late_in_its_own_thread(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    owner, plan_id = stage(bot)
    for weeks_ago in (2, 1, 0):
        tick(bot, AT - weeks_ago * WEEK)
    threads = {p.text.split(" · ")[0]: p for p in parents(bot)}
    assert list(threads) == [
        "Check-ins for the week of Nov 9\u201315",
        "Check-ins for the week of Nov 16\u201322",
        "Check-ins for the week of Nov 23\u201329",
    ]
    missed = threads["Check-ins for the week of Nov 16\u201322"]
    bot.now = AT + dt.timedelta(hours=1)
    calls, pipeline = (
        f"value_{cv.id}"
        for cv in bot.services.plans.get_plan(viewer_id=owner, plan_id=plan_id).commitments
    )

    # This week first, as any week: the modal names it, and offers the others.
    driver.slash_command("UOWNER", "checkin")
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in")
    picker = next(b for b in modal.view["blocks"] if b.get("block_id") == "week")
    assert [o["text"]["text"] for o in picker["element"]["options"]][:3] == [
        "Nov 23\u201329 · this week",
        "Nov 16\u201322 · not checked in",
        "Nov 9\u201315 · not checked in",
    ]
    answers = {
        calls: "27",
        pipeline: "130",
        "confidence": "4",
        "win": "Acme signed",
        "blocker": "Legal",
        "one_on_one": "Yes",
    }
    assert driver.submit_view("UOWNER", answers).errors == {}
    assert bot.runner.wait_idle(10)

    # Last week, filled in late: its own thread gets the reply, its parent the count.
    driver.slash_command("UOWNER", "checkin")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in, again")
    modal = choose_week(bot, MONDAY - WEEK, "Nov 16\u201322")
    assert set(inputs(modal).values()) == {None, (MONDAY - WEEK).isoformat()}
    late = {calls: "21", pipeline: "115", "confidence": "3", "win": "Booked a demo"}
    assert driver.submit_view("UOWNER", late).errors == {}
    reply = wait_until(lambda: slack.thread("CTEAM", missed.ts), message="the late reply")
    assert len(reply) == 1 and "• Cals: 21 calls" in reply[0].text
    assert "Booked a demo" in reply[0].text
    wait_until(
        lambda: "1 of 1 checked in: Dana" in str(parent_of(bot, missed.ts).blocks),
        message="the missed week's parent, recounted",
    )
    this_week = threads["Check-ins for the week of Nov 23\u201329"]
    assert bot.runner.wait_idle(10)
    assert len(slack.thread("CTEAM", this_week.ts)) == 1  # this week's reply is its own
    copies = [m.text for m in slack.dms("UMANAGER") if m.text.startswith("*Dana* checked in")]
    assert [copy.split(" · ")[0] for copy in copies] == [
        "*Dana* checked in for the week of Nov 23\u201329",
        "*Dana* checked in for the week of Nov 16\u201322",
    ]
    with bot.db.sessions.begin() as session:
        weeks = session.scalars(
            select(CheckIn.week_start)
            .where(CheckIn.plan_id == plan_id)
            .order_by(CheckIn.week_start)
        ).all()
    assert weeks == [MONDAY - WEEK, MONDAY]

    # Back on this week: every earlier answer, as stored.
    driver.slash_command("UOWNER", "checkin")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in, once more")
    modal = choose_week(bot, MONDAY - 2 * WEEK, "Nov 9\u201315")
    modal = choose_week(bot, MONDAY, "Nov 23\u201329")
    assert inputs(modal) == {
        "week": MONDAY.isoformat(),
        calls: "27",
        pipeline: "130",
        "confidence": "4",
        "win": "Acme signed",
        "blocker": "Legal",
        "one_on_one": "yes",
    }
    driver.close_view("UOWNER")

    # The roll-ups say how many weeks were reported, of the quarter's so far
    # (Sep 28 to Nov 23: nine weeks).
    driver.slash_command("UOWNER")
    card = wait_until(
        lambda: [r for r in slack.responses if "sum of" in str(r.get("blocks"))], message="card"
    )
    assert "now 48 · sum of 2 of 9 weeks" in str(card[-1]["blocks"])
    assert "latest of 2 of 9 weeks" in str(card[-1]["blocks"])


def onboard(bot: Bot, user: str) -> None:
    """Through Slack: onboarding (which reads the person from users.info) opens the builder."""
    bot.driver.slash_command(user)
    wait_until(lambda: bot.slack.open_modal(user), message="onboarding")
    assert (
        bot.driver.submit_view(user, {"team_channel": "CTEAM", "manager": "UMANAGER"}).errors == {}
    )
    modal = bot.slack.open_modal(user)
    assert modal is not None and modal.view["callback_id"] == "plan_builder"


def test_a_member_with_a_european_locale_types_and_reads_numbers_her_way(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    slack.users["UOWNER"].locale = "de-DE"
    onboard(bot, "UOWNER")
    plan = {
        "aspiration": "Mehr Abschlüsse",
        "visibility": "team",
        "commitment_0_title": "Kundentermine",
        "commitment_0_kind": "activity",
        "commitment_0_unit": "Std.",
        "commitment_0_baseline": "1,5",
        "commitment_0_target": "2.5",  # a point, where German writes a comma: asked
    }
    errors = driver.submit_view("UOWNER", plan).errors
    assert errors == {
        "commitment_0_target": "Is '2.5' 25 or 2,5? Type the target the way you mean it "
        "(in de-DE, ',' marks decimals and '.' thousands)."
    }
    assert driver.submit_view("UOWNER", {**plan, "commitment_0_target": "2,5"}).errors == {}
    member = bot.services.members.find(workspace_id=1, slack_user_id="UOWNER")
    assert member is not None and member.locale == "de-DE"
    saved = bot.services.plans.current_plan(owner_id=member.id, today=AT.date())
    assert saved is not None
    commitment = saved.commitments[0]
    assert (commitment.commitment.baseline, commitment.commitment.target) == (1.5, 2.5)

    # Reopened, the builder shows her numbers as she typed them.
    driver.slash_command("UOWNER", "edit")
    builder = wait_until(lambda: slack.open_modal("UOWNER"), message="the builder")
    shown = inputs(builder)
    assert (shown["commitment_0_baseline"], shown["commitment_0_target"]) == ("1,5", "2,5")
    driver.close_view("UOWNER")
    bot.services.plans.propose(actor_id=member.id, plan_id=saved.id, now=AT)
    tick(bot, AT)
    [parent] = parents(bot)
    bot.now = AT + dt.timedelta(hours=1)

    # Her check-in: "1.234,5" is 1234.5; "1,234.5" (en-US's way) is asked about.
    value = f"value_{commitment.id}"
    driver.slash_command("UOWNER", "checkin")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in")
    asked = driver.submit_view("UOWNER", {value: "1,234.5", "confidence": "4"}).errors
    assert asked == {
        value: "Is '1,234.5' 1,2345 or 1234,5? Type the Kundentermine the way you mean it "
        "(in de-DE, ',' marks decimals and '.' thousands)."
    }
    assert driver.submit_view("UOWNER", {value: "1.234,5", "confidence": "4"}).errors == {}
    reply = wait_until(lambda: slack.thread("CTEAM", parent.ts), message="the reply")
    assert "• Kundentermine: 1.234,5 Std." in reply[0].text
    copy = wait_until(lambda: slack.dms("UMANAGER"), message="the manager's copy")
    assert "• Kundentermine: 1,234.5 Std." in copy[-1].text  # Sam reads en-US
    driver.slash_command("UOWNER", "checkin")
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in, again")
    assert inputs(modal)[value] == "1234,5"
    with bot.db.sessions.begin() as session:
        assert session.scalars(select(CheckInValue.value)).all() == [1234.5]

    # Lee, in en-US: "1,5" is 15 or 1.5, asked on the exact field, never guessed.
    onboard(bot, "UPEER")
    typo = {**plan, "commitment_0_baseline": "1,5", "commitment_0_target": "2"}
    errors = driver.submit_view("UPEER", typo).errors
    assert errors == {
        "commitment_0_baseline": "Is '1,5' 15 or 1.5? Type the baseline the way you mean it "
        "(in en-US, '.' marks decimals and ',' thousands)."
    }


def test_the_review_shows_and_reads_the_bars_in_the_reviewer_s_locale(bot: Bot) -> None:
    from bot.blocks.review import review_modal
    from bot.services.reviews import ChosenBar
    from bot.usecases import reviews
    from bot.usecases.common import Actor

    services = bot.services
    member = services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id="UOWNER", locale="de-DE"
    )
    services.members.mark_onboarded(member_id=member.id, now=AT)
    services.members.set_manager(
        member_id=member.id, manager_id=None, changed_by_id=member.id, now=AT, no_manager=True
    )
    plan = services.plans.start_plan(owner_id=member.id, today=MONDAY)
    german = CommitmentInput(
        title="Umsatz", kind="result", unit="Mio. €", baseline="1,5", target="2,25"
    )
    services.plans.save(
        actor_id=member.id,
        plan_id=plan.id,
        now=AT,
        plan_input=PlanInput(aspiration="Wachsen", commitments=[german]),
    )
    services.plans.propose(actor_id=member.id, plan_id=plan.id, now=AT)
    commitment = services.plans.get_plan(viewer_id=member.id, plan_id=plan.id).commitments[0]
    services.plans.record_checkin(
        actor_id=member.id,
        plan_id=plan.id,
        day=MONDAY,
        values={commitment.id: "2,125"},
        confidence=4,
        now=AT,
    )
    actor = Actor(slack_team_id=bot.slack.team_id, slack_user_id="UOWNER")
    form = reviews.open_review(bot.db, actor=actor, plan_id=None, now=AT)
    assert not isinstance(form, str)
    shown = {
        block["block_id"]: block["element"]["initial_value"]
        for block in review_modal(form.proposal, editable=True)["blocks"]
        if block.get("type") == "input" and "initial_value" in block.get("element", {})
    }
    assert all("," in value for value in shown.values()), shown
    closed = reviews.complete_review(
        bot.db,
        actor=actor,
        plan_id=plan.id,
        reflection="Gut",
        chosen={commitment.id: ChosenBar(baseline="2,125", target="2,5")},
        reason=None,
        now=AT,
    )
    bar = closed.next_plan.plan.commitments[0].commitment
    assert (bar.baseline, bar.target) == (2.125, 2.5)
