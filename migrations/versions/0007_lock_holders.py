"""``lock_holders``: each process sharing a lease (the distributed workers of one
frontier) has a row, with its own expiry; the shared lease is released only when the last
live holder leaves (``storage/locks.py``). Before, a worker leaving asked Redis who else
was alive, and a worker that had taken the lease but not yet opened its spider was not
there: the lease was released beside it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lock_holders",
        sa.Column("lock_name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lock_name"],
            ["locks.name"],
            name=op.f("fk_lock_holders_lock_name_locks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("lock_name", "holder", name=op.f("pk_lock_holders")),
    )


def downgrade() -> None:
    op.drop_table("lock_holders")
