"""Reading rendered PDFs in tests: text, geometry against GB/T 9704, embedded fonts, a PNG."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

MM = 72 / 25.4
A4 = (595.28, 841.89)
TOP, LEFT, RIGHT, BOTTOM = 37.0, 28.0, 26.0, 35.0
LINE = 225.0 / 22  # one line of the GB/T 9704 grid, in mm


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text(pdf: bytes) -> str:
    """All text of the PDF, whitespace removed (wrapped lines and cells split words)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return norm("".join(page.extract_text() or "" for page in doc.pages))


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [norm(page.extract_text() or "") for page in doc.pages]


@dataclass(frozen=True)
class Geometry:
    """Page 1 in millimetres: size, the body's extent, the page number box."""

    pages: int
    width: float
    height: float
    first_top: float
    first_char: str
    left: float
    right: float
    bottom: float
    number_x0: float
    number_x1: float
    number_top: float


WATERMARK_LINE = 284  # mm from the top: the watermark's text line is below this


def _whole_sheet(edge: Any, page: Any) -> bool:
    """An edge of the watermark layer, which covers the whole sheet."""
    return bool(edge["x0"] <= 1 and edge["x1"] >= page.width - 1) or bool(edge["top"] <= 1 and
                                                                           edge["bottom"] >= page.height - 1)


def geometry(pdf: bytes, page_no: int = 0, running_header: bool = False) -> Geometry:
    """Page geometry; with ``running_header`` the text in the top margin (a page header) is left out."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[page_no]
        limit = (841.89 - BOTTOM * MM) + 2 * MM
        head = (TOP - 1) * MM if running_header else 0
        body = [c for c in page.chars if head <= c["top"] < limit and c["text"].strip()]
        # The page number sits 7 mm below the type area; the watermark's text line lower still.
        number = [c for c in page.chars if limit <= c["top"] < WATERMARK_LINE * MM and c["text"].strip()]
        first = min(body, key=lambda c: (round(c["top"], 1), c["x0"]))
        drawn = [e for e in page.edges if not _whole_sheet(e, page)]  # not the watermark's layer
        edges = [c["x0"] for c in body] + [e["x0"] for e in drawn]
        rights = [c["x1"] for c in body] + [e["x1"] for e in drawn]
        bottoms = [c["bottom"] for c in body] + [e["bottom"] for e in drawn if e["top"] < limit]
        return Geometry(
            pages=len(doc.pages), width=float(page.width), height=float(page.height),
            first_top=first["top"] / MM, first_char=first["text"], left=min(edges) / MM, right=max(rights) / MM,
            bottom=max(bottoms) / MM,
            number_x0=min(c["x0"] for c in number) / MM if number else 0.0,
            number_x1=max(c["x1"] for c in number) / MM if number else 0.0,
            number_top=min(c["top"] for c in number) / MM if number else 0.0,
        )


def fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) of every font in the PDF, from ``pdffonts``."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID
        rows.append((parts[0], parts[-5] == "yes"))
    return rows


def first_page_png(pdf: Path, png: Path, dpi: int = 80) -> Path:
    """Render page 1 with pdftoppm to ``png``."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(png.with_suffix(""))], check=True)
    return png
