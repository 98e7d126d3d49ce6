"""Public credit in handling: each application's credit check and the commitment (信用承诺) it was submitted under

Revision ID: d3c5a1e7f902
Revises: b7e4d2a9c615
Create Date: 2026-11-30 19:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import zwt.models.base


revision = 'd3c5a1e7f902'
down_revision = 'b7e4d2a9c615'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('application_credit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=24), nullable=False),
    sa.Column('standing', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('checked_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('commitment_id', sa.String(length=48), nullable=True),
    sa.Column('owed', sa.JSON(), nullable=False),
    sa.Column('delivered', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=True),
    sa.Column('closed_at', zwt.models.base.UTCDateTime(), nullable=True),
    sa.Column('report_state', sa.String(length=12), nullable=True),
    sa.Column('report_attempts', sa.Integer(), nullable=False),
    sa.Column('next_report_at', zwt.models.base.UTCDateTime(), nullable=True),
    sa.Column('report_error', sa.String(length=200), nullable=False),
    sa.Column('record_no', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_application_credit_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_credit_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_credit')),
    sa.UniqueConstraint('application_id', name=op.f('uq_application_credit_application_id')),
    sa.UniqueConstraint('commitment_id', name=op.f('uq_application_credit_commitment_id'))
    )
    op.create_index('ix_application_credit_account_id', 'application_credit', ['account_id'], unique=False)
    op.create_index('ix_application_credit_due', 'application_credit', ['state', 'due_on'], unique=False)
    op.create_index('ix_application_credit_report', 'application_credit', ['report_state', 'next_report_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_application_credit_report', table_name='application_credit')
    op.drop_index('ix_application_credit_due', table_name='application_credit')
    op.drop_index('ix_application_credit_account_id', table_name='application_credit')
    op.drop_table('application_credit')
