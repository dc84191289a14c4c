"""The ``treffpunkt`` command line: the same services as the window, for scripts and checks."""

from app.cli.main import main

__all__ = ["main"]
