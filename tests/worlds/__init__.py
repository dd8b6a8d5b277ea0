"""Each domain's part of the access-matrix world: the objects its routes need, and the test's
own hand-written statement of which panel roles may open each of its panel pages."""

from __future__ import annotations

from types import ModuleType

from tests.worlds import (
    accounts,
    admin,
    agreements,
    feedback,
    involvement,
    meeting_papers,
    meetings,
    notifications,
    questionnaires,
    results,
    rights,
    rounds,
    summaries,
)

DOMAINS: tuple[ModuleType, ...] = (
    rounds,
    results,
    feedback,
    accounts,
    admin,
    meetings,
    meeting_papers,
    questionnaires,
    involvement,
    notifications,
    agreements,
    rights,
    summaries,
)
