"""The demo study's open review round, already answered by most demo members, so the results
page, its charts and the exports have something to show. Demo member 1 has not answered, so the
check itself can still be tried."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.feedback.routing import route_omission_check
from portal.panels.models import Panel
from portal.rounds.counts import recount
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck, Resonance, ReviewRound

S, P, N, U = Resonance.STRONGLY, Resonance.PARTLY, Resonance.NO, Resonance.NOT_SURE


@dataclass(frozen=True)
class DemoCheck:
    """What one demo member said: an answer per action in order (None: skipped), comments by
    action number, missing actions (description, why it matters), rewording, anything else."""

    email: str
    resonances: tuple[Resonance | None, ...]
    comments: dict[int, str] = field(default_factory=dict)
    missing: tuple[tuple[str, str], ...] = ()
    rewording: str = ""
    general: str = ""


CHECKS = (
    DemoCheck(
        "member2@demo.invalid",
        (S, S, P, S, P, S),
        comments={1: "Being asked to help plan makes me feel listened to."},
        missing=(("Interpreters at every appointment", "My mum could not follow the doctor."),),
        rewording="Say 'peer worker', not 'PSW'.",
    ),
    DemoCheck(
        "member3@demo.invalid",
        (S, P, S, P, N, S),
        comments={5: "Faith groups helped me, but not everyone goes to one."},
        missing=(("Longer appointments", "Ten minutes is not enough to explain how you feel."),),
        general="Thank you for asking us.",
    ),
    DemoCheck(
        "member4@demo.invalid",
        (P, S, S, S, U, S),
        comments={4: "This matters most to me. Nobody ever asked me about racism."},
        rewording="For action 4, say who will make it safe to talk, and how.",
    ),
    DemoCheck(
        "member5@demo.invalid",
        (S, U, P, S, P, P),
        comments={6: "Peer workers need support too, or they burn out."},
        missing=(
            ("Support for carers and families", "Families often notice first when things change."),
            ("Information in other languages", ""),
        ),
        general="The list is a good start.",
    ),
    DemoCheck(
        "member6@demo.invalid",
        (S, S, None, S, P, S),
        comments={2: "Staff who speak our languages would help a lot."},
        rewording="Use plain words instead of 'co-produce'.",
    ),
)


def load_rounds_demo(panel: Panel, people: dict[str, User], draft_title: str) -> None:
    """Send the demo members' omission checks on the open round once; nothing is emailed."""
    review_round = db.session.scalar(
        select(ReviewRound)
        .join(DraftVersion, DraftVersion.id == ReviewRound.version_id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(ReviewRound.panel_id == panel.id, Draft.title == draft_title)
        .options(
            joinedload(ReviewRound.version).options(
                selectinload(DraftVersion.items), joinedload(DraftVersion.draft)
            )
        )
    )
    if review_round is None or db.session.scalar(
        select(OmissionCheck.id).where(OmissionCheck.round_id == review_round.id).limit(1)
    ):
        return
    items = review_round.version.items
    for hours, said in enumerate(CHECKS, start=2):
        check = OmissionCheck(
            round_id=review_round.id,
            user_id=people[said.email].id,
            rewording=said.rewording,
            general_comment=said.general,
            # Spread over the days since the round opened, as answers come in.
            submitted_at=review_round.opened_at + timedelta(hours=hours * 9),
            resume_page="answers",
        )
        check.answers = [
            ItemAnswer(
                version_item_id=item.id,
                resonance=resonance,
                comment=said.comments.get(number, ""),
            )
            for number, (item, resonance) in enumerate(
                zip(items, said.resonances, strict=False), start=1
            )
        ]
        check.missing_actions = [
            MissingAction(position=position, description=description, why_it_matters=why)
            for position, (description, why) in enumerate(said.missing, start=1)
        ]
        db.session.add(check)
        db.session.flush()
        route_omission_check(check, review_round, review_round.version.draft)
    recount(review_round.id)
