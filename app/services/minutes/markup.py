"""The simple markup of minutes notes: paragraphs, "- " bullet lists and **bold**.

Plain data only (no database, no Qt, no ReportLab), so the PDF renderer and the window can both
use it. The parser never fails: whatever the minute-taker typed comes out as blocks, and text
that is not valid markup (an unclosed ``**``, a lone ``-``) stays literal. The runs hold the
user's text unescaped; escaping for ReportLab or Qt rich text is the consumer's job.

Rules:

- A blank line (or one holding only spaces) ends a paragraph or a list.
- A line starting with ``- ``, ``* ``, ``• `` or ``– `` (leading spaces allowed; a tab instead
  of the space too) is a bullet item; the en dash and bullet come from text pasted out of Word.
  Consecutive bullet lines form one list; a non-bullet line ends it and starts a paragraph.
- Consecutive other lines form one paragraph; their line breaks are kept as ``"\\n"`` inside
  the runs (the minute-taker typed them on purpose).
- ``**text**`` is bold, within one paragraph or one bullet item (it may span the lines of a
  paragraph). A ``**`` without a partner, or ``****`` with nothing between, is literal.
- Lines are stripped at both ends; tabs become spaces; control characters are dropped; the
  text is normalised to NFC.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_BULLET = re.compile(r"^[-*•–][ \t]+(?=\S)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
BOLD_MARK = "**"


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text in one style. May contain ``"\\n"`` (a line break in a paragraph)."""

    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[tuple[Run, ...], ...]  # one tuple of runs per bullet item

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple("".join(run.text for run in item) for item in self.items)


Block = Paragraph | BulletList


def clean_notes(text: str | None) -> str:
    """Notes as stored: NFC, ``\\n`` line ends, no control characters; NOT stripped.

    Autosave stores what the editor holds; stripping a trailing space while someone types
    would fight the cursor when the text is loaded again.
    """
    if not text:
        return ""
    text = _NEWLINES.sub("\n", text)
    # Word pastes manual line breaks as vertical tabs and page breaks as form feeds.
    text = text.replace("\t", " ").replace("\x0b", "\n").replace("\x0c", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def parse_inline(text: str) -> tuple[Run, ...]:
    """``**bold**`` pairs into bold runs; everything else literal. Adjacent runs merged."""
    runs: list[Run] = []

    def add(piece: str, bold: bool) -> None:
        if not piece:
            return
        if runs and runs[-1].bold == bold:
            runs[-1] = Run(runs[-1].text + piece, bold)
        else:
            runs.append(Run(piece, bold))

    position = 0
    while True:
        opening = text.find(BOLD_MARK, position)
        if opening < 0:
            break
        closing = text.find(BOLD_MARK, opening + len(BOLD_MARK))
        if closing < 0:
            break  # unclosed: the rest, "**" included, is literal
        inner = text[opening + len(BOLD_MARK) : closing]
        if not inner.strip():
            # "****" or "** **": nothing to make bold; keep the first marks literal and
            # look for a pair from the second "**" on.
            add(text[position : opening + len(BOLD_MARK)], False)
            position = opening + len(BOLD_MARK)
            continue
        add(text[position:opening], False)
        add(inner, True)
        position = closing + len(BOLD_MARK)
    add(text[position:], False)
    return tuple(runs)


def parse_notes(text: str | None) -> list[Block]:
    """The notes of a TOP as blocks (see the module docstring for the rules)."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            runs = parse_inline("\n".join(paragraph))
            if runs:
                blocks.append(Paragraph(runs))
            paragraph.clear()
        if bullets:
            items = tuple(runs for runs in (parse_inline(item) for item in bullets) if runs)
            if items:
                blocks.append(BulletList(items))
            bullets.clear()

    for raw in clean_notes(text).split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        bullet = _BULLET.match(line)
        if bullet is not None:
            if paragraph:
                flush()
            bullets.append(line[bullet.end() :])
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    return blocks


def blocks_text(blocks: list[Block] | tuple[Block, ...]) -> str:
    """The blocks as plain text without markup (for search, previews, the JSON record)."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.append("\n".join(f"- {text}" for text in block.texts))
    return "\n\n".join(parts)
