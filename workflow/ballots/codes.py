"""One-time voting codes: made, written for people, recognised when typed back, kept only as an HMAC.

A code is 16 symbols of Crockford's base-32 alphabet (80 random bits from ``secrets``), shown
as four groups of four (``K7QM-2XPD-9HTR-4BWE``); typing is forgiving (case, spaces, dashes,
O for 0, I and L for 1). The database keeps ``HMAC-SHA256(instance key, code)`` only: without
the key, which is not in the database, a stored hash cannot be tested against guesses.

The slips of a ballot (its codes in clear, for printing) are sealed under a key derived from
the instance key until the first vote is cast: an HMAC-SHA256 keystream (counter mode) and an
HMAC tag over the ciphertext (encrypt-then-MAC), with a random nonce per ballot.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
BITS = 80
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def grouped(code: str) -> str:
    """The code as printed and typed: four groups of four."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalize(text: object) -> str | None:
    """The code a voter typed or scanned, in canonical form; None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = "".join(ch for ch in text.upper() if ch not in " -\t\r\n").translate(_TYPOS)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def code_hash(key: bytes, code: str) -> str:
    return hmac.new(key, f"ballot-code:{code}".encode(), hashlib.sha256).hexdigest()


def new_token(nbytes: int = 10) -> str:
    """A random identifier (receipts, ballot-box ids) in the same alphabet."""
    value = int.from_bytes(secrets.token_bytes(nbytes), "big")
    out = []
    for _ in range(nbytes * 8 // 5):
        value, digit = divmod(value, 32)
        out.append(ALPHABET[digit])
    return "".join(out)


def _subkey(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, f"ballot-slips:{purpose}".encode(), hashlib.sha256).digest()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = [hmac.new(key, nonce + i.to_bytes(8, "big"), hashlib.sha256).digest()
              for i in range((length + 31) // 32)]
    return b"".join(blocks)[:length]


def seal(key: bytes, ballot_id: int, codes: list[str]) -> bytes:
    plain = json.dumps(codes).encode()
    nonce = secrets.token_bytes(16)
    cipher = bytes(a ^ b for a, b in zip(plain, _stream(_subkey(key, "enc"), nonce, len(plain)), strict=True))
    tag = hmac.new(_subkey(key, "mac"), str(ballot_id).encode() + nonce + cipher, hashlib.sha256).digest()
    return nonce + tag + cipher


def unseal(key: bytes, ballot_id: int, sealed: bytes) -> list[str]:
    """The codes; ValueError when the sealed copy was altered or belongs to another ballot."""
    nonce, tag, cipher = sealed[:16], sealed[16:48], sealed[48:]
    expected = hmac.new(_subkey(key, "mac"), str(ballot_id).encode() + nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise ValueError("sealed ballot slips do not verify")
    plain = bytes(a ^ b for a, b in zip(cipher, _stream(_subkey(key, "enc"), nonce, len(cipher)), strict=True))
    codes = json.loads(plain)
    return [str(c) for c in codes]
