"""The roles a person can have in a panel.

Apart from the models so that accounts (an invitation names a role) can use them without
importing the panel models, which refer back to accounts.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """A person's role in one panel."""

    MEMBER = "member"
    CHAIR = "chair"
    RESEARCHER = "researcher"
