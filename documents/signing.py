"""PAdES signatures (pyHanko) on issued PDFs, with the instance's key and certificate.

The key and certificate are one PKCS#12 file: ``cadreflow init`` makes a
self-signed one in the instance folder (``signing.p12``, mode 0600); an
organization may point ``CADREFLOW_SIGNING_PKCS12`` at one from its CA instead.
The signature is invisible (it shows in a reader's signature panel) and is the
last change to a PDF's bytes. With ``Settings.tsa_url`` it carries an RFC 3161
timestamp. An instance with no key configured issues unsigned PDFs (and says so
in its log once).
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import warnings
from collections.abc import Awaitable
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any
from typing import TypeVar

from workflow.settings import Settings

log = logging.getLogger(__name__)
# pyHanko imports cryptography's DSA types, which cryptography 51 deprecates; nothing here signs with DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")
FIELD = "cadreflow-signature"
KEY_FILE = "signing.p12"
REASON = "出具单位电子签名"
T = TypeVar("T")


def run_async(make: Callable[[], Awaitable[T]]) -> T:
    """Run pyHanko's coroutine ``make()`` to its end from synchronous code. pyHanko's own sync
    wrappers call ``asyncio.run``, which fails in a thread whose event loop is running (a worker
    that serves with asyncio, Playwright's sync API in the tests); there it runs in a fresh thread."""
    async def main() -> T:
        return await make()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


@cache
def _signer(path: str, password: str, mtime: float) -> Any:
    from pyhanko.sign import signers

    load: Any = signers.SimpleSigner.load_pkcs12  # untyped in pyHanko
    signer = load(path, passphrase=password.encode("utf-8") or None)
    if signer is None:
        raise ValueError(f"无法读取签名证书文件：{path}（口令不符或文件损坏）")
    return signer


def signer_for(settings: Settings) -> Any:
    """The pyHanko signer of the instance, or None when no key is configured."""
    path = settings.signing_pkcs12
    if path is None:
        return None
    return _signer(str(path), settings.signing_password, Path(path).stat().st_mtime)


@cache
def _warn_unsigned() -> None:
    log.warning("no signing key configured (CADREFLOW_SIGNING_PKCS12 or cadreflow init): PDFs are unsigned")


def sign(pdf: bytes, settings: Settings) -> bytes:
    """``pdf`` with a PAdES signature (B-B, or B-T with a timestamp authority) appended."""
    signer = signer_for(settings)
    if signer is None:
        _warn_unsigned()
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256", reason=REASON,
                                        subfilter=fields.SigSeedSubFilter.PADES)

    async def signed(stamped: bool) -> Any:  # the io.BytesIO pyHanko writes
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        if not stamped:
            return await signers.PdfSigner(meta, signer=signer).async_sign_pdf(writer)
        import aiohttp

        async with aiohttp.ClientSession() as session:  # closed with the request, not left to the collector
            stamper = HTTPTimeStamper(settings.tsa_url, session=session)
            return await signers.PdfSigner(meta, signer=signer, timestamper=stamper).async_sign_pdf(writer)

    try:
        out = run_async(lambda: signed(bool(settings.tsa_url)))
    except OSError as exc:  # the TSA unreachable or refusing (pyHanko's TimestampRequestError): the
        if not settings.tsa_url:  # document is still issued, signed without its timestamp, and the log says so
            raise
        log.warning("timestamp authority %s failed (%s); signed without a timestamp", settings.tsa_url, exc)
        out = run_async(lambda: signed(False))
    return bytes(out.getvalue())


def create_self_signed(path: Path, organization: str, years: int = 10) -> Path:
    """Write a new self-signed key and certificate as PKCS#12 (no passphrase, mode 0600) at ``path``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import NoEncryption
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"{organization} 文书签名")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(b"cadreflow", key, cert, None, NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path


def certificate_of(settings: Settings) -> Any:
    """The instance's signing certificate (asn1crypto), or None when no key is configured."""
    signer = signer_for(settings)
    return None if signer is None else signer.signing_cert
