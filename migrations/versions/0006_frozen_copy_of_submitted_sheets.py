"""a submitted score sheet keeps a frozen copy of its points and their sum

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 13:10:00

The results read the frozen copies (one row per sheet) instead of re-adding every score, so the covering index that
served those sums (0005) is dropped: it only cost every score save one more index to write.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As models.judging has them today (a migration keeps its own copy: the models may change later).
FROZEN_POINTS = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
SHEET_FROZEN_CHECK = ("(state = 'submitted' AND submitted_total IS NOT NULL AND submitted_points IS NOT NULL) OR "
                      "(state <> 'submitted' AND submitted_total IS NULL AND submitted_points IS NULL)")
# The sheets already submitted get their copies from their scores on scored criteria: exactly what the ranking
# summed until now.
_SHEET_SCORES = ("FROM score JOIN criterion ON criterion.id = score.criterion_id "
                 "WHERE score.judge_id = scoresheet.judge_id AND score.submission_id = scoresheet.submission_id "
                 "AND criterion.scored")
_FILL = {
    "postgresql": "UPDATE scoresheet SET submitted_total = COALESCE((SELECT sum(score.points) {scores}), 0), "
                  "submitted_points = COALESCE((SELECT jsonb_object_agg(score.criterion_id::text, score.points) "
                  "{scores}), '{{}}'::jsonb) WHERE state = 'submitted'",
    "sqlite": "UPDATE scoresheet SET submitted_total = COALESCE((SELECT sum(score.points) {scores}), 0), "
              "submitted_points = COALESCE((SELECT json_group_object(CAST(score.criterion_id AS TEXT), score.points) "
              "{scores}), '{{}}') WHERE state = 'submitted'",
}


def upgrade() -> None:
    with op.batch_alter_table('scoresheet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_total', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('submitted_points', FROZEN_POINTS, nullable=True))
    bind = op.get_bind()
    op.execute(_FILL[bind.dialect.name].format(scores=_SHEET_SCORES))
    with op.batch_alter_table('scoresheet', schema=None) as batch_op:
        batch_op.create_check_constraint('ck_scoresheet_frozen_when_submitted', SHEET_FROZEN_CHECK)
    op.drop_index('ix_score_sheet_points', table_name='score')


def downgrade() -> None:
    op.create_index('ix_score_sheet_points', 'score', ['submission_id', 'judge_id', 'criterion_id', 'points'],
                    unique=False)
    with op.batch_alter_table('scoresheet', schema=None) as batch_op:
        batch_op.drop_constraint('ck_scoresheet_frozen_when_submitted', type_='check')
        batch_op.drop_column('submitted_points')
        batch_op.drop_column('submitted_total')
