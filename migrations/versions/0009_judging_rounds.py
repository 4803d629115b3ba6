"""judging rounds: an edition's rounds, the works each advanced, and the round of sheets, assignments, criteria, days

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:40:00

Every edition gets its first round (position 1), and every existing score sheet, assignment, criterion and pitching
day belongs to it: the new round_no columns default to 1. A judge may score the same work again in a later round, so
the sheet's and the assignment's uniqueness now include the round, and a round's criteria share codes with the
first round's (the tie-break chain names criteria by code).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite does not name a table's unnamed unique constraints: batch mode names them by this convention, so that the
# old one can be dropped. PostgreSQL named them <table>_<columns>_key, and the new ones get names of that form.
_SQLITE_UQ = {"uq": "%(table_name)s_%(column_0_N_name)s_key"}

# (table, the old unique columns, the new ones)
_UNIQUE = (
    ('criterion', ['edition_id', 'code'], ['edition_id', 'round_no', 'code']),
    ('judgeassignment', ['judge_id', 'submission_id'], ['judge_id', 'submission_id', 'round_no']),
    ('scoresheet', ['judge_id', 'submission_id'], ['judge_id', 'submission_id', 'round_no']),
)


def _name(table: str, columns: list[str]) -> str:
    return f"{table}_{'_'.join(columns)}_key"


def upgrade() -> None:
    op.create_table(
        'judging_round',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name_th', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=True),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('aggregation_method', sa.String(length=20), nullable=True),
        sa.Column('quorum_min_sheets', sa.Integer(), nullable=True),
        sa.Column('blind', sa.Boolean(), nullable=False),
        sa.Column('scores_visible_to_next', sa.Boolean(), nullable=False),
        sa.Column('advance_rule', sa.JSON(), nullable=False),
        sa.Column('frozen_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('frozen_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('edition_id', 'position'),
    )
    op.create_index(op.f('ix_judging_round_edition_id'), 'judging_round', ['edition_id'], unique=False)
    op.create_table(
        'round_advance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=True),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('probability_above_cut', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['judging_round.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'submission_id'),
    )
    op.create_index(op.f('ix_round_advance_round_id'), 'round_advance', ['round_id'], unique=False)
    op.create_index(op.f('ix_round_advance_submission_id'), 'round_advance', ['submission_id'], unique=False)

    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in ('criterion', 'judgeassignment', 'scoresheet', 'pitchday'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('round_no', sa.Integer(), server_default=sa.text('1'), nullable=False))
    for table, old, new in _UNIQUE:
        with op.batch_alter_table(table, schema=None, naming_convention=_SQLITE_UQ if sqlite else None) as batch_op:
            batch_op.drop_constraint(_name(table, old), type_='unique')
            batch_op.create_unique_constraint(_name(table, new), new)

    # Each edition's first round, named as the one round every edition had until now, blind as the edition was.
    bind = op.get_bind()
    edition = sa.table('edition', sa.column('id', sa.Integer()), sa.column('config', sa.JSON()),
                       sa.column('created_at', UTCDateTime()))
    judging_round = sa.table(
        'judging_round',
        *(sa.column(name) for name in ('edition_id', 'position', 'name_th', 'name_en', 'frozen_by')),
        sa.column('blind', sa.Boolean()),
        sa.column('scores_visible_to_next', sa.Boolean()),
        sa.column('advance_rule', sa.JSON()),
        sa.column('created_at', UTCDateTime()),
    )
    rows = [
        {
            'edition_id': edition_id,
            'position': 1,
            'name_th': 'รอบตัดสิน',
            'name_en': 'Judging',
            'blind': bool((config or {}).get('blind_until_results', True)),
            'scores_visible_to_next': False,
            'advance_rule': {},
            'frozen_by': '',
            'created_at': created_at,
        }
        for edition_id, config, created_at in bind.execute(
            sa.select(edition.c.id, edition.c.config, edition.c.created_at)
        )
    ]
    if rows:
        bind.execute(sa.insert(judging_round), rows)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    # Rows of later rounds have no place in a schema without rounds.
    for table in ('scoresheet', 'judgeassignment', 'pitchday'):
        op.execute(sa.text(f"DELETE FROM {table} WHERE round_no <> 1"))
    op.execute(sa.text("DELETE FROM criterion WHERE round_no <> 1"))
    for table, old, new in _UNIQUE:
        with op.batch_alter_table(table, schema=None, naming_convention=_SQLITE_UQ if sqlite else None) as batch_op:
            batch_op.drop_constraint(_name(table, new), type_='unique')
            batch_op.create_unique_constraint(_name(table, old), old)
    for table in ('pitchday', 'scoresheet', 'judgeassignment', 'criterion'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('round_no')
    op.drop_index(op.f('ix_round_advance_submission_id'), table_name='round_advance')
    op.drop_index(op.f('ix_round_advance_round_id'), table_name='round_advance')
    op.drop_table('round_advance')
    op.drop_index(op.f('ix_judging_round_edition_id'), table_name='judging_round')
    op.drop_table('judging_round')
