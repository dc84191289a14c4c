"""Every user-visible string comes from the catalogue: a check over the source of app/ and ui/.

Two rules, read from the syntax tree (no imports, no Qt):

1. **A translator call inside an f-string is never extracted.** Babel's extractor on Python
   3.11 reads an f-string as one token, so ``f"{_('Subject:')} {subject}"`` printed "Subject:"
   in the German window: the message was never in the catalogue.
2. **What reaches a user-visible sink is built from translated pieces.** Sinks: Qt texts
   (``setText``, ``setWindowTitle``, ``setToolTip``, ``QLabel(…)``, ``QMessageBox.warning``,
   file dialog captions and filters, ``addRow`` labels, …), argparse (``help=``,
   ``description=``, ``metavar=``, ``parser.error``), ``raise SomeTreffpunktError(…)``,
   ReportLab ``Paragraph`` text (also through ``pdf_text``/``pdf_plain``) and ``print`` in the
   command line. An argument there is fine when it is a translator call, ``.format()`` on a
   translated template, a value computed elsewhere (a name, an attribute, another call: user
   data or already translated), or glue without letters (``f"{name}: {reason}"``,
   ``_("Saved:") + "\\n" + paths``). It is flagged when text with letters is written into the
   code: a plain literal, the literal parts of an f-string, a concatenated or %-formatted
   literal, or a ``.format()`` template that was not translated.

Not followed: values that travel through variables (``who = f"…"`` and later
``setText(who)``). The check aims at the common mistake without guessing at data flow.
Deliberate exceptions are listed in ``ALLOWED`` with the reason; an entry that no longer
matches anything fails too, so the list stays honest.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "ui")
TRANSLATORS = frozenset({"_", "N_", "ngettext", "pgettext"})

# Methods whose every text argument is shown to the user.
TEXT_METHODS = frozenset(
    {
        "setText",
        "setWindowTitle",
        "setToolTip",
        "setStatusTip",
        "setWhatsThis",
        "setPlaceholderText",
        "setTitle",
        "showMessage",
        "setLabelText",
        "setAccessibleName",
        "setAccessibleDescription",
        "setTabText",
        "setItemText",
        "addTab",
        "addItem",
        "addRow",
        "addAction",
        "addMenu",
        "setHeaderLabels",
        "setSpecialValueText",
        "setSuffix",
        "setPrefix",
        "insertItem",
        "setInformativeText",
        "setDetailedText",
        "error",  # argparse.ArgumentParser.error
    }
)
# Constructors and static functions whose text arguments are shown.
TEXT_CALLS = frozenset(
    {
        "QLabel",
        "QPushButton",
        "QCheckBox",
        "QRadioButton",
        "QGroupBox",
        "QAction",
        "QToolButton",
        "QCommandLinkButton",
        "Paragraph",
        "information",
        "warning",
        "critical",
        "question",
        "about",
        "getSaveFileName",
        "getOpenFileName",
        "getOpenFileNames",
        "getExistingDirectory",
        "getText",
        "getItem",
    }
)
# Calls whose positional arguments are names or identifiers but whose keywords are text.
KEYWORD_TEXT_CALLS = frozenset(
    {
        "ArgumentParser",
        "add_parser",
        "add_argument",
        "add_subparsers",
        "add_argument_group",
        "add_mutually_exclusive_group",
    }
)
# Receivers whose "warning"/"error" methods write the log (for developers), not to the user.
LOGGERS = frozenset({"log", "logger", "logging", "LOG", "_log"})
# Markup, placeholders and file patterns carry letters that are not words for a reader.
_NOT_WORDS = re.compile(r"<[^<>]*>|&#?\w+;|\{[^{}]*\}|\*\.\w+|%\(\w+\)[sdr]|%[sdr]")
TEXT_KEYWORDS = frozenset({"help", "description", "epilog", "metavar", "title", "text"})
# Functions that pass their first argument on to the page unchanged (escaping, normalising).
TRANSPARENT = frozenset({"pdf_text", "pdf_plain", "escape", "nfc", "single_line", "visual_line"})

# (file, a piece of the flagged line) → why the text may stay outside the catalogue.
ALLOWED: dict[tuple[str, str], str] = {
    ("ui/network/organisation_dialog.py", '"https://"'): "a URL scheme, the same in every language",
    ("ui/dialogs/about.py", "Treffpunkt {"): "the product's name with its version",
}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    text: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}: {self.text.strip()}"


def _has_letters(text: str) -> bool:
    return any(character.isalpha() for character in _NOT_WORDS.sub("", text))


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_translator(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _callee(node) in TRANSLATORS


def problem_of(node: ast.AST) -> str | None:
    """Why *node*, passed to a sink, is text outside the catalogue (None: it is fine)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and _has_letters(node.value):
            return "untranslated text"
        return None
    if isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.Constant) and _has_letters(str(part.value)):
                return "f-string with text outside the catalogue"
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return problem_of(node.left) or (
            problem_of(node.right) if isinstance(node.op, ast.Add) else None
        )
    if isinstance(node, ast.IfExp):
        return problem_of(node.body) or problem_of(node.orelse)
    if isinstance(node, ast.BoolOp):
        return next((p for p in map(problem_of, node.values) if p), None)
    if isinstance(node, ast.Call):
        if _is_translator(node):
            return None
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join"):
            inner = problem_of(func.value)
            if inner and func.attr == "format":
                return "a template that is not translated"
            return inner
        if _callee(node) in TRANSPARENT and node.args:
            return problem_of(node.args[0])
    return None


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str, lines: list[str], error_classes: frozenset[str]) -> None:
        self.path = path
        self.lines = lines
        self.error_classes = error_classes
        self.findings: list[Finding] = []
        self._in_fstring = 0

    def _add(self, node: ast.AST, problem: str) -> None:
        line = getattr(node, "lineno", 0)
        self.findings.append(Finding(self.path, line, self.lines[line - 1], problem))

    def _check(self, node: ast.AST) -> None:
        problem = problem_of(node)
        if problem:
            self._add(node, problem)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._in_fstring += 1
        self.generic_visit(node)
        self._in_fstring -= 1

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if isinstance(exc, ast.Call) and _callee(exc) in self.error_classes:
            for argument in exc.args[:1]:
                self._check(argument)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _callee(node)
        func = node.func
        logging = (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in LOGGERS
        )
        if name in TRANSLATORS:
            message = node.args[1] if name == "pgettext" and len(node.args) > 1 else None
            message = message or (node.args[0] if node.args else None)
            # A literal message inside an f-string is never extracted; a variable one was
            # marked (and extracted) where it is defined, with N_().
            if self._in_fstring and isinstance(message, ast.Constant):
                self._add(node, "translator call inside an f-string (never extracted)")
            if isinstance(message, ast.JoinedStr | ast.BinOp):
                self._add(node, "translating a built string (never in the catalogue)")
        shown = (name in TEXT_METHODS or name in TEXT_CALLS) and not logging
        printed = name == "print" and self.path.startswith("app/cli/")
        if name not in TRANSLATORS and (shown or printed):
            for argument in node.args:
                self._check(argument)
        if (name in TEXT_METHODS or name in TEXT_CALLS or name in KEYWORD_TEXT_CALLS) and not (
            logging
        ):
            for keyword in node.keywords:
                if keyword.arg in TEXT_KEYWORDS:
                    self._check(keyword.value)
        self.generic_visit(node)


def source_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def error_classes(trees: dict[str, ast.Module]) -> frozenset[str]:
    """Names of the classes that derive from TreffpunktError (their text reaches the user)."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                    for base in node.bases
                )
    found = {"TreffpunktError"}
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in found and parents & found:
                found.add(name)
                changed = True
    return frozenset(found)


@functools.cache
def findings() -> list[Finding]:
    trees = {}
    texts = {}
    for path in source_files():
        relative = path.relative_to(ROOT).as_posix()
        texts[relative] = path.read_text(encoding="utf-8")
        trees[relative] = ast.parse(texts[relative], filename=relative)
    classes = error_classes(trees)
    found: list[Finding] = []
    for relative, tree in trees.items():
        checker = _Checker(relative, texts[relative].splitlines(), classes)
        checker.visit(tree)
        found += checker.findings
    return sorted(found)


def _allowed(finding: Finding) -> tuple[str, str] | None:
    for key in ALLOWED:
        path, piece = key
        if finding.path == path and piece in finding.text:
            return key
    return None


def test_user_visible_strings_come_from_the_catalogue() -> None:
    flagged = [str(f) for f in findings() if _allowed(f) is None]
    assert flagged == [], "text outside the catalogue:\n" + "\n".join(flagged)


def test_every_exception_in_the_allow_list_is_still_needed() -> None:
    used = {_allowed(f) for f in findings()}
    assert [key for key in ALLOWED if key not in used] == []


def snippet_findings(code: str, path: str = "ui/example.py") -> list[str]:
    tree = ast.parse(code)
    checker = _Checker(path, code.splitlines(), error_classes({path: tree}))
    checker.visit(tree)
    return [finding.problem for finding in checker.findings]


def test_the_check_catches_the_mistakes_it_is_meant_for() -> None:
    assert snippet_findings("label.setText(f\"{_('Subject:')} {subject}\")") == [
        "translator call inside an f-string (never extracted)"
    ]
    assert snippet_findings('box.setWindowTitle("Settings")') == ["untranslated text"]
    assert snippet_findings('QLabel(f"Page {n}")') == ["f-string with text outside the catalogue"]
    assert snippet_findings('parser.add_argument("--x", help="the file")') == ["untranslated text"]
    assert snippet_findings('w.setToolTip("Name: " + name)') == ["untranslated text"]
    assert snippet_findings('w.setText("{n} people".format(n=3))') == [
        "a template that is not translated"
    ]
    assert snippet_findings('_(f"Hello {name}")') == [
        "translating a built string (never in the catalogue)"
    ]
    raising = "class ImportError_(TreffpunktError): pass\nraise ImportError_(f'row {n} broken')"
    assert snippet_findings(raising) == ["f-string with text outside the catalogue"]
    assert snippet_findings('print(f"Saved {path}")', "app/cli/x.py") == [
        "f-string with text outside the catalogue"
    ]


def test_the_check_leaves_translated_and_computed_text_alone() -> None:
    fine = [
        'label.setText(_("Saved: {path}").format(path=path))',
        'label.setText(_("Saved:") + "\\n" + "\\n".join(paths))',
        'label.setText(f"{name}: {reason}")',
        "label.setText(str(error))",
        'label.setText("")',
        'label.setText(" – ")',
        'w.setText(ngettext("{n} person", "{n} people", n).format(n=n))',
        'w.setText(_("a") if ok else row.name)',
        'raise ValueError(f"programming error {n}")',  # not a TreffpunktError: for developers
        'print(f"Saved {path}")',  # outside the command line: not a sink
    ]
    for code in fine:
        assert snippet_findings(code) == [], code
