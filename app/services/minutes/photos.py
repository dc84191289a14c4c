"""Photos in the minutes (e.g. the press photos), with caption and credit ("Foto: …").

Only real JPEG and PNG images are stored: the first bytes must say so and Pillow must read the
header (a text file named ".jpg" is refused); at most ``MAX_PHOTO_BYTES`` and
``MAX_PHOTO_PIXELS``, so a crafted "decompression bomb" cannot exhaust the memory when the PDF
is made. A JPEG that a camera or phone stored sideways (EXIF orientation) is turned upright
once, here, because ReportLab ignores the EXIF orientation; every other file is stored
byte for byte.

``photo_consent_warnings`` lists who was present without photo consent, so that the window
can warn before photos go into the minutes.

Inverses for the undo stack: ``add_photo`` ↔ ``remove_photo`` / ``restore_photo`` (same id
when free, with the record of who is pictured), ``update_photo`` → previous text,
``move_photo`` → old index. Who is pictured (``photo_subjects``) is set through
``app.services.press.photos.set_pictured``; ``recorded_subjects`` and ``write_subjects`` are
its parts inside a transaction.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath, PureWindowsPath
from typing import cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.db.versioning import conflict
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentRecord,
    ConsentTopic,
    Person,
    Photo,
    photo_subjects,
)
from app.services.directory import person_display_name
from app.services.minutes.common import open_for_edit
from app.services.minutes.ordering import clamp, group_ids, write_positions
from app.services.planning.common import load_meeting
from app.text import nfc, sort_key

MAX_PHOTO_BYTES = 20 * 1024 * 1024
MAX_PHOTO_PIXELS = 60_000_000  # a 48-megapixel phone photo fits; Pillow's bomb limit is 89 M
MAX_PHOTO_SIDE = 20_000
MAX_CREDIT = 250
MAX_FILENAME = 260
JPEG_QUALITY = 92  # only for photos turned upright
_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
_MIME = {"JPEG": "image/jpeg", "PNG": "image/png"}
_EXIF_ORIENTATION = 0x0112
_photos = cast(Table, Photo.__table__)


@dataclass(frozen=True, slots=True)
class CheckedImage:
    data: bytes  # as given, or turned upright
    mime_type: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class PhotoText:
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class PhotoRow:
    """A photo without its bytes (see ``photo_data``), for the list in the window."""

    id: int
    meeting_id: int
    position: int
    filename: str
    mime_type: str
    size: int  # bytes
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class PhotoData:
    id: int
    filename: str
    mime_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class RemovedPhoto:
    id: int
    meeting_id: int
    index: int
    filename: str
    mime_type: str
    data: bytes
    text: PhotoText
    subjects: tuple[int, ...] | None = None  # who was pictured (attendance ids); None: unknown


@dataclass(frozen=True, slots=True)
class ConsentWarning:
    """Someone present whose photo consent is refused (False) or unknown (None)."""

    person_id: int | None  # None for a walk-in guest or an erased person
    name: str
    organisation: str
    consent: bool | None
    guest: bool


def _refuse(filename: str, reason: str) -> ValidationError:
    return ValidationError(
        _("“{name}” cannot be added: {reason}").format(name=filename, reason=reason)
    )


def check_image(data: bytes, filename: str = "") -> CheckedImage:
    """Validate an image file (see the module docstring); raises ValidationError."""
    if not data:
        raise _refuse(filename, _("the file is empty."))
    if len(data) > MAX_PHOTO_BYTES:
        raise _refuse(
            filename,
            _("the file is larger than {size} MB.").format(size=MAX_PHOTO_BYTES // (1024 * 1024)),
        )
    expected = next((fmt for magic, fmt in _MAGIC.items() if data.startswith(magic)), None)
    if expected is None:
        raise _refuse(filename, _("it is not a JPEG or PNG image."))
    # Imported here: only adding a photo needs Pillow, opening the minutes does not.
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                if image.format != expected:
                    raise _refuse(filename, _("it is not a JPEG or PNG image."))
                width, height = image.size
                if (
                    width <= 0
                    or height <= 0
                    or max(width, height) > MAX_PHOTO_SIDE
                    or width * height > MAX_PHOTO_PIXELS
                ):
                    raise _refuse(
                        filename,
                        _("the image is too large ({width} × {height} pixels).").format(
                            width=width, height=height
                        ),
                    )
                image.verify()  # PNG: every chunk's checksum, up to the end
            if expected == "JPEG":
                data, width, height = _upright_jpeg(data, width, height)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse(filename, _("the image has too many pixels.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _refuse(filename, _("the image is damaged or cannot be read.")) from exc
    return CheckedImage(data, _MIME[expected], width, height)


def _upright_jpeg(data: bytes, width: int, height: int) -> tuple[bytes, int, int]:
    """Decode a JPEG (finding truncated files) and turn it upright if EXIF says so."""
    from PIL import Image, ImageOps

    with Image.open(BytesIO(data)) as image:
        orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
        if orientation in (2, 3, 4, 5, 6, 7, 8):
            upright = ImageOps.exif_transpose(image)
            buffer = BytesIO()
            icc = image.info.get("icc_profile")
            upright.save(
                buffer,
                format="JPEG",
                quality=JPEG_QUALITY,
                exif=upright.getexif().tobytes(),
                **({"icc_profile": icc} if icc else {}),
            )
            return buffer.getvalue(), upright.width, upright.height
        # A draft at 1/8 scale decodes every block cheaply: a cut-off file fails here.
        image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
        image.load()
    return data, width, height


def _clean_filename(filename: str) -> str:
    # Only the name: a path from the file dialog (Windows or POSIX) says nothing we keep.
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = nfc(name) or "photo"
    if len(name) > MAX_FILENAME:
        stem, dot, suffix = name.rpartition(".")
        if dot and len(suffix) < 20:
            name = stem[: MAX_FILENAME - len(suffix) - 1] + dot + suffix
        else:
            name = name[:MAX_FILENAME]
    return name


def _clean_text(text: PhotoText) -> PhotoText:
    credit = nfc(text.credit)
    if len(credit) > MAX_CREDIT:
        raise ValidationError(
            _("The photo credit may be at most {max} characters long.").format(max=MAX_CREDIT)
        )
    return PhotoText(nfc(text.caption), credit)


def _load(session: Session, photo_id: int) -> Photo:
    photo = session.get(Photo, photo_id)
    if photo is None:
        raise NotFound(_("There is no photo with the number {id}.").format(id=photo_id))
    return photo


def _insert(
    session: Session,
    meeting_id: int,
    filename: str,
    image: CheckedImage,
    text: PhotoText,
    index: int | None,
    photo_id: int | None = None,
) -> int:
    siblings = group_ids(session, _photos, _photos.c.meeting_id == meeting_id)
    if photo_id is not None and session.get(Photo, photo_id) is not None:
        photo_id = None
    photo = Photo(
        id=photo_id,
        meeting_id=meeting_id,
        position=len(siblings) + 1,
        filename=filename,
        mime_type=image.mime_type,
        data=image.data,
        caption=text.caption,
        credit=text.credit,
    )
    session.add(photo)
    session.flush()
    siblings.insert(clamp(index, len(siblings)), photo.id)
    write_positions(session, _photos, siblings)
    return photo.id


def add_photo(
    db: Database,
    meeting_id: int,
    filename: str,
    data: bytes,
    caption: str = "",
    credit: str = "",
    *,
    index: int | None = None,
) -> int:
    """Attach an image to the minutes at *index* (None: last); returns the photo's id.

    The image is checked before the transaction starts (decoding can take a moment).
    """
    name = _clean_filename(filename)
    image = check_image(bytes(data), name)
    text = _clean_text(PhotoText(caption, credit))
    with db.write() as session:
        open_for_edit(session, meeting_id)
        return _insert(session, meeting_id, name, image, text, index)


def update_photo(
    db: Database, photo_id: int, text: PhotoText, *, expected: PhotoText | None = None
) -> PhotoText:
    """Change caption and credit; returns the previous ones (for undo)."""
    cleaned = _clean_text(text)
    with db.write() as session:
        photo = _load(session, photo_id)
        open_for_edit(session, photo.meeting_id)
        previous = PhotoText(photo.caption, photo.credit)
        if expected is not None and previous != expected:
            raise conflict(
                photo,
                _(
                    "The caption of this photo was changed elsewhere after you opened it; "
                    "nothing was saved. Reload the minutes and make your change again."
                ),
            )
        photo.caption, photo.credit = cleaned.caption, cleaned.credit
        return previous


def move_photo(db: Database, photo_id: int, index: int) -> int:
    """Move a photo to *index* (0-based) among the meeting's photos; returns its old index."""
    with db.write() as session:
        photo = _load(session, photo_id)
        open_for_edit(session, photo.meeting_id)
        ids = group_ids(session, _photos, _photos.c.meeting_id == photo.meeting_id)
        old_index = ids.index(photo.id)
        ids.remove(photo.id)
        ids.insert(clamp(index, len(ids)), photo.id)
        write_positions(session, _photos, ids)
        return old_index


def remove_photo(db: Database, photo_id: int) -> RemovedPhoto:
    with db.write() as session:
        photo = _load(session, photo_id)
        open_for_edit(session, photo.meeting_id)
        ids = group_ids(session, _photos, _photos.c.meeting_id == photo.meeting_id)
        removed = RemovedPhoto(
            id=photo.id,
            meeting_id=photo.meeting_id,
            index=ids.index(photo.id),
            filename=photo.filename,
            mime_type=photo.mime_type,
            data=photo.data,
            text=PhotoText(photo.caption, photo.credit),
            subjects=recorded_subjects(session, photo.id),
        )
        session.delete(photo)
        session.flush()
        ids.remove(removed.id)
        write_positions(session, _photos, ids)
        return removed


def restore_photo(db: Database, removed: RemovedPhoto) -> int:
    """Put a removed photo back where it was (under the same id if still free)."""
    with db.write() as session:
        open_for_edit(session, removed.meeting_id)
        image = CheckedImage(removed.data, removed.mime_type, 0, 0)
        photo_id = _insert(
            session,
            removed.meeting_id,
            removed.filename,
            image,
            removed.text,
            removed.index,
            removed.id,
        )
        if removed.subjects is not None:
            # Someone pictured who is no longer on the attendance list cannot be again.
            present = set(_present_ids(session, removed.meeting_id))
            write_subjects(
                session,
                _load(session, photo_id),
                [i for i in removed.subjects if i in present],
            )
        return photo_id


def _present_ids(session: Session, meeting_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Attendance.id).where(
                Attendance.meeting_id == meeting_id,
                Attendance.status == AttendanceStatus.PRESENT,
            )
        )
    )


def recorded_subjects(session: Session, photo_id: int) -> tuple[int, ...] | None:
    """The attendance ids recorded as pictured on *photo_id* (sorted); None: not recorded."""
    photo = _load(session, photo_id)
    ids = tuple(
        sorted(
            session.scalars(
                select(photo_subjects.c.attendance_id).where(photo_subjects.c.photo_id == photo_id)
            )
        )
    )
    return ids if photo.subjects_recorded or ids else None


def write_subjects(session: Session, photo: Photo, attendance_ids: Collection[int] | None) -> None:
    """Replace the record of who is on *photo* (None: not recorded); checks the ids."""
    wanted = set(attendance_ids or ())
    known = set(_present_ids(session, photo.meeting_id))
    if wanted - known:
        raise ValidationError(
            _("Only people present at the meeting can be pictured on its photos.")
        )
    session.execute(delete(photo_subjects).where(photo_subjects.c.photo_id == photo.id))
    for attendance_id in sorted(wanted):
        session.execute(
            insert(photo_subjects).values(photo_id=photo.id, attendance_id=attendance_id)
        )
    photo.subjects_recorded = attendance_ids is not None


def list_photos(db: Database, meeting_id: int) -> list[PhotoRow]:
    with db.read() as session:
        load_meeting(session, meeting_id)
        rows = session.execute(
            select(
                Photo.id,
                Photo.meeting_id,
                Photo.position,
                Photo.filename,
                Photo.mime_type,
                func.length(Photo.data),
                Photo.caption,
                Photo.credit,
            )
            .where(Photo.meeting_id == meeting_id)
            .order_by(Photo.position, Photo.id)
        ).all()
        return [PhotoRow(*row) for row in rows]


def photo_data(db: Database, photo_id: int) -> PhotoData:
    with db.read() as session:
        photo = _load(session, photo_id)
        return PhotoData(photo.id, photo.filename, photo.mime_type, photo.data)


def latest_photo_consents(session: Session, person_ids: set[int]) -> dict[int, bool]:
    """The latest PHOTOS statement per person (records in recording order)."""
    if not person_ids:
        return {}
    latest: dict[int, bool] = {}
    query = (
        select(ConsentRecord.person_id, ConsentRecord.given)
        .where(
            ConsentRecord.topic == ConsentTopic.PHOTOS,
            ConsentRecord.person_id.in_(person_ids),
        )
        .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
    )
    for person_id, given in session.execute(query):
        latest[person_id] = given
    return latest


def effective_photo_consent(at_meeting: bool | None, latest_record: bool | None) -> bool | None:
    """A "no" anywhere counts (sign-in sheet or directory); then a "yes"; else unknown."""
    values = (at_meeting, latest_record)
    if False in values:
        return False
    if True in values:
        return True
    return None


def photo_consent_warnings(db: Database, meeting_id: int) -> list[ConsentWarning]:
    """Everyone present without photo consent, sorted by name.

    Consent comes from the sign-in (``Attendance.photo_consent``) and the person's latest
    PHOTOS consent record; a refusal in either wins over a "yes" in the other.
    """
    with db.read() as session:
        load_meeting(session, meeting_id)
        attendances = session.scalars(
            select(Attendance)
            .where(
                Attendance.meeting_id == meeting_id,
                Attendance.status == AttendanceStatus.PRESENT,
            )
            .options(selectinload(Attendance.person).selectinload(Person.organisation))
        ).all()
        consents = latest_photo_consents(
            session, {a.person_id for a in attendances if a.person_id is not None}
        )
        warnings_: list[tuple[str, ConsentWarning]] = []
        for attendance in attendances:
            person = attendance.person
            record = consents.get(person.id) if person is not None else None
            consent = effective_photo_consent(attendance.photo_consent, record)
            if consent is True:
                continue
            if person is not None:
                name = person_display_name(person.title, person.first_name, person.last_name)
                organisation = person.organisation.name if person.organisation else ""
                key = person.name_key
            elif attendance.anonymised:
                name, organisation, key = _("a participant"), "", "~"
            else:
                name = attendance.guest_name
                organisation = attendance.guest_organisation
                key = sort_key(name)
            warnings_.append(
                (
                    key,
                    ConsentWarning(
                        person_id=attendance.person_id,
                        name=nfc(name),
                        organisation=nfc(organisation),
                        consent=consent,
                        guest=attendance.person_id is None and not attendance.anonymised,
                    ),
                )
            )
        warnings_.sort(key=lambda pair: (pair[0], pair[1].name))
        return [warning for _key, warning in warnings_]
