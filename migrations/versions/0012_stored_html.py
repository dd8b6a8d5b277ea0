"""people's words kept as safe HTML beside the text, so busy pages do not render them on every view

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 13:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

from portal.text import render_preview, render_user_text

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# (table, its key columns, the text, the column for its HTML, how it is rendered)
STORED = (
    ("comment", ("id",), "body", "body_html", render_user_text),
    ("feedback_entry", ("id",), "text", "text_html", render_user_text),
    ("feedback_entry", ("id",), "text", "preview_html", render_preview),
    ("feedback_entry", ("id",), "response", "response_html", render_user_text),
    ("omission_check", ("id",), "rewording", "rewording_html", render_user_text),
    ("omission_check", ("id",), "general_comment", "general_comment_html", render_user_text),
    ("item_answer", ("id",), "comment", "comment_html", render_user_text),
    ("missing_action", ("id",), "description", "description_html", render_user_text),
    ("missing_action", ("id",), "why_it_matters", "why_it_matters_html", render_user_text),
    ("agenda_item", ("id",), "description", "description_html", render_user_text),
    ("answer", ("submission_id", "question_id"), "text", "text_html", render_user_text),
)
BATCH = 1000


def upgrade():
    for table, _keys, _source, target, _render in STORED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(target, sa.Text(), server_default="", nullable=False))
    connection = op.get_bind()
    for table, keys, source, target, render in STORED:
        _fill(connection, table, keys, source, target, render)


def _fill(connection, table, keys, source, target, render):
    """Render the text of every existing row into its new column, a batch at a time."""
    rows = sa.table(table, *(sa.column(name) for name in (*keys, source, target)))
    key_columns = [rows.c[name] for name in keys]
    change = (
        sa.update(rows)
        .where(*(rows.c[name] == sa.bindparam(f"k_{name}") for name in keys))
        .values({target: sa.bindparam("html")})
    )
    last = None
    while True:
        query = sa.select(*key_columns, rows.c[source]).where(rows.c[source] != "")
        if last is not None:
            query = query.where(sa.tuple_(*key_columns) > sa.tuple_(*last))
        batch = connection.execute(query.order_by(*key_columns).limit(BATCH)).all()
        if not batch:
            return
        connection.execute(
            change,
            [
                {
                    **{f"k_{name}": row[i] for i, name in enumerate(keys)},
                    "html": str(render(row[-1])),
                }
                for row in batch
            ],
        )
        last = tuple(batch[-1][: len(keys)])


def downgrade():
    for table, _keys, _source, target, _render in reversed(STORED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(target)
