"""Numbers in each member's Slack locale (bot/domain/numbers.py), and the
domain's other parts of issue 12 items 3 and 5: weeks reported, renames."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.commitments import Rollup, parse_number, typed_number, weeks_reported
from bot.domain.content import (
    CommitmentInput,
    PlanContent,
    PlanInput,
    renamed_labels,
    snapshot,
    validate_plan,
)
from bot.domain.errors import ValidationError
from bot.domain.numbers import locale_name, read_number
from bot.domain.revisions import diff


def read(typed: str, locale: str | None) -> float:
    return parse_number(typed, field="f", label="value", locale=locale)


def asked(typed: str, locale: str | None) -> str:
    with pytest.raises(ValidationError) as caught:
        read(typed, locale)
    return caught.value.errors["f"]


@pytest.mark.parametrize(
    ("typed", "locale", "value"),
    [
        ("1,5", "de-DE", 1.5),
        ("1.234,5", "de-DE", 1234.5),
        ("1.234", "de-DE", 1234),  # the locale's own thousands separator
        ("0,125", "de-DE", 0.125),
        ("1 234,5", "fr-FR", 1234.5),  # a plain space for French's narrow one
        ("1,5", "fr-FR", 1.5),
        ("1,234.5", "en-US", 1234.5),
        ("1,234", "en-US", 1234),
        ("1.5", "en-US", 1.5),
        ("15%", "en-US", 15),
        ("1'234.5", "de-CH", 1234.5),
        ("12", None, 12),
        ("1,234.5", "xx-YY", 1234.5),  # an unknown locale reads as en-US
    ],
)
def test_a_number_is_read_as_the_locale_writes_it(typed: str, locale: str, value: float) -> None:
    assert read(typed, locale) == value


@pytest.mark.parametrize(
    ("typed", "locale", "question"),
    [
        ("1,5", "en-US", "Is '1,5' 15 or 1.5?"),
        ("1.5", "de-DE", "Is '1.5' 15 or 1,5?"),
        ("1,234.5", "de-DE", "Is '1,234.5' 1,2345 or 1234,5?"),
        # One separator the locale does not write, then three digits: a
        # thousands separator as likely as a decimal one.
        ("1.234", "fr-FR", "Is '1.234' 1,234 or 1234?"),
        ("1,2,3", "en-US", "'.' marks decimals and ',' thousands"),
    ],
)
def test_what_the_locale_does_not_write_is_asked_never_guessed(
    typed: str, locale: str, question: str
) -> None:
    assert question in asked(typed, locale)


def test_the_question_says_how_the_locale_writes_numbers() -> None:
    assert asked("1.5", "de-DE").endswith("(in de-DE, ',' marks decimals and '.' thousands).")
    assert "a space thousands" in asked("1.234", "fr-FR")
    assert locale_name("pt-BR") == "pt-BR" and locale_name(None) == "en-US"


@pytest.mark.parametrize(
    ("value", "locale", "shown", "grouped"),
    [
        (1234.5, "de-DE", "1234,5", "1.234,5"),
        (0.125, "de-DE", "0,125", "0,125"),
        (1234.5, "en-US", "1234.5", "1,234.5"),
        (1234567.125, "fr-FR", "1234567,125", "1\u202f234\u202f567,125"),
    ],
)
def test_a_stored_number_is_shown_in_the_locale(
    value: float, locale: str, shown: str, grouped: str
) -> None:
    assert typed_number(value, locale=locale) == shown
    assert typed_number(value, grouped=True, locale=locale) == grouped


@given(
    typed=st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=3
    ),
    locale=st.sampled_from(["en-US", "de-DE", "fr-FR", "de-CH", "pt-BR", "ja-JP"]),
    grouped=st.booleans(),
)
def test_what_is_shown_reads_back_exactly_in_its_locale(
    typed: Decimal, locale: str, grouped: bool
) -> None:
    value = float(typed)
    shown = typed_number(value, grouped=grouped, locale=locale)
    assert read_number(shown, locale=locale, field="f", label="v") == typed.normalize()


def test_roll_ups_say_how_many_weeks_were_reported() -> None:
    assert weeks_reported(Rollup.SUM, reported=9, so_far=11) == "sum of 9 of 11 weeks"
    assert weeks_reported(Rollup.AVERAGE, reported=1, so_far=1) == "average of 1 of 1 week"
    assert weeks_reported(Rollup.LATEST, reported=3, so_far=None) == "latest of 3 weeks reported"


def test_a_rename_is_one_change_that_says_renamed() -> None:
    def content(title: str, target: str, stored: int | None) -> PlanContent:
        return validate_plan(
            PlanInput(
                aspiration="Grow",
                commitments=[
                    CommitmentInput(
                        title=title,
                        kind="activity",
                        unit="calls",
                        baseline="20",
                        target=target,
                        id=stored,
                    )
                ],
            )
        )

    before = content("Cals", "25", 7)
    after = content("Calls", "30", 7)
    lines = [
        change.line
        for change in diff(
            snapshot(before),
            snapshot(after),
            renamed=renamed_labels(before, after),
        )
    ]
    assert lines == [
        "Commitment \u201cCalls\u201d: renamed from \u201cCals\u201d; \u201cactivity: 20 \u2192 25 "
        "calls per week (higher is better, average of weeks)\u201d \u2192 \u201cactivity: 20 "
        "\u2192 30 calls per week (higher is better, average of weeks)\u201d"
    ]
    # Without its identity (another commitment's id, or none), a new title is
    # a removal and an addition, as before.
    other = content("Calls", "25", 8)
    assert renamed_labels(before, other) == {}


def test_the_builder_carries_each_commitment_s_identity_through_add_a_commitment() -> None:
    """Each slot names the stored commitment it edits: opened, grown by "Add a
    commitment" (read back, then shown again) and submitted, the ids stay."""
    import json

    from bot.blocks.builder import plan_builder_modal, read_submission

    stored = PlanInput(
        aspiration="Grow",
        commitments=[
            CommitmentInput(
                title="Cals", kind="activity", unit="c", baseline="1", target="2", id=7
            ),
            CommitmentInput(title="Pipe", kind="result", unit="k$", baseline="1", target="2", id=9),
        ],
    )
    modal = plan_builder_modal(plan_id=3, quarter_label="Q4 FY2026", plan=stored, slots=3)
    assert json.loads(modal["private_metadata"])["ids"] == [7, 9, None]

    def submitted(view: dict[str, object], typed: dict[str, str]) -> dict[str, object]:
        state = {
            block: {"input": {"type": "plain_text_input", "value": value}}
            for block, value in typed.items()
        }
        return {**view, "state": {"values": state}}

    typed = {"aspiration": "Grow", "commitment_0_title": "Calls", "commitment_1_title": "Pipe"}
    typed |= {f"commitment_{i}_{f}": "1" for i in (0, 1) for f in ("unit", "baseline", "target")}
    grown = read_submission(submitted(modal, typed))
    assert [c.id for c in grown.plan.commitments] == [7, 9]
    again = plan_builder_modal(plan_id=3, quarter_label="Q4 FY2026", plan=grown.plan, slots=4)
    assert json.loads(again["private_metadata"])["ids"] == [7, 9, None, None]
    typed |= {"commitment_2_title": "New", "commitment_2_unit": "x"}
    final = read_submission(submitted(again, typed)).plan.commitments
    assert [(c.title, c.id) for c in final] == [("Calls", 7), ("Pipe", 9), ("New", None)]
