"""meetings: a version number, so two people's edits meet a conflict instead of overwriting

Revision ID: 0005_meeting_edit_conflicts
Revises: 0004_accounts
Create Date: 2026-11-23 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005_meeting_edit_conflicts"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lock_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("lock_version")
