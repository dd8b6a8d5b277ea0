"""Loading what the administration pages work on from the URL: a 404 when it is not there.

The panel, membership and invitation pages all load the panel this way, so no view module
imports another.
"""

from __future__ import annotations

from portal.access import found_or_404
from portal.panels.models import Panel
from portal.panels.service import get_panel


def load_panel(panel_id: int) -> Panel:
    return found_or_404(get_panel(panel_id))
