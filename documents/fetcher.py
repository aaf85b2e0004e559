"""An offline WeasyPrint URL fetcher: it serves files under documents/ and data: URLs only.

Every other URL (http, https, ftp, files elsewhere on disk) is refused with a fatal
error, so a template can never make the renderer reach the network or read a file
it should not. The one exception is the font files that fontconfig resolves for
``@font-face { src: local(...) }``: WeasyPrint reads those through the fetcher too,
so font files (by suffix) inside the system font directories are served as well.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit

from weasyprint.urls import FatalURLFetchingError
from weasyprint.urls import URLFetcher
from weasyprint.urls import URLFetcherResponse

from .environment import DOCUMENTS_DIR

FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2"})
FONT_DIRS = tuple(
    p.resolve()
    for p in (
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".local/share/fonts",
        Path.home() / ".fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
    )
)


def allowed_path(path: Path, root: Path = DOCUMENTS_DIR) -> bool:
    """Files under documents/, and font files in the system font directories."""
    path = path.resolve()
    if path.is_relative_to(root.resolve()):
        return True
    return path.suffix.lower() in FONT_SUFFIXES and any(path.is_relative_to(d) for d in FONT_DIRS)


class OfflineFetcher(URLFetcher):  # type: ignore[misc]
    """Serves ``file:`` URLs inside ``root`` and ``data:`` URLs; refuses everything else."""

    def __init__(self, root: Path = DOCUMENTS_DIR) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return _data_url(url)
        if scheme != "file":
            raise FatalURLFetchingError(f"离线渲染：拒绝访问 {url}")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not allowed_path(path, self.root) or not path.is_file():
            raise FatalURLFetchingError(f"离线渲染：只允许读取 documents/ 下的文件，拒绝 {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})


def _data_url(url: str) -> URLFetcherResponse:
    header, _, payload = url.partition(",")
    mime = header[5:].split(";")[0] or "text/plain"
    body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode("utf-8")
    return URLFetcherResponse(url[:64], body, {"Content-Type": mime})
