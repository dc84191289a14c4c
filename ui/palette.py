"""Every colour of the window in one place, derived from the application's palette.

Widgets never name a colour: they ask for a *tone* (what the colour means: given, refused,
caution …) and get a shade that reads on the current palette — a darker one on a light
theme, a lighter one on a dark theme. With the system's high-contrast setting (or a palette
whose text and background are already at full contrast) the tones fall back to the
palette's own text and highlight colours: the meaning is then carried by the words (every
coloured text in the window also says what it means) and by bold type, never by a hue the
user's theme did not choose.

- ``colour(tone)``: a ``QColor`` for models (``ForegroundRole`` / ``BackgroundRole``).
- ``set_tone(widget, tone, bold=False)``: a label's text colour; follows palette changes.
- ``banner_style(tone)`` / ``toggle_style()``: style sheets for the few coloured surfaces.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget


class Tone(enum.Enum):
    """What a colour says."""

    POSITIVE = "positive"  # given, accepted, saved, checked in
    NEGATIVE = "negative"  # withdrawn, declined, failed, overdue, an error
    CAUTION = "caution"  # tentative, saving, a hint to look at
    MUTED = "muted"  # unknown, archived, not mapped
    NOTICE_BACKGROUND = "notice_background"  # a banner asking for a decision
    ERROR_BACKGROUND = "error_background"  # a row or banner that is refused
    SERIES_1 = "series_1"  # chart series
    SERIES_2 = "series_2"
    SERIES_3 = "series_3"


# (on a light background, on a dark background); each passes WCAG AA (4.5:1) as text on
# white resp. on #2b2b2b, or is a background under the palette's own text colour.
_SHADES: dict[Tone, tuple[str, str]] = {
    Tone.POSITIVE: ("#1b6e20", "#81c784"),
    Tone.NEGATIVE: ("#b00020", "#ff8a80"),
    Tone.CAUTION: ("#8a5300", "#ffcc80"),
    Tone.NOTICE_BACKGROUND: ("#fff3cd", "#4d3d00"),
    Tone.ERROR_BACKGROUND: ("#fde7e7", "#5c1a1a"),
    Tone.SERIES_1: ("#1565c0", "#64b5f6"),
    Tone.SERIES_2: ("#e07b00", "#ffb74d"),
    Tone.SERIES_3: ("#6a1b9a", "#ce93d8"),
}
_BACKGROUNDS = (Tone.NOTICE_BACKGROUND, Tone.ERROR_BACKGROUND)


def _palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is dark (a dark theme)."""
    palette = palette or _palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 … 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def high_contrast(palette: QPalette | None = None) -> bool:
    """The user asked for high contrast (system setting), or the palette is one already
    (black on white or white on black, as the high-contrast themes of Windows are)."""
    hints = QGuiApplication.styleHints()
    accessibility = hints.accessibility() if hints is not None else None
    if (
        accessibility is not None
        and accessibility.contrastPreference() == Qt.ContrastPreference.HighContrast
    ):
        return True
    palette = palette or _palette()
    return (
        contrast(palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Text))
        >= 19.0
    )


_computed: dict[tuple[Tone, int], QColor] = {}


def colour(tone: Tone, palette: QPalette | None = None) -> QColor:
    """The shade of *tone* for *palette* (default: the application's). Cheap enough for a
    model's ``data()``: computed once per palette."""
    palette = palette or _palette()
    key = (tone, palette.cacheKey())
    found = _computed.get(key)
    if found is None:
        if len(_computed) > 200:  # palettes come and go (tests, theme switches)
            _computed.clear()
        found = _computed[key] = _compute(tone, palette)
    return QColor(found)


def _compute(tone: Tone, palette: QPalette) -> QColor:
    text = palette.color(QPalette.ColorRole.WindowText)
    if tone is Tone.MUTED:
        if high_contrast(palette):
            return text
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if high_contrast(palette):
        # The theme's own colours only; the words say what the tone meant.
        return palette.color(QPalette.ColorRole.Base) if tone in _BACKGROUNDS else text
    light_shade, dark_shade = _SHADES[tone]
    return QColor(dark_shade if is_dark(palette) else light_shade)


# Palette roles for HTML shown in the window (the read-only minutes' tables).
ROLE_MID = QPalette.ColorRole.Mid  # table rules
ROLE_HEADER = QPalette.ColorRole.AlternateBase  # table header rows


def role_css(role: QPalette.ColorRole) -> str:
    """A palette role of the application as a colour for HTML or style sheets."""
    return _palette().color(role).name()


def css(tone: Tone) -> str:
    """*tone* as a style-sheet colour ("#rrggbb")."""
    return colour(tone).name()


# -- widgets -----------------------------------------------------------------------------------


class _ToneKeeper(QObject):
    """Applies a widget's tone again when the application palette changes."""

    def __init__(self, widget: QWidget, tone: Tone, bold: bool) -> None:
        super().__init__(widget)
        self.tone = tone
        self.bold = bold
        widget.installEventFilter(self)

    def apply(self, widget: QWidget) -> None:
        widget.setStyleSheet(tone_style(self.tone, bold=self.bold))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        changed = (QEvent.Type.ApplicationPaletteChange, QEvent.Type.ThemeChange)
        if event.type() in changed and isinstance(watched, QWidget):
            self.apply(watched)
        return super().eventFilter(watched, event)


def tone_style(tone: Tone | None, *, bold: bool = False) -> str:
    if tone is None:
        return "font-weight: bold;" if bold else ""
    weight = " font-weight: bold;" if bold or high_contrast() else ""
    return f"color: {css(tone)};{weight}"


def set_tone(widget: QWidget, tone: Tone | None, *, bold: bool = False) -> None:
    """Colour *widget*'s text by *tone* (None: the palette's own text colour again)."""
    keeper = widget.findChild(_ToneKeeper, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if tone is None:
        if keeper is not None:
            keeper.deleteLater()
            keeper.setParent(None)
        widget.setStyleSheet(tone_style(None, bold=bold))
        return
    if keeper is None:
        keeper = _ToneKeeper(widget, tone, bold)
    keeper.tone, keeper.bold = tone, bold
    keeper.apply(widget)


def banner_style(tone: Tone, selector: str = "") -> str:
    """A coloured surface (a message banner) with the palette's text colour on it, or, for
    POSITIVE / NEGATIVE, white-on-colour as a status flash."""
    palette = _palette()
    if tone in _BACKGROUNDS:
        background = css(tone)
        text = palette.color(QPalette.ColorRole.WindowText).name()
    elif high_contrast(palette):
        background = palette.color(QPalette.ColorRole.Highlight).name()
        text = palette.color(QPalette.ColorRole.HighlightedText).name()
    else:
        # The light-theme shade: dark enough for white text on either theme.
        background = _SHADES.get(tone, _SHADES[Tone.NEGATIVE])[0]
        text = "#ffffff"
    rule = f"background: {background}; color: {text}; border-radius: 6px; padding: 8px;"
    return f"{selector} {{ {rule} }}" if selector else rule


def toggle_style() -> str:
    """Checked toggle buttons in the palette's highlight; a *suggested* one (property
    ``suggested``: an answer on file, not yet confirmed) with a dashed frame instead."""
    palette = _palette()
    highlight = palette.color(QPalette.ColorRole.Highlight).name()
    highlighted_text = palette.color(QPalette.ColorRole.HighlightedText).name()
    text = palette.color(QPalette.ColorRole.ButtonText).name()
    return (
        f"QPushButton:checked {{ background: {highlight}; color: {highlighted_text}; "
        "font-weight: bold; }"
        f'QPushButton[suggested="true"]:checked {{ background: transparent; color: {text}; '
        f"border: 3px dashed {highlight}; border-radius: 4px; }}"
    )
