"""GUI stall while the window sends 40 personalised invitations (PDF + .ics) to a local server.

Set-up (not measured): the database of ``benchmarks/mail_invitations.py`` (one meeting, five
TOPs, 40 invitees) and a local SMTP server (aiosmtpd, in this process); the mail settings point
at that server (plain local relay).

Measured: the real ``MailingDialog`` (queueing with the invitation PDF rendered by
``attachments_for``, then ``send_outbox`` on the task runner's worker thread, progress back
to the GUI thread). A 10 ms ``QTimer`` ticks on the GUI thread the whole time; the longest gap
between two ticks is the longest stall a user could feel (a frame is 16 ms; 100 ms feels
sluggish). Also prints the wall time from "Send" to the results table.

Garbage collection as in the window: ``ui.garbage.GuiThreadCollector`` switches
Python's automatic collection off, collects the young generations on the GUI thread (as
often as Python would) and full collections about once a minute when no task runs; once the
window has settled (here: once the first dialog is ready), it freezes what start-up built out
of later full collections. ``--automatic-gc`` keeps Python's own collection instead (the cyclic
GC then runs in the worker while it holds the interpreter lock: the long stalls of earlier
rounds). ``--gc-on-gui-thread`` is accepted for old command lines (the default).

Between the preview shown and the click on Send the user reads the preview (``--read``
seconds, 1.5 by default; not measured), as nobody clicks Send the instant the dialog fills.

Prints the load average before and after: on a busy machine the operating system, not the
program, makes most of the stalls. On Linux each stall also says how much of it the GUI thread
spent waiting for a CPU (``/proc/thread-self/schedstat``: ready to run, another process ran).

Usage: .venv/bin/python benchmarks/mail_gui_stall.py [--runs 5] [--recipients 40]
       [--read 1.5] [--automatic-gc]
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.db import Database  # noqa: E402
from app.mail.secrets import SessionPasswords  # noqa: E402
from app.models import OutboxKind  # noqa: E402
from app.services.mail_settings import SmtpSecurity, SmtpSettings, save_smtp_settings  # noqa: E402
from ui.garbage import GuiThreadCollector  # noqa: E402
from ui.meetings.mailing_dialog import MailingDialog  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402


def _mail_benchmark():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "mail_invitations", ROOT / "benchmarks" / "mail_invitations.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wait_for(signal, timeout_ms: int = 120_000) -> None:  # type: ignore[no-untyped-def]
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


class CpuWait:
    """Milliseconds the thread that made it has been ready to run while another process had
    the CPU: Linux's ``/proc/thread-self/schedstat``; 0.0 elsewhere.

    Read with the interpreter lock held (``ctypes.PyDLL``): a plain file read lets go of it,
    and taking it back from the busy worker would make the very stall being measured.
    """

    def __init__(self) -> None:
        self._fd: int | None = None
        self._buffer = ctypes.create_string_buffer(128)
        try:
            pread = ctypes.PyDLL(None).pread
            self._fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        except (OSError, AttributeError):
            return
        pread.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_long]
        pread.restype = ctypes.c_ssize_t
        self._pread = pread

    def ms(self) -> float:
        if self._fd is None:
            return 0.0
        size = self._pread(self._fd, self._buffer, len(self._buffer) - 1, 0)
        fields = self._buffer.raw[: max(size, 0)].split()
        return int(fields[1]) / 1e6 if len(fields) > 1 else 0.0

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def pause(seconds: float) -> None:
    """Let the event loop run for *seconds* (the user reads the preview)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def one_run(  # type: ignore[no-untyped-def]
    folder: Path,
    recipients: int,
    bench,
    gc_frozen: Callable[[], None] | None = None,
    read_seconds: float = 0.0,
) -> tuple[float, int, int, int, str]:
    path = folder / "stall.db"
    path.unlink(missing_ok=True)
    meeting_id = bench.build_database(path, recipients)
    handler = bench.Counting()
    controller = bench.LocalController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    database = Database.open(path)
    runner = TaskRunner()
    try:
        save_smtp_settings(
            database,
            SmtpSettings(
                host="127.0.0.1",
                port=int(controller.port),
                security=SmtpSecurity.NONE,
                sender_name="Quartiersmanagement Impuls.Ag",
                sender_address=bench.SENDER,
            ),
        )
        dialog = MailingDialog(
            runner, database, meeting_id, OutboxKind.INVITATION, SessionPasswords()
        )
        dialog.show()
        wait_for(dialog.ready)
        if gc_frozen is not None:
            gc_frozen()  # the window freezes once it has settled
        pause(read_seconds)
        clock, ticker = QElapsedTimer(), QTimer()
        ticker.setInterval(10)
        gaps: list[int] = []
        where: list[str] = []
        cpu_wait = CpuWait()  # the GUI thread's
        waited = [cpu_wait.ms()]

        def tick() -> None:
            gaps.append(clock.restart())
            now = cpu_wait.ms()
            where.append(
                f"{dialog.progress.value()}/{dialog.progress.maximum()} when it ended, "
                f"{now - waited[0]:.0f} ms of it waiting for a CPU"
            )
            waited[0] = now

        ticker.timeout.connect(tick)
        clock.start()
        waited[0] = cpu_wait.ms()
        ticker.start()
        began = time.perf_counter()
        dialog.send_button.click()
        wait_for(dialog.sent)
        elapsed = time.perf_counter() - began
        ticker.stop()
        cpu_wait.close()
        rows = dialog.results.rowCount()
        worst = max(range(len(gaps)), key=gaps.__getitem__) if gaps else 0
        phase = where[worst] if where else ""
        dialog.close()
        dialog.deleteLater()
        QApplication.processEvents()
        return elapsed, max(gaps, default=0), handler.count, rows, phase
    finally:
        runner.shutdown()
        database.close()
        controller.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--recipients", type=int, default=40)
    parser.add_argument(
        "--read", type=float, default=1.5, help="seconds the user reads the preview (1.5)"
    )
    parser.add_argument("--automatic-gc", action="store_true", help="Python's own collection")
    parser.add_argument("--gc-on-gui-thread", action="store_true", help="the default")
    args = parser.parse_args(argv)
    application = QApplication.instance() or QApplication([])
    collector = GuiThreadCollector(application)
    if not args.automatic_gc:
        collector.start()
    print(f"Load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    bench = _mail_benchmark()
    times, stalls = [], []
    with tempfile.TemporaryDirectory() as temp:
        for run in range(1, args.runs + 1):
            elapsed, stall, received, rows, phase = one_run(
                Path(temp),
                args.recipients,
                bench,
                # Versions before 0.2 had no freeze: collected on the GUI thread only.
                None if args.automatic_gc else getattr(collector, "freeze", None),
                args.read,
            )
            if received != args.recipients or rows != args.recipients:
                print(
                    f"run {run}: expected {args.recipients} mails, server got {received}, "
                    f"table shows {rows}"
                )
                return 1
            times.append(elapsed)
            stalls.append(stall)
            print(
                f"run {run}: {received} mails in {elapsed:.2f} s, longest GUI stall "
                f"{stall} ms (progress {phase})"
            )
    print(
        f"median: {statistics.median(times):.2f} s for {args.recipients} mails; "
        f"longest GUI stall median {statistics.median(stalls):.0f} ms, "
        f"worst {max(stalls)} ms (timer interval 10 ms)"
    )
    print(f"Load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if not args.automatic_gc:
        collector.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
