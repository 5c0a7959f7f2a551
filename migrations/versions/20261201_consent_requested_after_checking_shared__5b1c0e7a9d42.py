"""consent: asked after the nomination is checked, once per person per cycle; nominees thanked

Consent gets when the request was e-mailed (requested_at), the consent whose request and
answer it shares (asked_with_id: the same person's other nomination in the cycle), and when
a nominee who said yes to a nomination that went no further was thanked (thanked_at).

Revision ID: 5b1c0e7a9d42
Revises: 3a549a82e182
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1c0e7a9d42'
down_revision = '3a549a82e182'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('asked_with_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('thanked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_consent_asked_with_id'), ['asked_with_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_consent_asked_with_id_consent'), 'consent',
                                    ['asked_with_id'], ['id'], ondelete='SET NULL')
    # Nominees already e-mailed under the old rule (at submission) were asked: keep that.
    op.execute("UPDATE consent SET requested_at = "
               "(SELECT submitted_at FROM nomination WHERE nomination.id = consent.nomination_id) "
               "WHERE EXISTS (SELECT 1 FROM nomination WHERE nomination.id = consent.nomination_id "
               "AND nomination.nominee_email IS NOT NULL AND nomination.nominee_email <> '')")


def downgrade():
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consent_asked_with_id_consent'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consent_asked_with_id'))
        batch_op.drop_column('thanked_at')
        batch_op.drop_column('asked_with_id')
        batch_op.drop_column('requested_at')
