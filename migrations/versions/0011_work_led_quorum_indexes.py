"""work-led indexes on the assignments and the score sheets, for a quorum that reads one edition's works

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 14:00:00

PostgreSQL's quorum (completeness._unsheeted_assignments) merged the round's assignments with their submitted sheets
along the judge-led indexes, which hold every edition's: with three national editions kept, ranking the newest read
three times the entries. These two indexes begin with the work, so an edition's works (an id range) are one stretch
of each, merged side by side. They replace the indexes on submission_id alone, which they begin with: a save
updates as many indexes as before.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_judgeassignment_work_judge_round', 'judgeassignment',
                    ['submission_id', 'judge_id', 'round_no'], unique=False)
    op.drop_index('ix_judgeassignment_submission_id', table_name='judgeassignment')
    op.create_index('ix_scoresheet_work_judge_round_state', 'scoresheet',
                    ['submission_id', 'judge_id', 'round_no', 'state'], unique=False)
    op.drop_index('ix_scoresheet_submission_id', table_name='scoresheet')


def downgrade() -> None:
    op.create_index('ix_scoresheet_submission_id', 'scoresheet', ['submission_id'], unique=False)
    op.drop_index('ix_scoresheet_work_judge_round_state', table_name='scoresheet')
    op.create_index('ix_judgeassignment_submission_id', 'judgeassignment', ['submission_id'], unique=False)
    op.drop_index('ix_judgeassignment_work_judge_round', table_name='judgeassignment')
