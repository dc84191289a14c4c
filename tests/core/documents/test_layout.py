"""Fitting plain text into fixed table cells: wrap, shrink, break long words, cut with "…"."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents import fonts
from app.documents.layout import ELLIPSIS, fit_text

STEPS = ((9.0, 1), (8.0, 2), (7.0, 3))
WIDTH = 150.0


def setup_module() -> None:
    fonts.register_fonts()


def fits(fitted_text: str, size: float, width: float = WIDTH) -> bool:
    return all(stringWidth(line, fonts.REGULAR, size) <= width for line in fitted_text.split("\n"))


def test_short_text_stays_on_one_line_at_full_size() -> None:
    fitted = fit_text("Jürgen Müller", WIDTH, steps=STEPS)
    assert (fitted.text, fitted.size, fitted.truncated) == ("Jürgen Müller", 9.0, False)


def test_long_text_wraps_at_a_smaller_size() -> None:
    text = "Koordination Ehrenamt und Nachbarschaftsarbeit im Quartier"
    fitted = fit_text(text, WIDTH, steps=STEPS)
    assert fitted.size < 9.0
    assert len(fitted.lines) > 1
    assert " ".join(fitted.lines) == text
    assert fits(fitted.text, fitted.size)
    assert not fitted.truncated


def test_a_word_wider_than_the_cell_is_broken_between_characters() -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrente"
    fitted = fit_text(word, WIDTH, steps=STEPS)
    assert "".join(fitted.lines) == word
    assert fits(fitted.text, fitted.size)


def test_text_too_long_for_every_step_is_cut_with_an_ellipsis() -> None:
    text = " ".join(["Nachbarschaftsarbeit"] * 20)
    fitted = fit_text(text, WIDTH, steps=STEPS)
    assert fitted.truncated
    assert fitted.size == 7.0
    assert len(fitted.lines) == 3
    assert fitted.lines[-1].endswith(ELLIPSIS)
    assert fits(fitted.text, fitted.size)


def test_explicit_line_breaks_are_kept() -> None:
    fitted = fit_text("Zeile eins\nZeile zwei", WIDTH, steps=STEPS)
    assert fitted.lines == ["Zeile eins", "Zeile zwei"]
    assert fitted.size == 8.0


def test_bold_font_is_measured_as_bold() -> None:
    text = "Foto-Einwilligung"
    width = stringWidth(text, fonts.REGULAR, 9) + 1  # fits in regular, not in bold
    assert fit_text(text, width, steps=STEPS).size == 9
    assert fit_text(text, width, font=fonts.BOLD, steps=STEPS).size < 9


def test_long_hyphenated_names_break_after_a_hyphen() -> None:
    name = "Hohenzollern-Sigmaringen-Brandenburg-Schwerin"
    fitted = fit_text(name, 120, steps=STEPS)
    assert "".join(fitted.lines) == name
    assert all(line.endswith("-") for line in fitted.lines[:-1])
    assert fits(fitted.text, fitted.size, 120)


def test_abbreviations_stay_with_their_word() -> None:
    text = "Syrisch-Deutscher Freundeskreis Krefeld e. V."
    width = stringWidth("Syrisch-Deutscher Freundeskreis Krefeld", fonts.REGULAR, 8) + 2
    fitted = fit_text(text, width, steps=STEPS)
    assert "e. V." in fitted.lines[-1]
    assert not any(line.endswith("e.") for line in fitted.lines)
    assert " ".join(fitted.lines) == text


def test_a_long_word_shrinks_a_little_rather_than_break() -> None:
    word = "Kreisgruppengeschäftsführer"
    width = stringWidth(word, fonts.REGULAR, 6.5) + 1  # fits only below the last step (7 pt)
    fitted = fit_text(word, width, steps=STEPS)
    assert fitted.lines == [word]
    assert 5.5 <= fitted.size < 7.0
    assert not fitted.truncated


def test_cut_only_after_a_whole_word() -> None:
    text = " ".join(["Quartiersarbeit", "Nachbarschaft", "Begegnung"] * 10)
    fitted = fit_text(text, WIDTH, steps=STEPS)
    assert fitted.truncated
    last = fitted.lines[-1].removesuffix(ELLIPSIS)
    assert all(word in ("Quartiersarbeit", "Nachbarschaft", "Begegnung") for word in last.split())
