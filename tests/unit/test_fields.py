"""The domain's field names."""

from __future__ import annotations

from bot.domain import fields


def test_field_names_parse_back() -> None:
    assert fields.drafted(2, "target") == "commitments[2].target"
    assert fields.parse_drafted("commitments[2].target") == (2, "target")
    assert fields.measured(12, "value") == "commitment#12.value"
    assert fields.parse_measured("commitment#12.value") == (12, "value")
    assert fields.parse_drafted("aspiration") is None
    assert fields.parse_measured("commitments[2].target") is None
