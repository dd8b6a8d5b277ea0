"""an index for each of the inbox's filters, so a page is found without reading every entry

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:35:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_feedback_entry_newest": ["panel_id", "created_at", "id"],
    "ix_feedback_entry_by_draft": ["panel_id", "draft_id", "created_at", "id"],
    "ix_feedback_entry_by_site": ["panel_id", "site_id", "created_at", "id"],
    "ix_feedback_entry_by_round": ["panel_id", "round_id", "created_at", "id"],
    "ix_feedback_entry_by_assignee": ["panel_id", "assignee_id", "created_at", "id"],
}


def upgrade():
    with op.batch_alter_table("feedback_entry", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table("feedback_entry", schema=None) as batch_op:
        for name in reversed(INDEXES):
            batch_op.drop_index(name)
