"""the queue by deadline: an index for it, and no deadline once the office has answered

Revision ID: 5d0c1e7a9b42
Revises: a8fbab23a365
Create Date: 2026-11-29 08:55:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d0c1e7a9b42'
down_revision = 'a8fbab23a365'
branch_labels = None
depends_on = None

# The statuses in which the office owes an answer by the case's deadline.
CLOCK_RUNNING = ("accepted", "investigated", "publicizing", "pending_confirmation", "under_rereview")


def upgrade():
    # Decided and returned cases kept their last deadline until now (`stop_clock`).
    running = ", ".join(f"'{status}'" for status in CLOCK_RUNNING)
    op.execute(f"UPDATE application SET deadline = NULL WHERE status NOT IN ({running})")
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_deadline_id', ['deadline', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_deadline_id')
