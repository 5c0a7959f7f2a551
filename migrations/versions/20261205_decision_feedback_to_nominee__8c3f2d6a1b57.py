"""decision: the chair may also send the nominator's feedback to the nominee

Decision gets feedback_to_nominee: the chair ticked "Also send this feedback to the
nominee", so a nominee who consented reads it with their result. Existing decisions were
written for the nominator only: they stay so (false).

Revision ID: 8c3f2d6a1b57
Revises: 5b1c0e7a9d42
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c3f2d6a1b57'
down_revision = '5b1c0e7a9d42'
branch_labels = None
depends_on = None


def upgrade():
    # The server default fills the existing rows, then goes (the models have none).
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_to_nominee', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.alter_column('feedback_to_nominee', server_default=None)


def downgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('feedback_to_nominee')
