"""presentations indexed by account and time for the per-account limit

Revision ID: ab6f9d3c9778
Revises: 7c4e2a91d5b3
Create Date: 2026-11-30 09:23:23.134366
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa



revision = 'ab6f9d3c9778'
down_revision = '7c4e2a91d5b3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('wallet_presentations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wallet_presentations_account_id'))
        batch_op.create_index('ix_wallet_presentations_account_issued', ['account_id', 'issued_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('wallet_presentations', schema=None) as batch_op:
        batch_op.drop_index('ix_wallet_presentations_account_issued')
        batch_op.create_index(batch_op.f('ix_wallet_presentations_account_id'), ['account_id'], unique=False)

