"""Read many 干部任免审批表 at once: a file, a folder, or a ``.zip`` of ``.lrmx``/``.lrm`` (+ ``.pic``).

``read_bundle(source)`` yields ``(filename, Parsed)`` in name order, one per form;
an entry that cannot be read yields a ``Parsed`` whose only content is the
problem. A ``.lrm`` takes the ``.pic`` of the same stem in the same folder
(case-insensitive); a ``.pic`` without its ``.lrm`` is reported. Hidden and
system files (``.*``, ``__MACOSX/``, ``Thumbs.db``) are skipped silently.

Zip safety: the entry count and the total uncompressed size are capped (the
declared sizes are checked first, then every entry is read through a bounded
reader, so a lying header cannot inflate past the cap); names that are absolute
or contain ``..`` are refused; a zip inside a zip is refused; encrypted entries
and corrupt data give a problem for that entry. Names stored without the UTF-8
flag are re-read as GBK, as Chinese Windows zips write them.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .lrm import parse_lrm
from .lrmx import parse_lrmx
from .record import MAX_FILE_BYTES
from .record import Parsed
from .record import failed


@dataclass(frozen=True)
class Limits:
    max_entries: int = 5000
    max_total_bytes: int = 512 * 2**20
    max_entry_bytes: int = MAX_FILE_BYTES


LIMITS = Limits()
# What zipfile raises for a damaged archive (a bad header can even claim an unsupported "version").
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError, ValueError)
_SYSTEM = {"thumbs.db", "desktop.ini", ".ds_store"}
Reader = Callable[[str], "bytes | str"]


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def _hidden(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts if p) or parts[-1].lower() in _SYSTEM


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(re.match(r"[A-Za-z]:", name)) or ".." in parts or "\x00" in name


def _parse(name: str, read: Reader, pics: dict[str, str]) -> Parsed:
    data = read(name)
    if isinstance(data, str):
        return failed("file", data)
    if name.lower().endswith(".lrmx"):
        return parse_lrmx(data, name)
    photo: bytes | None = None
    pic = pics.get(name.lower()[:-4] + ".pic")
    if pic is not None:
        raw = read(pic)
        if isinstance(raw, str):
            return failed("photo", f"{pic}：{raw}")
        photo = raw
    return parse_lrm(data, photo, name)


def _walk(names: list[str], read: Reader, open_zip: Callable[[str], Iterator[tuple[str, Parsed]]] | None,
          prefix: str = "") -> Iterator[tuple[str, Parsed]]:
    pics = {n.lower(): n for n in names if n.lower().endswith(".pic")}
    used: set[str] = set()
    for name in sorted(names):
        lower = name.lower()
        if _hidden(name) or lower.endswith(".pic"):
            continue
        shown = prefix + name
        if lower.endswith(".lrmx") or lower.endswith(".lrm"):
            if lower.endswith(".lrm"):
                used.add(lower[:-4] + ".pic")
            yield shown, _parse(name, read, pics)
        elif lower.endswith(".zip"):
            if open_zip is None:
                yield shown, failed("file", "压缩包内不得再嵌套压缩包，已拒绝")
            else:
                yield from open_zip(name)
        else:
            yield shown, failed("file", "不支持的文件类型（应为.lrmx、.lrm（附同名.pic）或.zip）")
    for lower, name in sorted(pics.items()):
        if lower not in used and not _hidden(name):
            yield prefix + name, failed("photo", "没有同名的.lrm文件与这张.pic照片对应，已忽略")


def _entry_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _zip(fileobj: IO[bytes], label: str, limits: Limits) -> Iterator[tuple[str, Parsed]]:
    try:
        archive = zipfile.ZipFile(fileobj)
    except ZIP_ERRORS:
        yield label, failed("file", "不是有效的ZIP压缩包")
        return
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > limits.max_entries:
            yield label, failed("file", f"压缩包内有{len(infos)}个文件，超过{limits.max_entries}个的上限")
            return
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_total_bytes:
            yield label, failed("file", f"压缩包解压后共{_mb(declared)}，超过{_mb(limits.max_total_bytes)}的上限")
            return
        prefix = f"{label}/" if label else ""
        entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = _entry_name(info)
            if _unsafe(name):
                yield prefix + name, failed("file", "文件名不安全（绝对路径或含“..”），已拒绝")
            elif name not in entries:
                entries[name] = info
        budget = [limits.max_total_bytes]

        def read(name: str) -> bytes | str:
            info = entries[name]
            if info.flag_bits & 0x1:
                return "压缩包条目已加密，无法读取"
            if info.file_size > limits.max_entry_bytes:
                return f"超过{_mb(limits.max_entry_bytes)}的大小上限"
            try:
                with archive.open(info) as handle:
                    data = handle.read(limits.max_entry_bytes + 1)
            except ZIP_ERRORS:
                return "压缩包条目已损坏，无法解压"
            if len(data) > limits.max_entry_bytes:
                return f"解压后超过{_mb(limits.max_entry_bytes)}的大小上限（与压缩包声明的大小不符）"
            budget[0] -= len(data)
            if budget[0] < 0:
                return f"压缩包解压后的总大小超过{_mb(limits.max_total_bytes)}的上限"
            return data

        yield from _walk(list(entries), read, None, prefix)


def _folder(root: Path, limits: Limits) -> Iterator[tuple[str, Parsed]]:
    names: list[str] = []
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs.sort()
        for file in files:
            path = Path(directory, file)
            if not path.is_symlink():
                names.append(path.relative_to(root).as_posix())
    if len(names) > limits.max_entries:
        yield root.name, failed("file", f"文件夹内有{len(names)}个文件，超过{limits.max_entries}个的上限")
        return

    def open_zip(name: str) -> Iterator[tuple[str, Parsed]]:
        with (root / name).open("rb") as handle:
            yield from _zip(handle, name, limits)

    yield from _walk(names, _folder_reader(root, limits), open_zip)


def read_bundle(source: str | os.PathLike[str] | bytes, filename: str = "", *,
                limits: Limits = LIMITS) -> Iterator[tuple[str, Parsed]]:
    """Every form in ``source``: bytes of an upload (named by ``filename``), or a path to a file or folder."""
    if isinstance(source, bytes):
        name = filename or "upload"
        if name.lower().endswith(".zip") or source[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            yield from _zip(io.BytesIO(source), filename, limits)
            return
        if len(source) > limits.max_entry_bytes:
            yield name, failed("file", f"超过{_mb(limits.max_entry_bytes)}的大小上限")
            return
        lower = name.lower()
        if lower.endswith(".lrm") or (not lower.endswith(".lrmx") and source.lstrip()[:1] == b'"'):
            yield name, parse_lrm(source, None, name)
        else:
            yield name, parse_lrmx(source, name)
        return
    path = Path(source)
    if path.is_dir():
        yield from _folder(path, limits)
    elif not path.is_file():
        yield str(source), failed("file", "文件或文件夹不存在")
    elif path.suffix.lower() == ".zip":
        with path.open("rb") as handle:
            yield from _zip(handle, path.name, limits)
    else:
        pic = path.stem.lower() + ".pic"
        siblings = [p.name for p in path.parent.iterdir() if p.name.lower() == pic]
        if path.suffix.lower() != ".lrm":
            siblings = []
        yield from _walk([path.name, *siblings[:1]], _folder_reader(path.parent, limits), None)


def _folder_reader(root: Path, limits: Limits) -> Reader:
    def read(name: str) -> bytes | str:
        path = root / name
        try:
            if path.stat().st_size > limits.max_entry_bytes:
                return f"超过{_mb(limits.max_entry_bytes)}的大小上限"
            return path.read_bytes()
        except OSError:
            return "无法读取此文件"
    return read
