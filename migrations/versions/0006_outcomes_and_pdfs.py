"""Recorded outcomes (what an assessment said, and the rules it said it under), the rules files
they were worked out with, and rendered PDFs shared by every app server.

Existing assessments get their outcome recorded the first time they are shown or listed
(app/services/outcomes.py): recording needs the domain code, which a migration should not run.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rule_files',
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=48), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('checksum', name=op.f('pk_rule_files'))
    )
    op.create_table('assessment_outcomes',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=48), nullable=False),
    sa.Column('questionnaire_version', sa.Integer(), nullable=False),
    sa.Column('questionnaire_checksum', sa.String(length=64), nullable=False),
    sa.Column('roles_checksum', sa.String(length=64), nullable=False),
    sa.Column('sectors_checksum', sa.String(length=64), nullable=False),
    sa.Column('code_checksum', sa.String(length=64), nullable=False),
    sa.Column('rules', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                            name=op.f('fk_assessment_outcomes_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['roles_checksum'], ['rule_files.checksum'],
                            name=op.f('fk_assessment_outcomes_roles_checksum_rule_files')),
    sa.ForeignKeyConstraint(['sectors_checksum'], ['rule_files.checksum'],
                            name=op.f('fk_assessment_outcomes_sectors_checksum_rule_files')),
    sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_assessment_outcomes'))
    )
    op.create_table('pdf_reports',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used', sa.DateTime(timezone=True), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                            name=op.f('fk_pdf_reports_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_pdf_reports'))
    )
    with op.batch_alter_table('pdf_reports', schema=None) as batch_op:
        batch_op.create_index('ix_pdf_reports_last_used', ['last_used'], unique=False)
        batch_op.create_index(batch_op.f('ix_pdf_reports_assessment_id'), ['assessment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pdf_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdf_reports_assessment_id'))
        batch_op.drop_index('ix_pdf_reports_last_used')
    op.drop_table('pdf_reports')
    op.drop_table('assessment_outcomes')
    op.drop_table('rule_files')
