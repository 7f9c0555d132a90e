"""Every modal, action, command, shortcut and event, driven with generated
hostile payloads through signed requests (issue 14): no 5xx, no traceback in
the log, an ack under 3 s, a field error or a clear message for what is
refused, and what is accepted saved exactly as typed (text as typed but for
the spaces around it, numbers to the last digit typed).

A run tries MYPLAN_HOSTILE_EXAMPLES cases per database (300 by default) from
a fresh random seed, so runs add up to new cases; a failure prints its seed
(``--hypothesis-seed`` replays it), and what it found is kept below as an
``@example``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.blocks.forms import field_values
from bot.db import models as m
from bot.domain.content import CommitmentInput, PlanInput
from bot.ids import Action, Callback, Shortcut
from tests.scenarios.conftest import NOW, Bot

EXAMPLES = int(os.environ.get("MYPLAN_HOSTILE_EXAMPLES", "300"))
IDS = {"plan": 1, "team": 1, "commitment": 1}  # as staged below, on a fresh database

# -- what a hostile client sends ------------------------------------------------

WORDS = [
    "",
    " ",
    "12",
    "0.125",
    "1,5",
    "1,2,3",
    "true",
    "-1",
    "nan",
    "1e999",
    str(10**20),
    str(2**31),
    "00:00",
    "25:00",
    "09:00:00",
    "2026-11-23",
    "2026-13-45",
    "private",
    "team",
    "activity",
    "milestone",
    "yes",
    "5",
    "UOWNER",
    "CTEAM",
    "U" * 40,
    "<!channel> <@U0OTHER>",
    "a\x00b",
    "\ud800",
    "x" * 3001,
    "Europe/Paris",
    "../../etc/passwd",
    "{}",
    "[]",
    "null",
]
words = st.one_of(st.sampled_from(WORDS), st.text(max_size=40))
scalars = st.one_of(
    words,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
)
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
    max_leaves=6,
)


def element(kind: str) -> st.SearchStrategy[Any]:
    """An input's state as Slack sends it, or not quite."""
    plausible = {
        "text": st.builds(lambda v: {"type": "plain_text_input", "value": v}, words),
        "select": st.builds(
            lambda v: {"type": "static_select", "selected_option": {"value": v}}, words
        ),
        "date": st.builds(lambda v: {"type": "datepicker", "selected_date": v}, words),
        "time": st.builds(lambda v: {"type": "timepicker", "selected_time": v}, words),
        "user": st.builds(lambda v: {"type": "users_select", "selected_user": v}, words),
        "channel": st.builds(
            lambda v: {"type": "conversations_select", "selected_conversation": v}, words
        ),
    }[kind]
    forged = st.dictionaries(
        st.sampled_from(["type", "value", "selected_option", "selected_options", "selected_date"]),
        anything,
        max_size=3,
    )
    return st.one_of(plausible, plausible, forged)


# -- the app's surfaces ----------------------------------------------------------


def stage(bot: Bot) -> dict[str, int]:
    """Once per database: Dana with a proposed, team-visible plan; Sam her manager."""
    if hasattr(bot, "ids"):
        return bot.ids  # type: ignore[no-any-return]
    bot.slack.limits.enabled = False
    services = bot.services
    workspace = services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    team = services.members.configure_team(workspace_id=workspace, channel_id="CTEAM")
    owner = services.members.ensure_member(slack_team_id=bot.slack.team_id, slack_user_id="UOWNER")
    manager = services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id="UMANAGER", is_slack_admin=True
    )
    for member in (owner, manager):
        services.members.mark_onboarded(member_id=member.id, now=NOW)
        services.members.join_team(member_id=member.id, team_id=team)
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=NOW
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=NOW.date())
    saved = services.plans.save(
        actor_id=owner.id,
        plan_id=plan.id,
        now=NOW,
        plan_input=PlanInput(
            aspiration="Grow",
            visibility="team",
            commitments=[
                CommitmentInput(title="Calls", kind="activity", unit="c", baseline="1", target="2")
            ],
        ),
    )
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=NOW)
    ids = {"plan": plan.id, "team": team, "commitment": saved.plan.commitments[0].id}
    assert ids == IDS  # a fresh database: what the strategies (and @examples) name
    bot.ids = ids  # type: ignore[attr-defined]
    return ids


def modal_inputs(ids: dict[str, int]) -> dict[str, list[tuple[str, str]]]:
    c = ids["commitment"]
    commitment = [
        (f"commitment_0_{name}", kind)
        for name, kind in [
            ("title", "text"),
            ("kind", "select"),
            ("unit", "text"),
            ("baseline", "text"),
            ("target", "text"),
            ("direction", "select"),
            ("rollup", "select"),
            ("due_date", "date"),
        ]
    ]
    return {
        Callback.PLAN_BUILDER: [
            ("aspiration", "text"),
            ("visibility", "select"),
            ("one_on_one_cadence", "text"),
            *commitment,
        ],
        Callback.CHECKIN: [
            (f"value_{c}", "text"),
            ("confidence", "select"),
            ("win", "text"),
            ("blocker", "text"),
            ("one_on_one", "select"),
        ],
        Callback.REVIEW: [
            (f"baseline_{c}", "text"),
            (f"target_{c}", "text"),
            ("reflection", "text"),
            ("reason", "text"),
        ],
        Callback.COMMENT: [("comment", "text")],
        Callback.SUGGESTION: [("aspiration", "text"), *commitment, ("comment", "text")],
        Callback.MANAGER_SIDE: [
            ("one_on_one_cadence", "text"),
            ("coaching_focus", "text"),
            ("other_support", "text"),
        ],
        Callback.MANAGER_REFLECTION: [("manager_reflection", "text")],
        Callback.EDIT_ENTRY: [("entry_text", "text")],
        Callback.SAVE_MESSAGE: [("save_as", "select"), ("text", "text")],
        Callback.ONBOARDING: [("manager", "user"), ("team_channel", "channel")],
        Callback.SETTINGS: [
            ("fiscal_start_month", "select"),
            ("leaders_channel", "channel"),
            ("team_channel", "channel"),
            ("checkin_weekday", "select"),
            ("checkin_time", "time"),
            ("timezone", "text"),
            ("stretch", "text"),
        ],
        # Read-only modals (history, trends): nothing to submit, but a forged submission.
        Callback.HISTORY: [],
        Callback.HISTORY_QUARTER: [],
        Callback.HISTORY_REVISIONS: [],
        Callback.TRENDS: [],
    }


def real_metadata(callback: str, ids: dict[str, int]) -> dict[str, Any]:
    return {
        Callback.PLAN_BUILDER: {"plan_id": ids["plan"], "slots": 1, "quarter": "Q4 FY2026"},
        Callback.CHECKIN: {"plan_id": ids["plan"], "monday": "2026-11-23"},
        Callback.REVIEW: {"plan_id": ids["plan"]},
        Callback.COMMENT: {"plan_id": ids["plan"], "reply_to": None},
        Callback.SUGGESTION: {"plan_id": ids["plan"], "slots": 1, "quarter": "Q4", "side": False},
        Callback.MANAGER_SIDE: {"plan_id": ids["plan"]},
        Callback.MANAGER_REFLECTION: {"plan_id": ids["plan"]},
        Callback.EDIT_ENTRY: {"kind": "win", "id": 1},
        Callback.SAVE_MESSAGE: {"link": "https://x.slack.com/archives/C1/p1", "author": "UPEER"},
    }.get(callback, {})


@st.composite
def submissions(draw: st.DrawFn, ids: dict[str, int]) -> dict[str, Any]:
    callback = draw(st.sampled_from(sorted(Callback)))
    inputs = modal_inputs(ids)[callback]
    chosen = (
        draw(st.lists(st.sampled_from(inputs), unique=True, max_size=len(inputs))) if inputs else []
    )
    values = {block: {"input": draw(element(kind))} for block, kind in chosen}
    meta: Any = real_metadata(callback, ids)
    how = draw(st.sampled_from(["real", "changed", "forged"]))
    if how == "changed":
        meta = {
            **meta,
            **draw(st.dictionaries(st.sampled_from([*meta, "x"]), anything, max_size=2)),
        }
    metadata = json.dumps(meta) if how != "forged" else draw(st.one_of(anything, words))
    blocks = [
        {"type": "input", "block_id": block, "label": {}, "element": {}} for block, _ in inputs
    ]
    return {
        "type": "view_submission",
        "view": {
            "id": "V1",
            "type": "modal",
            "hash": "1.2",
            "callback_id": callback.value,
            "private_metadata": metadata,
            "state": {"values": values},
            "blocks": blocks,
        },
    }


# What a person types into a form: numbers in every shape an en-US member
# writes them (and some they should not), and any text.
numbers = st.one_of(
    st.sampled_from(["0.125", "12.345", "0.004", "1,234.5", "15%", "1,5", "1e3", "-0", "1.50"]),
    st.from_regex(r"-?\d{1,9}(\.\d{1,6})?", fullmatch=True),
    st.integers(min_value=0, max_value=10**14).map(lambda n: f"{n:,}"),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
)
texts = st.one_of(st.text(max_size=60), st.text(max_size=60), words)


def typed_view(callback: str, meta: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A submission as Slack sends a modal filled in: every block, well formed."""
    state = {}
    for block, value in values.items():
        if isinstance(value, tuple):  # a select: ("select", value)
            state[block] = {
                "input": {"type": "static_select", "selected_option": {"value": value[1]}}
            }
        else:
            state[block] = {"input": {"type": "plain_text_input", "value": value}}
    return {
        "type": "view_submission",
        "view": {
            "id": "V1",
            "type": "modal",
            "hash": "1.2",
            "callback_id": callback,
            "private_metadata": json.dumps(meta),
            "state": {"values": state},
            "blocks": [
                {"type": "input", "block_id": block, "label": {}, "element": {}} for block in values
            ],
        },
    }


@st.composite
def typed_submissions(draw: st.DrawFn, ids: dict[str, int]) -> dict[str, Any]:
    """A check-in or the builder as a person fills it in, so that many are
    accepted, and what they typed can be compared with what is stored."""
    c = ids["commitment"]
    if draw(st.booleans()):
        values: dict[str, Any] = {
            f"value_{c}": draw(numbers),
            "confidence": ("select", draw(st.sampled_from(["1", "2", "3", "4", "5"]))),
            "win": draw(texts),
            "blocker": draw(texts),
            "one_on_one": ("select", draw(st.sampled_from(["yes", "no"]))),
        }
        return typed_view(Callback.CHECKIN, real_metadata(Callback.CHECKIN, ids), values)
    values = {
        "aspiration": draw(texts),
        "visibility": ("select", draw(st.sampled_from(["private", "team", "public"]))),
        "commitment_0_title": draw(texts),
        "commitment_0_kind": ("select", draw(st.sampled_from(["activity", "result"]))),
        "commitment_0_unit": draw(texts),
        "commitment_0_baseline": draw(numbers),
        "commitment_0_target": draw(numbers),
        "commitment_0_direction": ("select", draw(st.sampled_from(["up", "down"]))),
        "commitment_0_rollup": ("select", draw(st.sampled_from(["sum", "average", "latest"]))),
    }
    meta = {**real_metadata(Callback.PLAN_BUILDER, ids), "ids": [c]}  # as the builder carries it
    return typed_view(Callback.PLAN_BUILDER, meta, values)


@st.composite
def clicks(draw: st.DrawFn, ids: dict[str, int]) -> dict[str, Any]:
    action = draw(st.sampled_from(sorted(Action)))
    real = [str(ids["plan"]), str(ids["team"]), json.dumps({"plan": ids["plan"], "revision": 1})]
    value = draw(st.one_of(st.sampled_from(real), words, anything.map(json.dumps)))
    payload: dict[str, Any] = {
        "type": "block_actions",
        "actions": [{"type": "button", "action_id": action.value, "value": value, "block_id": "b"}],
    }
    if draw(st.booleans()):  # clicked in a modal: the builder's "Add a commitment"
        submission = draw(submissions(ids))
        payload["view"] = {**submission["view"], "callback_id": Callback.PLAN_BUILDER.value}
    return payload


@st.composite
def requests(draw: st.DrawFn, ids: dict[str, int]) -> tuple[str, dict[str, Any]]:
    user = draw(st.sampled_from(["UOWNER", "UMANAGER", "UPEER"]))
    kind = draw(
        st.sampled_from(
            [
                "view",
                "view",
                "typed",
                "typed",
                "click",
                "click",
                "command",
                "shortcut",
                "home",
                "shape",
            ]
        )
    )
    if kind == "typed":
        return "UOWNER", draw(typed_submissions(ids))
    if kind == "shape":  # an envelope of the wrong shape: the edge's 400
        kinds = ["block_actions", "view_submission", "message_action", "shortcut", "x"]
        fields = st.sampled_from(
            ["actions", "view", "message", "channel", "callback_id", "trigger_id", "team", "user"]
        )
        return user, {
            "type": draw(st.sampled_from(kinds)),
            **draw(st.dictionaries(fields, anything, max_size=4)),
        }
    if kind == "view":
        return user, draw(submissions(ids))
    if kind == "click":
        return user, draw(clicks(ids))
    if kind == "command":
        word = draw(
            st.sampled_from(
                [
                    "",
                    "edit",
                    "checkin",
                    "skip",
                    "away",
                    "win",
                    "share",
                    "review",
                    "team",
                    "settings",
                    "help",
                    "<@UOWNER>",
                    "<@U0OTHER|x>",
                ]
            )
        )
        # A form is UTF-8 on the wire: a lone surrogate cannot travel in one (JSON escapes it).
        text = draw(words.filter(lambda t: not any("\ud800" <= c <= "\udfff" for c in t)))
        return user, {"command": f"{word} {text}".strip()}
    if kind == "shortcut":
        message = {"ts": draw(st.sampled_from(["1.2", "abc"])), "text": draw(words)}
        author = draw(st.sampled_from([None, "UPEER", "UOWNER"]))
        if author:
            message["user"] = author
        return user, {
            "type": "message_action",
            "callback_id": Shortcut.SAVE_TO_PLAN.value,
            "message": message,
            "channel": {"id": "CTEAM"},
        }
    return user, {
        "event": {
            "type": "app_home_opened",
            "user": user,
            "tab": draw(st.sampled_from(["home", "messages", ""])),
        }
    }


# -- the property ----------------------------------------------------------------


class Failures(logging.Handler):
    """Every record with a traceback, or at ERROR and above."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)


def send(bot: Bot, user: str, payload: dict[str, Any]) -> Any:
    slack, driver = bot.slack, bot.driver
    if "command" in payload:
        return driver.slash_command(user, payload["command"])
    if "event" in payload:
        return driver.event(payload["event"])
    body = {
        "team": {"id": slack.team_id},
        "user": {"id": user, "team_id": slack.team_id},
        "api_app_id": slack.app_id,
        "trigger_id": slack.issue_trigger(user),
        **payload,
    }
    if payload["type"] == "message_action" and isinstance(payload.get("channel"), dict):
        body["response_url"] = slack.issue_response_url(user, "CTEAM")
    return driver.post_payload(body)


def check_answer(payload: dict[str, Any], ack: Any) -> None:
    assert ack.status < 500, ack.body
    assert ack.status in (200, 400), (ack.status, ack.body)  # 400: the edge refused its shape
    if payload.get("type") != "view_submission" or ack.status != 200 or not ack.body:
        return
    answer = ack.json
    assert answer["response_action"] in ("errors", "update"), answer
    if answer["response_action"] == "errors":
        errors = answer["errors"]
        assert errors and all(isinstance(m, str) and m.strip() for m in errors.values()), errors
        blocks = {b["block_id"] for b in payload["view"]["blocks"]}
        assert set(errors) <= blocks, (errors, blocks)


def accepted(payload: dict[str, Any], ack: Any) -> bool:
    """A modal submission the bot took: closed (no body) or moved on (update)."""
    if payload.get("type") != "view_submission" or ack.status != 200:
        return False
    return not ack.body or ack.json.get("response_action") != "errors"


def as_typed(text: str) -> decimal.Decimal:
    """A number as an en-US member typed it, read independently of the bot:
    its digits, without the thousands commas and the percent sign."""
    return decimal.Decimal(text.strip().removesuffix("%").rstrip().replace(",", ""))


def stored(value: float) -> decimal.Decimal:
    """A stored float as the decimal it holds to 15 significant digits."""
    return decimal.Decimal(f"{value:.15g}")


def text(value: str | None) -> str | None:
    """Text as typed, but for the spaces around it; nothing typed is None."""
    return (value or "").strip() or None


SAVES_WHAT_IS_TYPED = {
    Callback.CHECKIN,
    Callback.PLAN_BUILDER,
    Callback.COMMENT,
    Callback.SAVE_MESSAGE,
}


def check_saved(bot: Bot, payload: dict[str, Any]) -> None:
    """What an accepted submission typed is what the database now holds."""
    view = payload["view"]
    typed = {block: value for block, value in field_values(view).items() if value is not None}
    callback = view["callback_id"]
    if callback not in SAVES_WHAT_IS_TYPED:
        return  # a modal that stores nothing typed (history, trends): nothing to compare
    meta = json.loads(view["private_metadata"])
    event(f"accepted, checked as typed: {callback}")
    with bot.db.sessions.begin() as session:
        if callback == Callback.CHECKIN:
            checkin = session.scalars(
                select(m.CheckIn).where(
                    m.CheckIn.plan_id == meta["plan_id"],
                    m.CheckIn.week_start == dt.date.fromisoformat(meta["monday"]),
                )
            ).one()
            plan = session.get(m.Plan, meta["plan_id"])
            assert plan is not None
            on_plan = [f"value_{row.id}" for row in plan.commitments]  # not the retired ones'
            values = {f"value_{row.commitment_id}": stored(row.value) for row in checkin.values}
            assert {block: values[block] for block in on_plan} == {
                block: as_typed(typed[block]) for block in on_plan
            }
            assert checkin.confidence == int(typed["confidence"])
            assert (checkin.win, checkin.blocker) == (
                text(typed.get("win")),
                text(typed.get("blocker")),
            )
            if typed.get("one_on_one") in ("yes", "no"):
                assert checkin.one_on_one_happened is (typed["one_on_one"] == "yes")
        elif callback == Callback.PLAN_BUILDER:
            plan = session.get(m.Plan, meta["plan_id"])
            assert plan is not None
            assert plan.aspiration == text(typed.get("aspiration"))
            assert plan.visibility.value == typed.get("visibility", "private")
            commitments = list(plan.commitments)
            if commitments and commitments[0].kind.value != "milestone":
                first = commitments[0]
                assert first.title == text(typed.get("commitment_0_title"))
                assert first.unit == text(typed.get("commitment_0_unit"))
                assert stored(first.baseline) == as_typed(typed["commitment_0_baseline"])
                assert stored(first.target) == as_typed(typed["commitment_0_target"])
        elif callback == Callback.COMMENT:
            comment = session.scalars(
                select(m.PlanComment).order_by(m.PlanComment.id.desc())
            ).first()
            assert comment is not None and comment.text == text(typed.get("comment"))
        elif callback == Callback.SAVE_MESSAGE:
            kept = m.Feedback if typed.get("save_as") == "feedback" else m.Win
            row = session.scalars(select(kept).order_by(kept.id.desc())).first()
            assert row is not None and row.text == text(typed.get("text"))


@pytest.fixture
def failures() -> Any:
    handler = Failures()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(request=requests(IDS))
@example(request=("UOWNER", {"command": "help"}))  # the harness itself
# Kept regressions, each found by this test:
@example(
    request=(  # "Add a commitment" clicked outside the builder
        "UOWNER",
        {
            "type": "block_actions",
            "actions": [{"type": "button", "action_id": Action.ADD_COMMITMENT.value, "value": "1"}],
        },
    )
)
@example(
    request=(  # a forged manager in onboarding: Slack knows no such user (user_not_found)
        "UPEER",
        {
            "type": "view_submission",
            "view": {
                "id": "V1",
                "type": "modal",
                "hash": "1.2",
                "callback_id": Callback.ONBOARDING.value,
                "private_metadata": "{}",
                "state": {
                    "values": {
                        "manager": {"input": {"type": "users_select", "selected_user": "12"}},
                        "team_channel": {
                            "input": {
                                "type": "conversations_select",
                                "selected_conversation": "CTEAM",
                            }
                        },
                    }
                },
                "blocks": [
                    {"type": "input", "block_id": b, "label": {}, "element": {}}
                    for b in ("manager", "team_channel")
                ],
            },
        },
    )
)
def test_no_hostile_payload_gets_a_5xx_a_traceback_or_no_answer(
    bot: Bot, failures: Failures, request: tuple[str, dict[str, Any]]
) -> None:
    stage(bot)
    user, payload = request
    ack = send(bot, user, payload)
    check_answer(payload, ack)
    if accepted(payload, ack):
        check_saved(bot, payload)
    answer = ack.json.get("response_action") if ack.body.startswith("{") else None
    what = payload.get("type") or ("command" if "command" in payload else "event")
    event(f"{what}: {ack.status} {answer or ''}".strip())
    assert bot.runner.wait_idle(10), "a listener is still at work after 10 s"
    found, failures.records[:] = list(failures.records), []
    assert not found, (
        "\n".join(f"{r.name}: {r.getMessage()}" for r in found)
        + "\n"
        + "".join(logging.Formatter().formatException(r.exc_info) for r in found if r.exc_info)
    )
