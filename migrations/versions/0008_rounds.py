"""Team rounds: a round is an assessment (is_round) whose respondents' answers are child
assessments (responses: round_id, seat, respondent_name); invitations to answer one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 19:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_round', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('seat', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('respondent_name', sa.String(length=120), server_default=sa.text("''"),
                                      nullable=False))
        batch_op.create_index(batch_op.f('ix_assessments_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_assessments_round_id_assessments'), 'assessments',
                                    ['round_id'], ['id'], ondelete='CASCADE')
    op.create_table(
        'round_invites',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('email', sa.String(length=254), server_default=sa.text("''"), nullable=False),
        sa.Column('name', sa.String(length=120), server_default=sa.text("''"), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_round_invites_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['response_id'], ['assessments.id'],
                                name=op.f('fk_round_invites_response_id_assessments'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['round_id'], ['assessments.id'], name=op.f('fk_round_invites_round_id_assessments'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_invites')),
        sa.UniqueConstraint('response_id', name=op.f('uq_round_invites_response_id')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_round_invites_token_hash')),
    )
    with op.batch_alter_table('round_invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_invites_round_id'), ['round_id'], unique=False)


def downgrade():
    with op.batch_alter_table('round_invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_invites_round_id'))
    op.drop_table('round_invites')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessments_round_id_assessments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_assessments_round_id'))
        batch_op.drop_column('respondent_name')
        batch_op.drop_column('seat')
        batch_op.drop_column('round_id')
        batch_op.drop_column('is_round')
