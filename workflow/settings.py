"""The typed settings the engine takes. Built by the web layer or the CLI; the
engine never reads the environment itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEFINITIONS = PROJECT_ROOT / "definitions"


@dataclass(frozen=True)
class Settings:
    database_url: str
    head_key: bytes
    definitions_dir: Path = DEFAULT_DEFINITIONS
    timezone: str = "Asia/Shanghai"
    sqlite_synchronous: str = "FULL"
    organization: str = "中共××市委组织部"  # the issuing department printed on forms
    urges_per_day: int = 1  # 催办: how often one holder of a case may be urged per (Beijing) day
