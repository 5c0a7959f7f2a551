"""nomination, supporter, consent: the language of the people without accounts

Each gets locale, the language the person used (the nominator while filling in the
nomination, a supporter when they wrote, the nominee when they answered the consent page),
so the e-mails sent to them later, whoever acts, are written in it. Existing rows are not
known (NULL): their e-mails go in the default language, or the account's saved one.

Revision ID: 4e7a1c9b2d63
Revises: 8c3f2d6a1b57
Create Date: 2026-12-05 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e7a1c9b2d63'
down_revision = '8c3f2d6a1b57'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('nomination', 'supporter', 'consent'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))


def downgrade():
    for table in ('consent', 'supporter', 'nomination'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('locale')
