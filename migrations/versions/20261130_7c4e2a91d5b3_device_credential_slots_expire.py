"""device-bound credentials' status slots record when they expire, so expired slots can be reused

Revision ID: 7c4e2a91d5b3
Revises: 59ce64f061b2
Create Date: 2026-11-30 09:30:00.000000

``expires_at`` is filled from the presentations already made (the latest ``exp`` each slot carried); a
slot without any stays NULL and is never reused.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import zwt.models.base


revision = '7c4e2a91d5b3'
down_revision = '59ce64f061b2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('wallet_device_credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', zwt.models.base.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_wallet_device_credentials_list_expires', ['status_list_id', 'expires_at'],
                              unique=False)
    op.execute("UPDATE wallet_device_credentials SET expires_at = ("
               "SELECT max(p.expires_at) FROM wallet_presentations p "
               "WHERE p.license_id = wallet_device_credentials.license_id "
               "AND p.device_id = wallet_device_credentials.device_id)")


def downgrade() -> None:
    with op.batch_alter_table('wallet_device_credentials', schema=None) as batch_op:
        batch_op.drop_index('ix_wallet_device_credentials_list_expires')
        batch_op.drop_column('expires_at')
