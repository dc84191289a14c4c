"""The version resource of the Windows executables (Explorer ▸ Properties ▸ Details).

Built from ``app.__version__`` by ``packaging/treffpunkt.spec`` instead of a hand-kept text
file, so the numbers never drift. Pure Python (PyInstaller's own structures): tested on Linux.
"""

from __future__ import annotations

import re

from PyInstaller.utils.win32.versioninfo import (
    FixedFileInfo,
    StringFileInfo,
    StringStruct,
    StringTable,
    VarFileInfo,
    VarStruct,
    VSVersionInfo,
)

# German (Germany), Unicode: the language the program speaks first.
LANGUAGE_ID = 0x0407
CODEPAGE = 1200


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """ "0.1.0" → (0, 1, 0, 0); "1.2.3rc1" → (1, 2, 3, 0): Windows wants four numbers."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def version_info(version: str, *, executable: str) -> VSVersionInfo:
    numbers = numeric_version(version)
    strings = [
        StringStruct("CompanyName", "Treffpunkt"),
        StringStruct("FileDescription", "Treffpunkt – Netzwerktreffen"),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", executable),
        StringStruct("OriginalFilename", f"{executable}.exe"),
        StringStruct("ProductName", "Treffpunkt"),
        StringStruct("ProductVersion", version),
        StringStruct("LegalCopyright", "MIT License"),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            StringFileInfo([StringTable(f"{LANGUAGE_ID:04x}{CODEPAGE:04x}", strings)]),
            VarFileInfo([VarStruct("Translation", [LANGUAGE_ID, CODEPAGE])]),
        ],
    )
