"""Ready-made questionnaires the study team copies and then changes: meeting feedback and a
priority vote. Their words are English on purpose: once copied they are the team's own text."""

from __future__ import annotations

from portal.questionnaires.models import QuestionType
from portal.questionnaires.service import QuestionDetails, QuestionnaireDetails

MEETING_FEEDBACK = QuestionnaireDetails(
    title="Meeting feedback",
    introduction="Thank you for coming to the meeting. Tell us how it went for you, so we can "
    "make the next one better. It takes about 5 minutes.",
    privacy_note="Your answers are anonymous. Nobody in the study team can tell who gave which "
    "answer.",
    anonymous=True,
)

MEETING_FEEDBACK_QUESTIONS = (
    QuestionDetails(
        QuestionType.SECTION,
        "About the meeting",
        "Say how much you agree with each sentence. You can skip any question.",
    ),
    QuestionDetails(QuestionType.AGREE_SCALE, "The meeting was accessible for me", required=True),
    QuestionDetails(QuestionType.AGREE_SCALE, "I felt listened to", required=True),
    QuestionDetails(
        QuestionType.AGREE_SCALE,
        "I felt able to speak freely about experiences of discrimination and racism",
    ),
    QuestionDetails(QuestionType.SECTION, "Your ideas", "Tell us in your own words."),
    QuestionDetails(QuestionType.LONG_TEXT, "What should we change for the next meeting?"),
    QuestionDetails(QuestionType.LONG_TEXT, "Is there anything else you want to tell us?"),
)

PRIORITY_VOTE = QuestionnaireDetails(
    title="Priority vote",
    introduction="Help us choose which actions matter most. Choose your top 5 and put them in "
    "order, starting with the one that matters most to you.",
    privacy_note="Your vote is anonymous.",
    anonymous=True,
)

PRIORITY_VOTE_QUESTIONS = (
    QuestionDetails(
        QuestionType.RANKING,
        "Choose and order your top 5 actions",
        "Put the action that matters most to you in first place.",
        required=True,
        options=(
            "Involve people with lived experience in planning services",
            "Recruit staff who reflect the communities the service works with",
            "Training for all staff on ethnicity and cultures",
            "Make it safe to talk about racism, ethnicity and culture",
            "Check decisions for bias",
            "Reach out to communities through trusted places",
            "Work with schools on mental health",
            "Peer support workers in every team",
        ),
        top_n=5,
    ),
    QuestionDetails(QuestionType.LONG_TEXT, "Is an important action missing from the list?"),
)

STARTERS: dict[str, tuple[QuestionnaireDetails, tuple[QuestionDetails, ...]]] = {
    "meeting_feedback": (MEETING_FEEDBACK, MEETING_FEEDBACK_QUESTIONS),
    "priority_vote": (PRIORITY_VOTE, PRIORITY_VOTE_QUESTIONS),
}
