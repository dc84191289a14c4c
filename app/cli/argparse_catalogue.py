"""argparse's own words ("usage:", "options:", its error messages) from our catalogue.

argparse translates its fixed strings with the module-level ``gettext`` functions it imported
(``argparse._`` and ``argparse.ngettext``, the ``argparse`` domain of the *system*), so a German
Treffpunkt printed "usage:" and "error: the following arguments are required". Every message
of argparse is listed here with ``N_`` so that it is extracted into our catalogue and translated
with everything else; ``translated_argparse()`` points argparse at our translator while the
command line parses, prints help and runs. A test compares this list with the argparse of the
running Python, so a new Python version with new messages is noticed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app import i18n
from app.i18n import N_

# argparse's messages as it spells them (Python 3.11 – 3.14), each with its %-placeholders.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ignored explicit argument %r"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_('argument "-" with mode %r'),
    # Mistakes in the program, not in what the user typed; translated all the same.
    N_("%r is not callable"),
    N_("'required' is an invalid argument for positionals"),
    N_(".__call__() not defined"),
    N_("cannot have multiple subparser arguments"),
    N_("cannot merge actions - two groups are named %r"),
    N_("conflicting subparser alias: %s"),
    N_("conflicting subparser: %s"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("mutually exclusive arguments must be optional"),
)
ARGPARSE_PLURALS = (
    ("expected %s argument", "expected %s arguments"),
    ("conflicting option string: %s", "conflicting option strings: %s"),
)


def _plurals_for_extraction() -> None:  # pragma: no cover - never called
    """Babel extracts plural messages from ``ngettext`` calls only: these are them."""
    i18n.ngettext("expected %s argument", "expected %s arguments", 1)
    i18n.ngettext("conflicting option string: %s", "conflicting option strings: %s", 1)


@contextmanager
def translated_argparse() -> Iterator[None]:
    """Inside the block argparse speaks the current language through our catalogue.

    argparse looks its translator up as a module global on every call, so swapping it is
    enough; the previous functions come back afterwards. Only the command line uses argparse.
    """
    saved: tuple[Callable[..., str], Callable[..., str]] = (
        argparse._,  # type: ignore[attr-defined]
        argparse.ngettext,  # type: ignore[attr-defined]
    )
    setattr(argparse, "_", i18n._)  # noqa: B010 - a module global, not an attribute
    setattr(argparse, "ngettext", i18n.ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010
