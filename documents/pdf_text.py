"""The text a PDF's pages draw, read from their content streams.

Every text-showing operator (Tj, TJ, ' and ") on every page and in the form
XObjects a page draws, in content order, each string decoded through its font's
ToUnicode map: the text poppler's pdftotext extracts (it reads the same maps), in
drawing order, without laying glyphs out or loading a font program, so many times
faster on our CJK histories. A stream is lexed by one regular expression that
covers every byte (PDF's tokens: strings, names, numbers, operators, delimiters,
comments); a stream it cannot lex exactly (a literal string with unescaped
nested parentheses, an inline image, stray bytes) is first rewritten by qpdf
(pikepdf) in its normal form, which it can. A code with no mapping reads as
U+FFFD, so an unmapped glyph never passes for a character. A font whose codes
this reader cannot split (a Type0 font with an encoding other than Identity-H/V)
raises ``Unreadable``; the caller then uses a full extractor.
"""

from __future__ import annotations

import io
import re
from typing import Any

UNKNOWN = "\ufffd"
MAX_DEPTH = 8  # nested form XObjects followed (WeasyPrint nests one or two)
QPDF_OPERATORS = "BT ET Tf Tj TJ ' \" q Q Do"  # what the qpdf rewrite keeps
_SPACE = rb"\x00\t\n\x0c\r "  # PDF's white space (not \v)
_REGULAR = rb"[^" + _SPACE + rb"()<>\[\]{}/%]"
LEX = re.compile(
    rb"\(((?:[^\\()]|\\.)*)\)"  # 1 a literal string (nested unescaped parentheses: not lexed here)
    rb"|<<|>>"
    rb"|<([0-9A-Fa-f" + _SPACE + rb"]*)>"  # 2 a hex string
    rb"|/(" + _REGULAR + rb"*)"  # 3 a name
    rb"|(?:[" + _SPACE + rb"\[\]]+|[-+.0-9]" + _REGULAR + rb"*|%[^\r\n]*)+"  # numbers, arrays, space, comments
    rb"|(" + _REGULAR + rb"+)"  # 4 an operator (or true, false, null)
    rb"|(.)",  # 5 anything else: the stream is not lexed here
    re.S)
SHOWS = {b"Tj", b"TJ", b"'", b'"'}
NOT_LEXED = {b"BI", b"ID", b"EI"}  # an inline image's data is not PDF tokens
ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)|\r\n?", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\n": b"", b"\r": b"",
           b"\r\n": b""}
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")


class Unreadable(Exception):
    """A font or stream this reader cannot decode."""


class _NotLexed(Exception):
    """A stream the regular expression cannot lex exactly (qpdf rewrites it)."""


class _Table(dict[int, str]):
    """Code -> text; a code without a mapping reads as U+FFFD (``str.translate`` asks this)."""

    def __missing__(self, key: int) -> str:
        return UNKNOWN


def _utf16(hexdigits: bytes) -> str:
    return bytes.fromhex(hexdigits.decode("ascii")).decode("utf-16-be", "replace")


def parse_cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries as {code: text}."""
    table = _Table()
    for kind, body in _SECTION.findall(data):
        if kind == b"bfchar":
            codes = _HEX.findall(body)
            for src, dst in zip(codes[0::2], codes[1::2], strict=False):
                table[int(src, 16)] = _utf16(dst)
            continue
        for lo, hi, dst in _RANGE.findall(body):
            start, end = int(lo, 16), int(hi, 16)
            if end - start > 0xFFFF:
                raise Unreadable("ToUnicode 范围过大")
            if dst.startswith(b"["):
                for offset, item in enumerate(_HEX.findall(dst)):
                    table[start + offset] = _utf16(item)
                continue
            raw = bytes.fromhex(dst[1:-1].decode("ascii"))
            base, width = int.from_bytes(raw, "big"), max(len(raw), 2)
            for code in range(start, end + 1):
                table[code] = (base + code - start).to_bytes(width, "big").decode("utf-16-be", "replace")
    return table


def _escape(m: re.Match[bytes]) -> bytes:
    c = m.group(1)
    if c is None:  # an unescaped end of line reads as one newline
        return b"\n"
    return bytes([int(c, 8) & 0xFF]) if c[:1].isdigit() else ESCAPES.get(c, c)


def _string(literal: bytes, hexa: bytes) -> bytes:
    if hexa:
        try:
            return bytes.fromhex(hexa.decode("ascii"))  # skips white space (but NUL)
        except ValueError:  # NUL, or an odd number of digits: the last one is followed by 0
            digits = re.sub(rb"[" + _SPACE + rb"]+", b"", hexa)
            return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode("ascii"))
    return ESCAPE.sub(_escape, literal) if b"\\" in literal or b"\r" in literal else literal


class _Font:
    """How one font's strings split into codes, and what each code reads as."""

    def __init__(self, font: Any) -> None:
        if str(font.get("/Subtype", "")) == "/Type0":
            encoding = str(font.get("/Encoding", ""))
            if encoding not in ("/Identity-H", "/Identity-V"):
                raise Unreadable(f"字体编码 {encoding}")
            self.wide = True
        else:
            self.wide = False
        self.table = parse_cmap(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else _Table()

    def decode(self, strings: list[bytes]) -> str:
        if not self.wide:
            return b"".join(strings).decode("latin-1").translate(self.table)
        # two bytes a code (an odd last byte is no code); surrogatepass keeps every code a character,
        # a pair of surrogate codes becomes one character beyond the table: U+FFFD, never a false match
        if any(len(s) & 1 for s in strings):
            strings = [s[:len(s) & ~1] for s in strings]
        return b"".join(strings).decode("utf-16-be", "surrogatepass").translate(self.table)


def _name(raw: bytes) -> str:
    if b"#" in raw:
        raw = NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return "/" + raw.decode("utf-8", "replace")


def _contents(stream: Any) -> bytes:
    import pikepdf

    if isinstance(stream, pikepdf.Page):
        contents = stream.obj.get("/Contents")
        if contents is None:
            return b""
        if isinstance(contents, pikepdf.Array):
            return b"\n".join(part.read_bytes() for part in contents)
        return bytes(contents.read_bytes())
    return bytes(stream.read_bytes())


class _Reader:
    def __init__(self) -> None:
        self.fonts: dict[tuple[int, int], _Font] = {}
        self.parts: list[str] = []

    def font(self, resources: Any, name: bytes) -> _Font | None:
        fonts = resources.get("/Font") if resources is not None else None
        key = _name(name)
        if fonts is None or key not in fonts:
            return None
        obj = fonts[key]
        if obj.objgen == (0, 0):  # a direct object: not shared, not cached
            return _Font(obj)
        if obj.objgen not in self.fonts:
            self.fonts[obj.objgen] = _Font(obj)
        return self.fonts[obj.objgen]

    def read(self, stream: Any, resources: Any, depth: int, seen: frozenset[tuple[int, int]]) -> None:
        tokens = LEX.findall(_contents(stream))
        parts = len(self.parts)
        try:
            self.tokens(tokens, resources, depth, seen)
        except _NotLexed:
            import pikepdf

            del self.parts[parts:]
            normal = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(stream, QPDF_OPERATORS))
            try:
                self.tokens(LEX.findall(normal), resources, depth, seen)
            except _NotLexed as exc:
                raise Unreadable("内容流无法解析") from exc

    def tokens(self, tokens: list[tuple[bytes, ...]], resources: Any, depth: int,
               seen: frozenset[tuple[int, int]]) -> None:
        fonts: dict[bytes, _Font | None] = {}
        font: _Font | None = None
        saved: list[_Font | None] = []
        strings: list[bytes] = []
        name = b""
        for literal, hexa, named, op, bad in tokens:
            if bad:
                raise _NotLexed
            if op:
                if op in SHOWS:
                    self.parts.append(font.decode(strings) if font is not None else UNKNOWN * len(strings))
                elif op == b"Tf":
                    if name not in fonts:
                        fonts[name] = self.font(resources, name)
                    font = fonts[name]
                elif op == b"q":
                    saved.append(font)
                elif op == b"Q":
                    font = saved.pop() if saved else font
                elif op == b"BT":
                    self.parts.append("\n")
                elif op == b"Do":
                    self.xobject(resources, name, depth, seen)
                elif op in NOT_LEXED:
                    raise _NotLexed
                strings, name = [], b""
            elif named:
                name = named
            elif literal or hexa:
                strings.append(_string(literal, hexa))
            # else: a number, space, array bracket, comment, dictionary bracket or empty string

    def xobject(self, resources: Any, name: bytes, depth: int, seen: frozenset[tuple[int, int]]) -> None:
        objects = resources.get("/XObject") if resources is not None else None
        key = _name(name)
        if objects is None or key not in objects:
            return
        obj = objects[key]
        if str(obj.get("/Subtype", "")) != "/Form" or obj.objgen in seen:
            return
        if depth >= MAX_DEPTH:
            raise Unreadable("表单对象嵌套过深")
        self.read(obj, obj.get("/Resources", resources), depth + 1, seen | {obj.objgen})


def page_texts(pdf: bytes) -> list[str]:
    """Each page's drawn text in content order (a newline before each text object)."""
    import pikepdf

    reader = _Reader()
    texts = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            reader.parts = []
            reader.read(page, page.resources, 0, frozenset())
            texts.append("".join(reader.parts))
    return texts
