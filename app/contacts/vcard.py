"""vCard 2.1, 3.0 and 4.0 (RFC 2425/2426/6350) reading, and vCard 4.0 writing.

Hand-written because vobject fails on what Outlook writes: vCard 2.1 quoted-printable values
whose lines end in "=" soft breaks, with a CHARSET per property.

The parser works on bytes seen through Latin-1 (a lossless byte ↔ character mapping), so each
property value can be decoded with its own CHARSET after quoted-printable decoding.
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# RFC 6350 3.2: lines SHOULD NOT be longer than 75 octets, excluding the line break.
FOLD_OCTETS = 75


class VCardSyntaxError(ValueError):
    """The data is not a complete vCard file; ``args[0]`` says why (English, for logs).

    ``card`` is the 1-based number of the card concerned, or 0 for the file as a whole.
    """

    def __init__(self, reason: str, card: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.card = card


@dataclass(frozen=True, slots=True)
class VCardProperty:
    name: str  # upper case, without a group prefix ("item1.EMAIL" → "EMAIL")
    params: dict[str, tuple[str, ...]]  # upper-case keys; vCard 2.1 bare types under "TYPE"
    value: str  # decoded characters, still with vCard escapes (\, \; \n)

    @property
    def types(self) -> frozenset[str]:
        # vCard 4.0 writers also quote the list: TYPE="voice,work".
        return frozenset(
            t.strip().lower() for value in self.params.get("TYPE", ()) for t in value.split(",")
        )

    @property
    def pref(self) -> int:
        """Preference: 1 is most preferred (vCard 4.0 PREF=1, older TYPE=pref), 100 none."""
        for value in self.params.get("PREF", ()):
            if value.isdigit():
                return int(value)
        return 1 if "pref" in self.types else 100


@dataclass(frozen=True, slots=True)
class VCard:
    number: int  # 1-based position in the file, what the user is told about
    version: str
    properties: tuple[VCardProperty, ...] = field(default=())

    def all(self, name: str) -> list[VCardProperty]:
        return [prop for prop in self.properties if prop.name == name]

    def first(self, name: str) -> VCardProperty | None:
        found = self.all(name)
        return found[0] if found else None


# -- reading ----------------------------------------------------------------------------------


def detect_charset(data: bytes) -> str:
    """The file's main charset, for information: UTF-8 when the unfolded text is valid UTF-8.

    Unfolded, because writers that fold after 75 octets may cut a UTF-8 character in two.
    Each value is still decoded on its own (see _decode_value).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    text = "\n".join(_logical_lines(data.decode("latin-1")))
    try:
        text.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


@dataclass(frozen=True, slots=True)
class BrokenCard:
    """A card that could not be read; the cards around it still are."""

    number: int  # 1-based position in the file, counted like VCard.number
    name: str  # its FN, "" when it had none before it broke off
    cut_off: bool  # True: the file ends inside it; False: the next card began first


@dataclass(frozen=True, slots=True)
class VCardFile:
    cards: tuple[VCard, ...]
    broken: tuple[BrokenCard, ...]


def parse_vcards(data: bytes) -> list[VCard]:
    """Every card in *data*; raises VCardSyntaxError for non-vCard data or a broken card."""
    parsed = read_vcards(data)
    if parsed.broken:
        raise VCardSyntaxError("BEGIN:VCARD without END:VCARD", parsed.broken[0].number)
    return list(parsed.cards)


def read_vcards(data: bytes) -> VCardFile:
    """The readable cards of *data* and the broken ones (a card without END:VCARD).

    A BEGIN:VCARD inside a card starts the next card (the one before lacked its END) unless it
    follows an empty AGENT property: vCard 2.1 nests the agent's card there. Raises
    VCardSyntaxError for data that is no vCard at all, and when not one card is complete.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            if encoding != "utf-8":  # UTF-16 files: re-encode, values then are UTF-8
                data = data.decode(encoding, errors="replace").encode("utf-8")
            break
    text = data.decode("latin-1")
    cards: list[VCard] = []
    broken: list[BrokenCard] = []
    current: list[VCardProperty] | None = None
    depth = 0  # vCard 2.1 AGENT may nest a whole card; its properties are not the person's
    started = 0  # cards begun so far: the number of the current one
    version = ""
    agent_follows = False  # the last property was an empty AGENT: a nested card may follow

    def broke_off(*, cut_off: bool) -> None:
        assert current is not None
        name = next((p.value for p in current if p.name == "FN"), "")
        broken.append(BrokenCard(started, unescape(name).strip(), cut_off))

    for line in _logical_lines(text):
        name, params, raw_value = _split_content_line(line)
        if name is None:
            if current is None and line.strip():
                raise VCardSyntaxError("text outside BEGIN:VCARD … END:VCARD", started + 1)
            continue  # e.g. a base64 continuation of a 2.1 PHOTO
        upper_value = raw_value.strip().upper()
        if name == "BEGIN" and upper_value == "VCARD":
            if current is not None and (depth > 1 or agent_follows):
                depth += 1
            else:
                if current is not None:  # the card before never ended
                    broke_off(cut_off=False)
                started += 1
                current, version, depth = [], "", 1
            agent_follows = False
            continue
        if current is None:
            raise VCardSyntaxError("text outside BEGIN:VCARD … END:VCARD", started + 1)
        if name == "END" and upper_value == "VCARD":
            depth -= 1
            if depth == 0:
                cards.append(VCard(started, version or "3.0", tuple(current)))
                current = None
            continue
        if depth > 1:
            continue
        agent_follows = name == "AGENT" and not raw_value.strip()
        value = _decode_value(raw_value, params)
        if name == "VERSION":
            version = value.strip()
            continue
        current.append(VCardProperty(name, params, value))
    if current is not None:
        broke_off(cut_off=True)
    if not cards:
        if broken:
            raise VCardSyntaxError("BEGIN:VCARD without END:VCARD", broken[0].number)
        raise VCardSyntaxError("no BEGIN:VCARD found")
    return VCardFile(tuple(cards), tuple(broken))


def _is_quoted_printable(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _logical_lines(text: str) -> Iterable[str]:
    """Unfold: a leading space or tab continues the previous line (all versions); a
    quoted-printable line ending in "=" continues on the next line (vCard 2.1 soft breaks)."""
    current: str | None = None
    soft_break = False
    for physical in _LINE_BREAK.split(text):
        if current is not None and soft_break:
            current = current[:-1] + physical
        elif current is not None and physical[:1] in (" ", "\t"):
            current += physical[1:]
        else:
            if current is not None:
                yield current
            current = physical
        soft_break = current.endswith("=") and _is_quoted_printable(current)
    if current is not None:
        yield current


def _split_content_line(line: str) -> tuple[str | None, dict[str, tuple[str, ...]], str]:
    """``group.NAME;PARAM=a,b;BARE:value`` → (NAME, params, value); (None, {}, "") if no colon.

    Parameter values may be quoted and then contain ":" and ";".
    """
    in_quotes = False
    pieces: list[str] = []
    start = 0
    colon = -1
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            continue
        elif char == ";":
            pieces.append(line[start:index])
            start = index + 1
        elif char == ":":
            pieces.append(line[start:index])
            colon = index
            break
    if colon < 0:
        return None, {}, ""
    name = pieces[0].strip().rsplit(".", 1)[-1].upper()
    if not name or not all(c.isalnum() or c == "-" for c in name):
        return None, {}, ""
    params: dict[str, tuple[str, ...]] = {}
    for piece in pieces[1:]:
        key, equals, raw = piece.partition("=")
        if not equals:  # vCard 2.1: ";WORK;PREF" and ";QUOTED-PRINTABLE"
            bare = key.strip().upper()
            if bare in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT"):
                key, values = "ENCODING", [bare]
            else:
                key, values = "TYPE", [bare]
        else:
            values = [_unquote(v) for v in _split_param_values(raw)]
        key = key.strip().upper()
        params[key] = params.get(key, ()) + tuple(v for v in values if v)
    return name, params, line[colon + 1 :]


def _split_param_values(raw: str) -> list[str]:
    values, current, in_quotes = [], [], False
    for char in raw:
        if char == '"':
            in_quotes = not in_quotes
            current.append(char)
        elif char == "," and not in_quotes:
            values.append("".join(current))
            current = []
        else:
            current.append(char)
    values.append("".join(current))
    return values


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value


def _decode_value(raw: str, params: dict[str, tuple[str, ...]]) -> str:
    """Quoted-printable or not; then the CHARSET named, else UTF-8, else Windows-1252.

    Trying UTF-8 per value handles files that mix charsets (Outlook declares CHARSET only
    where it uses one); Windows-1252 text is practically never valid UTF-8 by accident.
    """
    encodings = {value.upper() for value in params.get("ENCODING", ())}
    data = raw.encode("latin-1")
    if "QUOTED-PRINTABLE" in encodings:
        data = quopri.decodestring(data)
    elif encodings & {"B", "BASE64"}:
        return raw  # photos and keys: not imported, not decoded
    for name in (*params.get("CHARSET", ()), "utf-8"):
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def split_raw(value: str, separator: str) -> list[str]:
    """Split at separators that are not escaped by a backslash; escapes stay in the parts."""
    parts, current = [], []
    escaped = False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def unescape(value: str) -> str:
    """``\\n`` → new line, ``\\,`` → ",", ``\\;`` → ";", ``\\\\`` → "\\"; others unchanged."""
    out, escaped = [], False
    for char in value:
        if escaped:
            out.append("\n" if char in "nN" else char if char in ",;:\\" else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return "".join(out)


def components(value: str) -> list[str]:
    """A structured value (N, ADR, ORG) as unescaped components; lists inside joined by " "."""
    return [
        " ".join(part for part in (unescape(v).strip() for v in split_raw(c, ",")) if part)
        for c in split_raw(value, ";")
    ]


def text_list(value: str, version: str) -> list[str]:
    """CATEGORIES: comma-separated (vCard 2.1 writers also use ";"), escapes honoured."""
    parts = split_raw(value, ",")
    if version.startswith("2"):
        parts = [piece for part in parts for piece in split_raw(part, ";")]
    return [text for text in (unescape(part).strip() for part in parts) if text]


# -- writing (vCard 4.0) ----------------------------------------------------------------------


def escape_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold to lines of at most 75 octets, never splitting a UTF-8 character."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    limit = FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1  # continuation lines start with " "
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def content_line(name: str, value: str, params: Sequence[tuple[str, str]] = ()) -> str:
    """One folded line; *value* must already be escaped (see escape_text)."""
    head = name + "".join(f";{key}={param}" for key, param in params)
    return fold_line(f"{head}:{value}")


def format_card(lines: Iterable[str]) -> str:
    """A whole vCard 4.0 around already formatted content lines, CRLF line ends."""
    body = "\r\n".join(lines)
    return f"BEGIN:VCARD\r\nVERSION:4.0\r\n{body}\r\nEND:VCARD\r\n"
