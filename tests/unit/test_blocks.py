"""Every layout parses through slack_sdk.models and stays within Slack's limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.blocks.builder import plan_builder_modal, plan_input_of
from bot.blocks.checkin import checkin_modal, manager_copy_text, prompt_blocks, reply_text
from bot.blocks.conversation import (
    comment_modal,
    manager_side_modal,
    save_message_modal,
    suggestion_modal,
)
from bot.blocks.help import help_blocks
from bot.blocks.home import home_view
from bot.blocks.onboarding import onboarding_modal
from bot.blocks.plan_card import (
    card_blocks,
    owner_buttons,
    plan_blocks,
    proposal_blocks,
    team_blocks,
)
from bot.blocks.review import review_modal, review_request_blocks, standards_blocks
from bot.blocks.settings import settings_modal
from bot.blocks.text import escape_mrkdwn
from bot.domain.commitments import CommitmentKind, Direction, commitment_progress, roll_up
from bot.domain.content import CommitmentInput, PlanInput, validate_plan
from bot.domain.conversation import CommentView, Conversation, FeedbackView
from bot.domain.permissions import Access
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter
from bot.domain.raise_bar import Bar
from bot.domain.revisions import AckStatus
from bot.domain.rhythm import OneOnOnes
from bot.services.checkins import CheckinAnswers, WeekCheckin
from bot.services.conversation import SHOWN_COMMENTS, SHOWN_FEEDBACK
from bot.services.members import TeamSettings, WorkspaceSettings
from bot.services.overview import ReportRow
from bot.services.read_model import CommitmentView, PlanCard, PlanView, WinView
from bot.services.reviews import BarProposal, ReviewProposal
from bot.services.standards import Standard
from tests.slack_emulator import check_blocks, check_view

HOSTILE = "<!channel> <@U123> & friends " + "x" * 2900


def plan_view(commitments: int = 3, text: str = "Grow into a team lead") -> PlanView:
    content = validate_plan(
        PlanInput(
            aspiration=text,
            strengths=text,
            growth_areas=text,
            feedback_acted_on=text,
            commitments=[
                CommitmentInput(
                    title=f"Metric {i} " + "t" * 100,
                    kind="activity",
                    unit="calls",
                    baseline="10",
                    target="20",
                )
                for i in range(commitments)
            ],
            one_on_one_cadence="1",
            coaching_focus=text,
            other_support=text,
        )
    )
    views = tuple(
        CommitmentView(
            id=i + 1,
            commitment=c,
            weekly_values=(12.0, 15.0),
            actual=roll_up([12.0, 15.0], c.rollup),
            progress=commitment_progress(c, [12.0, 15.0]),
        )
        for i, c in enumerate(content.commitments)
    )
    return PlanView(
        id=7,
        owner_id=1,
        owner_slack_user_id="UOWNER",
        quarter=Quarter(2026, 4),
        state=PlanState.PROPOSED,
        revision=3,
        content=content,
        commitments=views,
        wins=tuple(
            WinView(text=text, happened_on=dt.date(2026, 11, i + 1), message_link=None)
            for i in range(8)
        ),
        acknowledgement=AckStatus(revision=3, waiting_for=frozenset({1, 2})),
        manager_id=2,
        access=Access(view=True, edit=True, comment=True, acknowledge=True, review=True),
        one_on_ones=OneOnOnes(happened=3, expected=4),
    )


def comment(number: int, *, suggestion: bool = False) -> CommentView:
    return CommentView(
        id=number,
        author_id=2,
        author_name=HOSTILE[:80],
        text=HOSTILE,
        revision=3,
        created_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        reply_to_id=None,
        is_suggestion=suggestion,
        changes=(HOSTILE,) * 10 if suggestion else (),
    )


@pytest.mark.parametrize("commitments", [1, 10])
def test_a_card_with_its_conversation_and_the_suggestion_builder_fit(commitments: int) -> None:
    plan = plan_view(commitments, HOSTILE)
    talk = Conversation(
        comments=tuple(comment(i, suggestion=i % 2 == 0) for i in range(SHOWN_COMMENTS)),
        feedback=(FeedbackView(text=HOSTILE, message_link=None),) * SHOWN_FEEDBACK,
        total_comments=40,
    )
    card = PlanCard(
        plan=plan, owner_name="Dana", manager_name="Sam", waiting_names=(), conversation=talk
    )
    blocks = card_blocks(card)
    message_ok(blocks)
    assert "<!channel>" not in str(blocks)
    assert {"Apply", "Answer"} <= {
        b["accessory"]["text"]["text"] for b in blocks if "accessory" in b
    }
    modal = suggestion_modal(plan, owner_name=HOSTILE)
    assert check_view(modal) == []


def message_ok(blocks: list[dict[str, Any]]) -> None:
    assert check_blocks(blocks) == []


def test_plan_card_and_proposal_with_long_hostile_text() -> None:
    plan = plan_view(10, HOSTILE)
    blocks = plan_blocks(
        plan,
        owner_name=HOSTILE[:80],
        manager_name="Sam",
        waiting_names=["Sam"],
        buttons=owner_buttons(plan),
    )
    message_ok(blocks)
    message_ok(proposal_blocks(plan, owner_name="Dana", manager_name="Sam", changes=[HOSTILE] * 5))
    rendered = str(blocks)
    assert "<!channel>" not in rendered
    assert "&lt;!channel&gt; &lt;@U123&gt; &amp; friends" in rendered


@pytest.mark.parametrize("commitments", [0, 1, 9, 10])
def test_plan_builder_fits_a_modal(commitments: int) -> None:
    plan = plan_view(commitments)
    modal = plan_builder_modal(
        plan_id=7,
        quarter_label="Q4 FY2026",
        plan=plan_input_of(plan.content),
        slots=min(10, commitments + 1),
    )
    assert check_view(modal) == []
    assert len(modal["blocks"]) <= 100


def test_small_modals() -> None:
    assert check_view(onboarding_modal(manager="U1", channel="C1")) == []
    assert check_view(onboarding_modal(manager=None, channel=None)) == []
    assert check_view(comment_modal(plan_id=1, owner_name=HOSTILE)) == []
    assert check_view(comment_modal(plan_id=1, owner_name=HOSTILE, reply_to=comment(1))) == []
    side = plan_view(1, HOSTILE).content.manager
    assert check_view(manager_side_modal(plan_id=1, owner_name=HOSTILE, side=side)) == []
    assert (
        check_view(
            save_message_modal(text=HOSTILE, link="https://x.slack.com/archives/C1/p1", author="U1")
        )
        == []
    )
    team = TeamSettings(
        id=1,
        channel_id="C1",
        checkin_weekday=4,
        checkin_time=dt.time(16, 30),
        timezone="Asia/Kolkata",
        stretch=0.15,
    )
    workspace = WorkspaceSettings(
        fiscal_start_month=2, leaders_channel_id="C9", default_stretch=0.1
    )
    assert check_view(settings_modal(workspace=workspace, team=team)) == []
    assert check_view(settings_modal(workspace=workspace, team=None)) == []


def test_team_view_for_fifty_reports_and_help() -> None:
    rows = [
        ReportRow(
            member_id=i,
            slack_user_id=f"U{i}",
            name=HOSTILE[:60],
            plan_id=i,
            state=PlanState.ACTIVE,
            last_checkin=dt.date(2026, 11, 16),
            progress=0.5,
            one_on_ones=OneOnOnes(2, 3),
        )
        for i in range(50)
    ]
    message_ok(team_blocks(rows, today=dt.date(2026, 11, 23)))
    message_ok(help_blocks(unknown="<!here>", suggestion="share"))
    assert "&lt;!here&gt;" in str(help_blocks(unknown="<!here>"))
    sharing = str(help_blocks())
    assert "`/myplan unshare`" in sharing and "someone with reports" in sharing


def test_home_for_a_manager_of_fifty_with_public_plans() -> None:
    rows = [
        ReportRow(
            member_id=i,
            slack_user_id=f"U{i}",
            name=f"report {i}",
            plan_id=None,
            state=None,
            last_checkin=None,
            progress=None,
        )
        for i in range(50)
    ]
    view = home_view(
        plan=plan_view(10, HOSTILE),
        owner_name="Dana",
        manager_name="Sam",
        checked_in_this_week=False,
        past=[(Quarter(2026, 3), PlanState.CLOSED)],
        team=rows,
        public_plans=[(plan_view(2), f"Leader {i}") for i in range(30)],
        today=dt.date(2026, 11, 23),
    )
    assert check_view(view) == []
    assert (
        check_view(
            home_view(
                plan=None,
                owner_name="Lee",
                manager_name=None,
                checked_in_this_week=False,
                past=[],
                team=[],
                public_plans=[],
                today=dt.date(2026, 11, 23),
            )
        )
        == []
    )


def test_check_in_layouts() -> None:
    message_ok(
        prompt_blocks(
            week=9,
            quarter_label="Q4 FY2026",
            monday=dt.date(2026, 11, 23),
            checked_in=[HOSTILE[:50]] * 60,
            expected=60,
        )
    )
    message_ok(
        prompt_blocks(
            week=2,
            quarter_label="Q1 FY2027",
            monday=dt.date(2027, 1, 4),
            checked_in=[],
            expected=3,
            leaders=True,
        )
    )
    plan = plan_view(10)
    previous = WeekCheckin(
        values={1: 12.0},
        answers=CheckinAnswers(confidence=4, win="A win", blocker=None, one_on_one_happened=False),
    )
    assert check_view(checkin_modal(plan, monday=dt.date(2026, 11, 23), previous=previous)) == []
    name, win, blocker, values = "<@U1>", HOSTILE, "<!everyone>", {1: 12.0}
    for text in (
        reply_text(
            plan, name=name, confidence=4, win=win, blocker=blocker, values=values, in_full=True
        ),
        manager_copy_text(
            plan,
            name=name,
            confidence=4,
            win=win,
            blocker=blocker,
            values=values,
            one_on_one=False,
            monday=dt.date(2026, 11, 23),
        ),
    ):
        assert "<@U1>" not in text
        assert "<!everyone>" not in text
    brief = reply_text(
        plan, name=name, confidence=4, win=win, blocker=blocker, values=values, in_full=False
    )
    assert brief == "*&lt;@U1&gt;* checked in · confidence 4/5"


def test_review_layouts() -> None:
    plan = plan_view(10)
    bars = tuple(
        BarProposal(
            commitment_id=cv.id,
            title=cv.commitment.title,
            unit=cv.commitment.unit,
            kind=CommitmentKind.ACTIVITY,
            direction=Direction.UP,
            actual=cv.actual,
            target=cv.commitment.target,
            proposed=Bar(15, 22),
        )
        for cv in plan.commitments
    )
    proposal = ReviewProposal(plan=plan, stretch=0.1, bars=bars, wins=tuple([HOSTILE[:200]] * 20))
    for editable in (True, False):
        modal = review_modal(proposal, editable=editable)
        assert check_view(modal) == []
        assert len(modal["blocks"]) <= 100
    message_ok(
        review_request_blocks(
            plan_id=7, quarter_label="Q4 FY2026", owner_name=HOSTILE[:40], for_owner=False
        )
    )
    standards = [
        Standard(
            metric_key=f"k{i}",
            title=f"Metric {i}",
            unit="calls",
            direction=Direction.UP,
            minimum=None,
            proposed=30.0,
            members=4,
        )
        for i in range(40)
    ]
    message_ok(
        standards_blocks(
            team_id=1, team_name="<!channel>", quarter_label="Q4 FY2026", standards=standards
        )
    )


def test_escape_mrkdwn() -> None:
    assert escape_mrkdwn("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_a_commitment_cleared_of_its_text_is_removed_whatever_its_selects_still_say() -> None:
    """Slack cannot unselect a static_select: once a kind is chosen it stays
    chosen. Clearing a commitment's title, unit, numbers and date removes it."""
    from bot.blocks.builder_form import read_plan_input

    values: dict[str, str | None] = {
        "aspiration": "Grow",
        "commitment_0_title": "Calls",
        "commitment_0_kind": "activity",
        "commitment_0_unit": "calls",
        "commitment_0_baseline": "1",
        "commitment_0_target": "2",
        "commitment_1_title": None,
        "commitment_1_kind": "result",
        "commitment_1_direction": "down",
        "commitment_1_rollup": "sum",
    }
    plan = read_plan_input(values, slots=2, ids=[7, 9])
    assert [(c.title, c.id) for c in plan.commitments] == [("Calls", 7)]


def test_the_help_is_shown_whole_however_long() -> None:
    from bot.blocks.help import help_blocks
    from bot.blocks.primitives import SECTION_MAX

    blocks = help_blocks()
    texts = [block["text"]["text"] for block in blocks]
    assert all(len(text) <= SECTION_MAX and not text.endswith("…") for text in texts)
    # The last rules are there, not cut off at the first section's limit.
    assert "leaving the channel leaves the team" in texts[-1]
    assert sum(len(text) for text in texts) > SECTION_MAX
