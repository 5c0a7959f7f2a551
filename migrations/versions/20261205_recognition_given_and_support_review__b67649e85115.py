"""recognition_given, support_review: what nominees were given, and reviewed support answers

recognition_given holds each thing an admin records as given to a nominee (a certificate, a
grant...), with an optional date and note. support_review holds an admin's review of a
nominee's "what support would help" answer for identifying details, before any of its words
reach the insight report; it holds only for the words it read (their SHA-256 digest).

Revision ID: b67649e85115
Revises: 7d2e9f4a1c30
Create Date: 2026-12-05 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b67649e85115'
down_revision = '7d2e9f4a1c30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'recognition_given',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('private_thanks', 'impact_story', 'certificate', 'newsletter',
                                  'public_page', 'ceremony', 'press', 'grant', 'equipment',
                                  'training', 'expenses', 'introduction', 'other',
                                  name='recognitionkind', native_enum=False, length=24),
                  nullable=False),
        sa.Column('given_on', sa.Date(), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'],
                                name=op.f('fk_recognition_given_nomination_id_nomination'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'],
                                name=op.f('fk_recognition_given_recorded_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_given')),
    )
    with op.batch_alter_table('recognition_given', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognition_given_nomination_id'),
                              ['nomination_id'], unique=False)
    op.create_table(
        'support_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consent_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('shown_text', sa.Text(), nullable=False),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consent_id'], ['consent.id'],
                                name=op.f('fk_support_review_consent_id_consent'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'],
                                name=op.f('fk_support_review_reviewed_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_support_review')),
        sa.UniqueConstraint('consent_id', name=op.f('uq_support_review_consent_id')),
    )


def downgrade():
    op.drop_table('support_review')
    with op.batch_alter_table('recognition_given', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognition_given_nomination_id'))
    op.drop_table('recognition_given')
