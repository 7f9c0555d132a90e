"""Every action, callback and block id the bot uses, in one place."""

from __future__ import annotations

from enum import StrEnum


class Callback(StrEnum):
    ONBOARDING = "onboarding"
    PLAN_BUILDER = "plan_builder"
    COMMENT = "plan_comment"
    SETTINGS = "settings"
    SAVE_MESSAGE = "save_message"  # the modal the message shortcut opens
    CHECKIN = "checkin"
    REVIEW = "review"


class Shortcut(StrEnum):
    SAVE_TO_PLAN = "save_to_plan"


class Action(StrEnum):
    EDIT = "plan_edit"
    PROPOSE = "plan_propose"
    ACKNOWLEDGE = "plan_acknowledge"
    COMMENT = "plan_comment"
    SUGGEST = "plan_suggest"
    SHARE = "plan_share"
    UNSHARE = "plan_unshare"
    START = "plan_start"
    ADD_COMMITMENT = "plan_builder_add_commitment"
    CHECKIN = "checkin_open"
    CHECKIN_WEEK = "checkin_week"  # the check-in modal's week picker
    REVIEW = "review_open"
    APPROVE_STANDARDS = "standards_approve"


class Block(StrEnum):
    MANAGER = "manager"
    NO_MANAGER = "no_manager"
    TEAM_CHANNEL = "team_channel"
    COMMENT = "comment"
    SAVE_AS = "save_as"
    TEXT = "text"
    FISCAL_START_MONTH = "fiscal_start_month"
    LEADERS_CHANNEL = "leaders_channel"
    STRETCH = "stretch"
    CHECKIN_WEEKDAY = "checkin_weekday"
    CHECKIN_TIME = "checkin_time"
    TIMEZONE = "timezone"
    SETTINGS_ADMINS = "settings_admins"
    WEEK = "week"
    CONFIDENCE = "confidence"
    WIN = "win"
    BLOCKER = "blocker"
    ONE_ON_ONE = "one_on_one"
    REFLECTION = "reflection"
    REASON = "reason"


COMMAND = "/myplan"
INPUT = "input"  # the action id of every modal input: the block id names the field
