"""feedback releases, comment edits, winner descriptions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 07:56:44.996553
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('feedback_comment_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('edited_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('edited_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'source_id')
    )
    with op.batch_alter_table('feedback_comment_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_comment_edit_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_comment_edit_submission_id'), ['submission_id'], unique=False)

    op.create_table('feedback_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('show_rank', sa.Boolean(), nullable=False),
    sa.Column('released_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('released_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('submission_id')
    )
    with op.batch_alter_table('feedback_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_release_edition_id'), ['edition_id'], unique=False)

    op.create_table('winner_description',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('approved_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('submission_id')
    )
    with op.batch_alter_table('winner_description', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_winner_description_edition_id'), ['edition_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('winner_description', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_winner_description_edition_id'))

    op.drop_table('winner_description')
    with op.batch_alter_table('feedback_release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_release_edition_id'))

    op.drop_table('feedback_release')
    with op.batch_alter_table('feedback_comment_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_comment_edit_submission_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_comment_edit_edition_id'))

    op.drop_table('feedback_comment_edit')
