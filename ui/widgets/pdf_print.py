"""Printing a finished PDF through Qt: QtPdf (the small ``PySide6-Pdf`` wheel) rasterises each
page, the printer gets it scaled to its page. One PDF is the single source of truth, so the
paper and the saved file never differ.

Pages are rendered at ``PRINT_DPI`` whatever the printer claims (1200 dpi would make a
500 MB image per page); 300 dpi is what a signature list needs.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrinter

PRINT_DPI = 300


def pdf_available() -> bool:
    try:
        import PySide6.QtPdf  # noqa: F401
    except ImportError:
        return False
    return True


class PdfPrintError(Exception):
    """The PDF could not be read back for printing (should not happen with our own PDFs)."""


def _open(data: bytes) -> tuple[object, QBuffer]:
    from PySide6.QtPdf import QPdfDocument

    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise PdfPrintError(str(document.error()))
    return document, buffer  # the buffer must live as long as the document


def prepare_printer(data: bytes, printer: QPrinter) -> None:
    """Turn the printer to the PDF's orientation (the sign-in sheet is landscape)."""
    document, _buffer = _open(data)
    size = document.pagePointSize(0)  # type: ignore[attr-defined]
    landscape = size.width() > size.height()
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Draw every page of the PDF *data* onto *printer*; returns the number of pages."""
    document, _buffer = _open(data)
    pages: int = document.pageCount()  # type: ignore[attr-defined]
    painter = QPainter()
    if not painter.begin(printer):
        raise PdfPrintError("the printer could not be opened")
    try:
        for page in range(pages):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)  # type: ignore[attr-defined]
            pixels = QSize(
                round(points.width() * PRINT_DPI / 72), round(points.height() * PRINT_DPI / 72)
            )
            image = document.render(page, pixels)  # type: ignore[attr-defined]
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.x(), target.y(), scaled.width(), scaled.height()), image)
    finally:
        painter.end()
    return pages
