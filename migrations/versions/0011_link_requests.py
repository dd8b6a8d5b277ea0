"""link requests: asking for a sign-in or reset link writes a row; the worker sends the link

Revision ID: 0011_link_requests
Revises: 0005_edit_conflicts
Create Date: 2026-12-03 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_link_requests"
down_revision = "0005_edit_conflicts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "link_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "sign_in",
                "password_reset",
                "email_change",
                name="link_request_purpose",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("next_path", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_request")),
    )


def downgrade():
    op.drop_table("link_request")
