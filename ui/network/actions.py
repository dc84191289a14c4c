"""What the network page can change, each as one background write plus an undo command.

Slots of the page and its dialogs call these methods; every write goes through the
``DirectoryWriter`` (one at a time, on the task runner) and, once it succeeded, its command
lands on the page's ``QUndoStack``. Errors come back as messages, never as tracebacks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import ConflictError, NotFound, TreffpunktError
from app.i18n import _, ngettext
from app.services.directory_rows import EditingChoices
from ui.lazy_import import lazy_module
from ui.network.writer import DirectoryWriter
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.db import Database
    from app.services import directory_editing as edit
    from ui.network import commands
    from ui.network.commands import LabelOps
    from ui.network.organisation_dialog import OrganisationDialog
    from ui.network.person_dialog import PersonDialog
else:
    # Issue 14: the editing services (SQLAlchemy, the ORM) and the dialogs load when first
    # used, not while the window builds its first page.
    edit = lazy_module("app.services.directory_editing")
    commands = lazy_module("ui.network.commands")

log_unexpected = "Unexpected error in a directory write"


def error_text(error: BaseException) -> str:
    if isinstance(error, TreffpunktError):
        return str(error)
    import logging

    logging.getLogger(__name__).error(log_unexpected, exc_info=error)
    return _("Something went wrong; nothing was changed. ({error})").format(
        error=type(error).__name__
    )


class ConflictChoice:
    RELOAD = "reload"
    OVERWRITE = "overwrite"
    CANCEL = "cancel"


def ask_conflict(parent: QWidget, message: str) -> str:
    """Someone saved the same record meanwhile: load theirs, keep mine, or go back."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Changed elsewhere"), message, parent=parent)
    box.setInformativeText(
        _(
            "“Load their version” shows the other change and drops yours. “Save mine anyway” "
            "replaces the other change with what you see in the dialog."
        )
    )
    reload = box.addButton(_("Load their version"), QMessageBox.ButtonRole.ResetRole)
    overwrite = box.addButton(_("Save mine anyway"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload)
    box.exec()
    clicked = box.clickedButton()
    if clicked is reload:
        return ConflictChoice.RELOAD
    if clicked is overwrite:
        return ConflictChoice.OVERWRITE
    return ConflictChoice.CANCEL


class DirectoryActions(QObject):
    """Signals:
    changed(): the directory was written (by a change, an undo or a redo); reload the lists.
    dialog_opened(object): a person or organisation dialog was opened (tests, screenshots).
    """

    changed = Signal()
    dialog_opened = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.runner = runner
        self.writer = DirectoryWriter(runner, self)
        self.stack = QUndoStack(self)
        self.writer.written.connect(self.changed)
        self.writer.failed.connect(self._undo_failed)
        self.choices = EditingChoices((), (), ())

    def set_database(self, db: Database | None) -> None:
        if db is not self.writer.database():
            self.stack.clear()
        self.writer.set_database(db)

    def database(self) -> Database | None:
        return self.writer.database()

    def _warn(self, error: BaseException, title: str | None = None) -> None:
        QMessageBox.warning(self._parent, title or _("Network"), error_text(error))

    def _undo_failed(self, error: BaseException) -> None:
        # The stack no longer matches the database: start afresh rather than undo wrongly.
        self.stack.clear()
        QMessageBox.warning(
            self._parent,
            _("Undo not possible"),
            _("{reason}\n\nThe undo history was cleared.").format(reason=error_text(error)),
        )
        self.changed.emit()

    def _push(self, command: commands.DirectoryCommand) -> None:
        self.stack.push(command)

    # -- people ----------------------------------------------------------------------------

    def open_person(self, person_id: int | None) -> None:
        """Open the person dialog (None: a new person) once the form is loaded."""
        db = self.database()
        if db is None:
            return
        if person_id is None:
            self._show_person_dialog(None)
            return
        self.runner.run(
            edit.load_person,
            db,
            person_id,
            key="person-form",
            on_done=self._show_person_dialog,
            on_error=self._warn,
        )

    def _show_person_dialog(self, form: edit.PersonForm | None) -> None:
        from ui.network.person_dialog import PersonDialog

        dialog = PersonDialog(self.choices, form, self._parent)
        dialog.save_requested.connect(lambda values: self._save_person(dialog, values))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _save_person(self, dialog: PersonDialog, values: edit.PersonInput) -> None:
        form = dialog.form
        if form is None:
            self.writer.submit(
                lambda db: edit.create_person(db, values),
                on_done=lambda saved: self._person_created(dialog, values, saved),
                on_error=lambda error: self._person_failed(dialog, values, error),
            )
        else:
            self._update_person(dialog, form.id, values, form.version)

    def _update_person(
        self, dialog: PersonDialog, person_id: int, values: edit.PersonInput, version: int
    ) -> None:
        self.writer.submit(
            lambda db: edit.update_person(db, person_id, values, version),
            on_done=lambda change: self._person_updated(dialog, values, change),
            on_error=lambda error: self._person_failed(dialog, values, error),
        )

    def _person_created(
        self, dialog: PersonDialog, values: edit.PersonInput, saved: edit.Saved
    ) -> None:
        name = " ".join(part for part in (values.first_name, values.last_name) if part)
        self._push(
            commands.CreatePersonCommand(
                self.writer, _("New person {name}").format(name=name), saved.id
            )
        )
        dialog.saved()

    def _person_updated(
        self, dialog: PersonDialog, values: edit.PersonInput, change: edit.PersonChange
    ) -> None:
        name = " ".join(part for part in (values.first_name, values.last_name) if part)
        self._push(
            commands.EditPersonCommand(
                self.writer,
                _("Edit {name}").format(name=name),
                commands.PersonEdit(values, change),
            )
        )
        dialog.saved()

    def _person_failed(
        self, dialog: PersonDialog, values: edit.PersonInput, error: BaseException
    ) -> None:
        form = dialog.form
        if isinstance(error, ConflictError) and form is not None:
            choice = ask_conflict(dialog, str(error))
            if choice == ConflictChoice.CANCEL:
                dialog.save_failed(str(error))
                return
            db = self.database()
            if db is None:
                return

            def fresh(current: edit.PersonForm) -> None:
                if choice == ConflictChoice.RELOAD:
                    dialog.save_failed("")
                    dialog.load(current)
                else:
                    dialog.form = current
                    self._update_person(dialog, current.id, values, current.version)

            self.runner.run(
                edit.load_person,
                db,
                form.id,
                on_done=fresh,
                on_error=lambda e: dialog.save_failed(error_text(e)),
            )
            return
        if isinstance(error, NotFound):
            dialog.save_failed(str(error))
            return
        dialog.save_failed(error_text(error))

    def remove_people(self, person_ids: Sequence[int]) -> None:
        """Ask, then delete people who never took part in a meeting and archive the others."""
        db = self.database()
        if db is None or not person_ids:
            return
        self.runner.run(
            edit.plan_removal,
            db,
            list(person_ids),
            on_done=self._confirm_removal,
            on_error=self._warn,
        )

    def _confirm_removal(self, plans: list[edit.RemovalPlan]) -> None:
        archive = [p for p in plans if p.archive]
        delete = [p for p in plans if not p.archive]
        if len(plans) == 1:
            plan = plans[0]
            if plan.archive:
                text = _(
                    "{name} appears in meetings (invited, present or with a task), so the "
                    "person is archived instead of deleted: the records stay complete, and "
                    "archived people are neither invited nor mailed."
                ).format(name=plan.name)
                title, button = _("Archive person"), _("Archive")
            else:
                text = _("Delete {name}? You can undo this with Ctrl+Z.").format(name=plan.name)
                title, button = _("Delete person"), _("Delete")
        else:
            parts = []
            if delete:
                parts.append(
                    ngettext(
                        "{count} person will be deleted.",
                        "{count} people will be deleted.",
                        len(delete),
                    ).format(count=len(delete))
                )
            if archive:
                parts.append(
                    ngettext(
                        "{count} person appears in meetings and will be archived instead.",
                        "{count} people appear in meetings and will be archived instead.",
                        len(archive),
                    ).format(count=len(archive))
                )
            parts.append(_("You can undo this with Ctrl+Z."))
            text = " ".join(parts)
            title, button = _("Delete people"), _("Delete")
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self._parent)
        confirm = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(confirm)
        if not self.confirm(box, confirm):
            return
        ids = [p.person_id for p in plans]
        self.writer.submit(
            lambda db: edit.remove_people(db, ids),
            on_done=lambda removals: self._push(
                commands.RemovePeopleCommand(self.writer, title, removals)
            ),
            on_error=self._warn,
        )

    def confirm(self, box: QMessageBox, confirm: Any) -> bool:
        """Shows a confirmation (tests replace this to answer without a modal loop)."""
        box.exec()
        return box.clickedButton() is confirm

    def set_people_archived(self, person_ids: Sequence[int], archived: bool) -> None:
        ids = list(person_ids)
        text = _("Archive people") if archived else _("Restore people from the archive")
        self.writer.submit(
            lambda db: edit.set_people_archived(db, ids, archived),
            on_done=lambda changed: self._push(
                commands.ArchivePeopleCommand(self.writer, text, changed, archived)
            ),
            on_error=self._warn,
        )

    def change_group(self, person_ids: Sequence[int], group_id: int, add: bool) -> None:
        ids = list(person_ids)
        name = next((g.name for g in self.choices.groups if g.id == group_id), "")
        operation = edit.add_to_group if add else edit.remove_from_group
        if add:
            text = _("Add to group {group}").format(group=name)
        else:
            text = _("Remove from group {group}").format(group=name)
        self.writer.submit(
            lambda db: operation(db, ids, group_id),
            on_done=lambda membership: self._push(
                commands.GroupMembershipCommand(self.writer, text, membership, add)
            ),
            on_error=self._warn,
        )

    # -- organisations ---------------------------------------------------------------------

    def open_organisation(self, organisation_id: int | None) -> None:
        db = self.database()
        if db is None:
            return
        if organisation_id is None:
            self._show_organisation_dialog(None)
            return
        self.runner.run(
            edit.load_organisation,
            db,
            organisation_id,
            key="organisation-form",
            on_done=self._show_organisation_dialog,
            on_error=self._warn,
        )

    def _show_organisation_dialog(self, form: edit.OrganisationForm | None) -> None:
        from ui.network.organisation_dialog import OrganisationDialog

        dialog = OrganisationDialog(self.choices, form, self._parent)
        dialog.save_requested.connect(lambda values: self._save_organisation(dialog, values))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _save_organisation(
        self, dialog: OrganisationDialog, values: edit.OrganisationInput
    ) -> None:
        form = dialog.form
        if form is None:
            self.writer.submit(
                lambda db: edit.create_organisation(db, values),
                on_done=lambda saved: self._organisation_created(dialog, values, saved),
                on_error=lambda error: self._organisation_failed(dialog, values, error),
            )
            return
        organisation_id, version = form.id, form.version
        self.writer.submit(
            lambda db: edit.update_organisation(db, organisation_id, values, version),
            on_done=lambda change: self._organisation_updated(dialog, values, change),
            on_error=lambda error: self._organisation_failed(dialog, values, error),
        )

    def _organisation_created(
        self, dialog: OrganisationDialog, values: edit.OrganisationInput, saved: edit.Saved
    ) -> None:
        self._push(
            commands.CreateOrganisationCommand(
                self.writer,
                _("New organisation {name}").format(name=values.name),
                commands.OrganisationCreation(values, saved.id),
            )
        )
        dialog.saved()

    def _organisation_updated(
        self,
        dialog: OrganisationDialog,
        values: edit.OrganisationInput,
        change: edit.OrganisationChange,
    ) -> None:
        self._push(
            commands.EditOrganisationCommand(
                self.writer,
                _("Edit {name}").format(name=values.name),
                commands.OrganisationEdit(values, change),
            )
        )
        dialog.saved()

    def _organisation_failed(
        self, dialog: OrganisationDialog, values: edit.OrganisationInput, error: BaseException
    ) -> None:
        form = dialog.form
        db = self.database()
        if isinstance(error, ConflictError) and form is not None and db is not None:
            choice = ask_conflict(dialog, str(error))
            if choice == ConflictChoice.CANCEL:
                dialog.save_failed(str(error))
                return

            def fresh(current: edit.OrganisationForm) -> None:
                dialog.save_failed("")
                if choice == ConflictChoice.RELOAD:
                    dialog.load(current)
                else:
                    dialog.form = current
                    self._save_organisation(dialog, values)

            self.runner.run(edit.load_organisation, db, form.id, on_done=fresh)
            return
        dialog.save_failed(error_text(error))

    def set_organisations_archived(self, organisation_ids: Sequence[int], archived: bool) -> None:
        ids = list(organisation_ids)
        text = _("Archive organisation") if archived else _("Restore organisation")
        self.writer.submit(
            lambda db: edit.set_organisations_archived(db, ids, archived),
            on_done=lambda changed: self._push(
                commands.ArchiveOrganisationsCommand(self.writer, text, changed, archived)
            ),
            on_error=self._warn,
        )

    # -- groups and quarters ---------------------------------------------------------------

    def create_label(
        self, ops: LabelOps, name: str, on_error: Callable[[BaseException], None]
    ) -> None:
        self.writer.submit(
            lambda db: ops.create(db, name),
            on_done=lambda label_id: self._push(
                commands.CreateLabelCommand(
                    self.writer, _("Create “{name}”").format(name=name), label_id, ops
                )
            ),
            on_error=on_error,
        )

    def rename_label(
        self, ops: LabelOps, label_id: int, name: str, on_error: Callable[[BaseException], None]
    ) -> None:
        self.writer.submit(
            lambda db: ops.rename(db, label_id, name),
            on_done=lambda previous: self._push(
                commands.RenameLabelCommand(
                    self.writer,
                    _("Rename “{old}” to “{new}”").format(old=previous, new=name),
                    (label_id, previous),
                    ops,
                )
            ),
            on_error=on_error,
        )

    def delete_label(
        self, ops: LabelOps, label_id: int, on_error: Callable[[BaseException], None]
    ) -> None:
        self.writer.submit(
            lambda db: ops.delete(db, label_id),
            on_done=lambda snapshot: self._push(
                commands.DeleteLabelCommand(
                    self.writer, _("Delete “{name}”").format(name=snapshot.name), snapshot, ops
                )
            ),
            on_error=on_error,
        )
