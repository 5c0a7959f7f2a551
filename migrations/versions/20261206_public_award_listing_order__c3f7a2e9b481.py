"""public_award: copies of the cycle's and category's sort fields, and the listing's index

announced_on (the cycle's announcement), category_position and category_slug are copied onto
each public row, so the hall of fame reads one page of its own index instead of sorting
every award joined to its cycle and category. The copies are filled from those tables here
and kept in step by services/listing.py.

SQLite rebuilds the table to change a column, which drops the full-text index's triggers:
they are made again (the same statements as 3a549a82e182).

Revision ID: c3f7a2e9b481
Revises: b5e18c6f2a94
Create Date: 2026-12-06 00:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f7a2e9b481'
down_revision = 'b5e18c6f2a94'
branch_labels = None
depends_on = None

SQLITE_SEARCH_TRIGGERS = [
    'CREATE TRIGGER IF NOT EXISTS public_award_search_insert AFTER INSERT ON public_award BEGIN INSERT INTO public_award_search(rowid, display_name, citation) VALUES (new.id, new.display_name, new.citation); END',
    "CREATE TRIGGER IF NOT EXISTS public_award_search_delete AFTER DELETE ON public_award BEGIN INSERT INTO public_award_search(public_award_search, rowid, display_name, citation) VALUES ('delete', old.id, old.display_name, old.citation); END",
    "CREATE TRIGGER IF NOT EXISTS public_award_search_update AFTER UPDATE ON public_award BEGIN INSERT INTO public_award_search(public_award_search, rowid, display_name, citation) VALUES ('delete', old.id, old.display_name, old.citation); INSERT INTO public_award_search(rowid, display_name, citation) VALUES (new.id, new.display_name, new.citation); END",
]


def _remake_sqlite_triggers():
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_SEARCH_TRIGGERS:
            op.execute(statement)


def upgrade():
    with op.batch_alter_table('public_award', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announced_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('category_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('category_slug', sa.String(length=80), nullable=True))
    op.execute(
        "UPDATE public_award SET "
        "announced_on = (SELECT announcement FROM award_cycle "
        "WHERE award_cycle.id = public_award.cycle_id), "
        "category_position = (SELECT position FROM category "
        "WHERE category.id = public_award.category_id), "
        "category_slug = (SELECT slug FROM category WHERE category.id = public_award.category_id)")
    with op.batch_alter_table('public_award', schema=None) as batch_op:
        batch_op.alter_column('announced_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('category_position', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('category_slug', existing_type=sa.String(length=80),
                              nullable=False)
        batch_op.create_index('ix_public_award_category_slug', ['category_slug'], unique=False)
    # Outside the batch: SQLite's batch mode cannot copy an index with DESC columns.
    op.create_index('ix_public_award_listing', 'public_award', [
        sa.text('announced_on DESC'), 'category_position', 'category_id',
        sa.text('outcome DESC'), 'display_name', 'id'], unique=False)
    _remake_sqlite_triggers()


def downgrade():
    op.drop_index('ix_public_award_listing', table_name='public_award')
    with op.batch_alter_table('public_award', schema=None) as batch_op:
        batch_op.drop_index('ix_public_award_category_slug')
        batch_op.drop_column('category_slug')
        batch_op.drop_column('category_position')
        batch_op.drop_column('announced_on')
    _remake_sqlite_triggers()
