"""The per-viewer watermark every PDF carries when it is handed out.

The viewer's name, user name, organization and the time, repeated diagonally and
light enough to read the page under it, plus the number of the access-register
row (查阅登记) that records the download, which also goes into the PDF's metadata.
Our own PDFs get it in their HTML (``_base.html``); an attached PDF gets it as an
overlay on every page (``stamp``).
"""

from __future__ import annotations

import base64
import io
import subprocess
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from workflow.clock import SHANGHAI

OPERATOR = "本机运维导出"
ANGLE = 30  # degrees, rising to the right
INK = (90, 48)  # a light grey, mostly transparent: the page reads through it


@dataclass(frozen=True)
class Watermark:
    name: str
    username: str
    organization: str
    at: datetime
    reference: int

    @property
    def lines(self) -> tuple[str, ...]:
        who = f"{self.name}（{self.username}）" if self.name and self.name != self.username else self.username
        when = self.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        return (f"{who} {self.organization}", f"{when} 查阅登记第{self.reference}号")

    @property
    def keyword(self) -> str:
        return f"access:{self.reference}"

    @property
    def image(self) -> str:
        """The diagonal repeat of the lines as a transparent PNG data URL (a picture, so text extraction
        of the page stays clean; the footer line carries the same words as text)."""
        return "data:image/png;base64," + base64.b64encode(_png(self.lines)).decode("ascii")


@cache
def _font_file() -> str:
    found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"], capture_output=True,
                           text=True, check=False).stdout.strip()
    return found or "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _png(lines: tuple[str, ...]) -> bytes:
    """One tile of the pattern: the lines, turned; the page repeats it (CSS ``background-repeat``)."""
    from PIL import Image
    from PIL import ImageDraw
    from PIL import ImageFont

    font = ImageFont.truetype(_font_file(), 22, index=2)  # the .ttc's face 2 is Simplified Chinese
    width = int(max(draw_width(font, line) for line in lines)) + 40
    tile = Image.new("LA", (width, 32 * len(lines) + 100), (255, 0))
    draw = ImageDraw.Draw(tile)
    for i, line in enumerate(lines):
        draw.text((20, 50 + i * 32), line, font=font, fill=INK)
    out = io.BytesIO()
    tile.rotate(ANGLE, resample=Image.Resampling.BICUBIC, expand=True).save(out, "PNG")
    return out.getvalue()


def draw_width(font: object, text: str) -> float:
    return float(font.getlength(text))  # type: ignore[attr-defined]


def stamp(pdf: bytes, mark: Watermark) -> bytes:
    """``pdf`` with the watermark laid over each of its pages (an attachment a viewer downloads)."""
    import pikepdf

    from .renderer import PdfMeta
    from .renderer import render_pdf

    sheet_pdf = render_pdf("_watermark.html", {"doc_title": "水印"}, PdfMeta("水印", mark.at), mark)
    with pikepdf.open(io.BytesIO(pdf)) as target, pikepdf.open(io.BytesIO(sheet_pdf)) as sheet:
        overlay = sheet.pages[0]
        for page in target.pages:
            page.add_overlay(overlay, pikepdf.Rectangle(*page.trimbox))
        keywords = " ".join(k for k in (str(target.docinfo.get("/Keywords", "")), mark.keyword) if k)
        with target.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["pdf:Keywords"] = keywords
        target.docinfo["/Keywords"] = keywords
        out = io.BytesIO()
        target.save(out)
    return out.getvalue()
