"""omission checks remember where the member left off

Revision ID: 0004_rounds
Revises: 0004_feedback
Create Date: 2026-11-23 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004_rounds"
down_revision = "0004_feedback"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("omission_check", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("resume_page", sa.String(length=40), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("omission_check", schema=None) as batch_op:
        batch_op.drop_column("resume_page")
