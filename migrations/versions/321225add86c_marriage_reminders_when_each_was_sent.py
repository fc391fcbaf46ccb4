"""marriage reminders: when each was sent

Revision ID: 321225add86c
Revises: a7103076a92f
Create Date: 2026-11-29 05:42:03.307744

"""
from alembic import op
import sqlalchemy as sa

import backend.models.base


# revision identifiers, used by Alembic.
revision = '321225add86c'
down_revision = 'a7103076a92f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('marriage_appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', backend.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('marriage_appointment', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
