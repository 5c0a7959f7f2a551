"""E-mailed link tokens: hashed at rest, single-use, expiring and bound to one purpose."""
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from awards.core.db import utcnow
from awards.core.tokens import Token, TokenError, issue_token, peek_token, revoke_tokens, use_token
from awards.extensions import db


def stored(raw):
    db.session.flush()
    return db.session.scalar(
        select(Token).where(Token.digest == hashlib.sha256(raw.encode()).hexdigest())
    )


def test_issue_token_stores_only_the_sha256_digest(make_user):
    user = make_user()

    raw = issue_token(user, "verify_email", 48)
    db.session.commit()

    token = stored(raw)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert (token.user_id, token.purpose, token.used_at) == (user.id, "verify_email", None)
    assert timedelta(hours=47, minutes=59) < token.expires_at - utcnow() <= timedelta(hours=48)
    # The raw value appears nowhere in the database, in any table.
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(text(f'SELECT * FROM "{table.name}"')).all()
        assert not any(raw in str(value) for row in rows for value in row), table.name


def test_issue_token_returns_a_different_long_value_each_time(make_user):
    user = make_user()

    values = {issue_token(user, "verify_email", 1) for _ in range(20)}

    assert len(values) == 20
    assert min(len(v) for v in values) >= 40


def test_use_token_works_once(make_user):
    user = make_user()
    raw = issue_token(user, "reset_password", 1)

    token = use_token(raw, "reset_password")

    assert token.user_id == user.id
    assert token.used_at is not None
    with pytest.raises(TokenError, match="This link has already been used."):
        use_token(raw, "reset_password")
    with pytest.raises(TokenError, match="This link has already been used."):
        peek_token(raw, "reset_password")


def test_peek_token_does_not_use_it(make_user):
    user = make_user()
    raw = issue_token(user, "verify_email", 1)

    assert peek_token(raw, "verify_email").used_at is None
    assert use_token(raw, "verify_email").used_at is not None


def test_expired_token_is_refused(make_user):
    user = make_user()
    raw = issue_token(user, "verify_email", 1)
    stored(raw).expires_at = utcnow() - timedelta(seconds=1)

    with pytest.raises(TokenError, match="This link has expired."):
        use_token(raw, "verify_email")
    assert stored(raw).used_at is None


def test_token_is_bound_to_its_purpose(make_user):
    user = make_user()
    raw = issue_token(user, "reset_password", 1)

    with pytest.raises(TokenError, match="This link is not valid."):
        use_token(raw, "verify_email")
    assert stored(raw).used_at is None
    assert use_token(raw, "reset_password").user_id == user.id


@pytest.mark.parametrize("raw", ["", None, "made-up-value", "x" * 500])
def test_unknown_token_is_refused(make_user, raw):
    issue_token(make_user(), "verify_email", 1)

    with pytest.raises(TokenError, match="This link is not valid."):
        use_token(raw, "verify_email")


def test_a_stored_digest_is_not_a_working_token(make_user):
    raw = issue_token(make_user(), "verify_email", 1)

    with pytest.raises(TokenError, match="This link is not valid."):
        use_token(stored(raw).digest, "verify_email")


def test_revoke_tokens_ends_only_that_users_tokens_for_that_purpose(make_user):
    user, other = make_user(), make_user()
    resets = [issue_token(user, "reset_password", 1) for _ in range(2)]
    verify = issue_token(user, "verify_email", 1)
    others_reset = issue_token(other, "reset_password", 1)
    db.session.flush()

    revoke_tokens(user, "reset_password")

    assert all(stored(raw).used_at is not None for raw in resets)
    assert stored(verify).used_at is None
    assert stored(others_reset).used_at is None
