"""identity proofing levels, sign-in sessions and SMS challenges

Revision ID: 336078739a67
Revises: 5e1c0a7d9b42
Create Date: 2026-11-30 08:09:59.568983

Accounts whose real name the police confirmed before levels existed start at level 1 (police): their
phone was never proven, so their licenses wait until they prove it (``POST /api/v1/me/identity/phone``).
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import zwt.models.base


revision = '336078739a67'
down_revision = '5e1c0a7d9b42'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account_sessions',
    sa.Column('family', sa.String(length=40), nullable=False),
    sa.Column('public_id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('created_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('ended_at', zwt.models.base.UTCDateTime(), nullable=True),
    sa.Column('ended_reason', sa.String(length=24), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_sessions_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('family', name=op.f('pk_account_sessions')),
    sa.UniqueConstraint('public_id', name=op.f('uq_account_sessions_public_id'))
    )
    with op.batch_alter_table('account_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_account_sessions_account_address', ['account_id', 'address'], unique=False)

    op.create_table('sms_challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('payload_enc', sa.LargeBinary(), nullable=True),
    sa.Column('payload_key_version', sa.Integer(), nullable=True),
    sa.Column('created_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('expires_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('used_at', zwt.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_sms_challenges_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_challenges')),
    sa.UniqueConstraint('public_id', name=op.f('uq_sms_challenges_public_id'))
    )
    with op.batch_alter_table('sms_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_challenges_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_challenges_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proofing_level', sa.SmallInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('phone_verified_at', zwt.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('carrier_verified_at', zwt.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('liveness_verified_at', zwt.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('frozen_at', zwt.models.base.UTCDateTime(), nullable=True))

    op.execute("UPDATE accounts SET proofing_level = 1 WHERE identity_verified_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('frozen_at')
        batch_op.drop_column('liveness_verified_at')
        batch_op.drop_column('carrier_verified_at')
        batch_op.drop_column('phone_verified_at')
        batch_op.drop_column('proofing_level')

    with op.batch_alter_table('sms_challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_challenges_expires_at'))
        batch_op.drop_index(batch_op.f('ix_sms_challenges_account_id'))

    op.drop_table('sms_challenges')
    with op.batch_alter_table('account_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_account_sessions_account_address')

    op.drop_table('account_sessions')
