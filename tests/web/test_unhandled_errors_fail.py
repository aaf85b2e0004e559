"""The suite fails on a logged unhandled exception (tests/conftest.py ``fail_on_unhandled_errors``).

A 500 that a test did not look at (a view that crashed while the test only checked a redirect, a
hypothesis example that hit a bug behind an error page) would otherwise pass unnoticed.
"""

from __future__ import annotations

import logging

import pytest

from tests.conftest import _Unhandled


@pytest.mark.unhandled_error_expected  # it logs one itself
def test_the_collector_keeps_unhandled_error_records_only() -> None:
    handler = _Unhandled()
    log = logging.getLogger("web.errors")
    log.addHandler(handler)
    try:
        log.error("error page %s could not be rendered", 500)
        log.warning("unhandled error on %s", "/x")  # below ERROR: not collected
        log.error("unhandled error on %s %s", "GET", "/boom")
    finally:
        log.removeHandler(handler)
    assert [r.getMessage() for r in handler.records] == ["unhandled error on GET /boom"]


@pytest.mark.unhandled_error_expected  # the inner run logs in this process too
def test_a_page_500_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("from tests.conftest import fail_on_unhandled_errors  # noqa: F401\n")
    pytester.makeini("[pytest]\nmarkers =\n    unhandled_error_expected: x\n")
    pytester.makepyfile(test_probe='''
import logging
import pytest

def test_crashes():
    logging.getLogger("web.errors").error("unhandled error on GET /x", exc_info=RuntimeError("bug"))

@pytest.mark.unhandled_error_expected
def test_expected():
    logging.getLogger("web.errors").error("unhandled error on GET /x")
''')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)  # the check fails the test at its teardown
    result.stdout.fnmatch_lines(["*1 unhandled error(s) logged: unhandled error on GET /x*"])
