"""Fill a database with the volume the portal must stay fast at.

One panel with a study team, ``members`` panel members, a published draft of ``items`` items, an
open review round every member has answered (a comment on every item, a missing action, a
rewording suggestion), and ``comments`` comments on the draft, each in the study team's inbox.

    PORTAL_DATABASE_URL=sqlite:////tmp/bench.sqlite3 python -m bench.seed --comments 10000

The database must already have the portal's tables (``flask --app wsgi db upgrade``). Every
account gets the same password, printed at the end, so the measuring script can sign in.
"""

from __future__ import annotations

import argparse
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import insert

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.db import utcnow
from portal.drafts.models import DraftKind, VersionItem
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.feedback.models import Comment, EntryKind, FeedbackEntry, TriageStatus
from portal.meetings.models import AgendaItem, Meeting, MeetingStatus, Rsvp, RsvpAnswer
from portal.meetings.service import MeetingDetails, create_meeting
from portal.panels.models import Membership, Panel, Role, Site
from portal.questionnaires.models import (
    Answer,
    Completion,
    Question,
    Questionnaire,
    QuestionType,
    Submission,
)
from portal.rounds.counts import recount
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck, Resonance, ReviewRound
from portal.text import render_preview, render_user_text

THEMES = (
    "Greater involvement of lived experience",
    "Staff diversity across roles",
    "Training on ethnicity and cultures",
    "Open discussion of racism, ethnicity and culture",
    "Reducing preconceptions and discrimination",
    "Reaching out to communities",
    "Working with schools",
    "Peer support",
)
ANSWERS = (Resonance.STRONGLY, Resonance.PARTLY, Resonance.NO, Resonance.NOT_SURE)
STATUSES = (TriageStatus.NEW, TriageStatus.ACKNOWLEDGED, TriageStatus.ACTIONED)
BATCH = 1000


@dataclass(frozen=True)
class Seeded:
    """What the measuring script needs to find its way around the seeded data."""

    panel_id: int
    draft_id: int
    version_number: int
    round_id: int
    first_item_id: int
    member_email: str
    researcher_email: str
    password: str
    meeting_id: int
    questionnaire_id: int


def _people(panel: Panel, count: int, role: Role, label: str, password_hash: str) -> list[User]:
    users = [
        User(
            email=f"{label}{number}-{secrets.token_hex(3)}@bench.example.org",
            display_name=f"Bench {label} {number}",
            password_hash=password_hash,
        )
        for number in range(1, count + 1)
    ]
    db.session.add_all(users)
    db.session.flush()
    for user in users:
        number = panel.next_pseudonym_number
        panel.next_pseudonym_number = number + 1
        db.session.add(
            Membership(
                panel_id=panel.id,
                user_id=user.id,
                role=role,
                pseudonym_code=f"{panel.pseudonym_prefix}-{number:02d}",
            )
        )
    db.session.flush()
    return users


def seed(
    comments: int = 10_000, members: int = 50, items: int = 30, password: str | None = None
) -> Seeded:
    """Add the bench data in one transaction and commit it. Needs an application context."""
    password = password or secrets.token_urlsafe(16)
    password_hash = hash_password(password)  # once: hashing is slow on purpose
    panel = Panel(name=f"Bench panel {secrets.token_hex(2)}", study_name="Bench study")
    db.session.add(panel)
    db.session.flush()
    site = Site(panel_id=panel.id, name="East London")
    db.session.add(site)
    (researcher,) = _people(panel, 1, Role.RESEARCHER, "researcher", password_hash)
    people = _people(panel, members, Role.MEMBER, "member", password_hash)

    draft = create_draft(
        panel.id,
        DraftDetails(
            kind=DraftKind.PRIORITY_ACTIONS,
            title="East London priority actions",
            site_id=site.id,
            source="focus group: service users and carers",
            summary="What **we heard** in the focus groups.",
        ),
        researcher.id,
    )
    for number in range(1, items + 1):
        theme = THEMES[number % len(THEMES)]
        add_item(
            draft,
            ItemDetails(
                title=f"Action {number}: {theme}",
                description=f"What people said about *{theme.lower()}*.",
                theme=theme,
            ),
            draft.lock_version,
        )
    version = publish(draft, researcher.id, draft.lock_version)
    review_round = ReviewRound(
        panel_id=panel.id,
        version_id=version.id,
        instructions="Tell us which actions match your experience.",
        closes_at=utcnow() + timedelta(days=14),
        opened_by_id=researcher.id,
    )
    db.session.add(review_round)
    db.session.flush()

    _answer_round(review_round, version.items, people, draft.id, site.id)
    _comment(panel.id, draft.id, site.id, version.items, people, comments)
    first_item_id = version.items[0].id if version.items else 0
    meeting = _meeting(panel.id, researcher.id, people, items)
    questionnaire = _questionnaire(panel.id, researcher.id, people)
    db.session.commit()
    return Seeded(
        panel_id=panel.id,
        draft_id=draft.id,
        version_number=version.number,
        round_id=review_round.id,
        first_item_id=first_item_id,
        member_email=people[0].email if people else researcher.email,
        researcher_email=researcher.email,
        password=password,
        meeting_id=meeting.id,
        questionnaire_id=questionnaire.id,
    )


def _meeting(panel_id: int, researcher_id: int, people: list[User], items: int) -> Meeting:
    """A published meeting next week with its pack out: an agenda item per draft item, and a
    reply from every member."""
    starts = utcnow().replace(microsecond=0) + timedelta(days=7)
    meeting = create_meeting(
        panel_id,
        MeetingDetails(
            title="Workshop: which actions matter most",
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            joining_link="https://meet.example.org/bench",
            accessibility_info="Captions are on. Take a break whenever you need.",
        ),
        researcher_id,
    )
    meeting.status = MeetingStatus.PUBLISHED
    meeting.pack_published_at = utcnow()
    meeting.previous_results_summary = "You said the list was too long. We shortened it."
    for position in range(1, items + 1):
        db.session.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=position,
                title=f"Agenda item {position}",
                description="What we will talk about, and *why*.",
                minutes=5,
                lead="The chair",
            )
        )
    for index, person in enumerate(people):
        answer = RsvpAnswer.NOT_ATTENDING if index % 4 == 0 else RsvpAnswer.ATTENDING
        db.session.add(Rsvp(meeting_id=meeting.id, user_id=person.id, answer=answer))
    db.session.flush()
    return meeting


def _questionnaire(panel_id: int, researcher_id: int, people: list[User]) -> Questionnaire:
    """A named, open questionnaire of five kinds of question that every member has answered."""
    questionnaire = Questionnaire(
        panel_id=panel_id,
        title="How did the workshop go?",
        introduction="It takes about **five minutes**.",
        created_by_id=researcher_id,
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=14),
    )
    db.session.add(questionnaire)
    db.session.flush()
    kinds = [
        (QuestionType.SINGLE_CHOICE, "How did you join?", ["Online", "In person", "By phone"]),
        (QuestionType.AGREE_SCALE, "I felt listened to.", []),
        (QuestionType.YES_NO_NOT_SURE, "Would you come again?", []),
        (QuestionType.MULTIPLE_CHOICE, "What helped?", ["Captions", "Breaks", "Papers early"]),
        (QuestionType.LONG_TEXT, "What could we do better?", []),
    ]
    questions = [
        Question(
            questionnaire_id=questionnaire.id, position=position, kind=kind, text=text, options=opts
        )
        for position, (kind, text, opts) in enumerate(kinds, start=1)
    ]
    db.session.add_all(questions)
    db.session.flush()
    today = utcnow().date()
    for number, person in enumerate(people):
        submission = Submission(
            id=secrets.token_hex(16),
            questionnaire_id=questionnaire.id,
            user_id=person.id,
            submitted_on=today,
            is_final=True,
        )
        db.session.add(submission)
        db.session.add(
            Completion(
                id=secrets.token_hex(16),
                questionnaire_id=questionnaire.id,
                user_id=person.id,
                completed_on=today,
            )
        )
        values: list[tuple[str, list[str]]] = [
            ("", [kinds[0][2][number % 3]]),
            ("", [str(1 + number % 5)]),
            ("", [("yes", "no", "not_sure")[number % 3]]),
            ("", kinds[3][2][: 1 + number % 3]),
            (f"More time for *questions* ({number}).", []),
        ]
        db.session.add_all(
            Answer(submission_id=submission.id, question_id=question.id, text=text, choices=chosen)
            for question, (text, chosen) in zip(questions, values, strict=True)
        )
    db.session.flush()
    return questionnaire


def _answer_round(
    review_round: ReviewRound,
    version_items: list[VersionItem],
    people: list[User],
    draft_id: int,
    site_id: int,
) -> None:
    """Every member but the first has sent answers; the first is left to answer by hand."""
    now = utcnow()
    checks = [
        OmissionCheck(
            round_id=review_round.id,
            user_id=person.id,
            rewording=f"Say 'people' rather than 'patients' ({number}).",
            general_comment=f"Thank you for asking us ({number}).",
            submitted_at=now,
        )
        for number, person in enumerate(people[1:], start=1)
    ]
    db.session.add_all(checks)
    db.session.flush()
    for check_number, check in enumerate(checks):
        for index, item in enumerate(version_items):
            db.session.add(
                ItemAnswer(
                    check_id=check.id,
                    version_item_id=item.id,
                    resonance=ANSWERS[(check_number + index) % len(ANSWERS)],
                    comment=f"This matters to me because of what happened in {index + 1}.",
                )
            )
        db.session.add(
            MissingAction(
                check_id=check.id,
                position=1,
                description="Support for carers and families",
                why_it_matters="Carers are often left out.",
            )
        )
        db.session.add(
            FeedbackEntry(
                panel_id=review_round.panel_id,
                kind=EntryKind.MISSING_ACTION,
                author_id=check.user_id,
                draft_id=draft_id,
                site_id=site_id,
                round_id=review_round.id,
                source_key=f"check:{check.id}:missing:bench",
                text="Support for carers and families",
            )
        )
    db.session.flush()
    recount(review_round.id)


def _comment(
    panel_id: int,
    draft_id: int,
    site_id: int,
    version_items: list[VersionItem],
    people: list[User],
    count: int,
) -> None:
    """``count`` comments, each in the inbox. Inserted in bulk, with their safe HTML rendered
    once for the shared wording (only the number differs), so seeding 100,000 takes minutes,
    not hours; what the pages read is exactly what the portal itself would have stored."""
    if not people:
        return
    wording = "Comment NUMBER: this **matters** to our community."
    html = str(render_user_text(wording))
    preview = str(render_preview(wording))
    now = utcnow()
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        authors = [people[number % len(people)].id for number in numbers]
        ids = db.session.scalars(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True),
            [
                {
                    "panel_id": panel_id,
                    "draft_id": draft_id,
                    "item_key": version_items[number % len(version_items)].key
                    if version_items
                    else None,
                    "author_id": author,
                    "body": wording.replace("NUMBER", str(number)),
                    "body_html": html.replace("NUMBER", str(number)),
                    "created_at": now,
                    "updated_at": now,
                }
                for number, author in zip(numbers, authors, strict=True)
            ],
        ).all()
        db.session.execute(
            insert(FeedbackEntry),
            [
                {
                    "panel_id": panel_id,
                    "kind": EntryKind.COMMENT,
                    "author_id": author,
                    "draft_id": draft_id,
                    "site_id": site_id,
                    "comment_id": comment_id,
                    "text": wording.replace("NUMBER", str(number)),
                    "text_html": html.replace("NUMBER", str(number)),
                    "preview_html": preview.replace("NUMBER", str(number)),
                    "status": STATUSES[comment_id % len(STATUSES)],
                    "created_at": now,
                    "updated_at": now,
                }
                for number, author, comment_id in zip(numbers, authors, ids, strict=True)
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--items", type=int, default=30)
    args = parser.parse_args()
    from portal import create_app

    app = create_app()
    with app.app_context():
        seeded = seed(args.comments, args.members, args.items)
    print(json.dumps(asdict(seeded), indent=2))


if __name__ == "__main__":
    main()
