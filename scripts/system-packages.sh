#!/usr/bin/env bash
# Install the Debian packages cadreflow needs, each only when it is missing.
#   libharfbuzz-subset0  WeasyPrint subsets CJK fonts with it (without it: ~40x slower PDFs)
#   fonts-noto-cjk       Noto Serif/Sans CJK SC, the fallback for 仿宋/小标宋/黑体
#   fonts-arphic-ukai    a 楷体-style face for opinion text
#   poppler-utils        pdftoppm, pdftotext, pdffonts (PDF tests)
#   graphviz             dot, for the state diagrams
#   chromium             the browser the Playwright tests drive (never a downloaded one)
#   redis-server         the Redis job backend the tests and CI run against (web/jobs)
# Extra packages for `make bench` are passed as arguments (e.g. wrk).
set -euo pipefail

packages=(libharfbuzz-subset0 fonts-noto-cjk fonts-arphic-ukai poppler-utils graphviz chromium redis-server "$@")
missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "正在安装缺少的系统软件包：${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "错误：缺少系统软件包 ${missing[*]}，且没有 root 权限或 sudo 来安装它们" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
