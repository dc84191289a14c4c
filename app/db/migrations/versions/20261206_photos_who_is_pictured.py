"""photos: whether who is pictured has been recorded (``photos.subjects_recorded``)

Revision ID: 20261206_photos
Revises: 20261206_02
Create Date: 2026-12-06 15:08:39.440683

``photo_subjects`` names the people on a photo; without any row the photo may show anyone
present. To tell "nobody recognisable is on it" (the room, a poster) from "not recorded
yet", a photo now says whether its subjects were recorded. Photos that already have subject
rows were recorded (the demo network's, or set through ``set_pictured``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '20261206_photos'
down_revision: str | None = '20261206_02'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite needs no table rebuild for it): photo_subjects and
    # press_releases point at photos and must keep their rows.
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('subjects_recorded', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        sa.text(
            'UPDATE photos SET subjects_recorded = :yes '
            'WHERE id IN (SELECT photo_id FROM photo_subjects)'
        ).bindparams(yes=True)
    )


def downgrade() -> None:
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_column('subjects_recorded')
