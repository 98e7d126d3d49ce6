"""shared department data (数据共享): each fetched record with its source, time and digest, one row per version

Revision ID: 3f6a2d8e1c57
Revises: 3f7a2c9e41d6
Create Date: 2026-11-30 15:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import zwt.models.base


revision = '3f6a2d8e1c57'
down_revision = '3f7a2c9e41d6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'shared_data_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=40), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=40), nullable=False),
        sa.Column('department_code', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('previous_digest', sa.String(length=64), nullable=True),
        sa.Column('fetched_at', zwt.models.base.UTCDateTime(), nullable=False),
        sa.Column('checked_at', zwt.models.base.UTCDateTime(), nullable=False),
        sa.Column('record_enc', sa.LargeBinary(), nullable=False),
        sa.Column('record_key_version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_shared_data_records_account_id_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_data_records')),
        sa.UniqueConstraint('account_id', 'source', 'version', name='uq_shared_data_records_version'),
        sa.UniqueConstraint('public_id', name=op.f('uq_shared_data_records_public_id')),
    )
    op.create_index('ix_shared_data_records_account_source', 'shared_data_records', ['account_id', 'source'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_shared_data_records_account_source', table_name='shared_data_records')
    op.drop_table('shared_data_records')
