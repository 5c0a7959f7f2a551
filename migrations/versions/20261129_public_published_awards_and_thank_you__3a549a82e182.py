"""public: published awards and thank-you messages

`public_award` holds only what each nominee allowed to be public; its full-text index is an
FTS5 table kept by triggers on SQLite and a GIN expression index on PostgreSQL (the same
statements as awards/public/models.py). Rows for cycles published before this revision are
made by `flask public rebuild`.

Revision ID: 3a549a82e182
Revises: 6a85ff0182b0
Create Date: 2026-11-29 14:08:45.386425

"""
import sqlalchemy as sa
from alembic import op


# Copied from awards/public/models.py at this revision (a migration must not change later).
SQLITE_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS public_award_search USING fts5(display_name, citation, content='public_award', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    'CREATE TRIGGER IF NOT EXISTS public_award_search_insert AFTER INSERT ON public_award BEGIN INSERT INTO public_award_search(rowid, display_name, citation) VALUES (new.id, new.display_name, new.citation); END',
    "CREATE TRIGGER IF NOT EXISTS public_award_search_delete AFTER DELETE ON public_award BEGIN INSERT INTO public_award_search(public_award_search, rowid, display_name, citation) VALUES ('delete', old.id, old.display_name, old.citation); END",
    "CREATE TRIGGER IF NOT EXISTS public_award_search_update AFTER UPDATE ON public_award BEGIN INSERT INTO public_award_search(public_award_search, rowid, display_name, citation) VALUES ('delete', old.id, old.display_name, old.citation); INSERT INTO public_award_search(rowid, display_name, citation) VALUES (new.id, new.display_name, new.citation); END",
]
POSTGRES_SEARCH_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_public_award_search ON public_award USING gin (to_tsvector('simple', display_name || ' ' || citation))",
]


# revision identifiers, used by Alembic.
revision = '3a549a82e182'
down_revision = '6a85ff0182b0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('thank_you',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('author_name', sa.String(length=80), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='thanksstatus', native_enum=False, length=18), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['user.id'], name=op.f('fk_thank_you_moderated_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_thank_you_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thank_you')),
    sa.UniqueConstraint('reference', name=op.f('uq_thank_you_reference'))
    )
    with op.batch_alter_table('thank_you', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thank_you_nomination_id'), ['nomination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_thank_you_status'), ['status'], unique=False)

    op.create_table('public_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=16), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('winner', 'highly_commended', 'not_selected', name='outcome', native_enum=False, length=26), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('is_anonymous', sa.Boolean(), nullable=False),
    sa.Column('citation', sa.Text(), nullable=False),
    sa.Column('forwards_thanks', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_public_award_area_id_area')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_public_award_category_id_category')),
    sa.ForeignKeyConstraint(['cycle_id'], ['award_cycle.id'], name=op.f('fk_public_award_cycle_id_award_cycle')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_public_award_nomination_id_nomination'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_public_award_photo_id_photo'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_award')),
    sa.UniqueConstraint('key', name=op.f('uq_public_award_key')),
    sa.UniqueConstraint('nomination_id', name=op.f('uq_public_award_nomination_id'))
    )
    with op.batch_alter_table('public_award', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_award_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_award_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_award_cycle_id'), ['cycle_id'], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_SEARCH_DDL, "postgresql": POSTGRES_SEARCH_DDL}.get(
            dialect, []):
        op.execute(statement)



def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS public_award_search")  # its triggers go with the table
    else:
        op.execute("DROP INDEX IF EXISTS ix_public_award_search")
    with op.batch_alter_table('public_award', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_award_cycle_id'))
        batch_op.drop_index(batch_op.f('ix_public_award_category_id'))
        batch_op.drop_index(batch_op.f('ix_public_award_area_id'))

    op.drop_table('public_award')
    with op.batch_alter_table('thank_you', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thank_you_status'))
        batch_op.drop_index(batch_op.f('ix_thank_you_nomination_id'))

    op.drop_table('thank_you')
