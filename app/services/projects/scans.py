"""The scanned, signed sign-in sheet of a meeting (a "Teilnehmerliste" for the funder).

Checked on entry like the photos of the minutes: at most ``MAX_SCAN_BYTES``; the type is
read from the content, never from the file name; JPEG and PNG go through the photo check
(Pillow reads the header, refuses decompression bombs and damaged files, turns sideways
phone photos upright); a PDF must start with ``%PDF-``, be readable by pypdf page by page,
not be encrypted and have at most ``MAX_SCAN_PAGES`` pages. A file that fails changes
nothing.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import MeetingState, SigninScan
from app.services.minutes.photos import check_image
from app.services.planning.common import load_meeting
from app.text import nfc

MAX_SCAN_BYTES = 50 * 1024 * 1024
MAX_SCAN_PAGES = 200
MAX_FILENAME = 260
PDF_MIME = "application/pdf"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CheckedScan:
    data: bytes
    mime_type: str
    pages: int


@dataclass(frozen=True, slots=True)
class ScanRow:
    id: int
    meeting_id: int
    filename: str
    mime_type: str
    pages: int
    size: int
    added_at: datetime


@dataclass(frozen=True, slots=True)
class ScanData:
    id: int
    meeting_id: int
    filename: str
    mime_type: str
    data: bytes


def _refuse(filename: str, reason: str) -> ValidationError:
    return ValidationError(
        _("“{name}” cannot be attached: {reason}").format(name=filename, reason=reason)
    )


def check_pdf(data: bytes, filename: str) -> int:
    """The number of pages of a readable, unencrypted PDF; raises ValidationError."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(filename, _("the PDF is encrypted or password-protected."))
        pages = len(reader.pages)
        if pages == 0:
            raise _refuse(filename, _("the PDF has no pages."))
        if pages > MAX_SCAN_PAGES:
            raise _refuse(
                filename,
                _("the PDF has more than {max} pages.").format(max=MAX_SCAN_PAGES),
            )
        for page in reader.pages:
            box = page.mediabox
            if float(box.width) <= 0 or float(box.height) <= 0:
                raise _refuse(filename, _("the PDF is damaged or cannot be read."))
    except ValidationError:
        raise
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise _refuse(filename, _("the PDF is damaged or cannot be read.")) from exc
    except Exception as exc:  # pypdf raises many kinds for broken files
        log.info("unreadable PDF %s: %r", filename, exc)
        raise _refuse(filename, _("the PDF is damaged or cannot be read.")) from exc
    return pages


def check_scan(data: bytes, filename: str) -> CheckedScan:
    """Validate a scan (see the module docstring)."""
    if not data:
        raise _refuse(filename, _("the file is empty."))
    if len(data) > MAX_SCAN_BYTES:
        raise _refuse(
            filename,
            _("the file is larger than {size} MB.").format(size=MAX_SCAN_BYTES // (1024 * 1024)),
        )
    if data.startswith(b"%PDF-"):
        return CheckedScan(data, PDF_MIME, check_pdf(data, filename))
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        image = check_image(data, filename)
        return CheckedScan(image.data, image.mime_type, 1)
    raise _refuse(filename, _("it is not a PDF, JPEG or PNG file."))


def _clean_filename(filename: str) -> str:
    name = nfc(Path(filename.replace("\\", "/")).name) or "scan"
    return name[-MAX_FILENAME:]


def attach_scan(db: Database, meeting_id: int, filename: str, data: bytes) -> int:
    """Store a checked scan with the meeting; returns its id."""
    name = _clean_filename(filename)
    checked = check_scan(bytes(data), name)
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        if meeting.state is MeetingState.CANCELLED:
            raise ValidationError(
                _("The meeting “{title}” was cancelled; it has no sign-in sheet.").format(
                    title=meeting.title
                )
            )
        scan = SigninScan(
            meeting_id=meeting_id,
            filename=name,
            mime_type=checked.mime_type,
            pages=checked.pages,
            data=checked.data,
        )
        session.add(scan)
        session.flush()
        return scan.id


def attach_scan_file(db: Database, meeting_id: int, path: Path) -> int:
    """``attach_scan`` from a file; a missing or unreadable file is a user error."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SCAN_BYTES:
            raise _refuse(
                path.name,
                _("the file is larger than {size} MB.").format(
                    size=MAX_SCAN_BYTES // (1024 * 1024)
                ),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            _("{name} cannot be read: {reason}").format(name=path.name, reason=exc.strerror)
        ) from exc
    return attach_scan(db, meeting_id, path.name, data)


def list_scans(db: Database, meeting_ids: list[int] | None = None) -> list[ScanRow]:
    """Scans (without their bytes) of these meetings (all when None), oldest first."""
    query = select(
        SigninScan.id,
        SigninScan.meeting_id,
        SigninScan.filename,
        SigninScan.mime_type,
        SigninScan.pages,
        func.length(SigninScan.data),
        SigninScan.added_at,
    ).order_by(SigninScan.meeting_id, SigninScan.id)
    if meeting_ids is not None:
        query = query.where(SigninScan.meeting_id.in_(meeting_ids))
    with db.read() as session:
        return [ScanRow(*row) for row in session.execute(query)]


def scan_data(db: Database, scan_id: int) -> ScanData:
    with db.read() as session:
        scan = session.get(SigninScan, scan_id)
        if scan is None:
            raise NotFound(_("There is no sign-in scan with the number {id}.").format(id=scan_id))
        return ScanData(scan.id, scan.meeting_id, scan.filename, scan.mime_type, scan.data)


def remove_scan(db: Database, scan_id: int) -> None:
    with db.write() as session:
        scan = session.get(SigninScan, scan_id)
        if scan is None:
            raise NotFound(_("There is no sign-in scan with the number {id}.").format(id=scan_id))
        session.delete(scan)
