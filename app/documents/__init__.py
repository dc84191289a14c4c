"""PDF documents (ReportLab, no Qt): fonts, safe text, the shared renderer base, and documents.

Each document is a frozen snapshot built from the database first and a renderer over that
snapshot second (``signin_snapshot`` + ``signin``). This package imports nothing on purpose:
rendering a snapshot must not pay for importing the database layer.
"""
