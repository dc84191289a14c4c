"""Consent rules: the latest statement per topic counts; withdrawn e-mail consent keeps a
person out of every later mailing."""

from __future__ import annotations

from app.models import ConsentRecord, ConsentTopic, Person


def latest_consent(records: list[ConsentRecord], topic: ConsentTopic) -> bool | None:
    """True given, False withdrawn, None never recorded."""
    relevant = [r for r in records if r.topic == topic]
    if not relevant:
        return None
    relevant.sort(key=lambda r: (r.recorded_at, r.id or 0))
    return relevant[-1].given


def may_receive_email(person: Person) -> bool:
    """A person gets mail when they have an address, are not archived and have not withdrawn
    e-mail consent. Never-recorded consent counts as allowed: partners in a professional
    network are contacted in their role (Art. 6 (1) f DSGVO); a withdrawal always wins."""
    if person.archived or not person.emails:
        return False
    return latest_consent(list(person.consents), ConsentTopic.EMAIL_INVITATIONS) is not False


def may_be_photographed(person: Person) -> bool | None:
    return latest_consent(list(person.consents), ConsentTopic.PHOTOS)
