"""Photos: only real JPEG/PNG within limits, upright, with caption and credit; consent warnings."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from io import BytesIO

import pytest
from PIL import Image

from app.db import Database
from app.errors import ConflictError, ValidationError
from app.i18n import _
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentRecord,
    ConsentTopic,
    Person,
)
from app.services.minutes import (
    PhotoText,
    add_photo,
    list_photos,
    move_photo,
    photo_consent_warnings,
    photo_data,
    remove_photo,
    restore_photo,
    update_photo,
)
from app.services.minutes.photos import MAX_PHOTO_BYTES, check_image
from tests.helpers.minutes import Net, image_bytes


def png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header claims *width* × *height* (the pixel data is a single row)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 4))
        + chunk(b"IEND", b"")
    )


def test_jpeg_and_png_are_stored_as_given(db: Database, net: Net) -> None:
    jpeg, png = image_bytes("JPEG"), image_bytes("PNG")
    first = add_photo(
        db, net.first.id, "C:\\Fotos\\Gruppe.JPG", jpeg, " Gruppenbild ", "Foto: Alex Morgenstern"
    )
    second = add_photo(db, net.first.id, "/home/a/plakat.png", png)
    rows = list_photos(db, net.first.id)
    assert [(r.id, r.filename, r.mime_type, r.size) for r in rows] == [
        (first, "Gruppe.JPG", "image/jpeg", len(jpeg)),
        (second, "plakat.png", "image/png", len(png)),
    ]
    assert (rows[0].caption, rows[0].credit) == ("Gruppenbild", "Foto: Alex Morgenstern")
    assert photo_data(db, first).data == jpeg
    assert photo_data(db, second).data == png


def test_a_text_file_named_jpg_is_refused(db: Database, net: Net) -> None:
    with pytest.raises(ValidationError) as raised:
        add_photo(db, net.first.id, "foto.jpg", b"Dies ist kein Bild, nur Text.\n")
    assert "foto.jpg" in str(raised.value)
    assert list_photos(db, net.first.id) == []


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"GIF89a" + b"\x00" * 100,  # another image format
        b"\xff\xd8\xff" + b"\x00" * 100,  # JPEG magic, garbage after it
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,  # PNG magic, garbage after it
        image_bytes("PNG")[:-30],  # cut off
        image_bytes("JPEG", (300, 200), quality=95)[:1500],  # cut off in the middle
        image_bytes("BMP"),
    ],
    ids=["empty", "gif", "jpeg-garbage", "png-garbage", "png-cut", "jpeg-cut", "bmp"],
)
def test_broken_or_other_files_are_refused(data: bytes) -> None:
    with pytest.raises(ValidationError):
        check_image(data, "bild.jpg")


def test_too_many_bytes_or_pixels_are_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        check_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_PHOTO_BYTES, "riesig.png")
    assert "20 MB" in str(raised.value)
    for width, height in ((30_000, 10), (10_000, 7_000)):
        with pytest.raises(ValidationError) as raised:
            check_image(png_with_size(width, height), "bombe.png")
        assert f"{width} × {height}" in str(raised.value)
    # So large that Pillow itself refuses to open it (its decompression-bomb guard).
    with pytest.raises(ValidationError) as raised:
        check_image(png_with_size(200_000, 200_000), "bombe.png")
    assert _("the image has too many pixels.") in str(raised.value)


def test_a_sideways_phone_photo_is_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    sideways = image_bytes("JPEG", (40, 30), exif=exif.tobytes())
    checked = check_image(sideways, "handy.jpg")
    assert (checked.width, checked.height) == (30, 40)
    with Image.open(BytesIO(checked.data)) as image:
        assert image.size == (30, 40)
        assert image.getexif().get(0x0112, 1) == 1
    upright = image_bytes("JPEG")
    assert check_image(upright).data == upright  # untouched when already upright


def test_caption_order_remove_and_restore(db: Database, net: Net) -> None:
    ids = [add_photo(db, net.first.id, f"{n}.png", image_bytes("PNG")) for n in "abc"]
    previous = update_photo(
        db, ids[0], PhotoText("Bühne", "Foto: Jana"), expected=PhotoText("", "")
    )
    assert previous == PhotoText("", "")
    with pytest.raises(ConflictError):
        update_photo(db, ids[0], PhotoText("x", ""), expected=PhotoText("", ""))
    with pytest.raises(ValidationError):
        update_photo(db, ids[0], PhotoText("x", "y" * 251))
    assert move_photo(db, ids[2], 0) == 2
    assert [r.filename for r in list_photos(db, net.first.id)] == ["c.png", "a.png", "b.png"]
    removed = remove_photo(db, ids[0])
    assert [r.filename for r in list_photos(db, net.first.id)] == ["c.png", "b.png"]
    assert restore_photo(db, removed) == ids[0]
    rows = list_photos(db, net.first.id)
    assert [(r.filename, r.caption, r.position) for r in rows] == [
        ("c.png", "", 1),
        ("a.png", "Bühne", 2),
        ("b.png", "", 3),
    ]


def test_consent_warnings_for_people_present_without_photo_consent(db: Database, net: Net) -> None:
    with db.write() as session:

        def consent(person_id: int, given: bool, day: int) -> ConsentRecord:
            return ConsentRecord(
                person_id=person_id,
                topic=ConsentTopic.PHOTOS,
                given=given,
                recorded_at=datetime(2025, 1, day, tzinfo=UTC),
            )

        session.add_all(
            [
                consent(net.ayse, False, 1),
                consent(net.ayse, True, 2),  # latest: yes
                consent(net.jan, True, 1),
                consent(net.jan, False, 2),  # latest: withdrawn
            ]
        )
        bernd = Person(first_name="Bernd", last_name="Adler")  # never asked
        session.add(bernd)
        session.flush()
        present = AttendanceStatus.PRESENT
        session.add_all(
            [
                Attendance(meeting_id=net.first.id, person_id=net.ayse, status=present),
                Attendance(
                    meeting_id=net.first.id, person_id=net.jan, status=present, photo_consent=True
                ),  # yes on the sheet, but withdrawn: warn
                Attendance(
                    meeting_id=net.first.id, person_id=net.olga, status=present, photo_consent=True
                ),
                Attendance(meeting_id=net.first.id, person_id=bernd.id, status=present),
                Attendance(
                    meeting_id=net.first.id,
                    guest_name="Gast Ohne",
                    status=present,
                    photo_consent=False,
                ),
                Attendance(
                    meeting_id=net.first.id,
                    guest_name="Gast Mit",
                    status=present,
                    photo_consent=True,
                ),
                Attendance(meeting_id=net.first.id, status=present, anonymised=True),
                Attendance(
                    meeting_id=net.second.id, person_id=net.olga, status=AttendanceStatus.EXCUSED
                ),
            ]
        )
    warnings = photo_consent_warnings(db, net.first.id)
    # Sorted by (last) name, erased people last.
    assert [(w.name, w.consent, w.guest) for w in warnings] == [
        ("Bernd Adler", None, False),
        ("Gast Ohne", False, True),
        ("Jan Müller", False, False),
        (_("a participant"), None, False),
    ]
    assert warnings[2].organisation == "SV Gatherhof"
    assert warnings[3].person_id is None
    assert photo_consent_warnings(db, net.second.id) == []  # the excused are not in photos
