"""Review rounds (study team) and omission checks (members), on the drafts blueprint."""

from __future__ import annotations

from portal.drafts.views import bp  # noqa: F401
