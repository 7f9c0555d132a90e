"""Every action, callback and block id the bot uses, in one place."""

from __future__ import annotations

from enum import StrEnum


class Callback(StrEnum):
    ONBOARDING = "onboarding"
    PLAN_BUILDER = "plan_builder"
    COMMENT = "plan_comment"
    SUGGESTION = "plan_suggestion"  # a suggested edit: the builder, as the manager suggests it
    MANAGER_SIDE = "plan_manager_side"
    MANAGER_REFLECTION = "review_manager_reflection"
    SETTINGS = "settings"
    SAVE_MESSAGE = "save_message"  # the modal the message shortcut opens
    CHECKIN = "checkin"
    REVIEW = "review"
    EDIT_ENTRY = "own_entry_edit"  # a win or a comment of one's own, its text changed
    # History and trends: modals to read, with nothing to submit.
    HISTORY = "history"
    HISTORY_QUARTER = "history_quarter"
    HISTORY_REVISIONS = "history_revisions"
    TRENDS = "trends"


class Shortcut(StrEnum):
    SAVE_TO_PLAN = "save_to_plan"


class Action(StrEnum):
    EDIT = "plan_edit"
    PROPOSE = "plan_propose"
    ACKNOWLEDGE = "plan_acknowledge"
    COMMENT = "plan_comment"
    SUGGEST = "plan_suggest"
    ANSWER = "plan_answer"  # answer a comment
    APPLY_SUGGESTION = "plan_apply_suggestion"
    MANAGER_SIDE = "plan_manager_side"
    MANAGER_ONE_ON_ONE = "checkin_manager_one_on_one"  # the manager's "did the 1:1 happen?"
    SHARE = "plan_share"
    UNSHARE = "plan_unshare"
    START = "plan_start"
    ADD_COMMITMENT = "plan_builder_add_commitment"
    CHECKIN = "checkin_open"
    CHECKIN_WEEK = "checkin_week"  # the check-in modal's week picker
    REVIEW = "review_open"
    REVIEW_EARLY = "review_open_early"  # confirmed: close the quarter before its window
    UNDO_CLOSE = "review_undo_close"
    APPLY_BARS = "review_apply_bars"
    APPROVE_STANDARDS = "standards_approve"
    # One's own wins, comments and check-ins (/myplan wins, comments, checkins).
    EDIT_WIN = "own_win_edit"
    DELETE_WIN = "own_win_delete"
    EDIT_COMMENT = "own_comment_edit"
    DELETE_COMMENT = "own_comment_delete"
    DELETE_CHECKIN = "own_checkin_delete"
    HISTORY_LIST = "history_list"  # all past quarters
    HISTORY_PAGE = "history_page"  # another page of them
    HISTORY_OPEN = "history_open"  # one past quarter
    HISTORY_REVISIONS = "history_revisions"  # its revisions, a page at a time
    TRENDS = "trends_open"
    OPEN_REPORT = "team_open_report"  # the team view: a report's plan
    TEAM_PAGE = "team_page"  # the team view: another page of reports
    OPEN_REQUEST = "digest_open_request"  # a manager's digest: a plan waiting for them


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
    MANAGER_REFLECTION = "manager_reflection"
    REASON = "reason"
    ENTRY_TEXT = "entry_text"
    REVIEW_WINDOW_DAYS = "review_window_days"
    GRACE_DAYS = "grace_days"
    WORKING_DAYS = "working_days"
    HOLIDAYS = "holidays"
    TEAM_HOLIDAYS = "team_holidays"


COMMAND = "/myplan"
INPUT = "input"  # the action id of every modal input: the block id names the field


DIGEST_BLOCK = "digest"  # the block ids of a manager's digest start so
