"""Use cases over the database. Each public method is one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.session import Database
from bot.services.members import MemberService
from bot.services.plans import PlanService
from bot.services.reviews import ReviewService
from bot.services.rhythm import RhythmService
from bot.services.standards import StandardsService


@dataclass(frozen=True)
class Services:
    members: MemberService
    plans: PlanService
    rhythm: RhythmService
    reviews: ReviewService
    standards: StandardsService
    # For what keeps its own records over the same database (bot/outbox).
    db: Database

    @classmethod
    def build(cls, db: Database) -> Services:
        return cls(
            members=MemberService(db),
            plans=PlanService(db),
            rhythm=RhythmService(db),
            reviews=ReviewService(db),
            standards=StandardsService(db),
            db=db,
        )
