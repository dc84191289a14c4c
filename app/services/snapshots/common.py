"""Plain data shared by the snapshots of several documents."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """PDF metadata: shown by viewers, searched by file indexers, read by screen readers."""

    title: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = ""  # BCP 47 tag for /Lang; empty: the current UI language
