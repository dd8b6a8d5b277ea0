"""Scheduled meeting work the worker runs: reminders and pre-meeting packs."""

from __future__ import annotations

from flask import Flask


def run_due(app: Flask) -> int:
    """Queue whatever meeting mail is due now; returns how many messages were queued."""
    return 0
