"""Printable voting slips of a ballot: one code per slip with its QR code, cut lines, 8 to an A4 page.

The QR code (segno, SVG, error correction M) encodes ``<vote URL>?code=<code>``; the slip also
prints the code in groups of four for typing, and nothing else that tells slips apart (no
number: a serial would let whoever hands them out know who got which). The PDF is watermarked
for its reader and registered like every PDF handed out (``handout.watermark_for``), PDF/A with
the archive XMP and signed like every issued PDF (``signing.sign``). The codes come from the
engine only while no vote has been cast.
"""

from __future__ import annotations

from urllib.parse import quote

import segno

from workflow import Actor
from workflow import Engine

from .archival import Archive
from .handout import watermark_for
from .issue import issuer
from .renderer import PdfMeta
from .renderer import render_pdf
from .signing import sign

PER_PAGE = 8


def qr_data_uri(text: str) -> str:
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))


def vote_link(vote_url: str, code: str) -> str:
    return f"{vote_url}?code={quote(code.replace('-', ''))}"


def render_slips(engine: Engine, ballot_id: int, actor: Actor, vote_url: str, address: str = "") -> bytes:
    """The slips PDF of an open ballot nobody has voted on yet, for ``actor`` (manage_ballots)."""
    ballot, codes = engine.ballots.slips(ballot_id, actor)
    mark = watermark_for(engine, actor, "download", "document", ballot.case_id, f"选票码（投票{ballot_id}）", address)
    slips = [{"code": c, "qr": qr_data_uri(vote_link(vote_url, c))} for c in codes]
    pages = [slips[i:i + PER_PAGE] for i in range(0, len(slips), PER_PAGE)]
    context = {"doc_title": f"选票码：{ballot.title}", "ballot": ballot, "pages": pages, "vote_url": vote_url,
               "count": len(codes)}
    org = engine.get_case(ballot.case_id, actor).org_id
    meta = PdfMeta(title=f"选票码：{ballot.title}", created=engine.clock.now(),
                   subject=f"案件{ballot.case_id}；投票{ballot_id}；{ballot.kind_label}；{len(codes)}张",
                   keywords=("cadreflow", f"case:{ballot.case_id}", f"ballot:{ballot_id}", "template:ballot_slips"),
                   archive=Archive(ballot.case_id, "ballot_slips", "1", issuer(engine, org)))
    return sign(render_pdf("ballot_slips.html", context, meta, mark), engine.settings)
