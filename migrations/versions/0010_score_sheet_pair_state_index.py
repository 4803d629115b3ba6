"""the score sheets' (judge, work, round, state) index, for the quorum's assignments without a submitted sheet

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 13:40:00

The ranking's quorum asks which assignments of a round have no submitted sheet. With this index the database walks
the assignments' unique (judge, work, round) index and this one side by side and merges them, reading no table row
(completeness._unsheeted_assignments). It replaces the index on judge_id alone, which it and the sheets' unique
(judge, work, round) index both begin with: a save updates as many indexes as before.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_scoresheet_judge_work_round_state', 'scoresheet',
                    ['judge_id', 'submission_id', 'round_no', 'state'], unique=False)
    op.drop_index('ix_scoresheet_judge_id', table_name='scoresheet')


def downgrade() -> None:
    op.create_index('ix_scoresheet_judge_id', 'scoresheet', ['judge_id'], unique=False)
    op.drop_index('ix_scoresheet_judge_work_round_state', table_name='scoresheet')
