"""What the hiring manager writes into the job advert: about, salary, location, how to apply.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:20:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'advert_details',
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('about', sa.String(length=1000), nullable=False),
        sa.Column('salary', sa.String(length=200), nullable=False),
        sa.Column('location', sa.String(length=200), nullable=False),
        sa.Column('how_to_apply', sa.String(length=1000), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('assessment_id'),
    )


def downgrade():
    op.drop_table('advert_details')
