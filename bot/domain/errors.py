"""Errors the domain raises; every message is meant to be shown to a person."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A rule of the product was broken; ``str(error)`` is a readable sentence."""


class ValidationError(DomainError):
    """Input was refused. ``errors`` maps a field name to what is wrong with it,
    so a modal can show each message on the exact block that caused it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


class IllegalTransition(DomainError):
    """A plan was asked to move to a state it cannot reach from where it is."""


class StaleRevision(IllegalTransition):
    """An acknowledgement of a revision the plan has moved past: its button is stale."""

    def __init__(self, message: str, *, revision: int) -> None:
        self.revision = revision  # the plan's revision now
        super().__init__(message)


class PermissionDenied(DomainError):
    """The actor may not do this to this plan."""


class NotFound(DomainError):
    """The thing asked for does not exist (or the actor may not know it does)."""
