"""No input makes a reader raise: random and mutated bytes, deep nesting, damaged workbooks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from openpyxl import Workbook

from workflow.exchange.bundle import read_bundle
from workflow.exchange.lrm import parse_lrm
from workflow.exchange.lrmx import parse_lrmx
from workflow.exchange.roster_xlsx import import_roster

SAMPLES = Path(__file__).parent / "samples"
LRMX = (SAMPLES / "张明远.lrmx").read_bytes()
LRM = (SAMPLES / "李红.lrm").read_bytes()


def _workbook() -> bytes:
    book = Workbook()
    book.active.append(["姓  名", "性别", "出生\n年月"])
    book.active.append(["张三", "男", "1975.03"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("张明远.lrmx", LRMX)
        archive.writestr("李红.lrm", LRM)
        archive.writestr("李红.pic", (SAMPLES / "李红.pic").read_bytes())
    return out.getvalue()


XLSX = _workbook()
ZIP = _zip()


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        choice = draw(st.integers(0, 2))
        if choice == 0:
            data[at] = draw(st.integers(0, 255))
        elif choice == 1:
            del data[at:at + draw(st.integers(1, 50))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
    return bytes(data)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=300), mutated(LRMX), mutated(LRM)))
def test_readers_never_raise(data: bytes) -> None:
    for parsed in (parse_lrmx(data), parse_lrm(data, data[:50])):
        assert isinstance(parsed.problems, list)
    for filename in ("x.lrmx", "x.lrm", "x.zip"):
        assert all(isinstance(parsed.person, dict) for _, parsed in read_bundle(data, filename))


@settings(max_examples=150, deadline=None)
@given(mutated(ZIP))
def test_damaged_zips_never_raise(data: bytes) -> None:
    names = [name for name, _ in read_bundle(data, "x.zip")]
    assert names


@settings(max_examples=60, deadline=None)
@given(mutated(XLSX))
def test_damaged_workbooks_never_raise(data: bytes) -> None:
    records, errors = import_roster(data)
    assert records or errors


def test_header_labels_may_contain_spaces_and_deep_nesting_is_refused() -> None:
    records, errors = import_roster(XLSX)
    assert errors == []
    assert [r.person for r in records] == [{"name": "张三", "gender": "男", "birth_date": "1975-03-01"}]
    deep = b"<Person><XingMing>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</XingMing></Person>"
    assert [p.message for p in parse_lrmx(deep).problems] == ["文件：元素XingMing不应含有下级元素，已忽略",
                                                              "姓名：此项为必填项", "性别：此项为必填项",
                                                              "出生年月：此项为必填项"]
