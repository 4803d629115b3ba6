"""indexes for reading one edition of several kept: the submissions' (edition, id); no judge-led sheet state index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 15:20:00

The ranking reads its edition's lowest and highest work id first and bounds the score sheets' read by them, so
PostgreSQL reads only that edition's stretch of the sheets' work-led index (migration 0011), not every sheet of every
edition kept. With the index on edition_id alone, PostgreSQL found that range by walking the primary key past every
earlier edition's works; (edition_id, id) gives both ends at once, and serves every read by edition as the old one
did, which it replaces.

The sheets' judge-led (judge, work, round, state) index of migration 0010 served the quorum; since 0011 the quorum
merges the work-led indexes, and a judge's own sheets are found by the unique (judge, work, round) index. Every new
sheet and every submit or reopen wrote an entry in it for no reader.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_submission_edition_work', 'submission', ['edition_id', 'id'], unique=False)
    op.drop_index('ix_submission_edition_id', table_name='submission')
    op.drop_index('ix_scoresheet_judge_work_round_state', table_name='scoresheet')


def downgrade() -> None:
    op.create_index('ix_scoresheet_judge_work_round_state', 'scoresheet',
                    ['judge_id', 'submission_id', 'round_no', 'state'], unique=False)
    op.create_index('ix_submission_edition_id', 'submission', ['edition_id'], unique=False)
    op.drop_index('ix_submission_edition_work', table_name='submission')
