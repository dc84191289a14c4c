"""``settings show [--json]`` and ``settings set KEY VALUE``: the settings of the database.

The keys and their checks are ``app.services.settings_registry``'s. ``set`` with an unknown
key or a refused value exits 1 with one line and changes nothing; an empty VALUE ("") puts the
setting back to its default.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import opened_database
from app.cli.output import print_json, print_table
from app.i18n import _, pgettext
from app.services.settings_registry import SETTINGS, Value, change_setting, show_settings


def register(commands: Any) -> None:
    settings = commands.add_parser("settings", help=_("show or change the settings"))
    actions = settings.add_subparsers(
        dest="action", metavar=pgettext("metavar", "ACTION"), required=True
    )
    show = actions.add_parser("show", help=_("list every setting with its value"))
    show.add_argument("--json", action="store_true", help=_("machine-readable output"))
    show.set_defaults(handler=run_show)
    change = actions.add_parser(
        "set", help=_("change one setting (an empty VALUE restores the default)")
    )
    change.add_argument("key", metavar=pgettext("metavar", "KEY"), help=_("e.g. sender.address"))
    change.add_argument("value", metavar=pgettext("metavar", "VALUE"))
    change.set_defaults(handler=run_set)


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def _cell(value: Value) -> str:
    """One table line per setting: a multi-line value (the press contact) joined by " · "."""
    return " · ".join(line for line in _text(value).splitlines() if line)


def run_show(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        values = show_settings(database)
    if args.json:
        print_json(values)
        return 0
    print_table(
        [_("Setting"), _("Value"), _("Meaning")],
        [[spec.key, _cell(values[spec.key]), _(spec.label)] for spec in SETTINGS],
    )
    return 0


def run_set(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        value = change_setting(database, args.key, args.value)
    print(_("{key} = {value}").format(key=args.key.strip(), value=_text(value)))
    return 0
