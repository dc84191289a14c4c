"""Treffpunkt 0.2: postal addresses, languages, organisations as invitees, erasure, app id

Revision ID: 20261206_02
Revises: 20261125_01
Create Date: 2026-12-06 12:50:18.453209

One revision for everything this release changes in the schema (the parts were written side
by side and are applied together; no database of an intermediate state was ever released):

- ``people``: an optional postal address of the person (street, postcode, city, country) and
  whether it is their work or private address; letters use it before the organisation's.
- ``minutes.signature_lines``: print lines to sign under final minutes (default on). Final or
  approved minutes stored with revision 0 become revision 1 ("Fassung 1").
- ``meetings.language``: the language of a meeting's documents; existing meetings take the
  network's document language (the ``document_language`` setting, German by default).
- ``invitations``: ``organisation_id`` for an organisation invited through its own address;
  ``anonymised`` for the invitation of an erased person, which keeps the meeting's "invited"
  count; so ``person_id`` becomes nullable, and a check constraint says that exactly one of
  person and organisation is set, or neither for an anonymised invitation.
- ``outbox_messages``: ``organisation_id`` (a mail to that address marks the organisation's
  invitation as sent) and ``documents_outdated`` (queued documents that named an erased person
  are rendered again before they go out).
- SQLite's ``PRAGMA application_id`` marks the file as a Treffpunkt database (the value is
  ``app.db.database.APPLICATION_ID``; revisions never import app code).
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '20261206_02'
down_revision: str | None = '20261125_01'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPLICATION_ID = 0x54725074  # "TrPt"
INVITEE_RULE = (
    "((person_id IS NULL) <> (organisation_id IS NULL))"
    " OR (anonymised AND person_id IS NULL AND organisation_id IS NULL)"
)


def _network_language() -> str:
    row = (
        op.get_bind()
        .execute(sa.text("SELECT value_json FROM settings WHERE key = 'document_language'"))
        .first()
    )
    try:
        value = json.loads(row[0]) if row is not None else "de"
    except ValueError:
        value = "de"
    return value if value in ("de", "en") else "de"


def upgrade() -> None:
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('signature_lines', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.execute(
        "UPDATE minutes SET revision = 1 WHERE revision = 0 AND state IN ('final', 'approved')"
    )

    with op.batch_alter_table('people', schema=None) as batch_op:
        for name, length in (('street', 200), ('postcode', 20), ('city', 120), ('country', 80)):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), server_default='', nullable=False)
            )
        batch_op.add_column(
            sa.Column(
                'address_kind',
                sa.Enum('work', 'private', name='addresskind', native_enum=False, length=20),
                server_default='work',
                nullable=False,
            )
        )

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language', sa.String(length=10), nullable=False, server_default='de')
        )
    op.get_bind().execute(
        sa.text('UPDATE meetings SET language = :language'), {'language': _network_language()}
    )

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('anonymised', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.alter_column('person_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f('ix_invitations_organisation_id'), ['organisation_id'], unique=False
        )
        batch_op.create_unique_constraint(
            'uq_invitations_meeting_id_organisation_id', ['meeting_id', 'organisation_id']
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_invitations_organisation_id_organisations'),
            'organisations',
            ['organisation_id'],
            ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_check_constraint('person_or_organisation', INVITEE_RULE)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'documents_outdated', sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_outbox_messages_organisation_id'), ['organisation_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_messages_organisation_id_organisations'),
            'organisations',
            ['organisation_id'],
            ['id'],
            ondelete='SET NULL',
        )

    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'PRAGMA application_id = {APPLICATION_ID}')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('PRAGMA application_id = 0')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_outbox_messages_organisation_id_organisations'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_outbox_messages_organisation_id'))
        batch_op.drop_column('organisation_id')
        batch_op.drop_column('documents_outdated')

    op.execute('DELETE FROM invitations WHERE person_id IS NULL')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint('ck_invitations_person_or_organisation', type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_invitations_organisation_id_organisations'), type_='foreignkey'
        )
        batch_op.drop_constraint('uq_invitations_meeting_id_organisation_id', type_='unique')
        batch_op.drop_index(batch_op.f('ix_invitations_organisation_id'))
        batch_op.alter_column('person_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('organisation_id')
        batch_op.drop_column('anonymised')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('people', schema=None) as batch_op:
        for name in ('address_kind', 'country', 'city', 'postcode', 'street'):
            batch_op.drop_column(name)

    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.drop_column('signature_lines')
