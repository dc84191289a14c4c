"""Every command of the command line against a database whose lock a window holds: writing
commands are refused (exit 1, the holder named, the file byte-identical), reading commands go
on and leave the file byte-identical too. The commands come from the parser itself, so a new
command cannot slip past: it needs a classification (app/cli/access.py) and a sample here."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli.access import ACCESS, Access, command_paths
from app.cli.main import build_parser
from app.db import Database, DatabaseLocation
from app.models import Person, PersonEmail
from app.services.backup import BackupKind, make_backup
from app.services.demo import fill_demo
from app.services.invitations import add_invitees
from tests.core.database_digest import digest

from .conftest import Child

PERSON = "77"  # a person of the demo network with an address
ADDRESS = "r.ahmadi@kkz-krefeld.example"
UPCOMING = "4"  # invited, in the future
DRAFT = "1"  # minutes draft
FINAL = "3"  # minutes final

# One realistic call per command; {out} is a scratch folder, {backup} a backup of the file.
SAMPLES: dict[str, list[str]] = {
    "init": ["init"],
    "demo": ["demo"],
    "check": ["check"],
    "contacts list": ["contacts", "list", "--json"],
    "contacts import": ["contacts", "import", "{out}/neu.csv"],
    "contacts export": ["contacts", "export", "{out}/kontakte.csv"],
    "meetings list": ["meetings", "list", "--json"],
    "meetings show": ["meetings", "show", UPCOMING, "--json"],
    "meetings create": ["meetings", "create", "--title", "Neu", "--start", "2027-05-04T15:00"],
    "meetings invite": ["meetings", "invite", UPCOMING, "--all"],
    "meetings cancel": ["meetings", "cancel", UPCOMING],
    "meetings reschedule": ["meetings", "reschedule", UPCOMING, "--start", "2027-01-14T15:00"],
    "agenda add": ["agenda", "add", UPCOMING, "Neuer Punkt"],
    "agenda standard": ["agenda", "standard", UPCOMING],
    "ics": ["ics", UPCOMING, "-o", "{out}/treffen.ics"],
    "mail invitations": ["mail", "invitations", UPCOMING, "--eml-dir", "{out}/eml"],
    "mail reminders": ["mail", "reminders", UPCOMING, "--eml-dir", "{out}/eml"],
    "mail minutes": [
        "mail",
        "minutes",
        FINAL,
        "--eml-dir",
        "{out}/eml",
        "--informed",
        "neu@example.org",
    ],
    "backup": ["backup", "-o", "{out}/kopie.db"],
    "copy-to": ["copy-to", "{out}/umzug.db"],
    "restore": ["restore", "{backup}"],
    "privacy export": ["privacy", "export", PERSON],
    "privacy erase": ["privacy", "erase", PERSON],
    "privacy review": ["privacy", "review", "--json"],
    "attendance": ["attendance", DRAFT, "--present", ADDRESS],
    "figures": ["figures", "--year", "2023", "--json"],
    "pdf invitation": ["pdf", "invitation", UPCOMING, "-o", "{out}/einladung.pdf"],
    "pdf signin": ["pdf", "signin", UPCOMING, "-o", "{out}/liste.pdf"],
    "pdf minutes": ["pdf", "minutes", FINAL, "-o", "{out}/protokoll.pdf"],
    "pdf letters": ["pdf", "letters", UPCOMING, "--all", "-o", "{out}/briefe.pdf"],
    "settings show": ["settings", "show", "--json"],
    "projects list": ["projects", "list", "--json"],
    "projects create": ["projects", "create", "--name", "Neu", "--amount", "1.000,00 €"],
    "projects link": ["projects", "link", "1", "--meeting", UPCOMING],
    "report funding": ["report", "funding", "--all", "-o", "{out}/bericht.xlsx"],
    "press draft": ["press", "draft", FINAL, "-o", "{out}/presse.txt"],
    "settings set": ["settings", "set", "sender.name", "Quartiersbüro"],
}
COMMANDS = sorted(SAMPLES)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Database.create(path) as database:
        fill_demo(database)
    return path


@pytest.fixture
def network(demo_file: Path, db_path: Path, tmp_path: Path) -> dict[str, str]:
    shutil.copyfile(demo_file, db_path)
    with Database.open(db_path) as database:  # one invitee not mailed yet: mail invitations
        with database.write() as session:
            newcomer = Person(
                first_name="Lea",
                last_name="Brandt",
                emails=[PersonEmail(address="lea@example.org")],
            )
            session.add(newcomer)
            session.flush()
            newcomer_id = newcomer.id
        add_invitees(database, int(UPCOMING), [newcomer_id])
    out = tmp_path / "out"
    out.mkdir()
    (out / "neu.csv").write_text(
        "Vorname;Nachname;E-Mail\nLea;Neumann;lea.neumann@example.org\n", encoding="utf-8"
    )
    backup = make_backup(db_path, BackupKind.MANUAL).path
    return {"out": str(out), "backup": str(backup)}


def argv(db_path: Path, command: str, places: dict[str, str]) -> list[str]:
    return ["--db", str(db_path), *(part.format(**places) for part in SAMPLES[command])]


def test_every_command_is_classified_and_sampled() -> None:
    commands = {path for path, _parser in command_paths(build_parser())}
    assert commands == set(ACCESS), "classify the command in app/cli/access.py"
    assert commands == set(SAMPLES), "give the command a sample call in this test"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_under_a_windows_lock(
    command: str,
    network: dict[str, str],
    db_path: Path,
    child: Callable[..., Child],
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    window = child("hold-lock", str(db_path))
    holder = json.loads(window.line())
    before = digest(db_path)
    code, out, err = cli(*argv(db_path, command, network))
    assert digest(db_path) == before, f"{command} changed the file under the window's lock"
    if ACCESS[command] is Access.WRITE:
        assert code == 1, (out, err)
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert str(holder["pid"]) in err  # names the holder
    else:
        assert code == 0, err


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if ACCESS[c] is Access.WRITE and c not in ("init", "demo")]
)
def test_the_writing_samples_really_write(
    command: str, network: dict[str, str], db_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    """Without a lock the same calls succeed and change the file: the refusal above is the
    lock's doing, not a bad sample."""
    before = digest(db_path)
    code, _out, err = cli(*argv(db_path, command, network))
    assert code == 0, err
    assert digest(db_path) != before


def test_init_and_demo_under_a_lock(
    tmp_path: Path, child: Callable[..., Child], cli: Callable[..., tuple[int, str, str]]
) -> None:
    empty = tmp_path / "leer.db"
    code, _out, err = cli("--db", str(empty), "init")
    assert code == 0, err
    window = child("hold-lock", str(empty))
    holder = json.loads(window.line())
    before = digest(empty)
    code, _out, err = cli("--db", str(empty), "demo")
    assert code == 1
    assert str(holder["pid"]) in err
    assert digest(empty) == before
    window.close()
    code, _out, err = cli("--db", str(empty), "demo")
    assert code == 0, err


def test_a_lock_taken_over_while_a_command_works_stops_its_writes(
    network: dict[str, str], db_path: Path
) -> None:
    """The lock is checked before every write: one taken over meanwhile is noticed."""
    import argparse

    from app.cli.access import command_access
    from app.cli.common import opened_database
    from app.db.lock import DatabaseLock, LockLost
    from app.models import Person

    args = argparse.Namespace(
        database_path=db_path,
        location=DatabaseLocation.file(db_path),
        command_path="meetings create",
    )
    with command_access(args), opened_database(args) as database:
        with database.write() as session:
            session.add(Person(first_name="Vor", last_name="Übernahme"))
        DatabaseLock.take_over(db_path)  # someone else, after asking the user
        before = digest(db_path)
        with pytest.raises(LockLost), database.write() as session:
            session.add(Person(first_name="Nach", last_name="Übernahme"))
        assert digest(db_path) == before
