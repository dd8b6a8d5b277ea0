"""A review round's results and exports (study team), on the drafts blueprint."""

from __future__ import annotations

from portal.drafts.views import bp  # noqa: F401
