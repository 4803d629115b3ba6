"""covering index for the ranking's sums per score sheet

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 10:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_score_sheet_points', 'score', ['submission_id', 'judge_id', 'criterion_id', 'points'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_score_sheet_points', table_name='score')
