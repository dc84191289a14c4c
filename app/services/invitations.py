"""Who is invited to a meeting, how they hear of it (e-mail or letter), and their replies.

Candidates are chosen by group, quarter (through their organisation's quarters),
organisation or person; the selected sets are united, then narrowed by a search text.
Archived people are never candidates and are skipped when added.

An organisation can be invited through its own (functional) address, info@verein.de: such an
invitation has ``organisation_id`` instead of ``person_id``, its mail says "Sehr geehrte Damen
und Herren", and its reply counts for the organisation, not for a person. Organisations with
an address are candidates beside people (chosen by organisation or quarter, or found by the
search); the functions below take ``organisation_ids`` beside person ids.

E-mail or letter: ``app.services.consent.may_receive_email`` decides; everyone else needs a
letter, with the reason shown (no address, e-mail consent withdrawn, archived).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.errors import NotFound, TreffpunktError, ValidationError
from app.i18n import N_, _, ngettext
from app.models import (
    Group,
    Invitation,
    InvitationState,
    Meeting,
    Organisation,
    Person,
    PersonEmail,
    Quarter,
    utcnow,
)
from app.services.consent import may_receive_email
from app.services.directory import person_name
from app.services.planning.common import load_meeting, refuse_if_cancelled
from app.text import fold, nfc, sort_key

REPLY_STATES = (InvitationState.ACCEPTED, InvitationState.DECLINED, InvitationState.TENTATIVE)


class LetterReason(enum.StrEnum):
    NO_EMAIL = "no_email"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    ARCHIVED = "archived"


LETTER_REASON_LABELS = {
    LetterReason.NO_EMAIL: N_("no e-mail address"),
    LetterReason.CONSENT_WITHDRAWN: N_("e-mail consent withdrawn"),
    LetterReason.ARCHIVED: N_("archived"),
}


def letter_reason_label(reason: LetterReason) -> str:
    return _(LETTER_REASON_LABELS[reason])


class ConfirmationRequiredError(TreffpunktError):
    """The action affects people who already received the invitation; ask, then repeat it
    with the confirm flag. ``person_ids`` names them."""

    def __init__(self, message: str, person_ids: tuple[int, ...]) -> None:
        super().__init__(message)
        self.person_ids = person_ids


# -- rows ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """A group, quarter or organisation to pick invitees by."""

    id: int
    name: str
    people: int  # active people it selects


@dataclass(frozen=True, slots=True)
class SelectionChoices:
    groups: tuple[Choice, ...]
    quarters: tuple[Choice, ...]
    organisations: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class CandidateRow:
    person_id: int | None  # None: an organisation's own address (``organisation_id``)
    name: str
    organisation: str | None
    email: str | None  # the preferred address
    groups: tuple[str, ...]
    quarters: tuple[str, ...]
    mailable: bool
    letter_reason: LetterReason | None  # why a letter is needed (None when mailable)
    invitation_state: InvitationState | None  # None: not invited to the meeting asked about
    sort_key: str
    search_key: str
    organisation_id: int | None = None  # set for an organisation invited by its own address


@dataclass(frozen=True, slots=True)
class InviteeRow:
    person_id: int | None  # None: an organisation's own address (``organisation_id``)
    name: str
    organisation: str | None
    email: str | None
    state: InvitationState
    sent_at: datetime | None
    sent_sequence: int | None
    answered_at: datetime | None
    note: str
    mailable: bool
    letter_reason: LetterReason | None
    # Received an earlier version (time, place, title changed or cancelled since).
    needs_update: bool
    archived: bool
    sort_key: str  # last, first name folded (German order); the name of an organisation
    organisation_id: int | None = None  # set for an organisation invited by its own address


@dataclass(frozen=True, slots=True)
class AddResult:
    added: tuple[int, ...]
    already_invited: tuple[int, ...]
    skipped_archived: tuple[int, ...]
    # Organisations invited by their own address, by id.
    added_organisations: tuple[int, ...] = ()
    already_invited_organisations: tuple[int, ...] = ()
    skipped_archived_organisations: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class InvitationSnapshot:
    """A removed invitation, enough to restore it (undo)."""

    meeting_id: int
    person_id: int | None
    state: InvitationState
    sent_at: datetime | None
    sent_sequence: int | None
    answered_at: datetime | None
    note: str
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReplyState:
    state: InvitationState
    note: str
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReplyChange:
    person_id: int | None  # None: the reply of an organisation (``organisation_id``)
    previous: ReplyState  # inverse: restore_reply(db, meeting_id, person_id, previous, …)
    current: ReplyState
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReplyCounts:
    not_sent: int = 0
    sent: int = 0  # sent, no answer yet
    accepted: int = 0
    declined: int = 0
    tentative: int = 0

    @property
    def total(self) -> int:
        return self.not_sent + self.sent + self.accepted + self.declined + self.tentative

    @property
    def answered(self) -> int:
        return self.accepted + self.declined + self.tentative


@dataclass(frozen=True, slots=True)
class DeliverySplit:
    by_email: tuple[InviteeRow, ...]
    by_letter: tuple[InviteeRow, ...]  # each with its letter_reason


# -- helpers ------------------------------------------------------------------------------


def delivery(person: Person) -> tuple[bool, LetterReason | None]:
    """E-mail allowed, or the reason this person needs a letter."""
    if may_receive_email(person):
        return True, None
    if person.archived:
        return False, LetterReason.ARCHIVED
    if not person.emails:
        return False, LetterReason.NO_EMAIL
    return False, LetterReason.CONSENT_WITHDRAWN


def organisation_delivery(organisation: Organisation) -> tuple[bool, LetterReason | None]:
    """E-mail to the organisation's own address, or why not."""
    if organisation.archived:
        return False, LetterReason.ARCHIVED
    if not organisation.email.strip():
        return False, LetterReason.NO_EMAIL
    return True, None


def _people_query() -> Select[Person]:
    return select(Person).options(
        selectinload(Person.emails),
        selectinload(Person.consents),
        selectinload(Person.groups),
        selectinload(Person.organisation).selectinload(Organisation.quarters),
    )


def _quarters(person: Person) -> tuple[str, ...]:
    if person.organisation is None:
        return ()
    return tuple(sorted((q.name for q in person.organisation.quarters), key=fold))


def _invitation(
    session: Session, meeting_id: int, person_id: int | None, organisation_id: int | None = None
) -> Invitation:
    """The invitation of a person, or (``person_id`` None) of an organisation's address."""
    if person_id is not None:
        invitee = Invitation.person_id == person_id
    else:
        invitee = Invitation.organisation_id == organisation_id
    invitation = session.scalar(
        select(Invitation).where(Invitation.meeting_id == meeting_id, invitee)
    )
    if invitation is None:
        if person_id is not None:
            person = session.get(Person, person_id)
            who = person_name(person) if person is not None else str(person_id)
        else:
            organisation = session.get(Organisation, organisation_id)
            who = organisation.name if organisation is not None else str(organisation_id)
        raise NotFound(_("{name} is not invited to this meeting.").format(name=who))
    return invitation


# -- choosing candidates --------------------------------------------------------------------


def selection_choices(db: Database) -> SelectionChoices:
    """Groups, quarters and organisations to choose from, each with how many it selects."""
    with db.read() as session:
        people = session.scalars(_people_query().where(Person.archived.is_(False))).all()
        group_count: dict[int, int] = {}
        quarter_count: dict[int, int] = {}
        organisation_count: dict[int, int] = {}
        for person in people:
            for group in person.groups:
                group_count[group.id] = group_count.get(group.id, 0) + 1
            if person.organisation is not None:
                org = person.organisation
                organisation_count[org.id] = organisation_count.get(org.id, 0) + 1
                for quarter in org.quarters:
                    quarter_count[quarter.id] = quarter_count.get(quarter.id, 0) + 1
        groups = tuple(
            Choice(g.id, g.name, group_count.get(g.id, 0))
            for g in session.scalars(select(Group).order_by(Group.name_key, Group.id))
        )
        quarters = tuple(
            Choice(q.id, q.name, quarter_count.get(q.id, 0))
            for q in session.scalars(select(Quarter).order_by(Quarter.name_key, Quarter.id))
        )
        organisations = tuple(
            Choice(o.id, o.name, organisation_count.get(o.id, 0))
            for o in session.scalars(
                select(Organisation)
                .where(Organisation.archived.is_(False))
                .order_by(Organisation.name_key, Organisation.id)
            )
        )
        return SelectionChoices(groups, quarters, organisations)


def find_candidates(
    db: Database,
    *,
    group_ids: Iterable[int] = (),
    quarter_ids: Iterable[int] = (),
    organisation_ids: Iterable[int] = (),
    person_ids: Iterable[int] = (),
    search: str = "",
    meeting_id: int | None = None,
) -> list[CandidateRow]:
    """People to invite: the union of the chosen groups, quarters, organisations and people
    (everyone active when nothing is chosen), narrowed by *search* (every word must occur in
    name, organisation, function, e-mail, groups or quarters; case and accents ignored).

    With *meeting_id*, each row tells whether and how the person is already invited.

    Organisations with an address of their own come as rows too (``organisation_id`` set):
    the chosen organisations and those in the chosen quarters, or, with nothing chosen, those
    the search finds. So "everyone" stays the people, and an organisation's own address is
    invited only when the user went looking for it.
    """
    groups, quarters = set(group_ids), set(quarter_ids)
    organisations, chosen = set(organisation_ids), set(person_ids)
    anything = bool(groups or quarters or organisations or chosen)
    words = fold(search).split()
    with db.read() as session:
        states: dict[int, InvitationState] = {}
        organisation_states: dict[int, InvitationState] = {}
        if meeting_id is not None:
            load_meeting(session, meeting_id)
            for person_id, organisation_id, state in session.execute(
                select(Invitation.person_id, Invitation.organisation_id, Invitation.state).where(
                    Invitation.meeting_id == meeting_id
                )
            ):
                if person_id is not None:
                    states[person_id] = state
                elif organisation_id is not None:
                    organisation_states[organisation_id] = state
        rows = _organisation_candidates(
            session, organisations, quarters, anything, words, organisation_states
        )
        for person in session.scalars(_people_query().where(Person.archived.is_(False))):
            org = person.organisation
            if anything and not (
                person.id in chosen
                or any(g.id in groups for g in person.groups)
                or (org is not None and org.id in organisations)
                or (org is not None and any(q.id in quarters for q in org.quarters))
            ):
                continue
            name = person_name(person)
            group_names = tuple(sorted((g.name for g in person.groups), key=fold))
            quarter_names = _quarters(person)
            search_key = fold(
                " ".join(
                    [name, org.name if org else "", person.function]
                    + [e.address for e in person.emails]
                    + list(group_names)
                    + list(quarter_names)
                )
            )
            if any(word not in search_key for word in words):
                continue
            mailable, reason = delivery(person)
            rows.append(
                CandidateRow(
                    person_id=person.id,
                    name=name,
                    organisation=org.name if org else None,
                    email=person.preferred_email,
                    groups=group_names,
                    quarters=quarter_names,
                    mailable=mailable,
                    letter_reason=reason,
                    invitation_state=states.get(person.id),
                    sort_key=person.name_key,
                    search_key=search_key,
                )
            )
    # Organisations' own addresses first: the user looked for them.
    rows.sort(
        key=lambda row: (
            row.organisation_id is None,
            row.sort_key,
            row.person_id or 0,
            row.organisation_id or 0,
        )
    )
    return rows


def _organisation_candidates(
    session: Session,
    organisations: set[int],
    quarters: set[int],
    anything: bool,
    words: list[str],
    states: dict[int, InvitationState],
) -> list[CandidateRow]:
    """Organisations that can be invited by their own address (see ``find_candidates``)."""
    rows: list[CandidateRow] = []
    if not (organisations or quarters or words):
        return rows
    for organisation in session.scalars(
        select(Organisation)
        .where(Organisation.archived.is_(False), Organisation.email != "")
        .options(selectinload(Organisation.quarters))
    ):
        if anything and not (
            organisation.id in organisations or any(q.id in quarters for q in organisation.quarters)
        ):
            continue
        quarter_names = tuple(sorted((q.name for q in organisation.quarters), key=fold))
        search_key = fold(" ".join([organisation.name, organisation.email, *quarter_names]))
        if any(word not in search_key for word in words):
            continue
        rows.append(
            CandidateRow(
                person_id=None,
                name=organisation.name,
                organisation=organisation.name,
                email=organisation.email,
                groups=(),
                quarters=quarter_names,
                mailable=True,
                letter_reason=None,
                invitation_state=states.get(organisation.id),
                sort_key=organisation.name_key,
                search_key=search_key,
                organisation_id=organisation.id,
            )
        )
    return rows


def select_people(
    db: Database,
    *,
    everyone: bool = False,
    group_names: Iterable[str] = (),
    quarter_names: Iterable[str] = (),
    organisation_names: Iterable[str] = (),
    emails: Iterable[str] = (),
) -> tuple[int, ...]:
    """Person ids chosen by names (the command line's way): case and accents are ignored.

    An unknown group, quarter, organisation or address raises NotFound. Organisation names
    need not be unique: all organisations of that name count. Active people only, except
    those named by address (``add_invitees`` then reports them as archived).
    """
    with db.read() as session:
        group_ids: set[int] = set()
        for name in group_names:
            group_ids |= _ids_named(session, Group, name, _("There is no group named “{name}”."))
        quarter_ids: set[int] = set()
        for name in quarter_names:
            quarter_ids |= _ids_named(
                session, Quarter, name, _("There is no quarter named “{name}”.")
            )
        organisation_ids: set[int] = set()
        for name in organisation_names:
            organisation_ids |= _ids_named(
                session, Organisation, name, _("There is no organisation named “{name}”.")
            )
        person_ids: set[int] = set()
        for address in emails:
            found = session.scalars(
                select(PersonEmail.person_id).where(
                    PersonEmail.address_key == nfc(address).casefold()
                )
            ).all()
            if not found:
                raise NotFound(
                    _("Nobody in the directory has the e-mail address “{address}”.").format(
                        address=nfc(address)
                    )
                )
            person_ids.update(found)
    selected: set[int] = set(person_ids)
    if everyone:
        selected.update(row.person_id for row in find_candidates(db) if row.person_id is not None)
    elif group_ids or quarter_ids or organisation_ids:
        selected.update(
            row.person_id
            for row in find_candidates(
                db,
                group_ids=group_ids,
                quarter_ids=quarter_ids,
                organisation_ids=organisation_ids,
            )
            if row.person_id is not None
        )
    return tuple(sorted(selected))


def select_organisations(db: Database, names: Iterable[str]) -> tuple[int, ...]:
    """Organisation ids by name (case and accents ignored), to invite by their own address.

    An unknown name raises NotFound; one without an address of its own raises
    ValidationError (invite its people instead); names need not be unique.
    """
    selected: set[int] = set()
    with db.read() as session:
        for name in names:
            ids = _ids_named(
                session, Organisation, name, _("There is no organisation named “{name}”.")
            )
            for organisation in session.scalars(
                select(Organisation).where(Organisation.id.in_(ids))
            ):
                if not organisation.email.strip():
                    raise ValidationError(
                        _(
                            "“{name}” has no e-mail address of its own; invite its people "
                            "instead (--organisation)."
                        ).format(name=organisation.name)
                    )
            selected |= ids
    return tuple(sorted(selected))


def person_names(db: Database, person_ids: Iterable[int]) -> dict[int, str]:
    """Display names of people by id (unknown ids are left out)."""
    wanted = list(person_ids)
    with db.read() as session:
        return {
            person.id: person_name(person)
            for person in session.scalars(select(Person).where(Person.id.in_(wanted)))
        }


def _ids_named(
    session: Session,
    model: type[Group] | type[Quarter] | type[Organisation],
    name: str,
    message: str,
) -> set[int]:
    key = sort_key(nfc(name))
    ids = set(session.scalars(select(model.id).where(model.name_key == key)).all())
    if not ids:
        raise NotFound(message.format(name=nfc(name)))
    return ids


# -- the invitee list -------------------------------------------------------------------------


def add_invitees(
    db: Database,
    meeting_id: int,
    person_ids: Iterable[int],
    *,
    organisation_ids: Iterable[int] = (),
) -> AddResult:
    """Invite people, and organisations by their own address (as "not sent"). Idempotent:
    those already invited stay as they are; archived ones are skipped. An unknown id raises
    NotFound, an organisation without an address ValidationError; then nobody is added.

    Inverse: ``remove_invitees(result.added, organisation_ids=result.added_organisations)``.
    """
    wanted = list(dict.fromkeys(person_ids))
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        refuse_if_cancelled(meeting)
        organisations = _add_organisations(session, meeting_id, organisation_ids)
        existing = set(
            session.scalars(
                select(Invitation.person_id).where(
                    Invitation.meeting_id == meeting_id, Invitation.person_id.is_not(None)
                )
            ).all()
        )
        people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}
        missing = [person_id for person_id in wanted if person_id not in people]
        if missing:
            raise NotFound(_("There is no person with the number {id}.").format(id=missing[0]))
        added, already, archived = [], [], []
        for person_id in wanted:
            if person_id in existing:
                already.append(person_id)
            elif people[person_id].archived:
                archived.append(person_id)
            else:
                session.add(Invitation(meeting_id=meeting_id, person_id=person_id))
                added.append(person_id)
        return AddResult(tuple(added), tuple(already), tuple(archived), *organisations)


def _add_organisations(
    session: Session, meeting_id: int, organisation_ids: Iterable[int]
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """(added, already invited, archived) organisations; raises before adding anything."""
    wanted = list(dict.fromkeys(organisation_ids))
    if not wanted:
        return (), (), ()
    found = {
        o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))
    }
    missing = [organisation_id for organisation_id in wanted if organisation_id not in found]
    if missing:
        raise NotFound(_("There is no organisation with the number {id}.").format(id=missing[0]))
    for organisation in found.values():
        if not organisation.email.strip():
            raise ValidationError(
                _(
                    "“{name}” has no e-mail address of its own and cannot be invited as an "
                    "organisation; invite its people instead."
                ).format(name=organisation.name)
            )
    existing = set(
        session.scalars(
            select(Invitation.organisation_id).where(
                Invitation.meeting_id == meeting_id, Invitation.organisation_id.in_(wanted)
            )
        ).all()
    )
    added, already, archived = [], [], []
    for organisation_id in wanted:
        if organisation_id in existing:
            already.append(organisation_id)
        elif found[organisation_id].archived:
            archived.append(organisation_id)
        else:
            session.add(Invitation(meeting_id=meeting_id, organisation_id=organisation_id))
            added.append(organisation_id)
    return tuple(added), tuple(already), tuple(archived)


def remove_invitees(
    db: Database,
    meeting_id: int,
    person_ids: Iterable[int],
    *,
    confirm_sent: bool = False,
    organisation_ids: Iterable[int] = (),
) -> tuple[InvitationSnapshot, ...]:
    """Take people (and organisations' own addresses) off the invitee list; returns what
    ``restore_invitations`` needs (undo).

    Not-yet-sent invitations go silently. If any of them already received the invitation,
    ConfirmationRequiredError is raised and nothing changes, unless *confirm_sent* is set
    (the window asks first; telling them is the mailing's job). Those not invited are
    ignored.
    """
    wanted, wanted_organisations = set(person_ids), set(organisation_ids)
    with db.write() as session:
        load_meeting(session, meeting_id)
        invitations = session.scalars(
            select(Invitation)
            .where(
                Invitation.meeting_id == meeting_id,
                Invitation.person_id.in_(wanted)
                | Invitation.organisation_id.in_(wanted_organisations),
            )
            .options(selectinload(Invitation.person), selectinload(Invitation.organisation))
            .order_by(Invitation.id)
        ).all()
        told = [inv for inv in invitations if inv.state is not InvitationState.NOT_SENT]
        if told and not confirm_sent:
            names = ", ".join(_invitee_name(inv) for inv in told)
            raise ConfirmationRequiredError(
                ngettext(
                    "{count} of them already received the invitation ({names}). Remove anyway?",
                    "{count} of them already received the invitation ({names}). Remove anyway?",
                    len(told),
                ).format(count=len(told), names=names),
                tuple(inv.person_id for inv in told if inv.person_id is not None),
            )
        snapshots = tuple(
            InvitationSnapshot(
                meeting_id=meeting_id,
                person_id=inv.person_id,
                state=inv.state,
                sent_at=inv.sent_at,
                sent_sequence=inv.sent_sequence,
                answered_at=inv.answered_at,
                note=inv.note,
                organisation_id=inv.organisation_id,
            )
            for inv in invitations
        )
        for inv in invitations:
            session.delete(inv)
        return snapshots


def restore_invitations(db: Database, snapshots: Iterable[InvitationSnapshot]) -> None:
    """Put removed invitations back with their state (skips those invited again since)."""
    with db.write() as session:
        for snap in snapshots:
            if snap.person_id is not None:
                invitee = Invitation.person_id == snap.person_id
                still_there = session.get(Person, snap.person_id) is not None
            else:
                invitee = Invitation.organisation_id == snap.organisation_id
                still_there = session.get(Organisation, snap.organisation_id) is not None
            exists = session.scalar(
                select(Invitation.id).where(Invitation.meeting_id == snap.meeting_id, invitee)
            )
            if exists is None and still_there:
                session.add(
                    Invitation(
                        meeting_id=snap.meeting_id,
                        person_id=snap.person_id,
                        organisation_id=snap.organisation_id,
                        state=snap.state,
                        sent_at=snap.sent_at,
                        sent_sequence=snap.sent_sequence,
                        answered_at=snap.answered_at,
                        note=snap.note,
                    )
                )


def _invitee_name(invitation: Invitation) -> str:
    if invitation.person is not None:
        return person_name(invitation.person)
    return invitation.organisation.name if invitation.organisation is not None else ""


def _needs_update(invitation: Invitation, meeting: Meeting) -> bool:
    return invitation.sent_sequence is not None and invitation.sent_sequence < meeting.ics_sequence


def _organisation_row(invitation: Invitation, meeting: Meeting) -> InviteeRow:
    organisation = invitation.organisation
    assert organisation is not None
    mailable, reason = organisation_delivery(organisation)
    return InviteeRow(
        person_id=None,
        name=organisation.name,
        organisation=organisation.name,
        email=organisation.email or None,
        state=invitation.state,
        sent_at=invitation.sent_at,
        sent_sequence=invitation.sent_sequence,
        answered_at=invitation.answered_at,
        note=invitation.note,
        mailable=mailable,
        letter_reason=reason,
        needs_update=_needs_update(invitation, meeting),
        archived=organisation.archived,
        sort_key=organisation.name_key,
        organisation_id=organisation.id,
    )


def _invitee_row(invitation: Invitation, meeting: Meeting) -> InviteeRow:
    person = invitation.person
    if person is None:
        return _organisation_row(invitation, meeting)
    mailable, reason = delivery(person)
    return InviteeRow(
        person_id=person.id,
        name=person_name(person),
        organisation=person.organisation.name if person.organisation else None,
        email=person.preferred_email,
        state=invitation.state,
        sent_at=invitation.sent_at,
        sent_sequence=invitation.sent_sequence,
        answered_at=invitation.answered_at,
        note=invitation.note,
        mailable=mailable,
        letter_reason=reason,
        needs_update=_needs_update(invitation, meeting),
        archived=person.archived,
        sort_key=person.name_key,
    )


def list_invitees(db: Database, meeting_id: int) -> list[InviteeRow]:
    """The invitee list, by organisation, then last and first name (German order)."""
    with db.read() as session:
        meeting = load_meeting(session, meeting_id)
        invitations = session.scalars(
            select(Invitation)
            .where(Invitation.meeting_id == meeting_id, Invitation.anonymised.is_(False))
            .options(
                selectinload(Invitation.person).selectinload(Person.emails),
                selectinload(Invitation.person).selectinload(Person.consents),
                selectinload(Invitation.person).selectinload(Person.organisation),
                selectinload(Invitation.organisation),
            )
        ).all()
        rows = [_invitee_row(inv, meeting) for inv in invitations]
    # An organisation's own address comes first among its people.
    rows.sort(
        key=lambda r: (
            fold(r.organisation or "~"),
            r.organisation_id is None,
            r.sort_key,
            r.person_id or 0,
        )
    )
    return rows


def delivery_split(db: Database, meeting_id: int) -> DeliverySplit:
    """Invitees who get e-mail, and those who need a letter (with the reason)."""
    rows = list_invitees(db, meeting_id)
    return DeliverySplit(
        by_email=tuple(r for r in rows if r.mailable),
        by_letter=tuple(r for r in rows if not r.mailable),
    )


def not_answered(db: Database, meeting_id: int) -> list[InviteeRow]:
    """Invitees who received the invitation and have not answered (for a reminder).

    Includes people who need a letter; a mailing filters by ``mailable``.
    """
    return [r for r in list_invitees(db, meeting_id) if r.state is InvitationState.SENT]


def needs_update(db: Database, meeting_id: int) -> list[InviteeRow]:
    """Invitees who received an earlier version: due an update or cancellation mail."""
    return [r for r in list_invitees(db, meeting_id) if r.needs_update]


def reply_counts(db: Database, meeting_id: int) -> ReplyCounts:
    with db.read() as session:
        load_meeting(session, meeting_id)
        counts = {state: 0 for state in InvitationState}
        for (state,) in session.execute(
            select(Invitation.state).where(Invitation.meeting_id == meeting_id)
        ):
            counts[state] += 1
    return ReplyCounts(
        not_sent=counts[InvitationState.NOT_SENT],
        sent=counts[InvitationState.SENT],
        accepted=counts[InvitationState.ACCEPTED],
        declined=counts[InvitationState.DECLINED],
        tentative=counts[InvitationState.TENTATIVE],
    )


# -- replies ----------------------------------------------------------------------------------


def _reply_state(invitation: Invitation) -> ReplyState:
    return ReplyState(invitation.state, invitation.note, invitation.answered_at)


def _apply_reply(
    invitation: Invitation, state: InvitationState | None, note: str | None, now: datetime
) -> None:
    if state in REPLY_STATES:
        assert state is not None
        if invitation.state is not state or invitation.answered_at is None:
            invitation.answered_at = now
        invitation.state = state
    else:
        # "No answer (yet)": back to sent or not sent, depending on what really happened.
        invitation.state = (
            InvitationState.SENT if invitation.sent_at is not None else InvitationState.NOT_SENT
        )
        invitation.answered_at = None
    if note is not None:
        invitation.note = nfc(note)


def set_replies(
    db: Database,
    meeting_id: int,
    person_ids: Iterable[int],
    state: InvitationState | None,
    note: str | None = None,
    *,
    now: datetime | None = None,
    organisation_ids: Iterable[int] = (),
) -> tuple[ReplyChange, ...]:
    """Record replies for several invitees at once (all or nothing).

    *state*: accepted, declined or tentative (stamps ``answered_at``); ``None``, ``SENT`` or
    ``NOT_SENT`` clear a reply (back to "sent" if the invitation went out, else "not
    sent": the sending history is never faked). *note* ``None`` keeps the note.
    A reply may be recorded before the invitation was sent (someone answered by phone).
    *organisation_ids*: replies that came from organisations' own addresses.
    """
    now = now or utcnow()
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        refuse_if_cancelled(meeting)
        changes = []
        invitees: list[tuple[int | None, int | None]] = [
            (p, None) for p in dict.fromkeys(person_ids)
        ]
        invitees += [(None, o) for o in dict.fromkeys(organisation_ids)]
        for person_id, organisation_id in invitees:
            invitation = _invitation(session, meeting_id, person_id, organisation_id)
            previous = _reply_state(invitation)
            _apply_reply(invitation, state, note, now)
            changes.append(
                ReplyChange(person_id, previous, _reply_state(invitation), organisation_id)
            )
        return tuple(changes)


def set_reply(
    db: Database,
    meeting_id: int,
    person_id: int,
    state: InvitationState | None,
    note: str | None = None,
    *,
    now: datetime | None = None,
) -> ReplyChange:
    """Record one invitee's reply; see ``set_replies``. Inverse: ``restore_reply``."""
    return set_replies(db, meeting_id, [person_id], state, note, now=now)[0]


def restore_reply(
    db: Database,
    meeting_id: int,
    person_id: int | None,
    reply: ReplyState,
    *,
    organisation_id: int | None = None,
) -> None:
    """Put a previous reply back exactly (undo of ``set_reply``); *person_id* None and
    *organisation_id*: the reply of an organisation's own address."""
    with db.write() as session:
        invitation = _invitation(session, meeting_id, person_id, organisation_id)
        if reply.state is InvitationState.NOT_SENT and invitation.sent_at is not None:
            raise ValidationError(_("The invitation has been sent meanwhile."))
        invitation.state = reply.state
        invitation.note = reply.note
        invitation.answered_at = reply.answered_at
