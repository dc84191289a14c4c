"""The window's language: our gettext catalogue plus Qt's own ``qtbase`` strings.

Qt's standard dialogs (file dialog, message box buttons) translate themselves through a
``QTranslator``; without ``qtbase_de`` they would stay English in a German window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app import i18n

LANGUAGE_CHOICES = ("system", "de", "en")

_qt_translator: QTranslator | None = None


def resolve_language(preference: str | None) -> str:
    """ "system" → the language of Qt's system locale (more reliable on Windows than the
    environment variables), falling back to ``i18n.system_language``."""
    if preference in i18n.SUPPORTED_LANGUAGES:
        return str(preference)
    from_qt = i18n.language_from_locale_name(QLocale.system().name())
    return from_qt or i18n.system_language()


def apply_language(preference: str | None) -> str:
    """Switch gettext and Qt's translator to the preferred language; returns "de" or "en"."""
    global _qt_translator
    language = i18n.set_language(resolve_language(preference))
    app = QCoreApplication.instance()
    if app is None:
        return language
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    translator = QTranslator(app)
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", directory):
        app.installTranslator(translator)
        _qt_translator = translator
    # Number and date formats of Qt widgets (spin boxes, calendars) follow the same language.
    QLocale.setDefault(QLocale(i18n.babel_locale()))
    return language
