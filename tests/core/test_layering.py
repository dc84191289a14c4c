"""The core's layers, enforced: app/ imports no Qt, and no layer imports a higher one.

``LAYERS`` is the map a newcomer reads in docs (lowest first). Each module of ``app`` belongs to
the layer of its longest matching prefix; every ``import`` in it (at the top *and* inside
functions: a late import is a dependency all the same, only hidden) may name modules of its
own layer or of lower ones, never of a higher one. So the core is acyclic between layers:

    foundation → db → models → services → documents → mail → cli

- **foundation**: errors, translations, text folding, paths, file helpers: no database.
- **db**: engines, connections, transactions, locks, copying whole databases; no models.
- **models**: the SQLAlchemy models and the migrations that build their tables.
- **services**: every rule and every transaction; snapshots (plain frozen data) gathered for
  the documents; reading and writing settings.
- **documents**: renderers (PDF, DOCX, .ics) over snapshots and contact files
  (CSV/XLSX/vCard); they call services to gather, never open a session themselves.
- **mail**: composing, queueing and sending; attaches rendered documents.
- **cli**: the command line over all of it (the window, ``ui/``, sits beside it).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import app

ROOT = Path(app.__file__).parent

# (layer, module prefixes); lowest layer first.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "app",  # app/__init__.py: the version
            "app.errors",
            "app.i18n",
            "app.i18n_catalog",
            "app.text",
            "app.paths",
            "app.durable",
            "app.preferences",
            "app.addresses",
            "app.enums",  # the stored enumerations, shared by the models and the listings
        ),
    ),
    ("db", ("app.db",)),
    # The migrations build the models' tables and compare them with the models.
    ("models", ("app.models", "app.db.migrations")),
    # The value parsing of the contact formats (names, salutations, addresses, phones) is
    # shared with the directory services that check typed values the same way.
    ("services", ("app.services", "app.contacts.values")),
    ("documents", ("app.documents", "app.contacts")),
    ("mail", ("app.mail",)),
    ("cli", ("app.cli",)),
)
RANK = {name: rank for rank, (name, _prefixes) in enumerate(LAYERS)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    best, length = "", -1
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and len(prefix) > length:
                best, length = name, len(prefix)
    if not best:
        raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")
    return best


def imported_modules(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """Every ``app`` module *path* imports, with the line, including late imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                is_module = (ROOT.parent / Path(*candidate.split("."))).with_suffix(".py").exists()
                is_package = (ROOT.parent / Path(*candidate.split("."))).is_dir()
                yield (candidate if is_module or is_package else base), node.lineno


def layer_violations() -> list[str]:
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        if "versions" in path.parts:  # revisions import only alembic and sqlalchemy
            continue
        module = module_name(path)
        own = layer_of(module)
        for target, line in imported_modules(path, module):
            if target != "app" and not target.startswith("app."):
                continue
            other = layer_of(target)
            if RANK[other] > RANK[own]:
                problems.append(f"{module}:{line} ({own}) imports {target} ({other})")
    return problems


def test_every_layer_imports_only_itself_and_lower_layers() -> None:
    assert layer_violations() == []


def test_revisions_import_no_app_code() -> None:
    # A revision must keep working when the models change later: it never imports app code.
    offenders = [
        f"{path.name}: {target}"
        for path in (ROOT / "db" / "migrations" / "versions").glob("*.py")
        for target, _line in imported_modules(path, "app.db.migrations.versions.x")
        if target == "app" or target.startswith("app.")
    ]
    assert offenders == []


def longest_prefix(module: str) -> str:
    prefixes = [p for _name, group in LAYERS for p in group]
    return max((p for p in prefixes if module == p or module.startswith(p + ".")), key=len)


def test_layer_table_places_every_module_on_purpose() -> None:
    # A new top-level module or package is placed in the table on purpose: it must not fall
    # into the foundation only because everything starts with "app".
    unplaced = [
        module_name(path)
        for path in sorted(ROOT.rglob("*.py"))
        if module_name(path) != "app" and longest_prefix(module_name(path)) == "app"
    ]
    assert unplaced == []


def test_documents_render_and_open_no_session() -> None:
    # Renderers take snapshots gathered in app.services: no SQL, no session of their own.
    offenders = []
    for path in sorted((ROOT / "documents").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            offenders += [
                f"{path.name}:{node.lineno} {n}" for n in names if n.startswith("sqlalchemy")
            ]
            if isinstance(node, ast.With):
                for item in node.items:
                    call = item.context_expr
                    if (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Attribute)
                        and call.func.attr in ("read", "write", "session")
                    ):
                        offenders.append(f"{path.name}:{node.lineno} opens a session")
    assert offenders == []


def test_the_layer_check_sees_a_violation(tmp_path: Path) -> None:
    # The check itself can fail: a services module importing mail is reported.
    assert layer_of("app.services.privacy") == "services"
    assert layer_of("app.mail.outbox") == "mail"
    assert layer_of("app.db.migrations.env") == "models"
    assert RANK[layer_of("app.mail.outbox")] > RANK[layer_of("app.services.privacy")]


CHECK = """
import importlib, pkgutil, sys
import app
for module in pkgutil.walk_packages(app.__path__, "app."):
    importlib.import_module(module.name)
qt = sorted(name for name in sys.modules if name.startswith(("PySide6", "shiboken6")))
print(",".join(qt))
"""


def test_app_imports_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT.parent,
    )
    assert result.stdout.strip() == ""


def test_app_sources_do_not_mention_qt_imports() -> None:
    offenders = [
        str(path)
        for path in ROOT.rglob("*.py")
        if "import PySide6" in path.read_text(encoding="utf-8")
        or "from PySide6" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
