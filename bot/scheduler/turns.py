"""The quarter's turns the clock sends: proposal nudges and grace closes
(what is due: bot/usecases/scheduled.py; when: bot/domain/calendar.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.blocks.plan_card import proposal_nudge_blocks
from bot.blocks.review import quarter_closed_blocks
from bot.outbox.keys import grace_close_key, proposal_nudge_key
from bot.usecases import reviews
from bot.usecases.scheduled import CloseDue, NudgeDue

if TYPE_CHECKING:
    from bot.scheduler.jobs import Outbox


def proposal_nudges(outbox: Outbox, *, due: list[NudgeDue]) -> None:
    """In a quarter's first week, then weekly: a draft's owner is asked to propose it."""
    for nudge in due:
        text, blocks = proposal_nudge_blocks(
            plan_id=nudge.owner.plan_id, quarter_label=nudge.quarter.label, first=nudge.number == 1
        )
        outbox.send(
            kind="proposal-nudge",
            key=proposal_nudge_key(nudge.owner.plan_id, nudge.number),
            channel=nudge.owner.slack_user_id,
            text=text,
            blocks=blocks,
            what=f"proposal nudge to {nudge.owner.slack_user_id}",
        )


def grace_closes(outbox: Outbox, *, due: list[CloseDue]) -> None:
    """Past the grace period, an unreviewed plan closes (one transaction each),
    and its owner hears it once, with what became of next quarter's plan. A
    close whose notice the outbox settled was made already: the rest of the
    catch-up week costs one lookup, not a transaction a plan every tick."""
    keys = {close.owner.plan_id: grace_close_key(close.owner.plan_id) for close in due}
    outbox.store.learn_settled(workspace_id=outbox.workspace_id, keys=list(keys.values()))
    for close in due:
        if outbox.store.settled(workspace_id=outbox.workspace_id, key=keys[close.owner.plan_id]):
            continue
        closed = reviews.close_by_grace(outbox.db, plan_id=close.owner.plan_id, now=outbox.now)
        if closed is None or closed.closed_by != "grace":
            continue
        text, blocks = quarter_closed_blocks(
            plan_id=closed.plan_id,
            quarter_label=closed.quarter_label,
            next_label=closed.next_label,
            early_until=None,
            carried=closed.carried,
            by_grace=True,
        )
        outbox.send(
            kind="grace-close",
            key=grace_close_key(closed.plan_id),
            channel=closed.owner_slack_user_id,
            text=text,
            blocks=blocks,
            what=f"grace close notice to {closed.owner_slack_user_id}",
        )
