"""Minutes (no Qt): notes, decisions, action items, photos, carry-over, states, distribution.

Modules, one job each:

- ``markup``: the notes' markup → blocks (``parse_notes``); no database, cheap to import.
- ``common``: the minutes row (lazy creation, number "<n>/<year>"), the lock, TOP numbers.
- ``notes``: autosave of per-TOP notes (``save_notes``).
- ``decisions`` / ``actions``: per-TOP entries with inverses for undo; action status.
- ``carry_over``: which action items of earlier meetings a meeting lists, and how.
- ``photos``: checked images with caption and credit; photo consent warnings.
- ``details``: actual times, next meeting (with a suggestion), "informed only".
- ``distribution``: who receives the minutes, each once.
- ``states``: draft → final (locked, revision recorded) → approved; corrections.
- ``view``: everything the minutes window edits, in one read.

The PDF's data is ``app.services.snapshots.minutes``; the cross-meeting task list is
``app.services.tasks_overview``.
"""

from app.services.minutes.actions import (
    ActionDraft,
    ActionStatusState,
    RemovedAction,
    add_action,
    move_action,
    remove_action,
    restore_action,
    restore_action_status,
    set_action_status,
    update_action,
)
from app.services.minutes.carry_over import CarriedItem, carried_action_items
from app.services.minutes.common import (
    MinutesInfo,
    MinutesStatus,
    MinutesStep,
    minutes_status,
)
from app.services.minutes.decisions import (
    DecisionDraft,
    RemovedDecision,
    add_decision,
    move_decision,
    remove_decision,
    restore_decision,
    update_decision,
)
from app.services.minutes.details import (
    ActualTimes,
    MinutesChange,
    NextMeeting,
    NextMeetingSuggestion,
    set_actual_times,
    set_informed_only,
    set_next_meeting,
    set_signature_lines,
    suggest_next_meeting,
)
from app.services.minutes.distribution import Distribution, Recipient, distribution_list
from app.services.minutes.markup import Block, BulletList, Paragraph, Run, parse_notes
from app.services.minutes.notes import save_notes
from app.services.minutes.ordering import MoveResult
from app.services.minutes.photos import (
    ConsentWarning,
    PhotoData,
    PhotoRow,
    PhotoText,
    RemovedPhoto,
    add_photo,
    list_photos,
    move_photo,
    photo_consent_warnings,
    photo_data,
    remove_photo,
    restore_photo,
    update_photo,
)
from app.services.minutes.states import (
    RevisionRow,
    approval_meetings,
    approve_minutes,
    ensure_minutes,
    finalise_minutes,
    get_minutes_info,
    minutes_revisions,
    revision_json,
    revoke_approval,
    start_correction,
    take_step,
)
from app.services.minutes.view import ActionView, DecisionView, MinutesView, TopView, load_minutes
from app.services.planning.common import MinutesLockedError

__all__ = [
    "ActionDraft",
    "ActionStatusState",
    "ActionView",
    "ActualTimes",
    "Block",
    "BulletList",
    "CarriedItem",
    "ConsentWarning",
    "DecisionDraft",
    "DecisionView",
    "Distribution",
    "MinutesChange",
    "MinutesInfo",
    "MinutesLockedError",
    "MinutesStatus",
    "MinutesStep",
    "MinutesView",
    "MoveResult",
    "NextMeeting",
    "NextMeetingSuggestion",
    "Paragraph",
    "PhotoData",
    "PhotoRow",
    "PhotoText",
    "Recipient",
    "RemovedAction",
    "RemovedDecision",
    "RemovedPhoto",
    "RevisionRow",
    "Run",
    "TopView",
    "add_action",
    "add_decision",
    "add_photo",
    "approval_meetings",
    "approve_minutes",
    "carried_action_items",
    "distribution_list",
    "ensure_minutes",
    "finalise_minutes",
    "get_minutes_info",
    "list_photos",
    "load_minutes",
    "minutes_revisions",
    "minutes_status",
    "move_action",
    "move_decision",
    "move_photo",
    "parse_notes",
    "photo_consent_warnings",
    "photo_data",
    "remove_action",
    "remove_decision",
    "remove_photo",
    "restore_action",
    "restore_action_status",
    "restore_decision",
    "restore_photo",
    "revision_json",
    "revoke_approval",
    "save_notes",
    "set_action_status",
    "set_actual_times",
    "set_informed_only",
    "set_next_meeting",
    "set_signature_lines",
    "start_correction",
    "suggest_next_meeting",
    "take_step",
    "update_action",
    "update_decision",
    "update_photo",
]
