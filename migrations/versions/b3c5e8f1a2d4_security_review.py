"""security review: one verified resident account per identity number; bindings that
no authority confirmed are undone; a case counts its files in the database;
offices block online booking after repeated cancellations

Until now a resident bound any number whose check digit was valid, and the binding
made them own every case and booking naming it. No binding made before this revision
was confirmed by anyone, so each is undone: residents verify again (online through
the identity verifier, or at a bureau window), and the cases an agent opened for
someone, whose owner came from such a binding, wait for the person who verifies
that number. Cases and bookings residents opened for themselves stay theirs.

Revision ID: b3c5e8f1a2d4
Revises: 5d0c1e7a9b42
Create Date: 2026-12-04 15:40:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "b3c5e8f1a2d4"
down_revision = "5d0c1e7a9b42"
branch_labels = None
depends_on = None

ONE_ACCOUNT_PER_PERSON = sa.text("role = 'citizen' AND real_name_verified")


CANCEL_SETTINGS = (('cancel_limit', '3'), ('cancel_lookback_days', '60'), ('cancel_block_days', '30'))


def upgrade():
    with op.batch_alter_table('registry_office', schema=None) as batch_op:
        for name, default in CANCEL_SETTINGS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default=default, nullable=False))
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('attachment_count', sa.Integer(), server_default='0', nullable=False)
        )
    op.execute(
        "UPDATE application SET attachment_count = "
        "(SELECT count(*) FROM attachment WHERE attachment.application_id = application.id)"
    )
    op.execute(
        "UPDATE application SET owner_id = NULL WHERE on_behalf AND owner_id IN "
        "(SELECT id FROM user_account WHERE role = 'citizen')"
    )
    op.execute(
        "UPDATE user_account SET real_name_verified = false, id_number_cipher = NULL, "
        "id_number_index = NULL WHERE role = 'citizen'"
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            "uq_user_account_citizen_id_number",
            ["id_number_index"],
            unique=True,
            postgresql_where=ONE_ACCOUNT_PER_PERSON,
            sqlite_where=ONE_ACCOUNT_PER_PERSON,
        )


def downgrade():
    with op.batch_alter_table('registry_office', schema=None) as batch_op:
        for name, _default in CANCEL_SETTINGS:
            batch_op.drop_column(name)
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('attachment_count')
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_user_account_citizen_id_number",
            postgresql_where=ONE_ACCOUNT_PER_PERSON,
            sqlite_where=ONE_ACCOUNT_PER_PERSON,
        )
