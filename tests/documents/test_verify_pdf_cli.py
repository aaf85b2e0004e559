"""`cadreflow init` makes the signing key; `cadreflow verify-pdf` checks files, one line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents import render_history
from documents.signing import create_self_signed
from web.config import load_config
from workflow import Engine

from ..engine.test_cli import cli
from .scenarios import PERSON
from .scenarios import add_users
from .scenarios import fire
from .test_issue import SUBMIT


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    folder = tmp_path / "instance"
    run = cli(folder, "init")
    assert run.returncode == 0, run.stderr
    assert "自签名的文书签名证书" in run.stdout
    return folder


def test_init_makes_a_private_signing_key_once(instance: Path) -> None:
    key = instance / "signing.p12"
    assert key.stat().st_mode & 0o777 == 0o600
    before = key.read_bytes()
    again = cli(instance, "init")
    assert again.returncode == 0 and "自签名" not in again.stdout and key.read_bytes() == before


def test_verify_pdf_one_line_per_file_and_exit_1_on_any_failure(instance: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CADREFLOW_DATABASE_URL", "CADREFLOW_SECRET_KEY", "CADREFLOW_SIGNING_PKCS12"):
        monkeypatch.delenv(name, raising=False)
    engine = Engine(load_config(instance).settings())
    try:
        a = add_users(engine)
        person = engine.people.create(PERSON, a["rec"])
        case = engine.start_case("signed_recommendation", a["rec"], title="署名推荐", subject_id=person.id,
                                 data={"recommender": "rec"})
        fire(engine, case.id, "submit", a["rec"], SUBMIT)
        good = tmp_path / "good.pdf"
        good.write_bytes(render_history(engine, case.id, a["aud"]))
    finally:
        engine.dispose()
    bad = tmp_path / "bad.pdf"
    data = bytearray(good.read_bytes())
    data[data.index(b"/Title") + 1] = ord("t")
    bad.write_bytes(bytes(data))

    ok = cli(instance, "verify-pdf", str(good))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    passed = "签名有效；内嵌记录链2项核验通过；页面事件与内嵌记录一致；与数据库一致"
    assert ok.stdout.splitlines() == [f"{good}：通过（{passed}）"]
    both = cli(instance, "verify-pdf", "--offline", str(good), str(bad))
    lines = both.stdout.splitlines()
    assert both.returncode == 1 and len(lines) == 2
    assert lines[0].startswith(f"{good}：通过") and lines[1].startswith(f"{bad}：未通过：签名与文件内容不符")
    other = tmp_path / "other.pem"
    other.write_bytes(_other_certificate_pem(tmp_path))
    untrusted = cli(instance, "verify-pdf", "--offline", "--cert", str(other), str(good))
    assert untrusted.returncode == 1 and "Traceback" not in untrusted.stderr + untrusted.stdout
    assert untrusted.stdout.splitlines() == [f"{good}：未通过：签名证书不是本机构的文书签名证书"]
    missing = cli(instance, "verify-pdf", str(tmp_path / "none.pdf"))
    assert missing.returncode == 1 and "无法读取文件" in missing.stdout


def _other_certificate_pem(tmp_path: Path) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.hazmat.primitives.serialization import pkcs12

    p12 = create_self_signed(tmp_path / "other.p12", "别的单位").read_bytes()
    cert = pkcs12.load_key_and_certificates(p12, None)[1]
    assert cert is not None
    return cert.public_bytes(Encoding.PEM)


def test_an_organization_configures_its_own_pkcs12(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from web.config import ConfigError

    own = create_self_signed(tmp_path / "org.p12", "江州市委组织部")
    monkeypatch.setenv("CADREFLOW_SIGNING_PKCS12", str(own))
    monkeypatch.setenv("CADREFLOW_TSA_URL", "http://tsa.invalid/tsr")
    config = load_config(tmp_path / "instance")
    assert config.signing_pkcs12 == own and config.tsa_url == "http://tsa.invalid/tsr"
    monkeypatch.setenv("CADREFLOW_SIGNING_PKCS12", str(tmp_path / "missing.p12"))
    with pytest.raises(ConfigError, match="CADREFLOW_SIGNING_PKCS12：找不到签名证书文件"):
        load_config(tmp_path / "instance")
