"""the mail outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 07:30:00

Each e-mail is written here in the transaction of the event that causes it, then delivered by a worker.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'mail_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('recipient', sa.String(length=200), nullable=False),
        sa.Column('recipient_role', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('attachments', sa.JSON(), nullable=False),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('entity', sa.String(length=40), nullable=False),
        sa.Column('entity_id', sa.String(length=80), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('lease_owner', sa.String(length=80), nullable=False),
        sa.Column('lease_until', UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_answer', sa.String(length=500), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('message_id'),
    )
    op.create_index('ix_mail_outbox_due', 'mail_outbox', ['state', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_mail_outbox_kind'), 'mail_outbox', ['kind'], unique=False)
    op.create_index(op.f('ix_mail_outbox_created_at'), 'mail_outbox', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_mail_outbox_created_at'), table_name='mail_outbox')
    op.drop_index(op.f('ix_mail_outbox_kind'), table_name='mail_outbox')
    op.drop_index('ix_mail_outbox_due', table_name='mail_outbox')
    op.drop_table('mail_outbox')
