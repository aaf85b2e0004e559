"""Configuration: defaults, then the instance folder, then CADREFLOW_* variables.

Each key is parsed explicitly; nothing is guessed from strings. The secret that
signs sessions and history heads is ``CADREFLOW_SECRET_KEY`` or the key file
``cadreflow init`` writes into the instance folder (mode 0600); it is never
stored in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from workflow import Settings
from workflow.settings import SmtpSettings

KEY_FILE = "secret.key"
SIGNING_FILE = "signing.p12"  # documents.signing.KEY_FILE
log = logging.getLogger(__name__)


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class FloodLimits:
    """How many uploads and events one user, and one case, may make within ``window_minutes``."""

    window_minutes: int = 10
    uploads_per_user: int = 200
    uploads_per_case: int = 100
    events_per_user: int = 600
    events_per_case: int = 300

    @staticmethod
    def from_env() -> FloodLimits:
        big = 1_000_000
        return FloodLimits(window_minutes=env_int("CADREFLOW_FLOOD_WINDOW_MINUTES", 10, 1, 24 * 60),
                           uploads_per_user=env_int("CADREFLOW_UPLOADS_PER_USER", 200, 1, big),
                           uploads_per_case=env_int("CADREFLOW_UPLOADS_PER_CASE", 100, 1, big),
                           events_per_user=env_int("CADREFLOW_EVENTS_PER_USER", 600, 1, big),
                           events_per_case=env_int("CADREFLOW_EVENTS_PER_CASE", 300, 1, big))


@dataclass(frozen=True)
class AppConfig:
    instance: Path
    database_url: str
    secret_key: str | None
    sqlite_synchronous: str = "FULL"
    organization: str = "中共××市委组织部"
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    trusted_proxies: int = 0
    signin_address_limit: int = 200
    flood: FloodLimits = field(default_factory=lambda: FloodLimits())
    https: bool | None = None  # None: Secure cookies and HSTS unless debug, demo or testing
    demo: bool = False
    signing_pkcs12: Path | None = None
    signing_password: str = field(default="", repr=False)
    tsa_url: str = ""
    urges_per_day: int = 1  # 催办 of one holder of a case per day
    smtp: SmtpSettings = field(default_factory=lambda: SmtpSettings())
    remind_working_days: int = 3

    def settings(self) -> Settings:
        if not self.secret_key:
            raise ConfigError("没有密钥：请设置 CADREFLOW_SECRET_KEY，或先运行 cadreflow init 生成密钥文件")
        return Settings(database_url=self.database_url, head_key=derive(self.secret_key, "history-head"),
                        sqlite_synchronous=self.sqlite_synchronous, organization=self.organization,
                        signing_pkcs12=self.signing_pkcs12, signing_password=self.signing_password,
                        tsa_url=self.tsa_url, urges_per_day=self.urges_per_day, smtp=self.smtp,
                        remind_working_days=self.remind_working_days)

    @property
    def session_key(self) -> str:
        if not self.secret_key:
            raise ConfigError("没有密钥：请设置 CADREFLOW_SECRET_KEY，或先运行 cadreflow init 生成密钥文件")
        return derive(self.secret_key, "session").hex()


def derive(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), purpose.encode("utf-8"), hashlib.sha256).digest()


def instance_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or os.environ.get("CADREFLOW_INSTANCE") or "instance").resolve()


def load_config(instance: str | os.PathLike[str] | None = None) -> AppConfig:
    folder = instance_path(instance)
    url = os.environ.get("CADREFLOW_DATABASE_URL") or f"sqlite:///{folder / 'cadreflow.db'}"
    secret = os.environ.get("CADREFLOW_SECRET_KEY") or None
    key_file = folder / KEY_FILE
    if secret is None and key_file.exists():
        secret = key_file.read_text(encoding="utf-8").strip() or None
    sync = os.environ.get("CADREFLOW_SQLITE_SYNCHRONOUS", "FULL").upper()
    if sync not in ("FULL", "NORMAL", "EXTRA"):
        raise ConfigError("CADREFLOW_SQLITE_SYNCHRONOUS 只能是 FULL、NORMAL 或 EXTRA")
    organization = os.environ.get("CADREFLOW_ORGANIZATION", "").strip() or "中共××市委组织部"
    return AppConfig(folder, url, secret, sync, organization,
                     session_idle_minutes=env_int("CADREFLOW_SESSION_IDLE_MINUTES", 30, 1, 24 * 60),
                     session_max_hours=env_int("CADREFLOW_SESSION_MAX_HOURS", 12, 1, 24 * 30),
                     trusted_proxies=env_int("CADREFLOW_TRUSTED_PROXIES", 0, 0, 10),
                     signin_address_limit=env_int("CADREFLOW_SIGNIN_ADDRESS_LIMIT", 200, 1, 1_000_000),
                     flood=FloodLimits.from_env(),
                     https=env_bool("CADREFLOW_HTTPS"), demo=bool(env_bool("CADREFLOW_DEMO")),
                     signing_pkcs12=signing_file(folder), signing_password=os.environ.get(
                         "CADREFLOW_SIGNING_PASSWORD", ""), tsa_url=os.environ.get("CADREFLOW_TSA_URL", "").strip(),
                     urges_per_day=env_int("CADREFLOW_URGES_PER_DAY", 1, 1, 10), smtp=smtp_settings(),
                     remind_working_days=env_int("CADREFLOW_REMIND_WORKING_DAYS", 3, 1, 30))


def smtp_settings() -> SmtpSettings:
    """CADREFLOW_SMTP_HOST/PORT/USER/PASSWORD/FROM/STARTTLS: email notifications, off without a host."""
    host = os.environ.get("CADREFLOW_SMTP_HOST", "").strip()
    sender = os.environ.get("CADREFLOW_SMTP_FROM", "").strip()
    user = os.environ.get("CADREFLOW_SMTP_USER", "").strip()
    if host and not (sender or user):
        raise ConfigError("CADREFLOW_SMTP_FROM：配置了 CADREFLOW_SMTP_HOST 时须给出发件人地址")
    starttls = env_bool("CADREFLOW_SMTP_STARTTLS")
    return SmtpSettings(host=host, port=env_int("CADREFLOW_SMTP_PORT", 587, 1, 65535), user=user,
                        password=os.environ.get("CADREFLOW_SMTP_PASSWORD", ""), sender=sender,
                        starttls=True if starttls is None else starttls)


def signing_file(folder: Path) -> Path | None:
    """The PKCS#12 that signs issued PDFs: CADREFLOW_SIGNING_PKCS12, else the instance's signing.p12."""
    configured = os.environ.get("CADREFLOW_SIGNING_PKCS12", "").strip()
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ConfigError(f"CADREFLOW_SIGNING_PKCS12：找不到签名证书文件 {path}")
        return path
    own = folder / SIGNING_FILE
    return own if own.is_file() else None


def env_int(name: str, default: int, low: int, high: int) -> int:
    """An integer setting: ASCII digits within ``low..high``; ConfigError (in Chinese) otherwise."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and low <= int(raw) <= high):
        raise ConfigError(f"{name} 应为{low}至{high}的整数（现为 {raw!r}）")
    return int(raw)


def env_bool(name: str) -> bool | None:
    """A yes/no setting (1/true/yes/on or 0/false/no/off); None when not set."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} 只能是 1/true/yes/on 或 0/false/no/off（现为 {raw!r}）")


def exposed_files(folder: Path, limit: int = 1000) -> list[Path]:
    """Files under the instance folder that the group or others may read or write (mode & 0o077)."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*"))[:limit]:
        try:
            if path.is_file() and path.stat().st_mode & 0o077:
                found.append(path)
        except OSError:
            continue
    return found


def warn_exposed_files(folder: Path) -> None:
    """Log a warning naming the instance folder's files readable by group or others (at server start)."""
    exposed = exposed_files(folder)
    if exposed:
        names = "、".join(p.name for p in exposed[:10]) + ("等" if len(exposed) > 10 else "")
        log.warning("实例目录 %s 中有%d个文件可被同组或其他用户读取：%s。这些文件含数据库、密钥等敏感内容，"
                    "请执行 chmod 600（或 chmod -R go-rwx %s）", folder, len(exposed), names, folder)


def ensure_secret(config: AppConfig) -> AppConfig:
    """Create the instance folder and its key file (0600) when no secret is configured."""
    if config.secret_key:
        return config
    config.instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_file = config.instance / KEY_FILE
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_urlsafe(48))
    return load_config(config.instance)
