"""Build the user guide: ``docs/handbuch/*.md`` → HTML under ``resources/manual/``.

Usage: .venv/bin/python scripts/build_manual.py [--check]

The window shows the result offline (Hilfe ▸ Handbuch, ``ui/dialogs/manual.py``) and it opens
in any browser. The output is committed; ``--check`` (and ``tests/core/test_manual.py``) fail
when it is not what the sources give, or when a picture or a link is missing. Pictures live in
``resources/manual/images`` and are made by ``scripts/manual_screenshots.py``.

The sources use a small, fixed part of Markdown, converted here (the output must not change
with the version of a Markdown library, and the program needs none at run time):

- ``# Title`` once at the top of a chapter, ``## Section``, ``### Subsection``;
- paragraphs; lists with ``- `` or ``1. `` (continuation lines indented); ``> `` for a note;
- a paragraph that is only ``![caption](images/name.png)`` is a figure with its caption;
- tables with ``| a | b |`` rows and a ``|---|---|`` line under the header;
- inline: ``**bold**``, ``*italic*``, ```code```, ``[text](other-chapter.md#section)``.

Anything else (raw HTML, nested lists, code blocks) is refused with the file and line.
Chapters are the files in name order; ``index.md`` is the start page with the contents.
"""

from __future__ import annotations

import html
import json
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "handbuch"
OUTPUT = ROOT / "resources" / "manual"
IMAGES = "images"
MAX_IMAGE_WIDTH = 860  # shown at most this wide (the manual window); the file may be larger

STYLE = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 11pt;
       line-height: 1.45; max-width: 62em; margin: 1em auto; padding: 0 1em; color: #1d1d1d; }
h1 { font-size: 20pt; color: #1f4e79; margin: 0.6em 0 0.4em 0; }
h2 { font-size: 15pt; color: #1f4e79; margin: 1.2em 0 0.3em 0; }
h3 { font-size: 12pt; margin: 1em 0 0.2em 0; }
p.nav { font-size: 9.5pt; color: #555555; }
p.figure { text-align: center; margin: 0.8em 0 0.2em 0; }
img { max-width: 100%; height: auto; border: 1px solid #cccccc; }
p.caption { text-align: center; font-size: 9.5pt; color: #444444; margin-top: 0; }
div.note { background-color: #eef4fa; border-left: 4px solid #1f4e79; padding: 0.4em 0.8em;
           margin: 0.8em 0; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; background-color: #f2f2f2; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #bbbbbb; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background-color: #e8eef4; }
""".strip()


class ManualError(Exception):
    """A source the converter does not accept (message names the file and line)."""


@dataclass
class Chapter:
    source: Path
    title: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)  # (anchor, title) of ##
    anchors: set[str] = field(default_factory=set)  # of every ## and ###
    body: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.source.with_suffix(".html").name


# -- inline ------------------------------------------------------------------------------------

_INLINE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*"
    r"|\*(?P<italic>[^*\s][^*]*?)\*"
    r"|`(?P<code>[^`]+)`"
    r"|\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)"
)


def slug(text: str) -> str:
    """A stable anchor: "Sicherung wiederherstellen" → "sicherung-wiederherstellen"."""
    folded = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        folded = folded.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _target(target: str) -> str:
    if re.match(r"^[a-z]+:", target):
        return target
    page, _hash, anchor = target.partition("#")
    if page.endswith(".md"):
        page = page[: -len(".md")] + ".html"
    return page + (f"#{anchor}" if anchor else "")


def inline(text: str, chapter: Chapter) -> str:
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        if match["bold"] is not None:
            out.append(f"<b>{inline(match['bold'], chapter)}</b>")
        elif match["italic"] is not None:
            out.append(f"<i>{inline(match['italic'], chapter)}</i>")
        elif match["code"] is not None:
            out.append(f"<code>{html.escape(match['code'], quote=False)}</code>")
        else:
            target = _target(match["target"])
            chapter.links.append(target)
            out.append(f'<a href="{html.escape(target)}">{inline(match["text"], chapter)}</a>')
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


# -- blocks -----------------------------------------------------------------------------------

_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)$")
_ORDERED = re.compile(r"^\d+\.\s+")
_BULLET = re.compile(r"^[-*]\s+")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (the IHDR chunk, bytes 16–24)."""
    data = path.read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ManualError(f"{path} is not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _figure(match: re.Match[str], chapter: Chapter, images: Path) -> str:
    src, alt = match["src"], match["alt"]
    chapter.images.append(src)
    file = images.parent / src
    # Both sizes: Qt's text browser scales only what the attributes say (a missing picture
    # is reported by check()).
    width, height = png_size(file) if file.is_file() else (MAX_IMAGE_WIDTH, MAX_IMAGE_WIDTH)
    if width > MAX_IMAGE_WIDTH:
        width, height = MAX_IMAGE_WIDTH, round(height * MAX_IMAGE_WIDTH / width)
    caption = inline(alt, chapter)
    return (
        f'<p class="figure"><img src="{html.escape(src)}" alt="{html.escape(alt)}" '
        f'width="{width}" height="{height}"></p>\n<p class="caption">{caption}</p>'
    )


def _table(rows: list[str], chapter: Chapter, where: str) -> str:
    cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    if len(cells) < 2 or not all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells[1]):
        raise ManualError(f"{where}: a table needs a |---| line under its header")
    head = "".join(f"<th>{inline(cell, chapter)}</th>" for cell in cells[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{inline(cell, chapter)}</td>" for cell in row) + "</tr>\n"
        for row in cells[2:]
    )
    return f'<table cellspacing="0" cellpadding="4">\n<tr>{head}</tr>\n{body}</table>'


def _list(items: list[str], ordered: bool, chapter: Chapter) -> str:
    tag = "ol" if ordered else "ul"
    entries = "".join(f"<li>{inline(item, chapter)}</li>\n" for item in items)
    return f"<{tag}>\n{entries}</{tag}>"


def convert(source: Path, images: Path) -> Chapter:
    """One chapter's body HTML, title, sections, pictures and links."""
    chapter = Chapter(source)
    lines = source.read_text(encoding="utf-8").splitlines()
    index = 0

    def where(number: int) -> str:
        return f"{source.name}:{number + 1}"

    while index < len(lines):
        line = lines[index].rstrip()
        if not line.strip():
            index += 1
            continue
        if line.startswith(("<", "```", "    ", "\t")):
            raise ManualError(
                f"{where(index)}: raw HTML, code blocks and indented text are not supported"
            )
        heading = re.match(r"^(#{1,3})\s+(.+)$", line)
        if heading:
            level, text = len(heading[1]), heading[2].strip()
            if level == 1:
                if chapter.title:
                    raise ManualError(f"{where(index)}: only one # title per chapter")
                chapter.title = text
                chapter.body.append(f"<h1>{inline(text, chapter)}</h1>")
            else:
                anchor = slug(text)
                chapter.anchors.add(anchor)
                if level == 2:
                    chapter.sections.append((anchor, text))
                chapter.body.append(
                    f'<h{level} id="{anchor}"><a name="{anchor}"></a>{inline(text, chapter)}'
                    f"</h{level}>"
                )
            index += 1
            continue
        if line.startswith("|"):
            rows = []
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(lines[index])
                index += 1
            chapter.body.append(_table(rows, chapter, where(index - len(rows))))
            continue
        if line.startswith(">"):
            quoted = []
            while index < len(lines) and lines[index].startswith(">"):
                quoted.append(lines[index][1:].strip())
                index += 1
            chapter.body.append(f'<div class="note">{inline(" ".join(quoted), chapter)}</div>')
            continue
        ordered = bool(_ORDERED.match(line))
        if ordered or _BULLET.match(line):
            marker = _ORDERED if ordered else _BULLET
            items: list[str] = []
            while index < len(lines):
                current = lines[index].rstrip()
                if marker.match(current):
                    items.append(marker.sub("", current, count=1))
                elif current.startswith("  ") and current.strip() and items:
                    if _BULLET.match(current.strip()) or _ORDERED.match(current.strip()):
                        raise ManualError(f"{where(index)}: nested lists are not supported")
                    items[-1] += " " + current.strip()
                else:
                    break
                index += 1
            chapter.body.append(_list(items, ordered, chapter))
            continue
        paragraph = []
        while index < len(lines) and lines[index].strip():
            current = lines[index].rstrip()
            if (
                current.startswith(("#", "|", ">"))
                or _BULLET.match(current)
                or _ORDERED.match(current)
            ):
                break
            paragraph.append(current.strip())
            index += 1
        text = " ".join(paragraph)
        figure = _IMAGE.match(text)
        if figure:
            chapter.body.append(_figure(figure, chapter, images))
        elif "![" in text:
            raise ManualError(f"{where(index - 1)}: a picture must stand in a paragraph of its own")
        else:
            chapter.body.append(f"<p>{inline(text, chapter)}</p>")
    if not chapter.title:
        raise ManualError(f"{source.name}: the chapter has no # title")
    return chapter


# -- pages ------------------------------------------------------------------------------------


def _page(title: str, body: list[str], navigation: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)} – Treffpunkt-Handbuch</title>\n"
        f"<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        f"{navigation}\n" + "\n".join(body) + f"\n{navigation}\n</body>\n</html>\n"
    )


def _navigation(chapters: list[Chapter], number: int) -> str:
    parts = ['<a href="index.html">Inhalt</a>']
    if number > 1:
        before = chapters[number - 1]
        parts.append(f'<a href="{before.file}">← {html.escape(before.title)}</a>')
    if number + 1 < len(chapters):
        after = chapters[number + 1]
        parts.append(f'<a href="{after.file}">{html.escape(after.title)} →</a>')
    return f'<p class="nav">{" · ".join(parts)}</p>'


def _contents(chapters: list[Chapter]) -> list[str]:
    lines = ["<h2>Inhalt</h2>", "<ol>"]
    for chapter in chapters[1:]:
        sections = "".join(
            f'<li><a href="{chapter.file}#{anchor}">{html.escape(title)}</a></li>'
            for anchor, title in chapter.sections
        )
        lines.append(
            f'<li><a href="{chapter.file}">{html.escape(chapter.title)}</a>'
            + (f"<ul>{sections}</ul>" if sections else "")
            + "</li>"
        )
    lines.append("</ol>")
    return lines


def build(sources: Path = SOURCES, output: Path = OUTPUT) -> dict[str, str]:
    """Every output file (name → text), without writing anything."""
    images = output / IMAGES
    files = sorted(path for path in sources.glob("*.md"))
    start = sources / "index.md"
    if start not in files:
        raise ManualError(f"{start} is missing")
    files.remove(start)
    chapters = [convert(start, images)] + [convert(path, images) for path in files]
    pages: dict[str, str] = {}
    for number, chapter in enumerate(chapters):
        body = list(chapter.body)
        if number == 0:
            body += _contents(chapters)
            navigation = ""
        else:
            navigation = _navigation(chapters, number)
        pages[chapter.file] = _page(chapter.title, body, navigation)
    contents = [{"file": chapter.file, "title": chapter.title} for chapter in chapters]
    pages["contents.json"] = json.dumps(contents, ensure_ascii=False, indent=2) + "\n"
    problems = check(chapters, output, set(pages))
    if problems:
        raise ManualError("\n".join(problems))
    return pages


def check(chapters: list[Chapter], output: Path, built: set[str]) -> list[str]:
    """Missing pictures, broken links, and pictures no chapter shows."""
    problems = []
    shown = set()
    anchors = {chapter.file: chapter.anchors for chapter in chapters}
    for chapter in chapters:
        for image in chapter.images:
            shown.add(image)
            if not (output / image).is_file():
                problems.append(f"{chapter.source.name}: the picture {image} is missing")
        for link in chapter.links:
            if re.match(r"^[a-z]+:", link):
                continue
            page, _hash, anchor = link.partition("#")
            page = page or chapter.file
            if page not in built:
                problems.append(f"{chapter.source.name}: the link {link} leads nowhere")
            elif anchor and anchor not in anchors.get(page, set()):
                problems.append(f"{chapter.source.name}: the link {link} has no such section")
    for picture in sorted((output / IMAGES).glob("*.png")):
        if f"{IMAGES}/{picture.name}" not in shown:
            problems.append(f"{IMAGES}/{picture.name} is shown in no chapter")
    return problems


def stale_files(output: Path = OUTPUT, sources: Path = SOURCES) -> list[str]:
    """Output files that differ from a fresh build (or are missing, or left over)."""
    pages = build(sources, output)
    stale = [name for name, text in pages.items() if _read(output / name) != text]
    present = (
        {path.name for path in output.iterdir() if path.is_file()} if output.is_dir() else set()
    )
    stale += sorted(present - set(pages))
    return stale


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def main(argv: list[str]) -> int:
    try:
        if "--check" in argv:
            stale = stale_files()
            for name in stale:
                print(f"out of date: resources/manual/{name}")
            return 1 if stale else 0
        pages = build()
    except ManualError as error:
        print(error, file=sys.stderr)
        return 1
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for leftover in OUTPUT.glob("*.html"):
        if leftover.name not in pages:
            leftover.unlink()
    for name, text in pages.items():
        (OUTPUT / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"{len(pages)} files written to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
