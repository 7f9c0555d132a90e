"""The services over one database session: a unit of work.

A service method never opens a transaction of its own; a use case (bot/usecases/)
opens one with ``use_case`` and every service it calls works inside it, so an
interaction commits whole or not at all.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.session import Database
from bot.services.calendar import CalendarService
from bot.services.conversation import ConversationService
from bot.services.history import HistoryService
from bot.services.lifecycle import LifecycleService
from bot.services.members import MemberService
from bot.services.overview import OverviewService
from bot.services.own import OwnService
from bot.services.pending import PendingService
from bot.services.plans import PlanService
from bot.services.reviews import ReviewService
from bot.services.rhythm import RhythmService
from bot.services.settings import SettingsService
from bot.services.sharing import SharingService
from bot.services.standards import StandardsService
from bot.services.waiting import WaitingService

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    members: MemberService
    plans: PlanService
    overview: OverviewService
    rhythm: RhythmService
    reviews: ReviewService
    standards: StandardsService
    settings: SettingsService
    sharing: SharingService
    lifecycle: LifecycleService
    calendar: CalendarService
    conversation: ConversationService
    own: OwnService
    history: HistoryService
    waiting: WaitingService
    pending: PendingService

    @classmethod
    def over(cls, session: Session) -> Services:
        return cls(
            members=MemberService(session),
            plans=PlanService(session),
            overview=OverviewService(session),
            rhythm=RhythmService(session),
            reviews=ReviewService(session),
            standards=StandardsService(session),
            settings=SettingsService(session),
            sharing=SharingService(session),
            lifecycle=LifecycleService(session),
            calendar=CalendarService(session),
            conversation=ConversationService(session),
            own=OwnService(session),
            history=HistoryService(session),
            waiting=WaitingService(session),
            pending=PendingService(session),
        )


@contextmanager
def unit_of_work(db: Database) -> Iterator[Services]:
    """The services over one transaction: committed when the block ends, rolled
    back (nothing written) when it raises."""
    with db.sessions.begin() as session:
        yield Services.over(session)


def use_case(
    work: Callable[Concatenate[Services, P], T],
) -> Callable[Concatenate[Database, P], T]:
    """Run ``work`` in one transaction of its own, given the services over it.

    The one retry is for first sight races: two first requests of a new
    person (or workspace) both insert it, and the loser's unique-key error
    ends its transaction; run again, it finds the winner's row."""

    @functools.wraps(work)
    def run(db: Database, /, *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            with unit_of_work(db) as services:
                return work(services, *args, **kwargs)
        except IntegrityError:
            log.info("%s raced another transaction; running it again", work.__name__)
            with unit_of_work(db) as services:
                return work(services, *args, **kwargs)

    return run
