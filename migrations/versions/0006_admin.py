"""administration: panel edit conflicts and archiving

Revision ID: 0004_admin
Revises: 0004_rounds
Create Date: 2026-11-23 16:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0004_admin"
down_revision = "0004_rounds"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("panel", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lock_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("panel", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
        batch_op.drop_column("lock_version")
