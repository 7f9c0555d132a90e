"""Subcommands, the shortcut, and permissions tried with hand-made payloads."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.errors import DomainError
from tests.scenarios.conftest import NOW, Bot
from tests.slack_emulator import wait_until

PLAN = PlanInput(
    aspiration="Close <!here> bigger deals",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25")
    ],
)


def member_with_plan(bot: Bot, user: str, manager: str | None = None) -> tuple[int, int]:
    ref = bot.services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id=user, display_name=user.lower()
    )
    bot.services.members.mark_onboarded(member_id=ref.id, now=NOW)
    if manager:
        boss = bot.services.members.ensure_member(
            slack_team_id=bot.slack.team_id, slack_user_id=manager
        )
        bot.services.members.set_manager(
            member_id=ref.id, manager_id=boss.id, changed_by_id=ref.id, now=NOW
        )
    plan = bot.services.plans.start_plan(owner_id=ref.id, today=NOW.date())
    bot.services.plans.save(actor_id=ref.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    return ref.id, plan.id


def replies(bot: Bot) -> list[str]:
    return [str(r.get("text", "")) + str(r.get("blocks", "")) for r in bot.slack.responses]


def test_help_and_unknown_subcommands_suggest_the_closest(bot: Bot) -> None:
    member_with_plan(bot, "UOWNER")
    bot.driver.slash_command("UOWNER", "sahre")
    reply = wait_until(lambda: replies(bot), message="help")[0]
    assert "I don't know `sahre`" in reply
    assert "Did you mean `/myplan share`?" in reply


def test_win_is_logged_and_escaped_on_the_plan(bot: Bot) -> None:
    member_with_plan(bot, "UOWNER")
    bot.driver.slash_command("UOWNER", "win Closed Acme <!channel>")
    wait_until(lambda: replies(bot), message="the win reply")
    bot.driver.slash_command("UOWNER", "")
    card = wait_until(lambda: len(replies(bot)) > 1 and replies(bot)[1], message="the plan card")
    assert "Closed Acme &lt;!channel&gt;" in card
    assert "<!channel>" not in card
    assert "&lt;!here&gt;" in card


def test_an_empty_win_is_refused_with_a_message(bot: Bot) -> None:
    member_with_plan(bot, "UOWNER")
    bot.driver.slash_command("UOWNER", "win")
    assert "Say what the win was" in wait_until(lambda: replies(bot))[0]


def test_team_lists_the_managers_reports(bot: Bot) -> None:
    member_with_plan(bot, "UOWNER", manager="UMANAGER")
    member_with_plan(bot, "UPEER", manager="UMANAGER")
    bot.driver.slash_command("UMANAGER", "team")
    reply = wait_until(lambda: replies(bot))[0]
    assert "2 reports" in reply
    assert "uowner" in reply and "upeer" in reply


def test_someone_elses_private_plan_is_refused_by_mention_and_by_forged_button(bot: Bot) -> None:
    _, plan_id = member_with_plan(bot, "UOWNER", manager="UMANAGER")
    member_with_plan(bot, "UPEER")
    bot.driver.slash_command("UPEER", "<@UOWNER|dana>")
    assert "can't see that plan" in wait_until(lambda: replies(bot))[0]
    # A hand-made click on "Edit plan" carrying the owner's plan id.
    bot.driver.block_action(
        "UPEER",
        {
            "type": "button",
            "action_id": "plan_edit",
            "value": str(plan_id),
            "text": {"type": "plain_text", "text": "Edit plan"},
        },
    )
    wait_until(
        lambda: any("can't see" in m.text for m in bot.slack.dms("UPEER")), message="refusal"
    )
    assert bot.slack.open_modal("UPEER") is None
    # A forged acknowledgement of the owner's plan.
    value = json.dumps({"plan": plan_id, "revision": 1})
    bot.driver.block_action(
        "UPEER",
        {
            "type": "button",
            "action_id": "plan_acknowledge",
            "value": value,
            "text": {"type": "plain_text", "text": "Acknowledge"},
        },
    )
    wait_until(lambda: len(bot.slack.dms("UPEER")) >= 2, message="second refusal")
    plan = bot.services.plans.get_plan(viewer_id=1, plan_id=plan_id)
    assert plan.acknowledgement.revision == 1
    assert all("can't see" in m.text for m in bot.slack.dms("UPEER"))


def test_a_forged_plan_builder_submission_cannot_overwrite_another_plan(bot: Bot) -> None:
    owner_id, plan_id = member_with_plan(bot, "UOWNER")
    _peer_id, _peer_plan = member_with_plan(bot, "UPEER")
    bot.driver.slash_command("UPEER", "edit")
    modal = wait_until(lambda: bot.slack.open_modal("UPEER"))
    modal.view["private_metadata"] = json.dumps(
        {"plan_id": plan_id, "slots": 2}
    )  # a modified client
    ack = bot.driver.submit_view("UPEER", {"aspiration": "Hijacked"})
    assert ack.errors == {"aspiration": "You can't see that plan."}
    assert (
        bot.services.plans.get_plan(viewer_id=owner_id, plan_id=plan_id).content.aspiration
        == PLAN.aspiration
    )


def test_a_former_manager_reads_the_quarter_they_managed_and_nothing_newer(bot: Bot) -> None:
    owner_id, _plan_id = member_with_plan(bot, "UOWNER", manager="UMANAGER")
    leader = bot.services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id="ULEADER"
    )
    later = NOW + dt.timedelta(days=14)
    bot.services.members.set_manager(
        member_id=owner_id, manager_id=leader.id, changed_by_id=leader.id, now=later
    )
    # Sam managed Dana this quarter: he reads its plan, with nothing to act on.
    bot.driver.slash_command("UMANAGER", "<@UOWNER>")
    card = wait_until(lambda: replies(bot))[0]
    assert "uowner" in card and "Calls" in card
    for act in ("Acknowledge", "Suggest an edit", "Comment"):
        assert act not in card
    # Next quarter's plan is newer than anything he managed: hidden.
    sam = bot.services.members.find(workspace_id=1, slack_user_id="UMANAGER")
    next_plan = bot.services.plans.start_plan(owner_id=owner_id, today=dt.date(2027, 1, 4))
    with pytest.raises(DomainError):
        bot.services.plans.get_plan(viewer_id=sam.id, plan_id=next_plan.id)


def test_a_team_plan_is_hidden_from_outside_the_team(bot: Bot) -> None:
    owner_id, plan_id = member_with_plan(bot, "UOWNER")
    bot.services.plans.save(
        actor_id=owner_id,
        plan_id=plan_id,
        now=NOW,
        plan_input=PlanInput(
            aspiration="Team goals", visibility="team", commitments=PLAN.commitments
        ),
    )
    workspace = bot.services.members.get(owner_id).workspace_id
    team = bot.services.members.configure_team(workspace_id=workspace, channel_id="CTEAM")
    bot.services.members.join_team(member_id=owner_id, team_id=team)
    peer_id, _ = member_with_plan(bot, "UPEER")
    _outsider_id, _ = member_with_plan(bot, "ULEADER")
    bot.services.members.join_team(member_id=peer_id, team_id=team)
    bot.driver.slash_command("ULEADER", "<@UOWNER>")
    bot.driver.slash_command("UPEER", "<@UOWNER>")
    wait_until(lambda: len(replies(bot)) == 2)
    answers = {r["user"]: str(r) for r in bot.slack.responses}
    assert "can't see that plan" in answers["ULEADER"]
    assert "Team goals" in answers["UPEER"]


def test_settings_are_for_admins_only(bot: Bot) -> None:
    member_with_plan(bot, "UPEER")
    bot.driver.slash_command("UPEER", "settings")
    assert "Only workspace admins" in wait_until(lambda: replies(bot))[0]
    assert bot.slack.open_modal("UPEER") is None


def test_the_message_shortcut_saves_a_win_with_a_link(bot: Bot) -> None:
    member_with_plan(bot, "UOWNER")
    message = bot.slack.post_as_user("CTEAM", "UMANAGER", "Great demo today, Dana!")
    bot.driver.message_shortcut("UOWNER", "save_to_plan", message)
    wait_until(lambda: bot.slack.open_modal("UOWNER"), message="the save modal")
    bot.driver.submit_view("UOWNER", {"save_as": "win"})
    wait_until(lambda: bot.slack.dms("UOWNER"), message="the confirmation")
    owner = bot.services.members.find(workspace_id=1, slack_user_id="UOWNER")
    assert owner is not None
    plan = bot.services.plans.current_plan(owner_id=owner.id, today=NOW.date())
    assert plan is not None
    [win] = plan.wins
    assert win.text == "Great demo today, Dana!"
    assert win.message_link is not None and win.message_link.endswith(message.ts.replace(".", ""))


def test_app_home_for_someone_without_a_plan(bot: Bot) -> None:
    bot.driver.open_app_home("UPEER")
    home = wait_until(lambda: bot.slack.home.get("UPEER"))
    assert "Start my plan" in str(home)


def test_adding_a_commitment_keeps_what_was_typed(bot: Bot) -> None:
    member_with_plan(bot, "UOWNER")
    bot.driver.slash_command("UOWNER", "edit")
    modal = wait_until(lambda: bot.slack.open_modal("UOWNER"))
    assert "commitment_2_title" not in str(modal.view)
    typed = {
        "aspiration": "Typed, not saved",
        "commitment_1_title": "Demos",
        "commitment_1_kind": "result",
    }
    bot.driver.click_button("UOWNER", "Add a commitment", view=modal, values=typed)
    wait_until(
        lambda: "commitment_2_title" in str(bot.slack.open_modal("UOWNER").view),
        message="a new slot",
    )  # type: ignore[union-attr]
    builder = bot.slack.open_modal("UOWNER")
    assert builder is not None
    assert "Typed, not saved" in str(builder.view)
    assert "Demos" in str(builder.view)
    ack = bot.driver.submit_view(
        "UOWNER",
        {
            "commitment_1_unit": "demos",
            "commitment_1_baseline": "2",
            "commitment_1_target": "4",
            "commitment_2_title": "Cert",
            "commitment_2_kind": "milestone",
            "commitment_2_due_date": "2026-12-15",
        },
    )
    assert ack.errors == {}
    owner = bot.services.members.find(workspace_id=1, slack_user_id="UOWNER")
    assert owner is not None
    plan = bot.services.plans.current_plan(owner_id=owner.id, today=NOW.date())
    assert plan is not None
    assert [c.commitment.title for c in plan.commitments] == ["Calls", "Demos", "Cert"]
    assert plan.content.aspiration == "Typed, not saved"


def test_a_plan_with_ten_commitments_fits_in_one_modal(bot: Bot) -> None:
    owner_id, plan_id = member_with_plan(bot, "UOWNER")
    many = PlanInput(
        aspiration="Many",
        commitments=[
            CommitmentInput(title=f"Metric {i}", kind="result", unit="u", baseline="1", target="2")
            for i in range(10)
        ],
    )
    bot.services.plans.save(actor_id=owner_id, plan_id=plan_id, plan_input=many, now=NOW)
    bot.driver.slash_command("UOWNER", "edit")
    modal = wait_until(lambda: bot.slack.open_modal("UOWNER"))
    assert len(modal.view["blocks"]) <= 100
    assert "Add a commitment" not in str(modal.view)
    assert bot.driver.submit_view("UOWNER", {}).errors == {}


def test_one_on_ones_are_shown_on_the_plan_and_the_team_view(bot: Bot) -> None:
    owner_id, plan_id = member_with_plan(bot, "UOWNER", manager="UMANAGER")
    weekly = PlanInput(
        aspiration=PLAN.aspiration, commitments=PLAN.commitments, one_on_one_cadence="1"
    )
    saved = bot.services.plans.save(actor_id=owner_id, plan_id=plan_id, plan_input=weekly, now=NOW)
    bot.services.plans.propose(actor_id=owner_id, plan_id=plan_id, now=NOW)
    calls = saved.plan.commitments[0].id
    for week, happened in enumerate([True, False, True]):
        bot.services.plans.record_checkin(
            actor_id=owner_id,
            plan_id=plan_id,
            day=NOW.date() - dt.timedelta(weeks=week),
            values={calls: "21"},
            confidence=4,
            one_on_one_happened=happened,
            now=NOW,
        )
    bot.driver.slash_command("UMANAGER", "team")
    bot.driver.slash_command("UOWNER", "")
    wait_until(lambda: len(bot.slack.responses) == 2)
    by_user = {r["user"]: str(r) for r in bot.slack.responses}
    assert "2 of 3 1:1s happened" in by_user["UMANAGER"]
    assert "1:1 every 1 week (2 of 3 1:1s happened)" in by_user["UOWNER"]


def test_settings_refuse_bad_values_on_their_fields(bot: Bot) -> None:
    member_with_plan(bot, "ULEADER")  # an admin in Slack
    bot.driver.slash_command("ULEADER", "settings")
    wait_until(lambda: bot.slack.open_modal("ULEADER"), message="the settings modal")
    ack = bot.driver.submit_view(
        "ULEADER", {"team_channel": "CTEAM", "timezone": "Mars/Olympus", "stretch": "lots"}
    )
    assert set(ack.errors) == {"timezone", "stretch"}
    assert "Europe/Paris" in ack.errors["timezone"]
    ack = bot.driver.submit_view(
        "ULEADER", {"team_channel": "CTEAM", "timezone": "Asia/Kolkata", "stretch": "250"}
    )
    assert set(ack.errors) == {"stretch"}
    assert (
        bot.driver.submit_view(
            "ULEADER",
            {
                "team_channel": "CTEAM",
                "timezone": "Asia/Kolkata",
                "stretch": "15",
                "checkin_weekday": "4",
            },
        ).errors
        == {}
    )
    team = bot.services.members.team_for_channel(workspace_id=1, channel_id="CTEAM")
    assert team is not None


def test_a_slack_error_after_the_ack_never_delays_the_ack(bot: Bot) -> None:
    _, plan_id = member_with_plan(bot, "UOWNER")
    for _ in range(5):
        bot.slack.fail_next("views.open", error="expired_trigger_id")
        ack = bot.driver.block_action(
            "UOWNER",
            {
                "type": "button",
                "action_id": "plan_edit",
                "value": str(plan_id),
                "text": {"type": "plain_text", "text": "Edit plan"},
            },
        )
        assert ack.status == 200
        assert ack.seconds < 1


def test_a_click_is_acked_before_its_slow_work_and_the_work_still_happens(bot: Bot) -> None:
    _, plan_id = member_with_plan(bot, "UOWNER")
    bot.slack.fail_next("views.open", delay=1.5)  # Slack is slow to open the modal
    ack = bot.driver.block_action(
        "UOWNER",
        {
            "type": "button",
            "action_id": "plan_edit",
            "value": str(plan_id),
            "text": {"type": "plain_text", "text": "Edit plan"},
        },
    )
    assert ack.status == 200
    assert ack.seconds < 0.5
    assert bot.slack.open_modal("UOWNER") is None
    modal = wait_until(lambda: bot.slack.open_modal("UOWNER"), message="the builder")
    assert modal.view["callback_id"] == "plan_builder"


def test_a_domain_error_after_the_ack_is_told_and_never_delays_the_ack(bot: Bot) -> None:
    member_with_plan(bot, "UOWNER")
    _, other_plan = member_with_plan(bot, "UPEER")
    for _ in range(5):
        ack = bot.driver.block_action(
            "UOWNER",
            {
                "type": "button",
                "action_id": "plan_propose",
                "value": str(other_plan),
                "text": {"type": "plain_text", "text": "Propose"},
            },
        )
        assert ack.seconds < 1
    wait_until(lambda: len(bot.slack.dms("UOWNER")) == 5, message="five refusals")
    assert all("can't see" in m.text for m in bot.slack.dms("UOWNER"))


def test_a_manager_suggests_an_edit(bot: Bot) -> None:
    owner_id, plan_id = member_with_plan(bot, "UOWNER", manager="UMANAGER")
    bot.services.plans.propose(actor_id=owner_id, plan_id=plan_id, now=NOW)
    bot.driver.block_action(
        "UMANAGER",
        {
            "type": "button",
            "action_id": "plan_suggest",
            "value": str(plan_id),
            "text": {"type": "plain_text", "text": "Suggest an edit"},
        },
    )
    modal = wait_until(lambda: bot.slack.open_modal("UMANAGER"), message="the suggestion modal")
    assert modal.view["title"]["text"] == "Suggest an edit"
    # A suggested edit is the plan as suggested (structured), with a note.
    typed = {"aspiration": "Close bigger deals", "comment": "Add a demo target"}
    assert bot.driver.submit_view("UMANAGER", typed).errors == {}
    dm = wait_until(
        lambda: next((m for m in bot.slack.dms("UOWNER") if "suggests an edit" in m.text), None)
    )
    assert "Add a demo target" in str(dm.blocks)
