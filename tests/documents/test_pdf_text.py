"""documents.pdf_text: the drawn text read from content streams, on a PDF built by hand."""

from __future__ import annotations

import io

import pikepdf
import pytest

from documents import verify_pdf
from documents.pdf_text import UNKNOWN
from documents.pdf_text import Unreadable
from documents.pdf_text import page_texts
from documents.pdf_text import parse_cmap

CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <ffff> endcodespacerange
2 beginbfchar <0001> <54c8> <0002> <5e0c> endbfchar
1 beginbfrange <0010> <0015> <0061> endbfrange
1 beginbfrange <0020> <0021> [<0031> <0032>] endbfrange
endcmap end end"""  # 0001 哈, 0002 希, 0010.. a-f, 0020 1, 0021 2
SIMPLE_CMAP = (b"begincmap 2 beginbfchar <28> <0028> <29> <0029> endbfchar "
               b"1 beginbfrange <41> <5a> <0041> endbfrange endcmap")  # A-Z and parentheses as themselves


def build(content: bytes, form: bytes = b"", encoding: str = "/Identity-H") -> bytes:
    pdf = pikepdf.new()
    wide = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/Test"),
        Encoding=pikepdf.Name(encoding), ToUnicode=pdf.make_stream(CMAP)))
    simple = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        ToUnicode=pdf.make_stream(SIMPLE_CMAP)))
    fonts = pikepdf.Dictionary({"/W": wide, "/S": simple})
    xobject = pdf.make_stream(form, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                              BBox=[0, 0, 100, 100], Resources=pikepdf.Dictionary(Font=fonts))
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 200],
                              Resources=pikepdf.Dictionary(Font=fonts, XObject=pikepdf.Dictionary({"/X 1": xobject})),
                              Contents=pdf.make_stream(content))
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_the_cmap_reads_chars_and_both_kinds_of_range() -> None:
    table = parse_cmap(CMAP)
    assert [table[c] for c in (1, 2, 0x10, 0x15, 0x20, 0x21)] == ["哈", "希", "a", "f", "1", "2"]
    assert table[0x99] == UNKNOWN


def test_strings_in_order_through_fonts_forms_and_saved_states() -> None:
    content = (b"BT /W 12 Tf [<00010002> -120 <0010 0011>] TJ ET\n"
               b"q BT /S 9 Tf (AB\\(C\\)) Tj ET Q\n"
               b"BT <0020> Tj ET\n"  # Q gave back /W
               b"/X#201 Do\n"
               b"BT /S 9 Tf 1 2 (Z) \" ET")
    form = b"BT /W 8 Tf <00120099> Tj ET"
    assert page_texts(build(content, form)) == ["\n哈希ab\nAB(C)\n1\nc" + UNKNOWN + "\nZ"]


def test_a_stream_the_expression_cannot_lex_is_read_through_qpdf() -> None:
    nested = b"BT /S 9 Tf (A(B)C) Tj ET BT /W 8 Tf <0001> Tj ET"  # unescaped nested parentheses
    assert page_texts(build(nested)) == ["\nA(B)C\n哈"]
    inline = b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00(<0001>) Tj EI BT /W 8 Tf <0002> Tj ET"
    assert page_texts(build(inline)) == ["\n希"]  # an inline image's bytes are no text


def test_an_unknown_encoding_is_unreadable_and_verify_pdf_uses_the_full_extractor(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = build(b"BT /W 12 Tf <0001> Tj ET", encoding="/UniGB-UCS2-H")
    with pytest.raises(Unreadable):
        page_texts(pdf)
    monkeypatch.setattr(verify_pdf, "extracted_text", lambda data: "全文提取")
    assert verify_pdf.visible_text(pdf) == "全文提取"
