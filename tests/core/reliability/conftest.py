"""Fixtures of the reliability and privacy tests: the command line with the maintenance
commands, a second process, the fixture-database filler."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator

import pytest

from tests.helpers.reliability import (
    Child,
    load_fixture_maker,
    main_module,
)


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
