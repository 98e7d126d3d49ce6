"""seal presentation texts at rest

Revision ID: 59ce64f061b2
Revises: 336078739a67
Create Date: 2026-11-30 09:06:03.516492

A QD1 text decodes without any key to the fields it discloses, ID numbers included, so rows keep it AES-GCM
sealed (zwt.pii, bound to the row). Migrations hold no keys, so the clear texts of existing rows are dropped,
not sealed: their QR images answer 404 (they expire within days; the app asks for a new presentation).
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import zwt.models.base


revision = '59ce64f061b2'
down_revision = '336078739a67'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('wallet_presentations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('text_key_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('text_digest', sa.String(length=64), nullable=True))
        batch_op.drop_column('text')



def downgrade() -> None:
    op.execute("DELETE FROM wallet_presentations")  # sealed texts cannot be put back in clear here
    with op.batch_alter_table('wallet_presentations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.VARCHAR(length=4000), nullable=False, server_default=''))
        batch_op.drop_column('text_digest')
        batch_op.drop_column('text_key_version')
        batch_op.drop_column('text_enc')

