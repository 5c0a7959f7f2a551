"""Account forms give the account services exactly their arguments."""
import pytest

from awards.accounts.forms import ChangePasswordForm, ProfileForm, RegisterForm, SignInForm

PASSWORD = "a long enough password"


def test_register_to_arguments(posted):
    form = posted(RegisterForm, {"name": "  Sam   Example ", "email": " sam@example.com ",
                                 "password": PASSWORD, "confirm": PASSWORD})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"name": "Sam Example", "email": "sam@example.com",
                                   "password": PASSWORD}


def test_sign_in_to_arguments(posted):
    form = posted(SignInForm, {"email": "sam@example.com ", "password": PASSWORD})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"email": "sam@example.com", "password": PASSWORD}


def test_change_password_to_arguments(posted):
    form = posted(ChangePasswordForm, {"current_password": "old one", "password": PASSWORD,
                                       "confirm": PASSWORD})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"current_password": "old one", "new_password": PASSWORD}


@pytest.mark.parametrize(("locale", "expected"), [("", None), ("en", "en")])
def test_profile_browser_language_is_none(posted, locale, expected):
    form = posted(ProfileForm, {"name": "Sam", "locale": locale})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"name": "Sam", "locale": expected}
