"""drop the score sheets' judge-led (judge, work, round, state) index, which nothing reads any more

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 15:20:00

Migration 0010 added it for the quorum; since 0011 the quorum merges the work-led indexes instead, and a judge's own
sheets are found by the sheets' unique (judge, work, round) index. Every new sheet and every submit or reopen wrote
an entry in it for no reader.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_scoresheet_judge_work_round_state', table_name='scoresheet')


def downgrade() -> None:
    op.create_index('ix_scoresheet_judge_work_round_state', 'scoresheet',
                    ['judge_id', 'submission_id', 'round_no', 'state'], unique=False)
