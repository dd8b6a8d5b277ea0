"""feedback: comments on a version, edit time, triage lock and read responses

Revision ID: 0004_feedback
Revises: 329af3e76c63
Create Date: 2026-11-23 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_feedback'
down_revision = '329af3e76c63'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_comment_version_id'), ['version_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comment_version_id_draft_version'), 'draft_version', ['version_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('feedback_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('feedback_entry', schema=None) as batch_op:
        batch_op.drop_column('lock_version')
        batch_op.drop_column('response_seen_at')

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comment_version_id_draft_version'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_comment_version_id'))
        batch_op.drop_column('edited_at')
        batch_op.drop_column('version_id')
