"""Numbers as people type them, in their Slack locale (Babel's CLDR data).

Slack names a person's locale ("en-US", "de-DE", "fr-FR"; ``users.info``
with ``include_locale``). A number is read by that locale's rules, strictly:

- what the locale writes is read as it writes it: "1,5" is 1.5 in de-DE,
  "1.234,5" is 1234.5; "1,234.5" is 1234.5 in en-US;
- what the locale does not write is asked about, never guessed: "1,5" in
  en-US could be 15 or 1.5, "1.5" in de-DE could be 15 or 1,5;
- an entry with one separator that is not the locale's decimal sign and
  three digits after it ("1.234" in fr-FR, where Babel would read a decimal
  point but a thousands separator is as likely) is asked about too;
- a number is kept exactly (up to 15 significant digits, what the database's
  float holds) and shown back the same way, so a form saved untouched keeps it.

Unknown or missing locales read as en-US.
"""

from __future__ import annotations

import decimal
import functools
import math
import re

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

from bot.domain.errors import ValidationError
from bot.domain.text import NUMBER_MAX

DEFAULT_LOCALE = "en-US"
SIGNIFICANT_DIGITS = 15  # what a float keeps exactly: any 15 digits come back as typed
# What a number may be made of before the locale reads it: digits, the usual
# separators (spaces of every width, apostrophes), a sign, an exponent, a percent.
_SHAPE = re.compile(
    r"[+-]?[\d.,'\u2019 \u00a0\u202f]*\d[\d.,'\u2019 \u00a0\u202f]*(?:[eE][+-]?\d{1,3})?"
)
_SPACES = (" ", "\u00a0", "\u202f")


@functools.lru_cache(maxsize=64)
def locale_of(slack_locale: str | None) -> Locale:
    """Babel's locale for Slack's name of one ("de-DE"); en-US when unknown."""
    try:
        return Locale.parse((slack_locale or DEFAULT_LOCALE).replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(DEFAULT_LOCALE, sep="-")


def locale_name(slack_locale: str | None) -> str:
    """The locale as people know it ("de-DE"), for messages."""
    locale = locale_of(slack_locale)
    return f"{locale.language}-{locale.territory}" if locale.territory else locale.language


def read_number(typed: str, *, locale: str | None, field: str, label: str) -> decimal.Decimal:
    """The number ``typed`` in ``locale``, exactly; a ValidationError on
    ``field`` that says what is wrong, or asks which was meant."""
    where = locale_of(locale)
    text = typed.strip().removesuffix("%").rstrip()
    shown = typed if len(typed) <= NUMBER_MAX else typed[:NUMBER_MAX] + "\u2026"
    if text.lstrip("+-").lower() in ("nan", "inf", "infinity"):
        raise ValidationError({field: f"The {label} must be a finite number."})
    if len(typed) > NUMBER_MAX or not _SHAPE.fullmatch(text):
        example = show(3.5, locale=locale)
        raise ValidationError(
            {field: f"The {label} must be a number, like 12 or {example} (got {shown!r})."}
        )
    group = get_group_symbol(where)
    if group in _SPACES:  # a space is typed for a narrow or non-breaking one
        text = re.sub("[ \u00a0\u202f]", group, text)
    _refuse_ambiguous(text, where=where, locale=locale, field=field, label=label)
    try:
        value = parse_decimal(text, where, strict=True)
    except NumberFormatError as error:
        raise ValidationError(
            {field: _ask(typed.strip(), error, locale=locale, label=label)}
        ) from None
    if not value.is_finite() or not math.isfinite(float(value)):
        raise ValidationError({field: f"The {label} must be a finite number."})
    digits = len(value.normalize().as_tuple().digits)
    if digits > SIGNIFICANT_DIGITS or (value and exact(float(value)) != value.normalize()):
        raise ValidationError(
            {
                field: f"myplan keeps {SIGNIFICANT_DIGITS} significant digits: round the "
                f"{label}, or change its unit (k$ instead of $)."
            }
        )
    return value


def _refuse_ambiguous(
    text: str, *, where: Locale, locale: str | None, field: str, label: str
) -> None:
    """One separator that is not the locale's own, then exactly three digits:
    a thousands separator as likely as a decimal one. Asked, never guessed."""
    match = re.fullmatch(r"[+-]?(\d{1,3})([.,])(\d{3})", text)
    if match is None or match[2] in (get_decimal_symbol(where), get_group_symbol(where)):
        return
    small = show(float(f"{match[1]}.{match[3]}"), locale=locale)
    large = show(float(match[1] + match[3]), locale=locale)
    raise ValidationError(
        {
            field: f"Is {text!r} {small} or {large}? Type the {label} the way you mean it "
            f"({_rule(locale)})."
        }
    )


def _rule(locale: str | None) -> str:
    """How the locale writes numbers: "in de-DE, ',' marks decimals and '.' thousands"."""
    where = locale_of(locale)
    group = get_group_symbol(where)
    thousands = "a space" if group in _SPACES else repr(group)
    point = get_decimal_symbol(where)
    return f"in {locale_name(locale)}, {point!r} marks decimals and {thousands} thousands"


def _ask(typed: str, error: NumberFormatError, *, locale: str | None, label: str) -> str:
    """The question for an entry the locale does not write."""
    readings = []
    for suggestion in getattr(error, "suggestions", None) or []:
        try:
            readings.append(
                show(float(parse_decimal(suggestion, locale_of(locale))), locale=locale)
            )
        except (NumberFormatError, ValueError):
            continue
    if len(readings) >= 2:
        return (
            f"Is {typed!r} {readings[0]} or {readings[1]}? Type the {label} the way you mean "
            f"it ({_rule(locale)})."
        )
    return f"The {label} must be a number ({_rule(locale)}): {typed!r} is not one."


def exact(value: float) -> decimal.Decimal:
    """A stored number as it was typed: the shortest decimal of up to 15
    significant digits that the float holds (0.125, 12.345, 0.004)."""
    return decimal.Decimal(f"{value:.{SIGNIFICANT_DIGITS}g}").normalize()


def show(value: float, *, locale: str | None, grouped: bool = False) -> str:
    """A stored number as a person of ``locale`` would type it: every digit it
    was typed with, the locale's decimal sign, and (``grouped``) its thousands
    separator. ``read_number`` reads it back to the same value."""
    pattern = "#,##0.###############" if grouped else "0.###############"
    with decimal.localcontext() as context:
        context.prec = 800  # every digit of a float's 15, however large
        text = format_decimal(
            exact(value), format=pattern, locale=locale_of(locale), decimal_quantization=False
        )
    if len(text) <= NUMBER_MAX:
        return text
    mantissa, _, power = f"{value:.{SIGNIFICANT_DIGITS}g}".partition("e")
    return mantissa.replace(".", get_decimal_symbol(locale_of(locale))) + "e" + power
