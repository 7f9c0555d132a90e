"""The conversation service over a real database: who answers, who reads what."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.errors import IllegalTransition, NotFound, PermissionDenied
from tests.support import PerCallServices as Services

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PLAN = PlanInput(
    aspiration="Close bigger deals",
    visibility="team",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25")
    ],
)


@pytest.fixture
def services(db: Database) -> Services:
    return Services.build(db)


def staged(services: Services) -> tuple[int, int, int, int]:
    """Owner, manager, teammate (the owner's team) and the owner's team plan."""
    workspace = services.members.ensure_workspace(slack_team_id="T1")
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="UTC",
    )
    owner, manager, peer = (
        services.members.ensure_member(slack_team_id="T1", slack_user_id=u, display_name=u)
        for u in ("UOWNER", "UMANAGER", "UPEER")
    )
    for person in (owner, peer):
        services.members.join_team(member_id=person.id, team_id=team)
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=NOW
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=NOW.date())
    services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    return owner.id, manager.id, peer.id, plan.id


def test_an_old_comment_is_answered_and_only_what_may_be_read_is(services: Services) -> None:
    owner, manager, peer, plan = staged(services)
    talk = services.conversation
    first = talk.comment(actor_id=manager, plan_id=plan, text="Private note", now=NOW)
    for number in range(8):  # more than a card shows
        talk.comment(actor_id=manager, plan_id=plan, text=f"Note {number}", now=NOW)
    answer = talk.comment(
        actor_id=owner, plan_id=plan, text="Thanks", reply_to=first.comment.id, now=NOW
    )
    assert answer.notify_member_id == manager and answer.comment.reply_to_id == first.comment.id

    # A teammate may comment on a team plan, but not read (or answer) the manager's notes.
    with pytest.raises(NotFound):
        talk.comment(actor_id=peer, plan_id=plan, text="Hi", reply_to=first.comment.id, now=NOW)
    mine = talk.comment(actor_id=peer, plan_id=plan, text="Happy to pair", now=NOW)
    assert mine.notify_member_id == owner
    talk.comment(actor_id=owner, plan_id=plan, text="Sure", reply_to=mine.comment.id, now=NOW)
    seen = talk.conversation(viewer_id=peer, plan_id=plan)
    assert [c.text for c in seen.comments] == ["Happy to pair", "Sure"]
    assert talk.conversation(viewer_id=owner, plan_id=plan).total_comments == 12
    # Suggesting is the manager chain's.
    with pytest.raises(PermissionDenied):
        talk.suggest(actor_id=peer, plan_id=plan, plan_input=PLAN, note="", now=NOW)


def test_a_suggestion_on_an_older_revision_is_not_applied_over_later_changes(
    services: Services,
) -> None:
    owner, manager, _, plan = staged(services)
    talk = services.conversation
    bigger = PlanInput(aspiration="Close much bigger deals", commitments=PLAN.commitments)
    suggested = talk.suggest(actor_id=manager, plan_id=plan, plan_input=bigger, note="", now=NOW)
    assert suggested.comment.changes
    with pytest.raises(PermissionDenied):  # only the owner applies it
        talk.apply_suggestion(actor_id=manager, comment_id=suggested.comment.id, now=NOW)
    later = PlanInput(aspiration="Close bigger deals, faster", commitments=PLAN.commitments)
    services.plans.save(actor_id=owner, plan_id=plan, plan_input=later, now=NOW)
    with pytest.raises(IllegalTransition, match="made on revision 1"):
        talk.apply_suggestion(actor_id=owner, comment_id=suggested.comment.id, now=NOW)
