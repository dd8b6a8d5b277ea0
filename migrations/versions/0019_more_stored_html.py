"""drafts' summaries and items, a round's instructions, a poll's description, minutes, actions,
a meeting's summary of previous results, a questionnaire's introduction and privacy note, a
question's help text and a panel's description kept as safe HTML beside the text, so pages do
not render them on every view

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 02:06:30.000000

"""

import sqlalchemy as sa
from alembic import op

from portal.text import render_user_text

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# (table, the text, the column for its HTML); every row is keyed by its id.
STORED = (
    ("draft", "summary", "summary_html"),
    ("draft_item", "description", "description_html"),
    ("draft_item", "what", "what_html"),
    ("draft_item", "resources", "resources_html"),
    ("draft_version", "summary", "summary_html"),
    ("version_item", "description", "description_html"),
    ("version_item", "what", "what_html"),
    ("version_item", "resources", "resources_html"),
    ("review_round", "instructions", "instructions_html"),
    ("availability_poll", "description", "description_html"),
    ("meeting", "previous_results_summary", "previous_results_summary_html"),
    ("minutes_revision", "body", "body_html"),
    ("meeting_action", "description", "description_html"),
    ("questionnaire", "introduction", "introduction_html"),
    ("questionnaire", "privacy_note", "privacy_note_html"),
    ("question", "help_text", "help_text_html"),
    ("panel", "description", "description_html"),
)
BATCH = 1000


def upgrade():
    for table, _source, target in STORED:
        op.add_column(table, sa.Column(target, sa.Text(), server_default="", nullable=False))
    connection = op.get_bind()
    for table, source, target in STORED:
        _fill(connection, table, source, target)


def _fill(connection, table, source, target):
    """Render the text of every existing row into its new column, a batch at a time."""
    rows = sa.table(table, sa.column("id"), sa.column(source), sa.column(target))
    change = (
        sa.update(rows)
        .where(rows.c.id == sa.bindparam("row_id"))
        .values({target: sa.bindparam("html")})
    )
    last = None
    while True:
        query = sa.select(rows.c.id, rows.c[source]).where(rows.c[source] != "")
        if last is not None:
            query = query.where(rows.c.id > last)
        batch = connection.execute(query.order_by(rows.c.id).limit(BATCH)).all()
        if not batch:
            return
        connection.execute(
            change,
            [{"row_id": row_id, "html": str(render_user_text(text))} for row_id, text in batch],
        )
        last = batch[-1][0]


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later): recreating a table in batch mode would delete
    # the rows that refer to it (a panel's everything, a draft's versions), as foreign keys are on.
    for table, _source, target in reversed(STORED):
        op.drop_column(table, target)
