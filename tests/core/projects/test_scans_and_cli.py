"""Sign-in scans (checked like photos) and the commands of issue 15: 0 / 1 / 2, nothing
changed on error."""

from __future__ import annotations

import importlib
import io
import json
import zlib
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select

from app.db import Database
from app.errors import ValidationError
from app.models import Meeting, Project, SigninScan
from app.services.demo_projects import demo_photo
from app.services.projects.scans import check_scan
from tests.core.database_digest import digest

from .conftest import AUFTAKT

cli_main = importlib.import_module("app.cli.main")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli_main.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(595, 842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _png_bomb() -> bytes:
    """A PNG header claiming 100,000 × 100,000 pixels."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


def test_scans_are_checked_by_content() -> None:
    assert check_scan(_pdf(3), "a.pdf").pages == 3
    assert check_scan(demo_photo(1, 2), "a.jpg").mime_type == "image/jpeg"
    for data, reason in [
        (b"", "leer"),
        (b"%PDF-1.7\nnonsense", "beschädigt"),
        (_pdf(1, password="geheim"), "verschlüsselt"),
        (b"Hallo, ich bin ein Text.pdf", "keine PDF-"),
        (_png_bomb(), "zu viele Pixel"),
    ]:
        with pytest.raises(ValidationError, match=reason):
            check_scan(data, "scan")


def test_cli_attach_scan(
    demo_path: str, demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with demo.read() as session:
        meeting_id = session.scalars(select(Meeting.id).where(Meeting.title == AUFTAKT)).one()
    good = tmp_path / "liste.pdf"
    good.write_bytes(_pdf(2))
    code, out, _err = run(
        capsys, "--db", str(demo_path), "attendance", str(meeting_id), "--attach-scan", str(good)
    )
    assert code == 0
    assert "liste.pdf" in out
    bad = tmp_path / "liste2.pdf"
    bad.write_bytes(b"%PDF-1.4 kaputt")
    code, _out, err = run(
        capsys, "--db", str(demo_path), "attendance", str(meeting_id), "--attach-scan", str(bad)
    )
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "liste2.pdf" in err
    code, _out, err = run(
        capsys,
        "--db",
        str(demo_path),
        "attendance",
        str(meeting_id),
        "--attach-scan",
        str(tmp_path / "fehlt.pdf"),
    )
    assert code == 1
    code, _out, _err = run(
        capsys,
        "--db",
        str(demo_path),
        "attendance",
        str(meeting_id),
        "--attach-scan",
        str(good),
        "--held",
    )
    assert code == 2
    with demo.read() as session:
        assert session.scalar(select(func.count()).select_from(SigninScan)) == 1
    # The old attendance command still works without --attach-scan.
    code, out, _err = run(capsys, "--db", str(demo_path), "attendance", str(meeting_id), "--held")
    assert code == 0


def test_cli_projects_create_list_link(
    demo_path: str, demo: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_path)
    code, out, err = run(
        capsys,
        "--db",
        db,
        "projects",
        "create",
        "--name",
        "Neu <b>&",
        "--funder",
        "Stiftung",
        "--programme",
        "Nachbarschaft",
        "--reference",
        "NB-1",
        "--amount",
        "12.500,50 €",
        "--from",
        "01.12.2026",
        "--to",
        "2027-11-30",
        "--lead",
        "bayer sc05 e. v.",
    )
    assert code == 0, err
    project_id = int(out.strip())
    code, out, _err = run(capsys, "--db", db, "projects", "list", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    row = rows[project_id]
    assert row["name"] == "Neu <b>&"
    assert row["amount"] == 12500.5
    assert (row["start"], row["end"]) == ("2026-12-01", "2027-11-30")
    assert row["organisations"] == ["Bayer SC05 e. V."]
    assert row["meetings"] == []
    assert set(row) >= {
        "id",
        "name",
        "funder",
        "programme",
        "reference",
        "amount",
        "start",
        "end",
        "organisations",
        "meetings",
    }
    with demo.read() as session:
        meeting_id = session.scalars(select(Meeting.id).where(Meeting.title == AUFTAKT)).one()
    assert (
        run(
            capsys,
            "--db",
            db,
            "projects",
            "link",
            str(project_id),
            "--meeting",
            str(meeting_id),
            "--top",
            "2.4",
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "--db",
            db,
            "projects",
            "link",
            str(project_id),
            "--organisation",
            "VfR Krefeld e. V.",
        )[0]
        == 0
    )
    code, out, _err = run(capsys, "--db", db, "projects", "list", "--json")
    row = {r["id"]: r for r in json.loads(out)}[project_id]
    assert row["meetings"] == [meeting_id]
    assert row["organisations"] == ["Bayer SC05 e. V.", "VfR Krefeld e. V."]
    main = next(r for r in json.loads(out) if r["name"].startswith("Projekt 37F"))
    assert main["amount"] == 700000.0
    assert main["reference"] == "37F-2020-KR"


@pytest.mark.parametrize(
    "argv",
    [
        ("projects", "create", "--name", "X", "--amount", "7,000"),
        ("projects", "create", "--name", "X", "--from", "31.02.2026"),
        ("projects", "create", "--name", "X", "--from", "2026-03-01", "--to", "2026-02-01"),
        ("projects", "create", "--name", " "),
        ("projects", "create", "--name", "X", "--lead", "Gibt es nicht"),
        ("projects", "link", "999", "--organisation", "Bayer SC05 e. V."),
        ("projects", "link", "1", "--meeting", "1", "--top", "42"),
        ("report", "funding", "1", "--from", "2024-01-01", "--to", "2024-12-31", "-o", "OUT.pdf"),
        ("report", "funding", "1", "-o", "OUT.docx"),
        ("report", "funding", "1", "--with-signin-scans", "-o", "OUT.xlsx"),
        ("press", "draft", "4", "-o", "OUT.docx"),
        ("press", "draft", "1", "-o", "OUT.pdf"),
    ],
)
def test_cli_user_errors_exit_1_with_one_line_and_change_nothing(
    argv: tuple[str, ...],
    demo_path: str,
    demo: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = digest(demo_path)
    folder = tmp_path / "out"
    folder.mkdir()
    args = [a.replace("OUT", str(folder / "out")) for a in argv]
    code, _out, err = run(capsys, "--db", str(demo_path), *args)
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1
    assert digest(demo_path) == before
    assert list(folder.iterdir()) == []


def test_cli_wrong_usage_exits_2(demo_path: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_path)
    assert run(capsys, "--db", db, "report", "funding", "-o", "x.pdf")[0] == 2
    assert run(capsys, "--db", db, "report", "funding", "1", "--all", "-o", "x.pdf")[0] == 2
    assert run(capsys, "--db", db, "projects", "link", "1", "--top", "2")[0] == 2
    assert run(capsys, "--db", db, "projects", "create")[0] == 2


def test_cli_report_and_press(
    demo_path: str, demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_path)
    pdf, xlsx, word, text = (tmp_path / n for n in ("r.pdf", "r.xlsx", "p.docx", "p.txt"))
    assert (
        run(
            capsys,
            "--db",
            db,
            "report",
            "funding",
            "--all",
            "--from",
            "01.01.2022",
            "--to",
            "31.12.2023",
            "-o",
            str(pdf),
        )[0]
        == 0
    )
    assert "Sachbericht" in PdfReader(pdf).pages[0].extract_text()
    assert run(capsys, "--db", db, "report", "funding", "1", "-o", str(xlsx))[0] == 0
    assert xlsx.stat().st_size > 0
    with demo.read() as session:
        meeting_id = session.scalars(select(Meeting.id).where(Meeting.title == AUFTAKT)).one()
    code, out, _err = run(capsys, "--db", db, "press", "draft", str(meeting_id), "-o", str(word))
    assert code == 0
    assert "nicht angeboten" in out
    assert docx.Document(str(word)).paragraphs[0].text.startswith(AUFTAKT)
    assert (
        run(
            capsys,
            "--db",
            db,
            "press",
            "draft",
            str(meeting_id),
            "-o",
            str(text),
            "--language",
            "en",
        )[0]
        == 0
    )
    assert "takes stock" in text.read_text(encoding="utf-8")


def test_commands_need_an_existing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "fehlt.db"
    assert run(capsys, "--db", str(missing), "projects", "list")[0] == 1
    assert not missing.exists()


def test_project_count_unchanged_by_failed_create(
    demo: Database, demo_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with demo.read() as session:
        before = session.scalar(select(func.count()).select_from(Project))
    run(capsys, "--db", str(demo_path), "projects", "create", "--name", "Y", "--amount", "abc")
    with demo.read() as session:
        assert session.scalar(select(func.count()).select_from(Project)) == before
