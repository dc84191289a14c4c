"""The whole domain of Treffpunkt as SQLAlchemy 2 typed models.

Every schema change needs an Alembic revision in ``app/db/migrations/versions`` (a test compares
these models with the migrations). Times are stored in UTC; meetings carry their time zone.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
    true,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    mapped_column,
    relationship,
)

from app.text import nfc, sort_key

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; SQLite itself has no time zones."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Treffpunkt stores only aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def key_string(length: int) -> String:
    """A folded sort or search key (``app.text.sort_key``): compared byte by byte on both
    engines: SQLite's BINARY, on PostgreSQL the "C" collation whatever the server's locale
    (a de_DE collation would ignore the key's separators and sort lists differently)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


# Who wrote a row last (team mode): ``Database.user_name``, stamped on every insert and update
# by ``_stamp_changed_by`` (ORM flushes and ORM-enabled UPDATE statements).
CHANGED_BY_LENGTH = 80


class ChangedBy:
    """Mixin of the tables users edit: ``changed_by`` names who wrote the row last."""

    changed_by: Mapped[str | None] = mapped_column(String(CHANGED_BY_LENGTH), default=None)


def _enum(cls: type[enum.Enum], length: int = 20) -> Enum:
    """Store the English identifier (the enum value) as plain text, no native enum type."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


# ---------------------------------------------------------------------------------------------
# Enumerations: values are the English identifiers of the CLI's JSON (DESIGN.md).


# The directory's enumerations live in ``app.enums`` (importable without SQLAlchemy: the
# window's first page builds its rows before the ORM is loaded); re-exported here.
from app.enums import AddressKind as AddressKind  # noqa: E402
from app.enums import ConsentMethod as ConsentMethod  # noqa: E402
from app.enums import ConsentTopic as ConsentTopic  # noqa: E402
from app.enums import OrganisationKind as OrganisationKind  # noqa: E402
from app.enums import Salutation as Salutation  # noqa: E402


class MeetingState(enum.StrEnum):
    PLANNED = "planned"
    INVITED = "invited"
    HELD = "held"
    MINUTES_DRAFT = "minutes_draft"
    MINUTES_FINAL = "minutes_final"
    CANCELLED = "cancelled"


class AgendaItemKind(enum.StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    DECISION = "decision"


class InvitationState(enum.StrEnum):
    NOT_SENT = "not_sent"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


class ActionItemStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class MinutesState(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    APPROVED = "approved"


class OutboxKind(enum.StrEnum):
    INVITATION = "invitation"
    UPDATE = "update"
    CANCELLATION = "cancellation"
    REMINDER = "reminder"
    MINUTES = "minutes"
    PRESS = "press"  # a press release to a press group (issue 15)


class OutboxState(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


# ---------------------------------------------------------------------------------------------
# Directory

organisation_quarters = Table(
    "organisation_quarters",
    Base.metadata,
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("quarter_id", ForeignKey("quarters.id", ondelete="CASCADE"), primary_key=True),
)

person_groups = Table(
    "person_groups",
    Base.metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    # Members per group (counts, deleting a group) without a scan of every membership.
    Index("ix_person_groups_group_id", "group_id"),
)


class Quarter(ChangedBy, Base):
    __tablename__ = "quarters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_key: Mapped[str] = mapped_column(key_string(120), index=True, default="")

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=organisation_quarters, back_populates="quarters"
    )


class Group(ChangedBy, Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_key: Mapped[str] = mapped_column(key_string(120), index=True, default="")
    description: Mapped[str] = mapped_column(Text, default="")

    people: Mapped[list[Person]] = relationship(secondary=person_groups, back_populates="groups")


class Organisation(ChangedBy, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(key_string(300), index=True, default="")
    kind: Mapped[OrganisationKind] = mapped_column(
        _enum(OrganisationKind, 30), default=OrganisationKind.OTHER
    )
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    quarters: Mapped[list[Quarter]] = relationship(
        secondary=organisation_quarters, back_populates="organisations"
    )
    people: Mapped[list[Person]] = relationship(back_populates="organisation")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Person(ChangedBy, Base):
    __tablename__ = "people"
    # Issue 14: the people list reads the ids in name order and the people per organisation
    # from these covering indexes alone, never row by row (100,000 people in a few hundredths
    # of a second instead of half a second).
    __table_args__ = (
        Index("ix_people_archived_name_key", "archived", "name_key"),
        Index("ix_people_organisation_id_archived", "organisation_id", "archived"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    salutation: Mapped[Salutation] = mapped_column(_enum(Salutation), default=Salutation.NONE)
    title: Mapped[str] = mapped_column(String(60), default="")
    first_name: Mapped[str] = mapped_column(String(120), default="")
    last_name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(key_string(250), index=True, default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    function: Mapped[str] = mapped_column(String(200), default="")
    preferred_language: Mapped[str] = mapped_column(String(10), default="de")
    # The person's own postal address (optional). Letters use it when it is complete, else
    # the organisation's (``app.services.postal``). Empty country: Germany.
    street: Mapped[str] = mapped_column(String(200), default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(20), default="", server_default="")
    city: Mapped[str] = mapped_column(String(120), default="", server_default="")
    country: Mapped[str] = mapped_column(String(80), default="", server_default="")
    address_kind: Mapped[AddressKind] = mapped_column(
        _enum(AddressKind), default=AddressKind.WORK, server_default=AddressKind.WORK.value
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")
    emails: Mapped[list[PersonEmail]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonEmail.position"
    )
    phones: Mapped[list[PersonPhone]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonPhone.position"
    )
    groups: Mapped[list[Group]] = relationship(secondary=person_groups, back_populates="people")
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="ConsentRecord.recorded_at"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def preferred_email(self) -> str | None:
        preferred = [e for e in self.emails if e.is_preferred]
        if preferred:
            return preferred[0].address
        return self.emails[0].address if self.emails else None


class PersonEmail(Base):
    __tablename__ = "person_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(320))
    address_key: Mapped[str] = mapped_column(key_string(320), index=True, default="")
    label: Mapped[str] = mapped_column(String(60), default="")
    is_preferred: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(back_populates="emails")


class PersonPhone(Base):
    __tablename__ = "person_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(60), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(back_populates="phones")


class ConsentRecord(Base):
    """One statement of consent given or withdrawn; the latest per topic counts."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    topic: Mapped[ConsentTopic] = mapped_column(_enum(ConsentTopic, 30))
    given: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[ConsentMethod] = mapped_column(
        _enum(ConsentMethod, 30), default=ConsentMethod.OTHER
    )
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship(back_populates="consents")


# ---------------------------------------------------------------------------------------------
# Meetings


class Venue(ChangedBy, Base):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    room: Mapped[str] = mapped_column(String(120), default="")
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )


def _new_uid() -> str:
    return f"{uuid.uuid4()}@treffpunkt"


class Meeting(ChangedBy, Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(120), unique=True, default=_new_uid)
    title: Mapped[str] = mapped_column(String(300))
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Berlin")
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id", ondelete="SET NULL"), index=True
    )
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    minute_taker_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    description: Mapped[str] = mapped_column(Text, default="")
    rsvp_by: Mapped[date | None] = mapped_column(Date)
    # The language of the meeting's documents and of mails to readers without a preferred
    # language ("de"/"en"); set from the network's document language when the meeting is made.
    language: Mapped[str] = mapped_column(String(10), default="de")
    state: Mapped[MeetingState] = mapped_column(_enum(MeetingState), default=MeetingState.PLANNED)
    # Raised on every change that partners must learn of (RFC 5545 SEQUENCE).
    ics_sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue | None] = relationship()
    organiser: Mapped[Person | None] = relationship(foreign_keys=[organiser_id])
    moderator: Mapped[Person | None] = relationship(foreign_keys=[moderator_id])
    minute_taker: Mapped[Person | None] = relationship(foreign_keys=[minute_taker_id])
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    minutes: Mapped[Minutes | None] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        uselist=False,
        foreign_keys="Minutes.meeting_id",
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Decision.position"
    )
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        foreign_keys="ActionItem.meeting_id",
        order_by="ActionItem.position",
    )
    photos: Mapped[list[Photo]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Photo.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AgendaItem(ChangedBy, Base):
    """A TOP. ``position`` orders items within the same parent; sub-items have a parent."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    presenter_text: Mapped[str] = mapped_column(String(200), default="")
    planned_minutes: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[AgendaItemKind] = mapped_column(
        _enum(AgendaItemKind), default=AgendaItemKind.INFORMATION
    )
    # Shows the open action items of earlier meetings in invitation and minutes.
    lists_open_action_items: Mapped[bool] = mapped_column(Boolean, default=False)
    # Minutes notes of this TOP (simple markup: paragraphs, "- " bullets, **bold**).
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


# An invitation goes to a person or to an organisation's own address; an anonymised one (the
# person was erased) keeps only the meeting's count and reply.
INVITEE_RULE = (
    "((person_id IS NULL) <> (organisation_id IS NULL))"
    " OR (anonymised AND person_id IS NULL AND organisation_id IS NULL)"
)


class Invitation(ChangedBy, Base):
    """A person invited to a meeting, or an organisation through its own address
    (info@verein.de): exactly one of ``person_id`` and ``organisation_id`` is set."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id"),
        UniqueConstraint(
            "meeting_id", "organisation_id", name="uq_invitations_meeting_id_organisation_id"
        ),
        CheckConstraint(INVITEE_RULE, name="person_or_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    # Exactly one of person and organisation is set, except for an anonymised invitation
    # (``anonymised``: the person was erased), which has neither.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # The organisation's functional address is invited; it answers for the organisation.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[InvitationState] = mapped_column(
        _enum(InvitationState), default=InvitationState.NOT_SENT
    )
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The meeting's ics_sequence that the last mail to this person carried.
    sent_sequence: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    # Set when the person was erased (Art. 17): the meeting still counts the invitation
    # (and its reply), without a person, as it does for attendance.
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Attendance(ChangedBy, Base):
    """A person from the directory or a walk-in guest (``person_id`` null) at a meeting."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    guest_name: Mapped[str] = mapped_column(String(250), default="")
    guest_organisation: Mapped[str] = mapped_column(String(300), default="")
    guest_email: Mapped[str] = mapped_column(String(320), default="")
    status: Mapped[AttendanceStatus] = mapped_column(
        _enum(AttendanceStatus), default=AttendanceStatus.PRESENT
    )
    photo_consent: Mapped[bool | None] = mapped_column(Boolean)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arrived_at_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    left_after_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    # Set when the person was erased (Art. 17): the row still counts, without a name.
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    person: Mapped[Person | None] = relationship()


class Minutes(ChangedBy, Base):
    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[MinutesState] = mapped_column(_enum(MinutesState), default=MinutesState.DRAFT)
    number: Mapped[str] = mapped_column(String(60), default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_meeting_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_meeting_place: Mapped[str] = mapped_column(String(300), default="")
    next_meeting_note: Mapped[str] = mapped_column(Text, default="")
    informed_only: Mapped[str] = mapped_column(Text, default="")
    # Lines to sign for the minute-taker and the moderation under final minutes.
    signature_lines: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_in_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    meeting: Mapped[Meeting] = relationship(back_populates="minutes", foreign_keys=[meeting_id])
    revisions: Mapped[list[MinutesRevision]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="MinutesRevision.revision"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class MinutesRevision(Base):
    """A finalised state of the minutes; a correction after finalising adds a new one."""

    __tablename__ = "minutes_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    change_summary: Mapped[str] = mapped_column(Text, default="")
    snapshot_json: Mapped[str] = mapped_column(Text, default="")

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")


class Decision(ChangedBy, Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    votes_yes: Mapped[int | None] = mapped_column(Integer)
    votes_no: Mapped[int | None] = mapped_column(Integer)
    votes_abstain: Mapped[int | None] = mapped_column(Integer)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    agenda_item: Mapped[AgendaItem | None] = relationship()


class ActionItem(ChangedBy, Base):
    """A task from a meeting; open ones come back at later meetings until done."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    owner_text: Mapped[str] = mapped_column(String(250), default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionItemStatus] = mapped_column(
        _enum(ActionItemStatus), default=ActionItemStatus.OPEN, index=True
    )
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_in_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL")
    )

    meeting: Mapped[Meeting] = relationship(
        back_populates="action_items", foreign_keys=[meeting_id]
    )
    agenda_item: Mapped[AgendaItem | None] = relationship()
    owner_person: Mapped[Person | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()


class Photo(ChangedBy, Base):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(260))
    mime_type: Mapped[str] = mapped_column(String(60))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(250), default="")
    # Whether the user said who is pictured (``photo_subjects``). Recorded with no subject
    # rows: nobody recognisable is on it (the room, a poster). Not recorded: anyone present
    # may be on it, so everyone present counts as pictured.
    subjects_recorded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    meeting: Mapped[Meeting] = relationship(back_populates="photos")


# ---------------------------------------------------------------------------------------------
# Projects, sign-in scans and press releases (issue 15)

# Who is pictured on a photo (attendance rows, so walk-in guests count too). A photo without
# any row here may show anyone present: its use then depends on everyone's photo consent.
photo_subjects = Table(
    "photo_subjects",
    Base.metadata,
    Column("photo_id", ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True),
    Column("attendance_id", ForeignKey("attendances.id", ondelete="CASCADE"), primary_key=True),
)

# Partner organisations of a project (the lead organisation is a column of the project).
project_organisations = Table(
    "project_organisations",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

project_quarters = Table(
    "project_quarters",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("quarter_id", ForeignKey("quarters.id", ondelete="CASCADE"), primary_key=True),
)

# A meeting that concerns the project as a whole (all its TOPs, decisions and action items).
project_meetings = Table(
    "project_meetings",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

# A TOP that concerns the project; a TOP may concern several projects. Decisions and action
# items follow their TOP (they are not linked on their own), photos follow their meeting.
project_agenda_items = Table(
    "project_agenda_items",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "agenda_item_id",
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Project(ChangedBy, Base):
    """A funded project (e.g. "Projekt 37F"); the amount in euro cents, exact."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(key_string(300), index=True, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    funder: Mapped[str] = mapped_column(String(300), default="")
    programme: Mapped[str] = mapped_column(String(300), default="")
    reference: Mapped[str] = mapped_column(String(120), default="")  # Förderkennzeichen
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lead_organisation: Mapped[Organisation | None] = relationship()
    partners: Mapped[list[Organisation]] = relationship(secondary=project_organisations)
    quarters: Mapped[list[Quarter]] = relationship(secondary=project_quarters)
    meetings: Mapped[list[Meeting]] = relationship(secondary=project_meetings)
    agenda_items: Mapped[list[AgendaItem]] = relationship(secondary=project_agenda_items)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SigninScan(Base):
    """The scanned, signed sign-in sheet of a meeting (PDF, JPEG or PNG), checked on entry."""

    __tablename__ = "signin_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(260))
    mime_type: Mapped[str] = mapped_column(String(60))
    pages: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PressReleaseChannel(enum.StrEnum):
    DOCX = "docx"
    TEXT = "text"
    MAIL = "mail"


class PressRelease(Base):
    """A press release issued about a meeting: when, how, and the text as issued."""

    __tablename__ = "press_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    headline: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(10), default="de")
    channel: Mapped[PressReleaseChannel] = mapped_column(_enum(PressReleaseChannel))
    recipients: Mapped[str] = mapped_column(Text, default="")  # mail: the addresses queued
    text: Mapped[str] = mapped_column(Text, default="")
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    meeting: Mapped[Meeting | None] = relationship()


# ---------------------------------------------------------------------------------------------
# Mail


class OutboxMessage(Base):
    """One personal e-mail; sending is resumable and never sends the same Message-ID twice."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_state_kind", "state", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OutboxKind] = mapped_column(_enum(OutboxKind))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # A mail to an organisation's own address (its invitation is marked sent by it).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    meeting_sequence: Mapped[int | None] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    state: Mapped[OutboxState] = mapped_column(_enum(OutboxState), default=OutboxState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The document attachments (PDFs) name someone who was erased since: they are rendered
    # again from the current data before the message may go out (``app.mail.rebuild``).
    documents_outdated: Mapped[bool] = mapped_column(Boolean, default=False)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan"
    )


class OutboxAttachment(Base):
    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(260))
    mime_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")


# ---------------------------------------------------------------------------------------------
# Settings and privacy


class Setting(ChangedBy, Base):
    """Per-database settings (letterhead, sender, SMTP host, templates) as JSON values.

    Never holds secrets: the SMTP password lives in the OS keyring.
    """

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


class ErasureLogEntry(Base):
    """Ids of erased people (no names), re-applied after restoring an older backup."""

    __tablename__ = "erasure_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, index=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ---------------------------------------------------------------------------------------------
# Derived columns: NFC text and folded keys, kept right on every insert and update.


def _keep_person_keys(_mapper: object, _connection: object, person: Person) -> None:
    person.first_name = nfc(person.first_name)
    person.last_name = nfc(person.last_name)
    person.title = nfc(person.title)
    person.name_key = sort_key(person.last_name, person.first_name)


def _keep_name_key(
    _mapper: object, _connection: object, target: Organisation | Group | Quarter | Project
) -> None:
    target.name = nfc(target.name)
    target.name_key = sort_key(target.name)


def _keep_email_key(_mapper: object, _connection: object, email: PersonEmail) -> None:
    email.address = nfc(email.address)
    email.address_key = email.address.casefold()


for _event in ("before_insert", "before_update"):
    event.listen(Person, _event, _keep_person_keys)
    event.listen(PersonEmail, _event, _keep_email_key)
    for _model in (Organisation, Group, Quarter, Project):
        event.listen(_model, _event, _keep_name_key)


# ---------------------------------------------------------------------------------------------
# changed_by: who wrote a row last. ``Database.write()`` puts its ``user_name`` into
# ``session.info``; sessions without one (reads, tests that build sessions by hand) stamp
# nothing.


def _stamp_changed_by(session: Session, _context: object, _instances: object) -> None:
    name = session.info.get("user_name")
    if not name:
        return
    for row in session.new:
        if isinstance(row, ChangedBy):
            row.changed_by = name
    for row in session.dirty:
        if isinstance(row, ChangedBy) and session.is_modified(row, include_collections=False):
            row.changed_by = name


def _stamp_bulk_changes(state: ORMExecuteState) -> None:
    """``session.execute(update(Model)…)`` and ``insert(Model)`` bypass the flush: add
    ``changed_by`` to the statement (an UPDATE) or to each row (an INSERT)."""
    name = state.session.info.get("user_name")
    if not name or not (state.is_update or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, ChangedBy):
        return
    if state.is_update:
        state.statement = state.statement.values(changed_by=name)  # type: ignore[attr-defined]
        return
    parameters = state.parameters
    rows = parameters if isinstance(parameters, list) else [parameters] if parameters else []
    for row in rows:
        if isinstance(row, dict):
            row.setdefault("changed_by", name)


event.listen(Session, "before_flush", _stamp_changed_by)
event.listen(Session, "do_orm_execute", _stamp_bulk_changes)
