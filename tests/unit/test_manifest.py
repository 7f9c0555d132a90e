"""manifest.yml is a valid Slack manifest and declares exactly what the code handles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator

from bot.app import BOT_SCOPES
from bot.ids import COMMAND, Shortcut
from bot.listeners.events import handlers

ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "tests/slack_emulator/reference/manifest.schema.json").read_text())


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text())
    return data


def test_manifest_validates_against_slacks_schema() -> None:
    errors = sorted(Draft7Validator(SCHEMA).iter_errors(manifest()), key=lambda e: e.path)
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_the_schema_catches_a_broken_manifest() -> None:
    broken = manifest()
    broken["display_information"].pop("name")
    assert list(Draft7Validator(SCHEMA).iter_errors(broken))


def test_commands_shortcuts_and_events_match_the_code() -> None:
    data = manifest()
    assert {c["command"] for c in data["features"]["slash_commands"]} == {COMMAND}
    assert {s["callback_id"] for s in data["features"]["shortcuts"]} == {s.value for s in Shortcut}
    assert set(data["settings"]["event_subscriptions"]["bot_events"]) == set(handlers())
    assert data["settings"]["interactivity"]["is_enabled"]
    assert data["features"]["app_home"]["home_tab_enabled"]
    assert tuple(data["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
