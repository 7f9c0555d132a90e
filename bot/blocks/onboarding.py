"""The onboarding modal: who your manager is, which channel your team uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.blocks.forms import field_values, place_errors, slack_id
from bot.blocks.primitives import conversation_select, mrkdwn_section, plain
from bot.domain import fields
from bot.domain.errors import ValidationError
from bot.ids import INPUT, Block, Callback


def onboarding_modal(*, manager: str | None, channel: str | None) -> dict[str, Any]:
    manager_element: dict[str, Any] = {"type": "users_select", "action_id": INPUT}
    if manager:
        manager_element["initial_user"] = manager
    return {
        "type": "modal",
        "callback_id": Callback.ONBOARDING.value,
        "title": plain("Welcome to myplan"),
        "submit": plain("Continue"),
        "blocks": [
            mrkdwn_section(
                "Everyone here has a Personal Improvement Plan: what you aim for this quarter, "
                "measured every week, made together with your manager."
            ),
            {
                "type": "input",
                "block_id": Block.MANAGER.value,
                "optional": True,
                "label": plain("Who is your manager?"),
                "element": manager_element,
                "hint": plain("Leave empty if you have none here."),
            },
            {
                "type": "input",
                "block_id": Block.TEAM_CHANNEL.value,
                "label": plain("Which channel does your team check in to?"),
                "element": conversation_select(channel),
            },
        ],
    }


@dataclass(frozen=True, kw_only=True)
class OnboardingSubmission:
    manager_user_id: str | None  # a Slack user id
    channel_id: str | None


def read_submission(view: dict[str, Any]) -> OnboardingSubmission:
    """Raises Unreadable on a forged user or channel id."""
    values = field_values(view)
    return OnboardingSubmission(
        manager_user_id=slack_id(values.get(Block.MANAGER.value)),
        channel_id=slack_id(values.get(Block.TEAM_CHANNEL.value)),
    )


def errors_for(error: ValidationError) -> dict[str, str]:
    """The manager's problems on the manager picker, any other on the channel."""
    return place_errors(
        error.errors,
        block_of=lambda field: (
            Block.MANAGER.value if field == fields.MANAGER else Block.TEAM_CHANNEL.value
        ),
        present={Block.MANAGER.value, Block.TEAM_CHANNEL.value},
        fallback=Block.MANAGER.value,
    )
