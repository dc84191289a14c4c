"""Planning meetings (no Qt): create, edit with lost-update protection, copy, reschedule,
cancel, and the meeting's life from planned to minutes final.

The agenda lives in ``app.services.agenda`` (+ ``standard_agenda``), invitees in
``app.services.invitations``, venues in ``app.services.venues``.
"""

from app.services.planning.common import MeetingChange, MeetingDraft, MeetingForm
from app.services.planning.editing import (
    SEQUENCE_FIELDS,
    MeetingFormChoices,
    copy_meeting,
    create_meeting,
    delete_meeting,
    load_form_choices,
    load_meeting_form,
    update_meeting,
)
from app.services.planning.lifecycle import (
    TRANSITIONS,
    advance_to_invited,
    allowed_transitions,
    cancel_meeting,
    reschedule_meeting,
    set_meeting_state,
)
from app.services.planning.times import (
    DEFAULT_TIMEZONE,
    is_ambiguous,
    localize,
    parse_local,
)

__all__ = [
    "DEFAULT_TIMEZONE",
    "SEQUENCE_FIELDS",
    "TRANSITIONS",
    "MeetingChange",
    "MeetingDraft",
    "MeetingForm",
    "MeetingFormChoices",
    "advance_to_invited",
    "allowed_transitions",
    "cancel_meeting",
    "copy_meeting",
    "create_meeting",
    "delete_meeting",
    "is_ambiguous",
    "load_form_choices",
    "load_meeting_form",
    "localize",
    "parse_local",
    "reschedule_meeting",
    "set_meeting_state",
    "update_meeting",
]
