"""Fail loudly when the machine cannot render fast CJK PDFs or run browser tests."""

import shutil
import subprocess
import sys


def main() -> int:
    problems = []
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except ImportError:
        harfbuzz_subset = None
    if not harfbuzz_subset:
        problems.append("WeasyPrint 找不到 libharfbuzz-subset0：中文 PDF 会慢约40倍")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    if "Noto Serif CJK SC" not in fonts:
        problems.append("没有 Noto Serif CJK SC 字体（fonts-noto-cjk）")
    for tool in ("pdftoppm", "pdffonts", "dot"):
        if shutil.which(tool) is None:
            problems.append(f"缺少命令 {tool}")
    if shutil.which("chromium") is None and not shutil.which("/usr/bin/chromium"):
        problems.append("缺少 /usr/bin/chromium（浏览器测试需要）")
    for p in problems:
        print(f"错误：{p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
