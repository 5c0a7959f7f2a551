"""`flask users create-admin`: the first admin account, made from the command line."""
import pytest
from sqlalchemy import func, select

from awards.accounts.enums import Role
from awards.accounts.models import User
from awards.accounts.passwords import verify_password
from awards.core.audit import AuditEvent
from awards.extensions import db

PASSWORD = "a long admin password"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args, **kwargs):
        return runner.invoke(args=["users", "create-admin", *args], **kwargs)

    return invoke


def users():
    db.session.expire_all()
    return db.session.scalars(select(User).order_by(User.id)).all()


def actions_about(user):
    return db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == user.id).order_by(AuditEvent.id)
    ).all()


def test_create_admin_makes_a_verified_admin(run):
    result = run("--email", "Ada@Example.com", "--name", "Ada Admin", "--password", PASSWORD)

    assert result.exit_code == 0, result.output
    assert result.output == "Admin account created for Ada@Example.com.\n"
    [admin] = users()
    assert (admin.email, admin.name) == ("ada@example.com", "Ada Admin")
    assert admin.is_verified
    assert admin.has_role(Role.ADMIN)
    assert admin.password_hash.startswith("$argon2id$")
    assert verify_password(admin.password_hash, PASSWORD)
    assert actions_about(admin) == ["user.created", "user.role_granted"]
    granted = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_granted"))
    assert (granted.actor_id, granted.details) == (None, {"role": "admin"})


def test_create_admin_prompts_for_missing_values(run):
    result = run(input=f"ada@example.com\nAda Admin\n{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert result.output.endswith("Admin account created for ada@example.com.\n")
    assert PASSWORD not in result.output  # the password is not echoed
    [admin] = users()
    assert admin.has_role(Role.ADMIN) and verify_password(admin.password_hash, PASSWORD)


def test_create_admin_duplicate_email_fails_clearly(run, make_user):
    existing = make_user(name="Sam Resident", email="sam@example.com")
    old_hash = existing.password_hash

    result = run("--email", "SAM@example.com", "--name", "Sam Admin", "--password", PASSWORD)

    assert result.exit_code == 1
    assert result.output == "Error: An account for sam@example.com already exists.\n"
    [user] = users()
    assert (user.name, user.password_hash) == ("Sam Resident", old_hash)
    assert not user.has_role(Role.ADMIN)
    assert actions_about(user) == ["user.created"]


def test_create_admin_refuses_a_short_password(run):
    result = run("--email", "ada@example.com", "--name", "Ada Admin", "--password", "too short")

    assert result.exit_code == 2
    assert ("Error: Invalid value for password: the password must be at least 10 characters"
            in result.output)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
