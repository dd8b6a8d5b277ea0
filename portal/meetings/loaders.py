"""What the meeting pages share: the addresses, loading a meeting from the URL, the page frame,
and the sections other modules add to a meeting's own page.

The meeting, poll, agenda and minutes view modules all use these, so no view module imports
another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, url_for

from portal.access import found_or_404
from portal.db import utcnow
from portal.meetings import agenda
from portal.meetings.forms import RSVP_LABELS
from portal.meetings.models import Meeting
from portal.meetings.polls import closing_day
from portal.meetings.times import in_london, when_in_words
from portal.panels.service import get_panel

PANEL = "/panels/<int:panel_id>"
MEETING = PANEL + "/meetings/<int:meeting_id>"

# Other parts of the meeting page (agenda, papers, minutes) add a loader here: it takes the
# meeting and returns what its section template needs, loaded up front in a fixed number of
# queries. Their templates are included by meetings/meeting.html.
MEETING_PAGE_SECTIONS: list[Callable[[Meeting], dict[str, Any]]] = []


def load_meeting(panel_id: int, meeting_id: int, with_agenda: bool = False) -> Meeting:
    """The meeting if it is in the URL's panel (with its agenda and papers if asked), or 404."""
    return found_or_404(agenda.get_meeting(panel_id, meeting_id, with_agenda=with_agenda))


def meeting_page_url(panel_id: int, meeting_id: int) -> str:
    """The meeting's own page when the portal has one, else the pack page."""
    if "meetings.show_meeting" in current_app.view_functions:
        return url_for("meetings.show_meeting", panel_id=panel_id, meeting_id=meeting_id)
    return url_for("meetings.show_pack", panel_id=panel_id, meeting_id=meeting_id)


def page(template: str, panel_id: int, **context: object) -> str:
    return render_template(
        template,
        panel=get_panel(panel_id),
        when_in_words=when_in_words,
        in_london=in_london,
        rsvp_labels=RSVP_LABELS,
        closing_day=closing_day,
        now=utcnow(),
        **context,
    )
