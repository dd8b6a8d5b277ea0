"""meetings and questionnaires: a version number, so a second person's edit meets a conflict

Revision ID: 0005_edit_conflicts
Revises: 0004_accounts
Create Date: 2026-11-23 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005_edit_conflicts"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("meeting", "questionnaire"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("lock_version", sa.Integer(), server_default="1", nullable=False)
            )


def downgrade():
    for table in ("questionnaire", "meeting"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("lock_version")
