"""The typed settings the engine takes. Built by the web layer or the CLI; the
engine never reads the environment itself."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEFINITIONS = PROJECT_ROOT / "definitions"


@dataclass(frozen=True)
class SmtpSettings:
    """Where notifications are also sent by email; nothing is sent while ``host`` is empty."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    starttls: bool = True
    timeout: float = 10.0


@dataclass(frozen=True)
class Settings:
    database_url: str
    head_key: bytes
    definitions_dir: Path = DEFAULT_DEFINITIONS
    timezone: str = "Asia/Shanghai"
    sqlite_synchronous: str = "FULL"
    organization: str = "中共××市委组织部"  # the issuing department printed on forms
    signing_pkcs12: Path | None = None  # the key and certificate that sign issued PDFs (documents.signing)
    signing_password: str = field(default="", repr=False)
    tsa_url: str = ""  # an RFC 3161 timestamp authority for the signatures, when set
    urges_per_day: int = 1  # 催办: how often one holder of a case may be urged per (Beijing) day
    smtp: SmtpSettings = field(default_factory=lambda: SmtpSettings())  # email notifications: off unless host
    remind_working_days: int = 3  # 临期: a deadline this many working days ahead (or fewer)
