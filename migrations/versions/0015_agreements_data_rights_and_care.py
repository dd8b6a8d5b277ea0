"""agreements with versions and an append-only ledger, copies of people's data, erasure and
contact requests, retention per panel, panel contacts and crisis lines, pauses, quoting and
content notes on meetings and questionnaires

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 16:04:50.240882

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('crisis_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('how', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_line'))
    )
    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('role', 'quote', 'recording', 'naming', 'other', name='agreement_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('withdrawal_note', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panel.id'], name=op.f('fk_agreement_panel_id_panel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_panel_id'), ['panel_id'], unique=False)

    op.create_table('data_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('waiting', 'ready', 'downloaded', 'expired', name='data_export_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('downloaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_data_export_requested_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_data_export_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_export')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_data_export_token_hash'))
    )
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_export_user_id'), ['user_id'], unique=False)

    op.create_table('erasure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('new', 'done', 'closed', name='erasure_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_erasure_request_handled_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_erasure_request_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_request'))
    )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_request_user_id'), ['user_id'], unique=False)

    op.create_table('panel_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('chair', 'researcher', 'peer_worker', name='panel_contact_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panel.id'], name=op.f('fk_panel_contact_panel_id_panel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_contact'))
    )
    with op.batch_alter_table('panel_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_contact_panel_id'), ['panel_id'], unique=False)

    op.create_table('retention_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('research_months', sa.Integer(), nullable=False),
    sa.Column('research_action', sa.Enum('pseudonymise', 'delete', name='research_action', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('admin_months', sa.Integer(), nullable=False),
    sa.Column('research_warned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('research_done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('admin_warned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('admin_done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panel.id'], name=op.f('fk_retention_policy_panel_id_panel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_policy')),
    sa.UniqueConstraint('panel_id', name=op.f('uq_retention_policy_panel_id'))
    )
    op.create_table('support_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(), nullable=False),
    sa.Column('message_html', sa.Text(), server_default='', nullable=False),
    sa.Column('contact_way', sa.Enum('email', 'phone', 'text', 'any', name='contact_way', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('new', 'in_hand', 'done', name='support_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_support_request_handled_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['panel_id'], ['panel.id'], name=op.f('fk_support_request_panel_id_panel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_support_request_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_request'))
    )
    with op.batch_alter_table('support_request', schema=None) as batch_op:
        batch_op.create_index('ix_support_request_panel', ['panel_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_request_user_id'), ['user_id'], unique=False)

    op.create_table('agreement_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('summary', sa.String(), nullable=False),
    sa.Column('body', sa.String(), nullable=False),
    sa.Column('summary_html', sa.Text(), server_default='', nullable=False),
    sa.Column('body_html', sa.Text(), server_default='', nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_version_agreement_id_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_version')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_agreement_version_agreement_id_number'))
    )
    with op.batch_alter_table('agreement_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_version_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('agreed', 'declined', 'withdrawn', name='agreement_decision', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('given_how', sa.Enum('online', 'paper', 'spoken', name='agreement_given_how', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('witness', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('pdf_copy', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_record_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['panel_id'], ['panel.id'], name=op.f('fk_agreement_record_panel_id_panel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_agreement_record_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_agreement_record_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], name=op.f('fk_agreement_record_version_id_agreement_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_record'))
    )
    with op.batch_alter_table('agreement_record', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_record_panel', ['panel_id', 'agreement_id', 'id'], unique=False)
        batch_op.create_index('ix_agreement_record_person', ['user_id', 'agreement_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_record_version_id'), ['version_id'], unique=False)

    op.create_table('consent_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('role', 'quote', 'recording', 'naming', 'other', name='agreement_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('agreed', sa.Boolean(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_consent_state_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['panel_id'], ['panel.id'], name=op.f('fk_consent_state_panel_id_panel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['agreement_record.id'], name=op.f('fk_consent_state_record_id_agreement_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_consent_state_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], name=op.f('fk_consent_state_version_id_agreement_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_state')),
    sa.UniqueConstraint('agreement_id', 'user_id', name=op.f('uq_consent_state_agreement_id_user_id'))
    )
    with op.batch_alter_table('consent_state', schema=None) as batch_op:
        batch_op.create_index('ix_consent_state_quote', ['panel_id', 'user_id', 'kind', 'agreed'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_state_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_state_version_id'), ['version_id'], unique=False)

    with op.batch_alter_table('feedback_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quoted_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_note', sa.String(), server_default='', nullable=False))

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paused_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('left_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('questionnaire', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_note', sa.String(), server_default='', nullable=False))



def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later): recreating a table in batch mode would delete
    # the rows that refer to it (a meeting's agenda items), as foreign keys are on.
    op.drop_column('questionnaire', 'content_note')

    op.drop_column('membership', 'left_at')
    op.drop_column('membership', 'paused_until')
    op.drop_column('membership', 'paused_at')

    op.drop_column('meeting', 'content_note')

    op.drop_column('feedback_entry', 'quoted_at')

    with op.batch_alter_table('consent_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_state_version_id'))
        batch_op.drop_index(batch_op.f('ix_consent_state_user_id'))
        batch_op.drop_index('ix_consent_state_quote')

    op.drop_table('consent_state')
    with op.batch_alter_table('agreement_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_record_version_id'))
        batch_op.drop_index('ix_agreement_record_person')
        batch_op.drop_index('ix_agreement_record_panel')

    op.drop_table('agreement_record')
    with op.batch_alter_table('agreement_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_version_agreement_id'))

    op.drop_table('agreement_version')
    with op.batch_alter_table('support_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_request_user_id'))
        batch_op.drop_index('ix_support_request_panel')

    op.drop_table('support_request')
    op.drop_table('retention_policy')
    with op.batch_alter_table('panel_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_contact_panel_id'))

    op.drop_table('panel_contact')
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_request_user_id'))

    op.drop_table('erasure_request')
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_export_user_id'))

    op.drop_table('data_export')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_panel_id'))

    op.drop_table('agreement')
    op.drop_table('crisis_line')
