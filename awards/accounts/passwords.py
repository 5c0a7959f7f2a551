"""Password hashing with argon2id."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters
# Verified against when no account matches, so a miss takes as long as a hit.
_DUMMY_HASH = _hasher.hash("no account has this password")


def hash_password(password):
    """Return an argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(password_hash, password):
    """Whether `password` matches; pass None to spend the same time on a missing account."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
