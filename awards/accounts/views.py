"""Account pages: register, verify, sign in and out, reset and change password, profile."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from awards.accounts import services
from awards.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from awards.core.forms import EmptyForm
from awards.core.languages import remember_language
from awards.core.security import rate_limit, safe_next_url
from awards.core.tokens import TokenError, peek_token
from awards.core.unit_of_work import apply_change

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.route("/register", methods=["GET", "POST"])
@rate_limit("RATELIMIT_REGISTER")
def register():
    """Create an account; the answer is the same whether or not the address is known."""
    form = RegisterForm()
    if form.validate_on_submit() and apply_change(
            lambda: services.register_user(**form.to_arguments())):
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/check-your-email")
def check_email():
    """Tell the person to look for the verification link."""
    return render_template("accounts/check_email.html")


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token):
    """Confirm an e-mail address: GET shows a button, POST uses the link (scanners only GET)."""
    form = EmptyForm()
    if form.validate_on_submit():
        problems = []
        if apply_change(lambda: services.verify_email(token), errors=problems,
                        success=_("Thank you: your email address is confirmed. You can now "
                                  "sign in.")):
            return redirect(url_for("accounts.sign_in"))
        return render_template("accounts/link_problem.html", message=problems[0]), 400
    try:
        peek_token(token, services.VERIFY)
    except TokenError as error:
        return render_template("accounts/link_problem.html", message=str(error)), 400
    return render_template("accounts/verify_email.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
@rate_limit("RATELIMIT_SIGN_IN")
def sign_in():
    """Sign in; a wrong address and a wrong password get the same answer."""
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next"), url_for("public.home")))
    form = SignInForm()
    attempt = form.validate_on_submit() and apply_change(  # a failure's audit record is kept
        lambda: services.sign_in(**form.to_arguments()))
    if attempt:
        user = attempt.value
        if user is None:
            form.password.errors.append(_("The email address or password is not right"))
        elif not user.is_verified:
            return render_template("accounts/check_email.html", unverified=True)
        else:
            login_user(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(safe_next_url(request.args.get("next"), url_for("public.home")))
    return render_template("accounts/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    """Sign out of every device (the session token changes, so all cookies stop working)."""
    form = EmptyForm()
    if form.validate_on_submit() and apply_change(
            lambda: services.sign_out_everywhere(current_user)):
        # Everything this browser's session held goes too, such as the nominations its
        # e-mailed links opened (before logout_user, which asks to clear the remember cookie).
        session.clear()
        logout_user()
        flash(_("You are signed out on every device."), "success")
    return redirect(url_for("public.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@rate_limit("RATELIMIT_RESET")
def forgot_password():
    """Ask for a reset link; the answer never says whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit() and apply_change(
            lambda: services.request_password_reset(form.email.data)):
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Choose a new password from an e-mailed link."""
    try:
        peek_token(token, services.RESET)
    except TokenError as error:
        return render_template("accounts/link_problem.html", message=str(error), reset=True), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        problems = []  # the link was used in another tab meanwhile
        if not apply_change(lambda: services.reset_password(token, form.password.data),
                            errors=problems):
            return render_template("accounts/link_problem.html", message=problems[0],
                                   reset=True), 400
        logout_user()
        flash(_("Your password has been changed. Please sign in with your new password."),
              "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other session ends, this one carries on."""
    form = ChangePasswordForm()
    if form.validate_on_submit() and apply_change(
            lambda: services.change_password(current_user, **form.to_arguments()),
            errors=form.current_password.errors):
        login_user(current_user._get_current_object())
        flash(_("Your password has been changed. Other devices have been signed out."),
              "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """See and edit your name and language."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit() and apply_change(
            lambda: services.update_profile(current_user, **form.to_arguments()),
            success=_("Your details have been saved.")):
        # The saved language is this browser's too, whatever the footer's link chose before.
        return remember_language(redirect(url_for("accounts.profile")), current_user.locale)
    return render_template("accounts/profile.html", form=form, sign_out_form=EmptyForm())
