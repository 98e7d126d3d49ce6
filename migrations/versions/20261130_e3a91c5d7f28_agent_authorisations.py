"""Agent authorisations (代办授权): a holder lets an identity-proofed agent apply for one item for them

Revision ID: e3a91c5d7f28
Revises: d3c5a1e7f902
Create Date: 2026-11-30 18:45:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import zwt.models.base


revision = 'e3a91c5d7f28'
down_revision = 'd3c5a1e7f902'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agent_authorisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=40), nullable=False),
    sa.Column('holder_account_id', sa.Integer(), nullable=False),
    sa.Column('agent_account_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=80), nullable=False),
    sa.Column('granted_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('expires_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', zwt.models.base.UTCDateTime(), nullable=True),
    sa.Column('revoked_by', sa.String(length=8), nullable=True),
    sa.Column('evidence', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['agent_account_id'], ['accounts.id'],
                            name=op.f('fk_agent_authorisations_agent_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['holder_account_id'], ['accounts.id'],
                            name=op.f('fk_agent_authorisations_holder_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_authorisations')),
    sa.UniqueConstraint('public_id', name=op.f('uq_agent_authorisations_public_id'))
    )
    op.create_index('ix_agent_authorisations_agent_account_id', 'agent_authorisations', ['agent_account_id'],
                    unique=False)
    op.create_index('ix_agent_authorisations_holder_account_id', 'agent_authorisations', ['holder_account_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_agent_authorisations_holder_account_id', table_name='agent_authorisations')
    op.drop_index('ix_agent_authorisations_agent_account_id', table_name='agent_authorisations')
    op.drop_table('agent_authorisations')
