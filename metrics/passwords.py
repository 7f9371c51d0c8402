"""Passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory profile), random
passwords to hand out, and the rule a chosen password must meet. A password never leaves this
module other than as its hash, and is never logged."""
from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from metrics.errors import MetricsError

MIN_LENGTH = 10
# Letters and digits that cannot be mistaken for each other when read off a terminal.
HANDED_OUT_ALPHABET = "".join(c for c in string.ascii_letters + string.digits
                              if c not in "0OoIl1")
HANDED_OUT_LENGTH = 16

HASHER = PasswordHasher()


class WeakPassword(MetricsError):
    hint = f"密码至少 {MIN_LENGTH} 个字符，且不能与用户名相同。"


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def matches(password_hash: str, password: str) -> bool:
    """Whether the password is the one hashed (a damaged hash matches nothing)."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def random_password() -> str:
    """A password to print once for a new or reset account."""
    return "".join(secrets.choice(HANDED_OUT_ALPHABET) for _ in range(HANDED_OUT_LENGTH))


def check_strength(password: str, user_name: str) -> None:
    """Raise WeakPassword for a password that is too short or is the user's name."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码太短（{len(password)} 个字符）。")
    if password.strip().lower() == user_name.strip().lower():
        raise WeakPassword("密码不能与用户名相同。")
