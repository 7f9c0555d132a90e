"""The onboarding modal: who your manager is, which channel your team uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.blocks.forms import field_values, place_errors, slack_id
from bot.blocks.primitives import conversation_select, mrkdwn_section, plain
from bot.domain import fields
from bot.domain.errors import ValidationError
from bot.ids import INPUT, Block, Callback

NO_MANAGER = "none"  # the value of "I have no manager in this workspace"


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
            },
            {
                "type": "input",
                "block_id": Block.NO_MANAGER.value,
                "optional": True,
                "label": plain("Or"),
                "element": {
                    "type": "checkboxes",
                    "action_id": INPUT,
                    "options": [
                        {
                            "text": plain("I have no manager in this workspace"),
                            "description": plain(
                                "The top of the organisation: your acknowledgement alone "
                                "makes your plan active, and your plan says so."
                            ),
                            "value": NO_MANAGER,
                        }
                    ],
                },
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
    no_manager: bool  # "I have no manager in this workspace" ticked


def read_submission(view: dict[str, Any]) -> OnboardingSubmission:
    """Raises Unreadable on a forged user or channel id."""
    values = field_values(view)
    ticked = values.get(Block.NO_MANAGER.value)
    return OnboardingSubmission(
        manager_user_id=slack_id(values.get(Block.MANAGER.value)),
        channel_id=slack_id(values.get(Block.TEAM_CHANNEL.value)),
        no_manager=isinstance(ticked, list) and NO_MANAGER in ticked,
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
