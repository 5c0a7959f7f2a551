"""Password hashing with argon2id.

argon2 (with cffi, 0.5 MB) is imported where a password is hashed or checked: most of a web
worker's requests never do (tests/core/test_imports.py)."""
import functools

from flask import current_app, has_app_context

# The library's defaults (RFC 9106 low-memory profile) everywhere but the test suite, which
# hashes hundreds of passwords: there a cheap argon2id keeps the suite fast.
PROFILES = {
    "standard": {},
    "fast-for-tests": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
}


@functools.cache
def _hasher(profile):
    from argon2 import PasswordHasher

    return PasswordHasher(**PROFILES[profile])


def _profile():
    if not has_app_context():
        return "standard"
    return current_app.config.get("PASSWORD_HASHING", "standard")


@functools.cache
def _dummy_hash(profile):
    # Verified against when no account matches, so a miss takes as long as a hit.
    return _hasher(profile).hash("no account has this password")


def hash_password(password):
    """Return an argon2id hash of `password`."""
    return _hasher(_profile()).hash(password)


def verify_password(password_hash, password):
    """Whether `password` matches; pass None to spend the same time on a missing account."""
    from argon2.exceptions import InvalidHashError, VerificationError

    profile = _profile()
    try:
        matched = _hasher(profile).verify(password_hash or _dummy_hash(profile), password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and bool(password_hash)


def needs_rehash(password_hash):
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher(_profile()).check_needs_rehash(password_hash)
