"""`cadreflow verify-pdf`: check issued PDFs (documents.verify_pdf), one line per file."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from documents.signing import certificate_of
from documents.verify_pdf import check_pdf

from .cli_base import fail
from .cli_base import open_engine
from .cli_base import user_errors
from .config import load_config


def _trusted(cert: Path | None) -> object:
    """The certificate signatures must chain to: ``--cert`` (PEM or DER), else the instance's own."""
    if cert is not None:
        from asn1crypto import pem
        from asn1crypto import x509

        data = cert.read_bytes()
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        return x509.Certificate.load(data)
    found = certificate_of(load_config().settings())
    if found is None:
        fail("没有文书签名证书：请先运行 cadreflow init，或用 --cert 给出出具单位的证书")
    return found


@click.command("verify-pdf", help="核验出具的 PDF：电子签名、内嵌记录链、页面所印事件；默认还对照数据库与文书登记")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--offline", is_flag=True, help="只做脱机核验，不对照数据库")
@click.option("--cert", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="信任的签名证书（PEM 或 DER）；不给出时用本实例的证书")
@user_errors
def verify_pdf(files: tuple[Path, ...], offline: bool, cert: Path | None) -> None:
    # pyHanko logs each failed validation with a traceback; the one line per file says it instead
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    trusted = _trusted(cert)
    engine = None if offline else open_engine(sync=False)
    failed = 0
    for path in files:
        try:
            pdf = path.read_bytes()
        except OSError as exc:
            click.echo(f"{path}：未通过：无法读取文件（{exc.strerror}）")
            failed += 1
            continue
        result = check_pdf(pdf, trusted, engine)
        click.echo(result.line(str(path)))
        failed += 0 if result.ok else 1
    if failed:
        sys.exit(1)
