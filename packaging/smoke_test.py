"""Smoke test of a built bundle: does the self-contained Treffpunkt work without Python?

    .venv/bin/python packaging/smoke_test.py dist/Treffpunkt          (Linux, after build-bundle.sh)
    .venv\\Scripts\\python packaging\\smoke_test.py dist\\Treffpunkt   (Windows, the CI workflow)

Runs the bundle's executables (never the checkout) in a scratch folder outside the checkout,
with an environment stripped down to what a user's session has (no virtual environment, no
PYTHONPATH, PATH only the system folders), German locale, Qt offscreen:

- ``--version``; a wrong command exits 2; ``init`` twice (the second one exits 1 with one line);
- ``demo``, ``check``, ``contacts list/export`` (CSV, XLSX, vCard) and ``contacts import`` into a
  fresh database, ``meetings list/show/create/invite``, ``agenda add``, ``attendance``;
- ``pdf invitation|signin|minutes``: read back with pypdf, German text, every font embedded;
- ``ics``, ``mail reminders --eml-dir``, ``figures -o .pdf/.xlsx``, ``privacy export``,
  ``backup`` and ``restore``;
- a database of the oldest schema (tests/core/fixtures/schemas) is upgraded and read;
- the keyring: with an SMTP account set up and no password saved, ``mail --smtp`` ends with the
  one-line "no password" message (no keyring on a headless Linux, the Credential Locker on
  Windows), never a traceback;
- the window, offscreen, until the first page shows its data (``TREFFPUNKT_QUIT_WHEN_SHOWN``);
- Linux: ``LD_DEBUG`` shows that libpython comes from the bundle, not from the system.

The driver itself needs Python with pypdf (the project's .venv): it only reads the results.
Exit 0 when every step passed, 1 otherwise; each step prints one line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WINDOWS = sys.platform == "win32"
OLD_SCHEMAS = ROOT / "tests" / "core" / "fixtures" / "schemas"
WINDOW_TIMEOUT = 120  # seconds; the window shows its data in about 2 s


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    seconds: float


class StepFailed(AssertionError):
    pass


def expect(condition: object, message: str) -> None:
    if not condition:
        raise StepFailed(message)


class Bundle:
    """Runs the bundle's programs in a scratch folder with a stripped-down environment."""

    def __init__(self, folder: Path, work: Path) -> None:
        self.folder = folder.resolve()
        self.work = work
        if WINDOWS:
            self.cli = self.folder / "treffpunkt-cli.exe"
            self.gui = self.folder / "Treffpunkt.exe"
        else:
            self.cli = self.gui = self.folder / "treffpunkt"
        for program in {self.cli, self.gui}:
            expect(program.is_file(), f"{program} is missing")
        self.home = work / "home"
        self.home.mkdir()

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        if WINDOWS:
            # Windows programs need a few system variables; nothing of the build's Python.
            keep = (
                "SYSTEMROOT",
                "WINDIR",
                "SYSTEMDRIVE",
                "TEMP",
                "TMP",
                "USERPROFILE",
                "APPDATA",
                "LOCALAPPDATA",
                "PROGRAMDATA",
                "COMPUTERNAME",
                "USERNAME",
            )
            env = {name: os.environ[name] for name in keep if name in os.environ}
            env["PATH"] = os.path.join(os.environ.get("SYSTEMROOT", r"C:\Windows"), "System32")
        else:
            env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home)}
        env["LANG"] = "de_DE.UTF-8"  # the office PC's language
        env["QT_QPA_PLATFORM"] = "offscreen"
        env.update(extra or {})
        return env

    def run(
        self,
        *args: str,
        program: Path | None = None,
        extra_env: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> Result:
        started = time.perf_counter()
        completed = subprocess.run(
            [str(program or self.cli), *args],
            cwd=self.work,
            env=self.environment(extra_env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        return Result(
            completed.returncode,
            completed.stdout.decode("utf-8", errors="replace"),
            completed.stderr.decode("utf-8", errors="replace"),
            time.perf_counter() - started,
        )

    def ok(self, *args: str, **kwargs: object) -> Result:
        result = self.run(*args, **kwargs)  # type: ignore[arg-type]
        expect(
            result.code == 0,
            f"`treffpunkt {' '.join(args)}` exited {result.code}: {result.stderr.strip()[-800:]}",
        )
        expect("Traceback" not in result.stderr, f"traceback: {result.stderr[-800:]}")
        return result

    def fails(self, code: int, *args: str, **kwargs: object) -> Result:
        result = self.run(*args, **kwargs)  # type: ignore[arg-type]
        expect(result.code == code, f"expected exit {code}, got {result.code}: {result.stderr}")
        expect("Traceback" not in result.stderr, f"traceback: {result.stderr[-800:]}")
        return result


def pdf_text_and_fonts(path: Path) -> tuple[str, list[str], list[str]]:
    """Text of all pages, fonts with an embedded font file, fonts without one."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    embedded: set[str] = set()
    not_embedded: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for font in fonts.get_object().values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            name = str(font.get("/BaseFont"))
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.add(name.split("+")[-1])  # without the subset prefix
            else:
                not_embedded.add(name)
    return text, sorted(embedded), sorted(not_embedded)


def check_pdf(path: Path, *words: str) -> str:
    expect(path.is_file() and path.read_bytes().startswith(b"%PDF"), f"{path.name} is no PDF")
    text, embedded, not_embedded = pdf_text_and_fonts(path)
    for word in words:
        expect(word in text, f"{path.name} lacks “{word}”")
    # The shipped DejaVu family (resources/fonts) must be in the file. ReportLab's canvas also
    # lists its initial Helvetica in some files without setting any text in it.
    expect(
        any("DejaVuSans" in name for name in embedded),
        f"{path.name}: DejaVu Sans not embedded (embedded: {embedded})",
    )
    unembedded = f", not embedded: {', '.join(not_embedded)}" if not_embedded else ""
    return f"{path.name}: {len(text)} characters, embedded {', '.join(embedded)}{unembedded}"


class SmokeTest:
    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.work = bundle.work
        self.demo = str(self.work / "demo.db")
        self.failures: list[str] = []
        self.meetings: list[dict[str, object]] = []

    def step(self, name: str, action: Callable[[], str | None]) -> None:
        started = time.perf_counter()
        try:
            detail = action()
        except (StepFailed, subprocess.TimeoutExpired, OSError, ValueError, KeyError) as exc:
            self.failures.append(name)
            print(f"FAIL  {name}: {exc}", flush=True)
            return
        took = time.perf_counter() - started
        print(f"ok    {name} ({took:.1f} s){': ' + detail if detail else ''}", flush=True)

    # -- the steps ----------------------------------------------------------------------------

    def version(self) -> str:
        from app import __version__

        result = self.bundle.ok("--version")
        expect(result.stdout.strip() == f"Treffpunkt {__version__}", repr(result.stdout))
        return result.stdout.strip()

    def usage_errors(self) -> str:
        self.bundle.fails(2, "no-such-command")
        empty = str(self.work / "empty.db")
        created = self.bundle.ok("--db", empty, "init")
        expect("Datenbank" in created.stdout, f"not German: {created.stdout!r}")
        again = self.bundle.fails(1, "--db", empty, "init")
        lines = again.stderr.strip().splitlines()
        expect(len(lines) == 1, f"expected one line, got {again.stderr!r}")
        return lines[0]

    def demo_network(self) -> str:
        result = self.bundle.ok("--db", self.demo, "demo")
        self.bundle.ok("--db", self.demo, "check")
        listed = self.bundle.ok("--db", self.demo, "meetings", "list", "--json")
        self.meetings = json.loads(listed.stdout)
        expect(len(self.meetings) >= 2, f"demo has {len(self.meetings)} meetings")
        return result.stdout.strip().splitlines()[0]

    def meeting_id(self, *states: str) -> str:
        for meeting in self.meetings:
            if meeting["state"] in states:
                return str(meeting["id"])
        raise StepFailed(f"no demo meeting in state {states}")

    def contacts(self) -> str:
        listed = json.loads(self.bundle.ok("--db", self.demo, "contacts", "list", "--json").stdout)
        names = {person["name"] for person in listed}
        expect(any("Öztürk" in name for name in names), "umlaut names missing")
        for suffix in ("csv", "xlsx", "vcf"):
            self.bundle.ok("--db", self.demo, "contacts", "export", f"contacts.{suffix}")
        expect(zipfile.is_zipfile(self.work / "contacts.xlsx"), "contacts.xlsx is no xlsx")
        fresh = str(self.work / "imported.db")
        self.bundle.ok("--db", fresh, "init")
        imported = self.bundle.ok("--db", fresh, "contacts", "import", "contacts.csv")
        again = json.loads(self.bundle.ok("--db", fresh, "contacts", "list", "--json").stdout)
        expect(len(again) == len(listed), f"imported {len(again)} of {len(listed)} people")
        report = (imported.stdout + imported.stderr).strip().splitlines()
        return report[-1] if report else f"{len(again)} people"

    def planning(self) -> str:
        created = self.bundle.ok(
            "--db",
            self.demo,
            "meetings",
            "create",
            "--title",
            "Smoke-Test – Übergabe",
            "--start",
            "2031-03-04T18:00",
        )
        new_id = created.stdout.strip().splitlines()[-1]
        self.bundle.ok("--db", self.demo, "agenda", "add", new_id, "Begrüßung", "--minutes", "10")
        self.bundle.ok("--db", self.demo, "meetings", "invite", new_id, "--all")
        shown = json.loads(
            self.bundle.ok("--db", self.demo, "meetings", "show", new_id, "--json").stdout
        )
        expect(shown["agenda"][0]["title"] == "Begrüßung", shown["agenda"])
        expect(len(shown["invitations"]) > 10, "invitations missing")
        held = self.meeting_id("minutes_draft", "held")
        self.bundle.ok("--db", self.demo, "attendance", held, "--accepted")
        return f"meeting {new_id} with {len(shown['invitations'])} invitations"

    def documents(self) -> str:
        invited = self.meeting_id("invited", "planned")
        with_minutes = self.meeting_id("minutes_final", "minutes_draft")
        details = []
        for kind, meeting, words in (
            ("invitation", invited, ("Einladung", "Tagesordnung")),
            ("signin", invited, ("Anwesenheitsliste", "Unterschrift", "Seite 1 von")),
            ("minutes", with_minutes, ("Protokoll",)),
        ):
            target = self.work / f"{kind}.pdf"
            self.bundle.ok("--db", self.demo, "pdf", kind, meeting, "-o", target.name)
            details.append(check_pdf(target, *words))
        return "; ".join(details)

    def calendar_and_mail(self) -> str:
        invited = self.meeting_id("invited")
        self.bundle.ok("--db", self.demo, "ics", invited, "-o", "meeting.ics")
        ics = (self.work / "meeting.ics").read_text(encoding="utf-8")
        expect("BEGIN:VCALENDAR" in ics and "BEGIN:VEVENT" in ics, "no calendar in meeting.ics")
        mailed = self.bundle.ok(
            "--db", self.demo, "mail", "reminders", invited, "--eml-dir", "drafts"
        )
        drafts = list((self.work / "drafts").glob("*.eml"))
        expect(drafts, f"no .eml drafts written: {mailed.stdout[-300:]}")
        expect("Entw" in mailed.stdout, f"not German: {mailed.stdout[-200:]}")
        return f"meeting.ics, {len(drafts)} drafts"

    def figures_privacy_backup(self) -> str:
        self.bundle.ok("--db", self.demo, "figures", "--year", "2023", "-o", "figures.pdf")
        check_pdf(self.work / "figures.pdf")
        self.bundle.ok("--db", self.demo, "figures", "--year", "2023", "-o", "figures.xlsx")
        expect(zipfile.is_zipfile(self.work / "figures.xlsx"), "figures.xlsx is no xlsx")
        person = json.loads(self.bundle.ok("--db", self.demo, "contacts", "list", "--json").stdout)
        self.bundle.ok("--db", self.demo, "privacy", "export", str(person[0]["id"]), "-o", "p.json")
        json.loads((self.work / "p.json").read_text(encoding="utf-8"))
        self.bundle.ok("--db", self.demo, "backup", "-o", "backup.db")
        restored = self.bundle.ok("--db", self.demo, "restore", "backup.db")
        return restored.stdout.strip().splitlines()[0]

    def old_database(self) -> str:
        from app.db import migrate

        fixtures = sorted(OLD_SCHEMAS.glob("*.db"))
        expect(fixtures, f"no saved databases in {OLD_SCHEMAS}")
        oldest = fixtures[0]
        copy = self.work / f"old-{oldest.name}"
        shutil.copyfile(oldest, copy)
        self.bundle.ok("--db", str(copy), "meetings", "list", "--json")
        checked = self.bundle.ok("--db", str(copy), "check")
        head = migrate.head_revision()
        expect(head in checked.stdout, f"not at {head} after the upgrade: {checked.stdout!r}")
        return f"{oldest.name} → {head}"

    def keyring_fallback(self) -> str:
        from app.db import Database
        from app.services.mail_settings import SmtpSecurity, SmtpSettings, save_smtp_settings

        database = Database.open(Path(self.demo))
        try:
            save_smtp_settings(
                database,
                SmtpSettings(
                    host="127.0.0.1",
                    port=9,
                    security=SmtpSecurity.STARTTLS,
                    username="smoke-test@example.org",
                ),
            )
        finally:
            database.close()
        invited = self.meeting_id("invited")
        result = self.bundle.fails(1, "--db", self.demo, "mail", "reminders", invited, "--smtp")
        lines = result.stderr.strip().splitlines()
        expect(len(lines) == 1 and "smoke-test@example.org" in lines[0], repr(result.stderr))
        return lines[0]

    def team_mode(self) -> str:
        """The PostgreSQL driver travels with the bundle (psycopg, its libpq, SQLAlchemy's
        dialect, all loaded by name at run time): with a throwaway server when the machine
        has one (CI installs Debian's postgresql), else at least a refused connection that
        says so in one line instead of an ImportError."""
        from tests.postgres import PostgresUnavailable, ThrowawayCluster

        try:
            cluster = ThrowawayCluster()
            cluster.start()
        except (PostgresUnavailable, OSError) as exc:
            if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
                raise AssertionError(f"PostgreSQL could not be started in CI: {exc}") from exc
            result = self.bundle.fails(1, "--db", "postgresql://nobody@127.0.0.1:1/none", "check")
            lines = result.stderr.strip().splitlines()
            expect(len(lines) == 1 and "127.0.0.1:1" in lines[0], repr(result.stderr))
            return f"no server here ({exc}); refused connection: {lines[0]}"
        try:
            url = cluster.new_database(migrated=False)
            self.bundle.ok("--db", url, "init")
            self.bundle.ok("--db", url, "demo")
            checked = self.bundle.ok("--db", url, "check")
            copy = Path(self.work) / "from-server.db"
            self.bundle.ok("--db", url, "copy-to", str(copy))
            listed = self.bundle.ok("--db", str(copy), "contacts", "list", "--json")
            people = len(json.loads(listed.stdout))
            expect(people > 0, "no people in the copy of the server database")
            return f"init, demo, check, copy-to on a server: {people} people copied; " + (
                checked.stdout.strip().splitlines()[0] if checked.stdout.strip() else ""
            )
        finally:
            cluster.stop()

    def window(self) -> str:
        result = self.bundle.run(
            "--db",
            self.demo,
            program=self.bundle.gui,
            extra_env={"TREFFPUNKT_QUIT_WHEN_SHOWN": "data"},
            timeout=WINDOW_TIMEOUT,
        )
        expect(result.code == 0, f"window exited {result.code}: {result.stderr[-800:]}")
        expect("Traceback" not in result.stderr, result.stderr[-800:])
        return f"data shown after {result.seconds:.2f} s (whole process)"

    def own_libpython(self) -> str:
        result = self.bundle.run("--version", extra_env={"LD_DEBUG": "libs"})
        loaded = [
            line.split("calling init:")[1].strip()
            for line in result.stderr.splitlines()
            if "calling init:" in line and "libpython" in line
        ]
        expect(loaded, "libpython was not loaded?")
        outside = [path for path in loaded if not path.startswith(str(self.bundle.folder))]
        expect(not outside, f"libpython from outside the bundle: {outside}")
        python_paths = [
            line
            for line in result.stderr.splitlines()
            if "calling init:" in line and ("/.venv/" in line or "pyenv" in line)
        ]
        expect(not python_paths, f"libraries of the build's Python loaded: {python_paths}")
        return loaded[0]

    def run(self) -> int:
        steps: list[tuple[str, Callable[[], str | None]]] = [
            ("--version", self.version),
            ("usage errors and init", self.usage_errors),
            ("demo and check", self.demo_network),
            ("contacts list/export/import", self.contacts),
            ("meetings create/invite, agenda, attendance", self.planning),
            ("pdf invitation/signin/minutes", self.documents),
            ("ics and mail drafts", self.calendar_and_mail),
            ("figures, privacy export, backup and restore", self.figures_privacy_backup),
            ("old database upgraded", self.old_database),
            ("keyring fallback", self.keyring_fallback),
            ("team mode on a PostgreSQL server", self.team_mode),
            ("window shows data (offscreen)", self.window),
        ]
        if sys.platform.startswith("linux"):
            steps.append(("libpython from the bundle", self.own_libpython))
        for name, action in steps:
            self.step(name, action)
        if self.failures:
            print(f"smoke test: FAILED {len(self.failures)} of {len(steps)}: {self.failures}")
            return 1
        print(f"smoke test: all {len(steps)} steps passed")
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the bundle folder, e.g. dist/Treffpunkt")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="treffpunkt-smoke-"))
    try:
        bundle = Bundle(args.bundle, work)
        print(f"smoke test of {bundle.folder} in {work}", flush=True)
        return SmokeTest(bundle).run()
    except StepFailed as exc:
        print(f"smoke test: FAILED: {exc}")
        return 1
    finally:
        if args.keep:
            print(f"smoke test: scratch folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
