"""An organisation's assessments in history order: one index on (organisation_id, created_at, id).

It replaces the index on organisation_id alone, which it covers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index('ix_assessments_organisation_history', ['organisation_id', 'created_at', 'id'],
                              unique=False)
        batch_op.drop_index('ix_assessments_organisation_id')


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index('ix_assessments_organisation_id', ['organisation_id'], unique=False)
        batch_op.drop_index('ix_assessments_organisation_history')
