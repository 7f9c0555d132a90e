"""One Bolt listener for each kind of request, which finds its listener by id.

Bolt finds a request's listener by trying each registered one in turn, every
try building all of Bolt's arguments afresh: with 55 listeners, an App
Home opened was tried against 38 before its own, a check-in's submission
against 22 (profiled: a third of the CPU of answering a request, before its
ack). Here Bolt holds one listener a kind (commands, actions, shortcuts, modal
submissions, events), registered with the kind's first route, and that one
looks the request's id up in a dict and calls its listener with the arguments
it names, as Bolt would have: Bolt's own first, then the context's, None for
anything neither has.

A request whose id no route knows (a button of a message older than this
version, a forged id) is answered, never Bolt's 404: the person is told the
button is out of date; an event no route knows is acked and ignored. As the
catch-alls match every request of their kind, nothing is to be registered on
the App itself after them: it would never be reached (listeners go through
the Registrar).
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt.kwargs_injection.args import Args

from bot.domain.errors import DomainError

log = logging.getLogger(__name__)

Listener = Callable[..., None]

ANY = re.compile(r".*")
OUTDATED = (
    "myplan no longer knows that button, form or command (it may be from an older "
    "message), so nothing was done. Type `/myplan` to start again."
)


class Outdated(DomainError):
    """A request naming an id no listener has: told, as a domain error is."""


def _command_id(args: Args) -> str:
    return str((args.command or {}).get("command", ""))


def _action_id(args: Args) -> str:
    # A Block Kit action names itself; an attachment's names its callback in the body.
    action = args.action or {}
    return str(action.get("action_id") or args.body.get("callback_id") or "")


def _shortcut_id(args: Args) -> str:
    return str((args.shortcut or {}).get("callback_id", ""))


def _view_id(args: Args) -> str:
    return str((args.view or {}).get("callback_id", ""))


def _event_type(args: Args) -> str:
    return str((args.event or {}).get("type", ""))


# What Bolt registers a kind with, and where a request of that kind names its id.
_KINDS: dict[str, tuple[Callable[[App], Callable[..., Any]], Callable[[Args], str]]] = {
    "command": (lambda app: app.command(ANY), _command_id),
    "action": (lambda app: app.action(ANY), _action_id),
    "shortcut": (lambda app: app.shortcut(ANY), _shortcut_id),
    "view": (lambda app: app.view(ANY), _view_id),
    "event": (lambda app: app.event(ANY), _event_type),
}


class _Route:
    def __init__(self, listener: Listener, *, names: tuple[str, ...]) -> None:
        self.listener = listener
        self.names = names


def _parameters(listener: Listener) -> tuple[str, ...]:
    """The names ``listener`` takes, read through functools.wraps as Bolt reads them."""
    return tuple(inspect.signature(inspect.unwrap(listener)).parameters)


def _arguments(args: Args, names: tuple[str, ...]) -> dict[str, Any]:
    context = args.context
    return {
        name: getattr(args, name) if hasattr(args, name) else context.get(name) for name in names
    }


class Routes:
    """The routes of one app, by kind and id."""

    def __init__(self, app: App, *, unknown: Callable[[str], Listener]) -> None:
        self._app = app
        self._unknown = unknown  # the listener (already guarded) for an id of a kind no route has
        self._routes: dict[str, dict[str, _Route]] = {}

    def add(self, kind: str, *, name: str, listener: Listener) -> None:
        """``listener`` (guarded, wrapping the function Bolt would have called)
        for the requests of ``kind`` whose id is ``name``."""
        routes = self._routes.get(kind)
        if routes is None:
            routes = self._routes[kind] = {}
            self._install(kind, routes)
        routes[name] = _Route(listener, names=_parameters(listener))

    def _install(self, kind: str, routes: dict[str, _Route]) -> None:
        register, id_of = _KINDS[kind]
        unknown = self._unknown(kind)
        fallback = _Route(unknown, names=_parameters(unknown))

        def route(args: Args) -> None:
            found = routes.get(id_of(args), fallback)
            found.listener(**_arguments(args, found.names))

        register(self._app)(route)


def outdated(ack: Any, respond: Any, client: Any, actor: Any, view: Any) -> None:
    """Takes what answering needs (running.py: the ack, where to tell the person)."""
    raise Outdated(OUTDATED)


def ignored(event: dict[str, Any]) -> None:
    log.info("acked and ignored an event of type %s", event.get("type"))
