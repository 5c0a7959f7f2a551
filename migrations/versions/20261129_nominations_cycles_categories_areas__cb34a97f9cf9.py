"""nominations: cycles, categories, areas, nominations, consent, supporters, photos

Revision ID: cb34a97f9cf9
Revises: 2e14fdccaa18
Create Date: 2026-11-29 11:14:53.548082

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb34a97f9cf9'
down_revision = '2e14fdccaa18'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area')),
    sa.UniqueConstraint('name', name=op.f('uq_area_name'))
    )
    op.create_table('award_cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('nominations_open', sa.Date(), nullable=False),
    sa.Column('nominations_close', sa.Date(), nullable=False),
    sa.Column('judging_ends', sa.Date(), nullable=False),
    sa.Column('announcement', sa.Date(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_cycle')),
    sa.UniqueConstraint('slug', name=op.f('uq_award_cycle_slug'))
    )
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('eligibility', sa.Text(), nullable=False),
    sa.Column('allows_self_nomination', sa.Boolean(), nullable=False),
    sa.Column('allows_groups', sa.Boolean(), nullable=False),
    sa.Column('min_supporters', sa.Integer(), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['award_cycle.id'], name=op.f('fk_category_cycle_id_award_cycle'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('cycle_id', 'slug', name=op.f('uq_category_cycle_id'))
    )
    op.create_table('nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'awaiting_confirmation', 'submitted', 'eligible', 'in_judging', 'outcome', 'withdrawn', 'ineligible', 'duplicate', 'spam', name='nominationstatus', native_enum=False, length=31), nullable=False),
    sa.Column('nominee_name', sa.String(length=120), nullable=False),
    sa.Column('nominee_kind', sa.Enum('person', 'group', name='nomineekind', native_enum=False, length=16), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('age_band', sa.Enum('under_16', '16_17', '18_plus', name='ageband', native_enum=False, length=18), nullable=True),
    sa.Column('nominee_email', sa.String(length=254), nullable=True),
    sa.Column('nominee_phone', sa.String(length=40), nullable=True),
    sa.Column('what_they_do', sa.Text(), nullable=False),
    sa.Column('who_benefits', sa.Text(), nullable=False),
    sa.Column('difference_made', sa.Text(), nullable=False),
    sa.Column('how_long', sa.Enum('under_1', '1_5', '5_10', 'over_10', name='howlong', native_enum=False, length=17), nullable=True),
    sa.Column('nominator_id', sa.Integer(), nullable=True),
    sa.Column('nominator_name', sa.String(length=120), nullable=False),
    sa.Column('nominator_email', sa.String(length=254), nullable=False),
    sa.Column('nominator_relationship', sa.String(length=200), nullable=False),
    sa.Column('nominator_may_be_named', sa.Boolean(), nullable=False),
    sa.Column('nominator_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_via', sa.Enum('online', 'paper', 'phone', 'in_person', name='receivedvia', native_enum=False, length=19), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('moderation_reason', sa.Text(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('start_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_nomination_area_id_area')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_nomination_category_id_category')),
    sa.ForeignKeyConstraint(['cycle_id'], ['award_cycle.id'], name=op.f('fk_nomination_cycle_id_award_cycle')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['nomination.id'], name=op.f('fk_nomination_duplicate_of_id_nomination')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_nomination_entered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['nominator_id'], ['user.id'], name=op.f('fk_nomination_nominator_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination')),
    sa.UniqueConstraint('reference', name=op.f('uq_nomination_reference')),
    sa.UniqueConstraint('start_token', name=op.f('uq_nomination_start_token'))
    )
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_nominator_id'), ['nominator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_status'), ['status'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'withdrawn', name='consentstatus', native_enum=False, length=19), nullable=False),
    sa.Column('given_by_guardian', sa.Boolean(), nullable=False),
    sa.Column('guardian_name', sa.String(length=120), nullable=True),
    sa.Column('name_display', sa.Enum('full', 'first_initial', 'anonymous', name='namedisplay', native_enum=False, length=23), nullable=False),
    sa.Column('publish_photo', sa.Boolean(), nullable=False),
    sa.Column('publish_story', sa.Boolean(), nullable=False),
    sa.Column('publish_area', sa.Boolean(), nullable=False),
    sa.Column('in_newsletter', sa.Boolean(), nullable=False),
    sa.Column('recognition', sa.JSON(), nullable=False),
    sa.Column('support_needed', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_how', sa.String(length=200), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_consent_nomination_id_nomination'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_consent_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent')),
    sa.UniqueConstraint('nomination_id', name=op.f('uq_consent_nomination_id'))
    )
    op.create_table('photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=64), nullable=False),
    sa.Column('thumb_name', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('alt_text', sa.String(length=250), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_photo_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo')),
    sa.UniqueConstraint('display_name', name=op.f('uq_photo_display_name')),
    sa.UniqueConstraint('nomination_id', name=op.f('uq_photo_nomination_id')),
    sa.UniqueConstraint('thumb_name', name=op.f('uq_photo_thumb_name'))
    )
    op.create_table('supporter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('relationship_to_nominee', sa.String(length=200), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('invited_by_nominator', sa.Boolean(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_supporter_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supporter')),
    sa.UniqueConstraint('nomination_id', 'email', name=op.f('uq_supporter_nomination_id'))
    )
    with op.batch_alter_table('supporter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supporter_nomination_id'), ['nomination_id'], unique=False)



def downgrade():
    with op.batch_alter_table('supporter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supporter_nomination_id'))

    op.drop_table('supporter')
    op.drop_table('photo')
    op.drop_table('consent')
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_status'))
        batch_op.drop_index(batch_op.f('ix_nomination_nominator_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_cycle_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_category_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_area_id'))

    op.drop_table('nomination')
    op.drop_table('category')
    op.drop_table('award_cycle')
    op.drop_table('area')
