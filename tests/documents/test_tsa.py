"""PAdES B-T: with ``Settings.tsa_url`` the signature carries an RFC 3161 timestamp from that authority
(here a local one over HTTP, answering with pyHanko's test stamper under its own certificate); a TSA that
cannot be reached leaves the document signed without a timestamp, never unissued."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from asn1crypto import keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

from documents.signing import certificate_of
from documents.signing import run_async
from documents.signing import sign
from workflow.settings import Settings

from ..conftest import HEAD_KEY


def _tsa_identity() -> tuple[asn1_x509.Certificate, keys.PrivateKeyInfo]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试时间戳服务")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)), keys.PrivateKeyInfo.load(der_key)


@pytest.fixture(scope="module")
def tsa() -> Iterator[tuple[str, asn1_x509.Certificate, list[int]]]:
    """(url, certificate, how many requests it answered) of an RFC 3161 authority on localhost."""
    from pyhanko.sign.timestamps import DummyTimeStamper

    cert, key = _tsa_identity()
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key)
    answered = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            answered[0] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/tsa", cert, answered
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def _blank_pdf() -> bytes:
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _status(pdf: bytes, signer_cert: Any, tsa_cert: Any) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    (sig,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return run_async(lambda: async_validate_pdf_signature(
        sig, ValidationContext(trust_roots=[signer_cert]), ts_validation_context=ValidationContext(
            trust_roots=[tsa_cert])))


def test_the_signature_carries_the_authoritys_timestamp(tsa: Any, signing_key: Path, tmp_path: Path) -> None:
    url, tsa_cert, answered = tsa
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", head_key=HEAD_KEY,
                        signing_pkcs12=signing_key, tsa_url=url)
    before = answered[0]
    signed = sign(_blank_pdf(), settings)
    assert answered[0] > before  # pyHanko also asks once for a token to size the signature
    status = _status(signed, certificate_of(settings), tsa_cert)
    assert status.intact and status.valid
    stamp = status.timestamp_validity
    assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    assert abs(stamp.timestamp - datetime.now(UTC)) < timedelta(minutes=5)


def test_an_unreachable_authority_leaves_the_document_signed_without_a_timestamp(
        signing_key: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", head_key=HEAD_KEY,
                        signing_pkcs12=signing_key, tsa_url="http://127.0.0.1:9/tsa")  # discard: nobody answers
    signed = sign(_blank_pdf(), settings)
    status = _status(signed, certificate_of(settings), certificate_of(settings))
    assert status.intact and status.valid and status.timestamp_validity is None
    assert "signed without a timestamp" in caplog.text
