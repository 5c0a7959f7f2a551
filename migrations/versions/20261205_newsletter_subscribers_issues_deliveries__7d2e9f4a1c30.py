"""newsletter: subscribers, issues, featured stories, audiences and deliveries

Subscribers record the page and the exact wording they agreed to. An issue stores its body
once; a delivery is one small row per recipient (address, token, status, lease), never a copy
of the body. Featured stories point at the nomination, so what is shown of them is decided
from the consent in force whenever the issue is rendered. New tables only: downgrade drops them.

Revision ID: 7d2e9f4a1c30
Revises: 4e7a1c9b2d63
Create Date: 2026-12-05 20:34:43.650760

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e9f4a1c30'
down_revision = '4e7a1c9b2d63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('newsletter_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('subject', sa.String(length=150), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled', name='issuestatus', native_enum=False, length=19), nullable=False),
    sa.Column('scheduled_for', sa.DateTime(timezone=True), nullable=True),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('text_body', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('send_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_newsletter_issue_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_issue')),
    sa.UniqueConstraint('reference', name=op.f('uq_newsletter_issue_reference'))
    )
    with op.batch_alter_table('newsletter_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_newsletter_issue_status'), ['status'], unique=False)

    op.create_table('newsletter_subscriber',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('pending', 'active', 'paused', 'unsubscribed', 'suppressed', name='subscriberstatus', native_enum=False, length=22), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('consent_wording', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmation_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('suppressed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hard_bounces', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_newsletter_subscriber_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_subscriber')),
    sa.UniqueConstraint('email', name=op.f('uq_newsletter_subscriber_email')),
    sa.UniqueConstraint('token', name=op.f('uq_newsletter_subscriber_token'))
    )
    with op.batch_alter_table('newsletter_subscriber', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_newsletter_subscriber_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_newsletter_subscriber_user_id'), ['user_id'], unique=False)

    op.create_table('newsletter_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('subscriber_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', 'skipped', name='deliverystatus', native_enum=False, length=17), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['issue_id'], ['newsletter_issue.id'], name=op.f('fk_newsletter_delivery_issue_id_newsletter_issue'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscriber_id'], ['newsletter_subscriber.id'], name=op.f('fk_newsletter_delivery_subscriber_id_newsletter_subscriber'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_delivery')),
    sa.UniqueConstraint('issue_id', 'subscriber_id', name=op.f('uq_newsletter_delivery_issue_id'))
    )
    with op.batch_alter_table('newsletter_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_newsletter_delivery_due', ['issue_id', 'status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_newsletter_delivery_subscriber_id'), ['subscriber_id'], unique=False)

    op.create_table('newsletter_issue_area',
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_newsletter_issue_area_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issue_id'], ['newsletter_issue.id'], name=op.f('fk_newsletter_issue_area_issue_id_newsletter_issue'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('issue_id', 'area_id', name=op.f('pk_newsletter_issue_area'))
    )
    op.create_table('newsletter_subscriber_area',
    sa.Column('subscriber_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_newsletter_subscriber_area_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscriber_id'], ['newsletter_subscriber.id'], name=op.f('fk_newsletter_subscriber_area_subscriber_id_newsletter_subscriber'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subscriber_id', 'area_id', name=op.f('pk_newsletter_subscriber_area'))
    )
    op.create_table('newsletter_issue_story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issue_id'], ['newsletter_issue.id'], name=op.f('fk_newsletter_issue_story_issue_id_newsletter_issue'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_newsletter_issue_story_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_issue_story')),
    sa.UniqueConstraint('issue_id', 'nomination_id', name=op.f('uq_newsletter_issue_story_issue_id'))
    )
    with op.batch_alter_table('newsletter_issue_story', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_newsletter_issue_story_issue_id'), ['issue_id'], unique=False)


def downgrade():
    with op.batch_alter_table('newsletter_issue_story', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newsletter_issue_story_issue_id'))

    op.drop_table('newsletter_issue_story')
    op.drop_table('newsletter_subscriber_area')
    op.drop_table('newsletter_issue_area')
    with op.batch_alter_table('newsletter_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newsletter_delivery_subscriber_id'))
        batch_op.drop_index('ix_newsletter_delivery_due')

    op.drop_table('newsletter_delivery')
    with op.batch_alter_table('newsletter_subscriber', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newsletter_subscriber_user_id'))
        batch_op.drop_index(batch_op.f('ix_newsletter_subscriber_status'))

    op.drop_table('newsletter_subscriber')
    with op.batch_alter_table('newsletter_issue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newsletter_issue_status'))

    op.drop_table('newsletter_issue')
