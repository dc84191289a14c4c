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
- Projects (funding): ``projects`` with their partner organisations, quarters, meetings and
  agenda items; ``signin_scans`` (the signed sign-in sheet of a meeting), ``press_releases``
  and ``photo_subjects`` (who is pictured, for photo consent); ``photos.subjects_recorded``
  tells "nobody recognisable is on it" (recorded, no subject rows) from "not recorded yet".
- Indexes for the fast people list (100,000 people from covering indexes): the ids in name
  order of those not archived, the people per organisation, the members per group.
- SQLite's ``PRAGMA application_id`` marks the file as a Treffpunkt database (the value is
  ``app.db.sqlite.APPLICATION_ID``; revisions never import app code).
- Team mode (PostgreSQL): ``changed_by`` on the tables users edit (who wrote the row last:
  the login name or the name the user set); on PostgreSQL the folded sort and search keys
  get the "C" collation, so they compare byte by byte as on SQLite whatever the server's
  locale (a de_DE collation ignores the key's separators and would sort lists differently).
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
CHANGED_BY_TABLES = (
    'organisations',
    'people',
    'groups',
    'quarters',
    'venues',
    'meetings',
    'agenda_items',
    'invitations',
    'attendances',
    'minutes',
    'decisions',
    'action_items',
    'photos',
    'projects',
    'settings',
)
KEY_COLUMNS = (
    ('quarters', 'name_key', 120),
    ('groups', 'name_key', 120),
    ('organisations', 'name_key', 300),
    ('people', 'name_key', 250),
    ('person_emails', 'address_key', 320),
    ('projects', 'name_key', 300),
)
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

    _create_project_tables()

    # A plain ADD COLUMN (SQLite needs no table rebuild for it): photo_subjects and
    # press_releases point at photos and must keep their rows. No photo has subject rows yet
    # (photo_subjects is new in this revision), so every existing photo starts unrecorded.
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('subjects_recorded', sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    _create_people_list_indexes()

    for table in CHANGED_BY_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('changed_by', sa.String(length=80), nullable=True))
    _key_collation('C')

    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'PRAGMA application_id = {APPLICATION_ID}')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('PRAGMA application_id = 0')

    _key_collation(None)
    for table in CHANGED_BY_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('changed_by')

    _drop_people_list_indexes()

    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_column('subjects_recorded')

    _drop_project_tables()

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


def _key_collation(collation: str | None) -> None:
    """PostgreSQL only: SQLite compares text byte by byte (BINARY) already."""
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, column, length in KEY_COLUMNS:
        op.alter_column(
            table,
            column,
            type_=sa.String(length=length, collation=collation),
            existing_type=sa.String(length=length),
            existing_nullable=False,
        )


def _create_project_tables() -> None:
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('funder', sa.String(length=300), nullable=False),
    sa.Column('programme', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_projects_lead_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_name_key'), ['name_key'], unique=False)

    op.create_table('project_organisations',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_project_organisations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_organisations_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'organisation_id', name=op.f('pk_project_organisations'))
    )
    with op.batch_alter_table('project_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_organisations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('project_quarters',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('quarter_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_quarters_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quarter_id'], ['quarters.id'], name=op.f('fk_project_quarters_quarter_id_quarters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'quarter_id', name=op.f('pk_project_quarters'))
    )
    op.create_table('project_meetings',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_project_meetings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_meetings_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'meeting_id', name=op.f('pk_project_meetings'))
    )
    with op.batch_alter_table('project_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_meetings_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('signin_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=260), nullable=False),
    sa.Column('mime_type', sa.String(length=60), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_signin_scans_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_scans'))
    )
    with op.batch_alter_table('signin_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_scans_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('press_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('headline', sa.String(length=500), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.Enum('docx', 'text', 'mail', name='pressreleasechannel', native_enum=False, length=20), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_press_releases_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_press_releases_photo_id_photos'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_press_releases'))
    )
    with op.batch_alter_table('press_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_press_releases_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_press_releases_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('project_agenda_items',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_project_agenda_items_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_agenda_items_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'agenda_item_id', name=op.f('pk_project_agenda_items'))
    )
    with op.batch_alter_table('project_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_agenda_items_agenda_item_id'), ['agenda_item_id'], unique=False)

    op.create_table('photo_subjects',
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('attendance_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['attendance_id'], ['attendances.id'], name=op.f('fk_photo_subjects_attendance_id_attendances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_photo_subjects_photo_id_photos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('photo_id', 'attendance_id', name=op.f('pk_photo_subjects'))
    )


def _drop_project_tables() -> None:
    op.drop_table('photo_subjects')
    with op.batch_alter_table('project_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_agenda_items_agenda_item_id'))

    op.drop_table('project_agenda_items')
    with op.batch_alter_table('press_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_press_releases_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_press_releases_issued_at'))

    op.drop_table('press_releases')
    with op.batch_alter_table('signin_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_scans_meeting_id'))

    op.drop_table('signin_scans')
    with op.batch_alter_table('project_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_meetings_meeting_id'))

    op.drop_table('project_meetings')
    op.drop_table('project_quarters')
    with op.batch_alter_table('project_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_organisations_organisation_id'))

    op.drop_table('project_organisations')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_name_key'))

    op.drop_table('projects')


def _create_people_list_indexes() -> None:
    # Index-only changes: batch mode adds them with CREATE INDEX, no table is copied.
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index('ix_people_archived_name_key', ['archived', 'name_key'], unique=False)
        batch_op.create_index(
            'ix_people_organisation_id_archived', ['organisation_id', 'archived'], unique=False
        )
    with op.batch_alter_table('person_groups', schema=None) as batch_op:
        batch_op.create_index('ix_person_groups_group_id', ['group_id'], unique=False)


def _drop_people_list_indexes() -> None:
    with op.batch_alter_table('person_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_person_groups_group_id')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_organisation_id_archived')
        batch_op.drop_index('ix_people_archived_name_key')
