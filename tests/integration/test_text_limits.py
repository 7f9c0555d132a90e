"""Text as kept: NUL and lone surrogates refused on their field, every limit
refused whole, never cut (issue 14, findings 6 and 8), on both databases."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks import builder, checkin
from bot.db import models as m
from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.errors import ValidationError
from bot.domain.text import TEXT_MAX, TITLE_MAX, UNIT_MAX, UNKEEPABLE
from tests.integration.test_reviews import NOW, active_plan_with_checkins
from tests.support import PerCallServices as Services

HOSTILE = ["a\x00b", "a\ud800b", "\udfff"]


@pytest.fixture
def services(db: Database) -> Services:
    return Services.build(db)


def refused(call: Callable[[], Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as refusal:
        call()
    return refusal.value.errors


def plan_of(services: Services) -> tuple[int, int]:
    owner = services.members.ensure_member(slack_team_id="T1", slack_user_id="UOWNER")
    plan = services.plans.start_plan(owner_id=owner.id, today=dt.date(2026, 11, 23))
    return owner.id, plan.id


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(
    "field", ["aspiration", "strengths", "feedback_acted_on", "coaching_focus", "other_support"]
)
def test_a_plans_text_that_cannot_be_kept_is_refused_on_its_field(
    services: Services, text: str, field: str
) -> None:
    owner, plan = plan_of(services)
    typed = dataclasses.replace(PlanInput(aspiration="Grow"), **{field: text})
    errors = refused(
        lambda: services.plans.save(actor_id=owner, plan_id=plan, plan_input=typed, now=NOW)
    )
    assert errors == {field: UNKEEPABLE}


@pytest.mark.parametrize(("name", "limit"), [("title", TITLE_MAX), ("unit", UNIT_MAX)])
def test_a_commitments_title_and_unit_refuse_nul_and_keep_their_columns_limits(
    services: Services, name: str, limit: int
) -> None:
    owner, plan = plan_of(services)
    for text, message in (("x\x00", UNKEEPABLE), ("x" * (limit + 1), f"under {limit}")):
        draft = CommitmentInput(
            title="Calls", kind="activity", unit="calls", baseline="1", target="2"
        )
        typed = PlanInput(
            aspiration="Grow", commitments=[dataclasses.replace(draft, **{name: text})]
        )
        errors = refused(
            lambda typed=typed: services.plans.save(
                actor_id=owner, plan_id=plan, plan_input=typed, now=NOW
            )
        )
        assert message in errors[f"commitments[0].{name}"]


def test_the_builders_limits_are_the_services(services: Services) -> None:
    modal = builder.plan_builder_modal(plan_id=1, quarter_label="Q4", plan=PlanInput(), slots=1)
    limits = {
        b["block_id"]: b["element"].get("max_length")
        for b in modal["blocks"]
        if b["type"] == "input"
    }
    assert limits["commitment_0_title"] == TITLE_MAX
    assert limits["commitment_0_unit"] == UNIT_MAX
    assert limits["aspiration"] == TEXT_MAX


@pytest.mark.parametrize("field", ["win", "blocker"])
def test_a_checkins_win_and_blocker_have_the_modals_limit_and_refuse_nul(
    services: Services, field: str
) -> None:
    owner, _manager, plan = active_plan_with_checkins(services)
    view = services.plans.get_plan(viewer_id=owner, plan_id=plan)
    values = {c.id: "1" for c in view.commitments}
    for text, message in (("x" * (TEXT_MAX + 1), f"under {TEXT_MAX:,}"), ("\ud83d", UNKEEPABLE)):
        errors = refused(
            lambda text=text: services.plans.record_checkin(
                actor_id=owner,
                plan_id=plan,
                day=dt.date(2026, 12, 28),
                values=values,
                confidence=3,
                now=NOW,
                **{field: text},
            )
        )
        assert message in errors[field]
        assert checkin.block_of(field) == field


def test_feedback_over_the_limit_is_refused_not_cut(services: Services, db: Database) -> None:
    owner, _ = plan_of(services)
    errors = refused(
        lambda: services.plans.add_feedback(
            actor_id=owner, text="x" * (TEXT_MAX + 1), today=dt.date(2026, 11, 23)
        )
    )
    assert f"under {TEXT_MAX:,}" in errors["text"]
    with db.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(m.Feedback)) == 0


@pytest.mark.parametrize("text", ["x" * (TEXT_MAX + 1), "bad\x00"])
def test_a_reflection_over_the_limit_is_refused_not_cut(services: Services, text: str) -> None:
    owner, _manager, plan = active_plan_with_checkins(services)
    errors = refused(
        lambda: services.reviews.complete(
            actor_id=owner, plan_id=plan, reflection=text, chosen={}, reason=None, now=NOW
        )
    )
    assert "reflection" in errors


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda s, owner: s.plans.add_win(
                actor_id=owner, text="won\x00", today=dt.date(2026, 11, 23)
            ),
            "win",
        ),
        (
            lambda s, owner: s.rhythm.skip(
                actor_id=owner, day=dt.date(2026, 11, 23), reason="\ud800"
            ),
            "reason",
        ),
    ],
)
def test_wins_and_skip_reasons_refuse_nul(services: Services, call: Any, field: str) -> None:
    owner, _ = plan_of(services)
    assert refused(lambda: call(services, owner)) == {field: UNKEEPABLE}
