"""PDF/A for every issued PDF: the XMP that names case, form, template version and issuer,
and the history JSON a case-history PDF carries as an associated file.

WeasyPrint writes the PDF/A-3b structure (fonts embedded, sRGB OutputIntent,
pdfaid in the XMP, the attachment with /AFRelationship /Data). Our own properties
go into the XMP afterwards, declared by a pdfaExtension schema as PDF/A requires.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workflow.audit import event_json
from workflow.types import EventView

VARIANT = "pdf/a-3b"
NS = "http://cadreflow.org/ns/archive/1.0/"
PREFIX = "cadreflow"
HISTORY_FILE = "history.json"
PROPERTIES = (("case", "案件编号"), ("form", "文书模板"), ("templateVersion", "模板版本"), ("issuer", "出具单位"))
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFA_EXT = {"pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
            "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
            "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#"}


@dataclass(frozen=True)
class Archive:
    """What the XMP says about an issued PDF."""

    case: int
    form: str
    template_version: str
    issuer: str

    def values(self) -> dict[str, str]:
        return {"case": str(self.case), "form": self.form, "templateVersion": self.template_version,
                "issuer": self.issuer}


def history_json(case_id: int, events: Sequence[EventView], head_seq: int, head_hash: str) -> bytes:
    """The embedded history: the events as ``GET /cases/{id}/history`` gives them, and the head."""
    doc = {"case_id": case_id, "head": {"seq": head_seq, "hash": head_hash},
           "events": [event_json(e) for e in events]}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _extension_schema() -> str:
    props = "".join(
        f'<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{name}</pdfaProperty:name>'
        f"<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        f"<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{label}</pdfaProperty:description></rdf:li>"
        for name, label in PROPERTIES)
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in PDFA_EXT.items())
    return (f'<rdf:Description xmlns:rdf="{RDF}" {ns} rdf:about=""><pdfaExtension:schemas><rdf:Bag>'
            f'<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>cadreflow 归档属性</pdfaSchema:schema>'
            f"<pdfaSchema:namespaceURI>{NS}</pdfaSchema:namespaceURI>"
            f"<pdfaSchema:prefix>{PREFIX}</pdfaSchema:prefix>"
            f"<pdfaSchema:property><rdf:Seq>{props}</rdf:Seq></pdfaSchema:property>"
            f"</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>")


def add_archive_xmp(pdf: bytes, archive: Archive) -> bytes:
    """``pdf`` with the archive properties (and their extension schema) in its XMP."""
    import pikepdf
    from lxml import etree

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = etree.fromstring(doc.Root.Metadata.read_bytes())
        rdf = root.find(f"{{{RDF}}}RDF")
        if rdf is None:
            raise ValueError("PDF 的 XMP 元数据缺少 rdf:RDF")
        rdf.append(etree.fromstring(_extension_schema()))
        desc = etree.SubElement(rdf, f"{{{RDF}}}Description", nsmap={PREFIX: NS, "rdf": RDF})
        desc.set(f"{{{RDF}}}about", "")
        for key, value in archive.values().items():
            etree.SubElement(desc, f"{{{NS}}}{key}").text = value
        xml = etree.tostring(root, encoding="utf-8")
        packet = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + xml + b'\n<?xpacket end="r"?>'
        doc.Root.Metadata = doc.make_stream(packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def read_archive_xmp(pdf: bytes) -> dict[str, str]:
    """The archive properties of a PDF's XMP ({} when it has none)."""
    import pikepdf
    from lxml import etree

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if "/Metadata" not in doc.Root:
            return {}
        root = etree.fromstring(doc.Root.Metadata.read_bytes())
    found: dict[str, str] = {}
    for name, _ in PROPERTIES:  # an element, or an attribute once pyHanko rewrote the XMP on signing
        node = root.find(f".//{{{NS}}}{name}")
        if node is not None and node.text is not None:
            found[name] = node.text
        for desc in root.iter(f"{{{RDF}}}Description"):
            if f"{{{NS}}}{name}" in desc.attrib:
                found[name] = desc.attrib[f"{{{NS}}}{name}"]
    return found


def embedded_history(pdf: bytes) -> dict[str, Any] | None:
    """The history JSON a case-history PDF carries (None when it carries none)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if HISTORY_FILE not in doc.attachments:
            return None
        data = doc.attachments[HISTORY_FILE].get_file().read_bytes()
    loaded: dict[str, Any] = json.loads(data.decode("utf-8"))
    return loaded
