"""drop item_terms: search matches on each worker's replica, built from service_items.search_doc

Revision ID: 5e1c0a7d9b42
Revises: 7f9b5d7127a4
Create Date: 2026-11-30 06:20:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '5e1c0a7d9b42'
down_revision = '7f9b5d7127a4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every save wrote ~60 postings an item here and nothing read them: each worker's replica recomputes
    # them from search_doc (zwt.catalog.memory_index).
    with op.batch_alter_table('item_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_terms_item_id'))
    op.drop_table('item_terms')


def downgrade() -> None:
    op.create_table('item_terms',
    sa.Column('term', sa.String(length=24), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['service_items.id'], name=op.f('fk_item_terms_item_id_service_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term', 'item_id', name=op.f('pk_item_terms'))
    )
    with op.batch_alter_table('item_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_terms_item_id'), ['item_id'], unique=False)

    # Refill the postings from the stored documents, as the previous revision's code wrote them.
    from services_catalog.search import SearchDoc, doc_terms

    bind = op.get_bind()
    items = sa.table('service_items', sa.column('id', sa.Integer), sa.column('search_doc', sa.JSON))
    terms = sa.table('item_terms', sa.column('term', sa.String), sa.column('item_id', sa.Integer))
    for item_id, doc in bind.execute(sa.select(items.c.id, items.c.search_doc)).all():
        rows = [{"term": t, "item_id": item_id} for t in sorted(doc_terms(SearchDoc.from_dict(doc)))
                if len(t) <= 24] if doc else []
        if rows:
            bind.execute(terms.insert(), rows)
