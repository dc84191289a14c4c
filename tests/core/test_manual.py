"""The user guide: built from docs/handbuch, current, every picture and link present, small."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from app import paths

ROOT = Path(__file__).resolve().parents[2]
MAX_PICTURE_BYTES = 160_000


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_manual", ROOT / "scripts" / "build_manual.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_manual"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_builder()


def test_the_committed_guide_is_what_the_sources_give(builder: ModuleType) -> None:
    assert paths.manual_dir() == builder.OUTPUT
    assert builder.stale_files() == [], "run scripts/build_manual.py"


def test_every_chapter_picture_and_link_is_there(builder: ModuleType) -> None:
    pages = builder.build()  # raises ManualError on a missing picture or a broken link
    contents = json.loads(pages["contents.json"])
    assert contents[0]["file"] == "index.html"
    assert len(contents) >= 10
    for entry in contents:
        assert (paths.manual_dir() / entry["file"]).is_file()
    text = " ".join(pages.values())
    for topic in ("Einrichtungsassistent", "Türmodus", "Protokoll", "Sicherung", "STARTTLS"):
        assert topic in text


def test_pictures_are_small_pngs(builder: ModuleType) -> None:
    pictures = sorted((paths.manual_dir() / "images").glob("*.png"))
    assert len(pictures) >= 15
    for picture in pictures:
        assert picture.stat().st_size <= MAX_PICTURE_BYTES, picture.name
        width, height = builder.png_size(picture)
        assert 300 <= width <= 1000, picture.name
        assert height > 200, picture.name


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_conversion_of_the_supported_markdown(builder: ModuleType, tmp_path: Path) -> None:
    sources, output = tmp_path / "src", tmp_path / "out"
    (output / "images").mkdir(parents=True)
    (output / "images" / "a.png").write_bytes(
        (paths.manual_dir() / "images" / "netzwerk.png").read_bytes()
    )
    write(sources, "index.md", "# Start\n\nHallo **Welt** & <Freunde>.\n")
    write(
        sources,
        "01-a.md",
        "# Kapitel A\n\n## Teil eins\n\n- erster Punkt\n  geht weiter\n- *zweiter*\n\n"
        "1. eins\n2. zwei\n\n> Hinweis mit `code`\n\n![Bild A](images/a.png)\n\n"
        "| Kopf | B |\n|---|---|\n| x | [zurück](index.md) |\n\nSiehe [Teil](01-a.md#teil-eins).\n",
    )
    pages = builder.build(sources, output)
    start, chapter = pages["index.html"], pages["01-a.html"]
    assert "Hallo <b>Welt</b> &amp; &lt;Freunde&gt;." in start
    assert '<a href="01-a.html#teil-eins">Teil eins</a>' in start  # the contents
    assert "<li>erster Punkt geht weiter</li>" in chapter
    assert "<li><i>zweiter</i></li>" in chapter
    assert "<ol>" in chapter
    assert '<div class="note">Hinweis mit <code>code</code></div>' in chapter
    assert 'src="images/a.png"' in chapter
    assert 'width="860"' in chapter
    assert '<td><a href="index.html">zurück</a></td>' in chapter
    assert 'id="teil-eins"' in chapter
    assert json.loads(pages["contents.json"])[1] == {"file": "01-a.html", "title": "Kapitel A"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# A\n\n<b>roh</b>\n", "raw HTML"),
        ("# A\n\n![fehlt](images/fehlt.png)\n", "picture images/fehlt.png is missing"),
        ("# A\n\n[weg](02-weg.md)\n", "leads nowhere"),
        ("# A\n\n[weg](index.md#nirgends)\n", "no such section"),
        ("# A\n\n- a\n  - b\n", "nested lists"),
        ("Text ohne Titel\n", "no # title"),
    ],
)
def test_what_the_converter_refuses(
    builder: ModuleType, tmp_path: Path, text: str, problem: str
) -> None:
    sources, output = tmp_path / "src", tmp_path / "out"
    (output / "images").mkdir(parents=True)
    write(sources, "index.md", "# Start\n")
    write(sources, "01-a.md", text)
    with pytest.raises(builder.ManualError, match=problem):
        builder.build(sources, output)
