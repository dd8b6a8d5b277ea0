"""Money as whole pence: typed as people write it, shown as "£12.50", never a float."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

# The most one amount may be: anything bigger is a typing mistake, not a payment.
LARGEST_AMOUNT_PENCE = 5_000_00

_AMOUNT = re.compile(r"^£?\s*(\d{1,9})(?:\.(\d{1,2}))?$")


class AmountProblem(ValueError):
    """An amount we cannot read or accept; the message is shown next to the field."""


def parse_pence(text: str, *, allow_zero: bool = False) -> int:
    """Pence from "£12.50", "12.5", "12" or "1,200.00". Raises ``AmountProblem`` with a plain
    message for anything negative, not money, or bigger than ``LARGEST_AMOUNT_PENCE``."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise AmountProblem(_l("Enter an amount in pounds and pence, for example £12.50"))
    if cleaned.startswith(("-", "£-", "−")):
        raise AmountProblem(_l("The amount cannot be less than £0"))
    match = _AMOUNT.match(cleaned)
    if not match:
        raise AmountProblem(_l("Enter an amount in pounds and pence, for example £12.50"))
    pounds = int(match[1])
    pence = int((match[2] or "0").ljust(2, "0"))
    total = pounds * 100 + pence
    if total > LARGEST_AMOUNT_PENCE:
        raise AmountProblem(_l("The amount must be £5,000 or less. Check you typed it right"))
    if total == 0 and not allow_zero:
        raise AmountProblem(_l("The amount must be more than £0"))
    return total


def format_pence(pence: int | None) -> str:
    """ "£12.50" for 1250; "-£3.00" for -300; "£0.00" for None."""
    value = pence or 0
    sign = "-" if value < 0 else ""
    pounds, rest = divmod(abs(value), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


def plain_pounds(pence: int | None) -> str:
    """ "12.50" for 1250: for spreadsheets and CSV files, where the £ sign gets in the way."""
    value = pence or 0
    sign = "-" if value < 0 else ""
    pounds, rest = divmod(abs(value), 100)
    return f"{sign}{pounds}.{rest:02d}"
