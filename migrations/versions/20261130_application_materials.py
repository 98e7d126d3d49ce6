"""The materials an application was submitted with: the way that satisfied each, its reference and credential

Revision ID: 5b8e1f3a7c20
Revises: a9d2c4e61f30
Create Date: 2026-11-30 16:25:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import zwt.models.base


revision = '5b8e1f3a7c20'
down_revision = 'a9d2c4e61f30'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('application_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=True),
    sa.Column('credential_enc', sa.LargeBinary(), nullable=True),
    sa.Column('credential_key_version', sa.Integer(), nullable=True),
    sa.Column('consented_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_materials_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_materials')),
    sa.UniqueConstraint('application_id', 'name', name='uq_application_materials_name')
    )
    with op.batch_alter_table('application_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_materials_application_id'), ['application_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('application_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_materials_application_id'))
    op.drop_table('application_materials')
