from __future__ import annotations

import pytest

from bot.domain.errors import PermissionDenied
from bot.domain.permissions import (
    Access,
    PlanFacts,
    Viewer,
    plan_access,
    require,
    shown_in_full,
    would_create_cycle,
)
from bot.domain.plans import Visibility


def manager_chain(manager_of: dict[int, int | None], member_id: int) -> tuple[int, ...]:
    """The managers above ``member_id``, nearest first, as the database walk returns them."""
    chain: list[int] = []
    current = manager_of.get(member_id)
    while current is not None and current not in chain and current != member_id:
        chain.append(current)
        current = manager_of.get(current)
    return tuple(chain)


# 1 is the VP; 2 reports to 1; 3 and 4 report to 2; 5 is in the same team as 3.
MANAGERS: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: 2, 5: None, 6: 3}
TEAM = 10


def viewer(
    member_id: int, team_id: int | None = None, *, admin: bool = False, ws: int = 1
) -> Viewer:
    return Viewer(member_id=member_id, workspace_id=ws, team_id=team_id, is_admin=admin)


def plan_of(owner: int, visibility: Visibility) -> PlanFacts:
    return PlanFacts(
        owner_id=owner,
        workspace_id=1,
        owner_team_id=TEAM,
        visibility=visibility,
        manager_chain=manager_chain(MANAGERS, owner),
    )


def test_owner_may_do_everything() -> None:
    assert plan_access(viewer(3), plan_of(3, Visibility.PRIVATE)) == Access(
        view=True, edit=True, comment=True, acknowledge=True, review=True
    )


def test_direct_manager_reviews_and_acknowledges_but_does_not_edit() -> None:
    access = plan_access(viewer(2), plan_of(3, Visibility.PRIVATE))
    assert access.view and access.comment and access.acknowledge and access.review
    assert not access.edit


def test_the_manager_chain_above_sees_comments_and_suggests() -> None:
    access = plan_access(viewer(1), plan_of(3, Visibility.PRIVATE))
    assert access == Access(view=True, comment=True, suggest=True)


def test_private_plans_are_hidden_from_peers_reports_and_admins() -> None:
    private = plan_of(3, Visibility.PRIVATE)
    assert plan_access(viewer(4, TEAM), private) == Access()  # a peer in the same team
    assert plan_access(viewer(6), private) == Access()  # their own report
    assert plan_access(viewer(5, admin=True), private) == Access()  # an admin


def test_team_plans_are_seen_by_the_team_only() -> None:
    team_plan = plan_of(3, Visibility.TEAM)
    # A teammate may see it and comment on it; suggesting edits is the managers'.
    assert plan_access(viewer(5, TEAM), team_plan) == Access(view=True, comment=True)
    assert plan_access(viewer(5, 99), team_plan) == Access()
    assert plan_access(viewer(5, None), team_plan) == Access()


def test_public_plans_are_seen_by_the_workspace_only() -> None:
    public = plan_of(2, Visibility.PUBLIC)
    assert plan_access(viewer(5), public) == Access(view=True, comment=True)
    assert plan_access(viewer(5, ws=2), public) == Access()


def test_a_former_manager_loses_access() -> None:
    managers = dict(MANAGERS)
    managers[3] = 4  # 3 now reports to 4, no longer to 2
    facts = PlanFacts(
        owner_id=3,
        workspace_id=1,
        owner_team_id=TEAM,
        visibility=Visibility.PRIVATE,
        manager_chain=manager_chain(managers, 3),
    )
    # still above 4
    assert plan_access(viewer(2), facts) == Access(view=True, comment=True, suggest=True)
    managers[4] = None
    facts = PlanFacts(
        owner_id=3,
        workspace_id=1,
        owner_team_id=TEAM,
        visibility=Visibility.PRIVATE,
        manager_chain=manager_chain(managers, 3),
    )
    assert plan_access(viewer(2), facts) == Access()


def test_require_does_not_reveal_hidden_plans() -> None:
    with pytest.raises(PermissionDenied, match="can't see"):
        require(viewer(5), plan_of(3, Visibility.PRIVATE), to="edit")
    with pytest.raises(PermissionDenied, match="Only the plan's owner can change it"):
        require(viewer(2), plan_of(3, Visibility.PRIVATE), to="edit")
    assert require(viewer(2), plan_of(3, Visibility.PRIVATE), to="acknowledge").acknowledge


def test_cycles() -> None:
    # 3 reports to 2: 3 cannot manage 2.
    assert would_create_cycle(
        member_id=2, manager_id=3, managers_of_manager=manager_chain(MANAGERS, 3)
    )
    assert would_create_cycle(member_id=2, manager_id=2, managers_of_manager=())
    assert not would_create_cycle(
        member_id=3, manager_id=4, managers_of_manager=manager_chain(MANAGERS, 4)
    )


def test_a_channel_shows_a_plan_in_full_only_if_everyone_there_may_see_it() -> None:
    def full(visibility: Visibility, channel: str) -> bool:
        return shown_in_full(visibility=visibility, channel_id=channel, team_channel_id="CTEAM")

    assert full(Visibility.PUBLIC, "CLEADERS") and full(Visibility.PUBLIC, "CTEAM")
    assert full(Visibility.TEAM, "CTEAM")
    assert not full(Visibility.TEAM, "CLEADERS")
    assert not full(Visibility.PRIVATE, "CTEAM") and not full(Visibility.PRIVATE, "CLEADERS")
    assert not shown_in_full(visibility=Visibility.TEAM, channel_id="CTEAM", team_channel_id=None)
