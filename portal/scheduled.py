"""The jobs the worker runs on every pass, before it delivers mail.

Each job queues what is due (reminders, packs, offers) in its own transaction and must be safe to
run twice, or by two workers at once: a job never queues the same message twice.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from portal.accounts import email_links
from portal.meetings import jobs as meeting_jobs
from portal.notifications import digests
from portal.questionnaires import jobs as questionnaire_jobs
from portal.rights import data_copy, retention
from portal.rounds import reminders as round_reminders

SCHEDULED_JOBS: tuple[Callable[[Flask], object], ...] = (
    email_links.send_asked_for_links,  # first: someone is waiting to sign in
    meeting_jobs.run_due,
    questionnaire_jobs.run_due,
    round_reminders.remind_before_deadlines,
    meeting_jobs.send_due_packs,
    data_copy.make_waiting_copies,
    retention.apply_due,
    digests.send_due_digests,  # last: after the jobs above have saved up today's items
)
