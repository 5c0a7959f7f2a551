"""outbox_message: claims carry a lease naming their worker

claimed_by (host:pid:random) and lease_until: a worker renews the lease while it works, only
the holder records a row's outcome, and only expired leases go back to the queue (before,
any row claimed more than ten minutes ago did, so a slow batch was sent twice). Rows being
sent when this runs have no lease and are released by the first worker after it: at most the
message in flight is repeated, as after a crash.

Revision ID: b5e18c6f2a94
Revises: 43bba8ddf6ee
Create Date: 2026-12-05 20:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e18c6f2a94'
down_revision = '43bba8ddf6ee'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('lease_until')
        batch_op.drop_column('claimed_by')
