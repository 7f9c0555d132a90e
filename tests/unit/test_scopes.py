"""Least privilege: manifest.yml asks for exactly the scopes the bot's calls need.

The methods the bot calls are read from its source (``client.<method>(``) and
their scopes from Slack's method catalog (tests/slack_emulator/reference/).
A conversation method needs one scope per kind of conversation the bot uses:
team and leaders channels (public or private) and people's DMs.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.app import BOT_SCOPES
from tests.slack_emulator.server import load_catalog, manifest_bot_scopes

BOT = Path(__file__).resolve().parents[2] / "bot"
KINDS_USED = ("channels", "groups", "im")  # no group DMs
KINDS_USED_BY = {
    "conversations.open": ("im",),  # opens DMs only, never channels
    "conversations.members": ("channels", "groups"),  # team channels only
}
# Scopes for what Slack sends us rather than for a method we call.
NOT_FOR_A_METHOD = {"commands": "the /myplan command and the message shortcut"}
# Methods Bolt or slack_sdk call for us.
CALLED_FOR_US = {"auth.test", "oauth.v2.access"}
# slack_sdk helpers that are several Slack methods (files_upload_v2: ask for an
# upload URL, POST the bytes there, complete the upload).
HELPERS = {
    "files.upload.v2": ("files.getUploadURLExternal", "files.completeUploadExternal"),
}


def methods_the_bot_calls() -> set[str]:
    catalog = load_catalog()
    called = set(CALLED_FOR_US)
    for path in BOT.rglob("*.py"):
        for name in re.findall(r"\bclient\.([a-z]+_[A-Za-z_0-9]+)\(", path.read_text()):
            method = name.replace("_", ".")
            if method in HELPERS:
                called.update(HELPERS[method])
                continue
            assert method in catalog, (
                f"{path.name} calls {method}, which tests/slack_emulator/reference/methods "
                "lacks: copy its JSON there from shared/slack/web-api"
            )
            called.add(method)
    return called


def scopes_needed() -> dict[str, set[str]]:
    """scope -> the methods that need it."""
    catalog = load_catalog()
    needed: dict[str, set[str]] = {}
    for method in methods_the_bot_calls():
        scopes = catalog[method].scopes
        kinds = {scope.split(":", 1)[0]: scope for scope in scopes}
        if set(kinds) == {"channels", "groups", "im", "mpim"}:
            chosen = [kinds[kind] for kind in KINDS_USED_BY.get(method, KINDS_USED)]
        else:
            chosen = list(scopes[:1])
        for scope in chosen:
            needed.setdefault(scope, set()).add(method)
    return needed


def test_the_bot_calls_the_methods_recovery_and_doctor_need() -> None:
    assert {"conversations.history", "conversations.open", "chat.postMessage"} <= (
        methods_the_bot_calls()
    )


def test_every_manifest_scope_is_needed_by_a_method_the_bot_calls() -> None:
    needed = scopes_needed()
    unused = {s for s in manifest_bot_scopes() if s not in needed and s not in NOT_FOR_A_METHOD}
    assert not unused, f"manifest.yml asks for scopes no call needs: {sorted(unused)}"


def test_every_method_the_bot_calls_has_its_scopes_in_the_manifest() -> None:
    missing = {
        scope: sorted(methods)
        for scope, methods in scopes_needed().items()
        if scope not in manifest_bot_scopes()
    }
    assert not missing, f"manifest.yml lacks scopes the bot's calls need: {missing}"


def test_oauth_installs_ask_for_the_manifest_scopes() -> None:
    assert set(BOT_SCOPES) == manifest_bot_scopes()
    assert len(BOT_SCOPES) == len(set(BOT_SCOPES))
