"""each item's answer counts in a review round, kept as answers are sent, so a round's results
do not count every answer on every view; filled from the answers already sent

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 15:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# Each counted answer, by the value stored for it, and the column that counts it.
ANSWERS = (
    ("strongly", "strongly"),
    ("partly", "partly"),
    ("no", "no_match"),
    ("not_sure", "not_sure"),
)


def upgrade():
    op.create_table(
        "round_item_count",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("version_item_id", sa.Integer(), nullable=False),
        sa.Column("strongly", sa.Integer(), server_default="0", nullable=False),
        sa.Column("partly", sa.Integer(), server_default="0", nullable=False),
        sa.Column("no_match", sa.Integer(), server_default="0", nullable=False),
        sa.Column("not_sure", sa.Integer(), server_default="0", nullable=False),
        sa.Column("comments", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["review_round.id"],
            name=op.f("fk_round_item_count_round_id_review_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_item_id"],
            ["version_item.id"],
            name=op.f("fk_round_item_count_version_item_id_version_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "round_id", "version_item_id", name=op.f("pk_round_item_count")
        ),
    )
    answer = sa.table(
        "item_answer",
        sa.column("check_id"),
        sa.column("version_item_id"),
        sa.column("resonance"),
        sa.column("comment"),
    )
    check = sa.table(
        "omission_check", sa.column("id"), sa.column("round_id"), sa.column("submitted_at")
    )
    counts = sa.table(
        "round_item_count",
        sa.column("round_id"),
        sa.column("version_item_id"),
        *(sa.column(name) for _value, name in ANSWERS),
        sa.column("comments"),
    )
    counted = (
        sa.select(
            check.c.round_id,
            answer.c.version_item_id,
            *(
                sa.func.count(sa.case((answer.c.resonance == value, 1)))
                for value, _name in ANSWERS
            ),
            sa.func.count(sa.case((answer.c.comment != "", 1))),
        )
        .select_from(answer.join(check, check.c.id == answer.c.check_id))
        .where(check.c.submitted_at.is_not(None))
        .group_by(check.c.round_id, answer.c.version_item_id)
    )
    columns = ["round_id", "version_item_id", *(name for _value, name in ANSWERS), "comments"]
    op.get_bind().execute(counts.insert().from_select(columns, counted))


def downgrade():
    op.drop_table("round_item_count")
