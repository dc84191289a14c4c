"""The notes' markup: paragraphs, bullet lists, bold; never fails, literal when not markup."""

from __future__ import annotations

import unicodedata

import pytest

from app.services.minutes.markup import (
    BulletList,
    Paragraph,
    Run,
    blocks_text,
    clean_notes,
    parse_inline,
    parse_notes,
)


def test_paragraphs_bullets_and_bold() -> None:
    text = (
        "Sabine Krüger begrüßt die **Anwesenden**.\n"
        "Zweite Zeile.\n"
        "\n"
        "Ergebnisse:\n"
        "- Aufbau von **Quartiersbüros**\n"
        "- Nutzung öffentlicher Räume\n"
        "\n\n"
        "Schluss."
    )
    assert parse_notes(text) == [
        Paragraph(
            (
                Run("Sabine Krüger begrüßt die "),
                Run("Anwesenden", True),
                Run(".\nZweite Zeile."),
            )
        ),
        Paragraph((Run("Ergebnisse:"),)),
        BulletList(
            (
                (Run("Aufbau von "), Run("Quartiersbüros", True)),
                (Run("Nutzung öffentlicher Räume"),),
            )
        ),
        Paragraph((Run("Schluss."),)),
    ]


def test_a_list_ends_at_a_plain_line_and_a_paragraph_at_a_bullet() -> None:
    blocks = parse_notes("Text\n- eins\n- zwei\nweiter")
    assert [type(b) for b in blocks] == [Paragraph, BulletList, Paragraph]
    assert blocks[1].texts == ("eins", "zwei")  # type: ignore[union-attr]


@pytest.mark.parametrize("marker", ["- ", "* ", "• ", "– ", "-\t", "  - "])
def test_bullet_markers_from_typing_and_from_word(marker: str) -> None:
    assert parse_notes(f"{marker}Punkt") == [BulletList(((Run("Punkt"),),))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**offen", (Run("**offen"),)),
        ("a ** b", (Run("a ** b"),)),
        ("****", (Run("****"),)),
        ("** **", (Run("** **"),)),
        ("**a** und **b", (Run("a", True), Run(" und **b"))),
        ("x **a**b**", (Run("x "), Run("a", True), Run("b**"))),
        ("**** **fett**", (Run("**** "), Run("fett", True))),
        ("-", (Run("-"),)),
        ("--", (Run("--"),)),
        ("-Bindestrich", (Run("-Bindestrich"),)),
    ],
)
def test_what_is_not_markup_stays_literal(text: str, expected: tuple[Run, ...]) -> None:
    assert parse_notes(text) == [Paragraph(expected)]


def test_bold_may_span_the_lines_of_a_paragraph_but_not_paragraphs() -> None:
    assert parse_notes("**eins\nzwei**") == [Paragraph((Run("eins\nzwei", True),))]
    assert parse_notes("**eins\n\nzwei**") == [
        Paragraph((Run("**eins"),)),
        Paragraph((Run("zwei**"),)),
    ]


def test_markup_like_text_is_kept_for_the_renderer_to_escape() -> None:
    text = "<b>Anna</b> & <img src='/etc/passwd'> Müller & Söhne <GmbH>"
    assert parse_notes(text) == [Paragraph((Run(text),))]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\n\n",
        "\x00\x01\x02",
        "*",
        "**",
        "- ",
        "-  ",
        "\t- x",
        "\r\n- a\r- b",
        "\u2028",
        "🙂" * 1000,
        "**" * 501,
        "- **",
        "a\x0bb",
        "ا**ل**عربية",
    ],
)
def test_any_input_parses(text: str) -> None:
    blocks = parse_notes(text)
    for block in blocks:
        runs = (
            block.runs
            if isinstance(block, Paragraph)
            else tuple(run for item in block.items for run in item)
        )
        assert runs, "no empty blocks"
        assert all(run.text for run in runs), "no empty runs"
        assert all("\x00" not in run.text and "\r" not in run.text for run in runs)


def test_control_characters_and_line_ends_are_cleaned_and_text_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Grüße")
    assert clean_notes(f"{decomposed}\r\nzwei\rdrei\x00\tvier ") == "Grüße\nzwei\ndrei vier "
    assert parse_notes(decomposed)[0].text == "Grüße"  # type: ignore[union-attr]
    # Word's manual line break (vertical tab) is a line break.
    assert parse_notes("a\x0b- b") == [Paragraph((Run("a"),)), BulletList(((Run("b"),),))]


def test_adjacent_runs_of_the_same_style_are_merged() -> None:
    assert parse_inline("**a****b**") == (Run("ab", True),)


def test_blocks_text_is_the_plain_content() -> None:
    blocks = parse_notes("**Hallo** Welt\n\n- eins\n- **zwei**")
    assert blocks_text(blocks) == "Hallo Welt\n\n- eins\n- zwei"
