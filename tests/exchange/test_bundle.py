"""Bundles: single files, folders and zips, with a problem per unreadable entry and the zip limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from workflow.exchange.bundle import Limits
from workflow.exchange.bundle import read_bundle
from workflow.exchange.lrmx import to_lrmx

SAMPLES = Path(__file__).parent / "samples"
GOOD = (SAMPLES / "张明远.lrmx").read_bytes()
LRM = (SAMPLES / "李红.lrm").read_bytes()
PIC = (SAMPLES / "李红.pic").read_bytes()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _summary(items: list[tuple[str, object]]) -> list[tuple[str, str, list[str]]]:
    return [(name, parsed.person.get("name", ""), [p.message for p in parsed.problems])  # type: ignore[attr-defined]
            for name, parsed in items]


def test_zip_with_good_entries_a_bad_one_and_unsafe_names() -> None:
    data = _zip({
        "二组/张明远.lrmx": GOOD,
        "二组/李红.LRM": LRM,
        "二组/李红.pic": PIC,
        "二组/坏文件.lrmx": b"<Person><XingMing>",
        "../逃逸.lrmx": GOOD,
        "/etc/绝对.lrmx": GOOD,
        "套娃.zip": _zip({"x.lrmx": GOOD}),
        "说明.docx": b"PK...",
        "孤立.pic": PIC,
        "__MACOSX/二组/._张明远.lrmx": b"\x00\x05",
        ".DS_Store": b"\x00",
    })
    assert _summary(list(read_bundle(data, "名册.zip"))) == [
        ("名册.zip/../逃逸.lrmx", "", ["文件：文件名不安全（绝对路径或含“..”），已拒绝"]),
        ("名册.zip//etc/绝对.lrmx", "", ["文件：文件名不安全（绝对路径或含“..”），已拒绝"]),
        ("名册.zip/二组/坏文件.lrmx", "", ["文件：不是格式正确的XML（第1行第19列附近出错）"]),
        ("名册.zip/二组/张明远.lrmx", "张明远", []),
        ("名册.zip/二组/李红.LRM", "李红", []),
        ("名册.zip/套娃.zip", "", ["文件：压缩包内不得再嵌套压缩包，已拒绝"]),
        ("名册.zip/说明.docx", "", ["文件：不支持的文件类型（应为.lrmx、.lrm（附同名.pic）或.zip）"]),
        ("名册.zip/孤立.pic", "", ["照片：没有同名的.lrm文件与这张.pic照片对应，已忽略"]),
    ]
    by_name = dict(read_bundle(data, "名册.zip"))
    assert by_name["名册.zip/二组/李红.LRM"].photo == PIC


def test_zip_limits_on_entries_total_size_and_each_entry() -> None:
    three = _zip({f"{i}.lrmx": GOOD for i in range(3)})
    assert _summary(list(read_bundle(three, "a.zip", limits=Limits(max_entries=2)))) == [
        ("a.zip", "", ["文件：压缩包内有3个文件，超过2个的上限"])]
    bomb = _zip({"大.lrmx": b"<Person>" + b" " * (3 * 2**20) + b"</Person>"})
    assert len(bomb) < 20_000
    assert _summary(list(read_bundle(bomb, "b.zip", limits=Limits(max_total_bytes=2**20)))) == [
        ("b.zip", "", ["文件：压缩包解压后共3 MB，超过1 MB的上限"])]
    assert _summary(list(read_bundle(bomb, "b.zip", limits=Limits(max_entry_bytes=2**20)))) == [
        ("b.zip/大.lrmx", "", ["文件：超过1 MB的大小上限"])]
    assert _summary(list(read_bundle(b"PK\x03\x04 not really", "c.zip"))) == [
        ("c.zip", "", ["文件：不是有效的ZIP压缩包"])]
    odd = bytearray(three)
    central = bytes(odd).index(b"PK\x01\x02")
    odd[central + 6] = 99  # "version needed to extract" 9.9: zipfile raises NotImplementedError
    assert _summary(list(read_bundle(bytes(odd), "f.zip"))) == [("f.zip", "", ["文件：不是有效的ZIP压缩包"])]


def test_a_lying_size_header_cannot_inflate_past_the_cap() -> None:
    real = b"<Person>" + b" " * 300_000 + b"</Person>"
    data = bytearray(_zip({"x.lrmx": real}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    # Patch the declared uncompressed size in the local header (offset 22) and the central directory (offset 24).
    small = (100).to_bytes(4, "little")
    data[info.header_offset + 22:info.header_offset + 26] = small
    central = bytes(data).rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = small
    ((name, parsed),) = list(read_bundle(bytes(data), "d.zip", limits=Limits(max_entry_bytes=1000)))
    assert name == "d.zip/x.lrmx"
    assert [p.message for p in parsed.problems] == ["文件：压缩包条目已损坏，无法解压"]


def test_gbk_entry_names_without_the_utf8_flag() -> None:
    data = bytearray(_zip({"AAAA.lrmx": GOOD}))
    data = bytearray(bytes(data).replace(b"AAAA.lrmx", "张三.lrmx".encode("gbk")))
    ((name, parsed),) = list(read_bundle(bytes(data), "e.zip"))
    assert name == "e.zip/张三.lrmx" and parsed.problems == []


def test_single_files_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "材料"
    (folder / "子目录").mkdir(parents=True)
    (folder / "李红.lrm").write_bytes(LRM)
    (folder / "李红.PIC").write_bytes(PIC)
    (folder / "子目录" / "张明远.lrmx").write_bytes(GOOD)
    (folder / "打包.zip").write_bytes(_zip({"王芳.lrmx": to_lrmx({"name": "王芳", "gender": "女",
                                                                 "birth_date": "1985-08-01"})}))
    (folder / ".hidden.lrmx").write_bytes(b"junk")
    assert _summary(list(read_bundle(folder))) == [
        ("子目录/张明远.lrmx", "张明远", []),
        ("打包.zip/王芳.lrmx", "王芳", []),
        ("李红.lrm", "李红", []),
    ]
    ((_, single),) = list(read_bundle(folder / "李红.lrm"))
    assert single.photo == PIC and single.problems == []
    assert _summary(list(read_bundle(folder / "打包.zip"))) == [("打包.zip/王芳.lrmx", "王芳", [])]
    assert _summary(list(read_bundle(tmp_path / "没有.lrmx"))) == [
        (str(tmp_path / "没有.lrmx"), "", ["文件：文件或文件夹不存在"])]


def test_uploaded_bytes_are_told_apart_by_name_or_content() -> None:
    assert _summary(list(read_bundle(GOOD, "张明远.lrmx"))) == [("张明远.lrmx", "张明远", [])]
    assert _summary(list(read_bundle(LRM, "李红.lrm"))) == [("李红.lrm", "李红", [])]
    assert _summary(list(read_bundle(LRM))) == [("upload", "李红", [])]
