"""The domain's field names, and the blocks each modal shows them on."""

from __future__ import annotations

from bot.blocks import builder, checkin, review
from bot.domain import fields


def test_field_names_parse_back() -> None:
    assert fields.drafted(2, "target") == "commitments[2].target"
    assert fields.parse_drafted("commitments[2].target") == (2, "target")
    assert fields.measured(12, "value") == "commitment#12.value"
    assert fields.parse_measured("commitment#12.value") == (12, "value")
    assert fields.parse_drafted("aspiration") is None
    assert fields.parse_measured("commitments[2].target") is None


def test_each_modal_puts_a_field_on_its_own_block() -> None:
    assert builder.block_of(fields.drafted(0, "title")) == "commitment_0_title"
    assert builder.block_of(fields.ASPIRATION) == "aspiration"
    assert checkin.block_of(fields.measured(7, fields.VALUE)) == "value_7"
    assert checkin.block_of(fields.measured(7, fields.BASELINE)) is None
    assert review.block_of(fields.measured(7, fields.TARGET)) == "target_7"
    assert review.block_of(fields.REASON) == "reason"
