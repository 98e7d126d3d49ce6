"""Service ratings (好差评): one rating per concluded application, with the follow-up a bad one opens

Revision ID: b7e4d2a9c615
Revises: 5b8e1f3a7c20
Create Date: 2026-11-30 16:20:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import zwt.models.base


revision = 'b7e4d2a9c615'
down_revision = '5b8e1f3a7c20'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=80), nullable=False),
    sa.Column('department_code', sa.String(length=40), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('rated_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('changed_at', zwt.models.base.UTCDateTime(), nullable=False),
    sa.Column('follow_up', sa.String(length=12), nullable=True),
    sa.Column('follow_up_due', sa.Date(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', zwt.models.base.UTCDateTime(), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('responded_at', zwt.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_service_ratings_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_service_ratings_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_ratings')),
    sa.UniqueConstraint('application_id', name=op.f('uq_service_ratings_application_id'))
    )
    op.create_index('ix_service_ratings_account_id', 'service_ratings', ['account_id'], unique=False)
    op.create_index('ix_service_ratings_changed', 'service_ratings', ['changed_at'], unique=False)
    op.create_index('ix_service_ratings_follow_up', 'service_ratings', ['department_code', 'follow_up'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_service_ratings_follow_up', table_name='service_ratings')
    op.drop_index('ix_service_ratings_changed', table_name='service_ratings')
    op.drop_index('ix_service_ratings_account_id', table_name='service_ratings')
    op.drop_table('service_ratings')
