"""Contacts import and export (CSV, xlsx, vCard) without Qt: the window and the CLI share it.

Import: ``preview_import`` → (user corrects the mapping) → ``plan_import`` → ``apply_import``,
or ``import_contacts`` in one call. Export: ``export_people``.
"""

from app.contacts.errors import (
    ContactsError,
    EmptySheetError,
    ExportFileError,
    ImportFileError,
    ImportMappingError,
    ImportRejectedError,
    RejectedRow,
)
from app.contacts.exporting import export_people
from app.contacts.fields import Field, field_label
from app.contacts.importing import (
    Action,
    ImportPlan,
    ImportResult,
    PlannedContact,
    apply_import,
    check_rows,
    import_contacts,
    plan_import,
    report_lines,
    row_label,
)
from app.contacts.mapping import Layout
from app.contacts.preview import ImportPreview, preview_import
from app.contacts.reading import SourceFormat, SourceRow
from app.contacts.records import ContactRecord

__all__ = [
    "Action",
    "ContactRecord",
    "ContactsError",
    "EmptySheetError",
    "ExportFileError",
    "Field",
    "ImportFileError",
    "ImportMappingError",
    "ImportPlan",
    "ImportPreview",
    "ImportRejectedError",
    "ImportResult",
    "Layout",
    "PlannedContact",
    "RejectedRow",
    "SourceFormat",
    "SourceRow",
    "apply_import",
    "check_rows",
    "export_people",
    "field_label",
    "import_contacts",
    "plan_import",
    "preview_import",
    "report_lines",
    "row_label",
]
