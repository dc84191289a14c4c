"""Fixtures of the reliability and privacy tests: the command line with the maintenance
commands, a second process, the fixture-database filler."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

main_module = importlib.import_module("app.cli.main")

CHILD = Path(__file__).resolve().parent / "child.py"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def load_fixture_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_schema_fixture", FIXTURES / "make_schema_fixture.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """Run ``treffpunkt ARGS`` in-process: (exit code, stdout, stderr).

    Until the lead registers ``maintenance_commands`` in ``app/cli/main.py``, they are added
    to the parser here the same way.
    """
    original_build = main_module.build_parser

    def build_parser() -> argparse.ArgumentParser:
        parser = original_build()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "backup" not in commands.choices:
            from app.cli import maintenance_commands

            maintenance_commands.register(commands)
        return parser

    monkeypatch.setattr(main_module, "build_parser", build_parser)

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main_module.main(list(argv))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


class Child:
    """A child process running ``child.py``; always ended (killed) after the test."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def line(self) -> str:
        assert self.process.stdout is not None
        text = self.process.stdout.readline()
        if not text:
            self.process.wait(timeout=30)
            assert self.process.stderr is not None
            raise AssertionError(f"child ended early: {self.process.stderr.read()}")
        return text.strip()

    def wait_for(self, expected: str) -> list[str]:
        """Read lines up to and including *expected*; return them."""
        lines = [self.line()]
        while lines[-1] != expected:
            lines.append(self.line())
        return lines

    def send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        """SIGKILL on POSIX, TerminateProcess on Windows: no cleanup code runs."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):  # a broken pipe to a killed child
                    stream.close()
        self.kill()


@pytest.fixture
def child() -> Iterator[Callable[..., Child]]:
    started: list[Child] = []

    def start(*args: str) -> Child:
        process = Child(*args)
        started.append(process)
        return process

    yield start
    for process in started:
        process.close()


@pytest.fixture
def fill_every_table() -> Callable[[object], None]:
    return load_fixture_maker().fill_every_table  # type: ignore[no-any-return]
