"""Account pages: register, verify, sign in and out, reset and change password, profile,
and two-factor sign-in (set up, the second step, recovery codes, turning it off)."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from awards.accounts import passkeys, services, two_factor
from awards.accounts.forms import (
    AppCodeForm,
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from awards.accounts.models import Passkey
from awards.core.forms import EmptyForm
from awards.core.languages import remember_language
from awards.core.security import rate_limit, safe_next_url
from awards.core.tokens import TokenError, peek_token
from awards.core.unit_of_work import apply_change
from awards.extensions import db

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
        elif user.is_deactivated:
            form.form_errors.append(_("This account has been closed. If you think this is a "
                                      "mistake, contact us."))
        elif not user.is_verified:
            return render_template("accounts/check_email.html", unverified=True)
        elif user.has_two_factor:
            two_factor.begin_second_step(user, remember=form.remember.data,
                                         next_url=request.args.get("next"))
            return redirect(url_for("accounts.two_factor_verify"))
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


def _next_url():
    return safe_next_url(request.args.get("next"), url_for("public.home"))


@bp.route("/two-factor/code", methods=["GET", "POST"])
@rate_limit("RATELIMIT_TWO_FACTOR")
def two_factor_verify():
    """The second step of signing in: a code from the app, or a recovery code. Also asked of
    a signed-in admin or panel member whose session has not done it (a remembered sign-in)."""
    if current_user.is_authenticated:
        user, pending = current_user._get_current_object(), {"next": request.args.get("next")}
        if not user.has_two_factor or two_factor.second_step_done(user):
            return redirect(_next_url())
    else:
        user, pending = two_factor.pending_sign_in()
        if user is None:
            flash(_("Please sign in again."), "info")
            return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    attempt = form.validate_on_submit() and apply_change(  # a wrong code's record is kept
        lambda: two_factor.check_second_factor(user, form.code.data), errors=form.code.errors)
    if attempt and attempt.value is None:
        form.code.errors.append(_("That code is not right. Check your app and try again."))
    elif attempt:
        if not current_user.is_authenticated:
            login_user(user, remember=pending.get("remember", False))
        two_factor.end_second_step(user)
        flash(_("You are signed in."), "success")
        if attempt.value == two_factor.RECOVERY:
            flash(ngettext("You used a recovery code. You have %(num)d left.",
                           "You used a recovery code. You have %(num)d left.",
                           two_factor.recovery_codes_left(user)), "info")
        return redirect(safe_next_url(pending.get("next"), url_for("public.home")))
    return render_template("accounts/two_factor_verify.html", form=form, user=user)


@bp.route("/two-factor")
@login_required
def two_factor_settings():
    """Whether two-factor sign-in is on, and the ways to change it."""
    return render_template("accounts/two_factor.html", form=AppCodeForm(),
                           disable_form=CodeForm(prefix="off"),
                           codes_left=two_factor.recovery_codes_left(current_user))


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@login_required
def two_factor_enrol():
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm with
    its first code. The recovery codes are shown once, on the answer."""
    user = current_user._get_current_object()
    if user.two_factor is not None and user.two_factor.is_confirmed:
        flash(_("Two-factor sign-in is already set up."), "info")
        return redirect(url_for("accounts.two_factor_settings"))
    secret = session.get(two_factor.ENROL_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[two_factor.ENROL_KEY] = two_factor.new_secret()
    form = AppCodeForm()
    if form.validate_on_submit():
        done = apply_change(lambda: two_factor.enrol(user, secret, form.code.data),
                            errors=form.code.errors)
        if done:
            session.pop(two_factor.ENROL_KEY, None)
            login_user(user)  # the session token changed: other devices are signed out
            two_factor.end_second_step(user)
            flash(_("Two-factor sign-in is on. Other devices have been signed out."),
                  "success")
            return render_template("accounts/recovery_codes.html", codes=done.value,
                                   next_url=_next_url())
    uri = two_factor.provisioning_uri(user, secret)
    return render_template(
        "accounts/two_factor_enrol.html", form=form,
        qr_code=two_factor.qr_code_svg(uri, _("QR code to scan with your authenticator app")),
        secret=two_factor.grouped_secret(secret))


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_required
def two_factor_recovery_codes():
    """Ten new recovery codes (the old ones stop working), with a code from the app."""
    form = AppCodeForm()
    if form.validate_on_submit():
        done = apply_change(
            lambda: two_factor.renew_recovery_codes(current_user, form.code.data),
            errors=form.code.errors)
        if done:
            return render_template("accounts/recovery_codes.html", codes=done.value,
                                   next_url=url_for("accounts.two_factor_settings"))
    return render_template("accounts/two_factor.html", form=form,
                           disable_form=CodeForm(prefix="off"),
                           codes_left=two_factor.recovery_codes_left(current_user)), 400


@bp.route("/two-factor/turn-off", methods=["POST"])
@login_required
def two_factor_disable():
    """Turn off the authenticator app, with a code from it or a recovery code."""
    form = CodeForm(prefix="off")
    if form.validate_on_submit() and apply_change(
            lambda: two_factor.disable(current_user, form.code.data), errors=form.code.errors,
            success=_("Two-factor sign-in with an app is off.")):
        return redirect(url_for("accounts.two_factor_settings"))
    return render_template("accounts/two_factor.html", form=AppCodeForm(), disable_form=form,
                           codes_left=two_factor.recovery_codes_left(current_user)), 400


def _json_credential():
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


@bp.route("/passkeys/options", methods=["POST"])
@login_required
def passkey_options():
    """The browser's options for making a passkey (static/js/passkeys.js asks)."""
    return current_app.response_class(passkeys.registration_options(current_user),
                                      mimetype="application/json")


@bp.route("/passkeys", methods=["POST"])
@login_required
def passkey_add():
    """Keep the passkey the browser made; answers JSON: where to go next, or why not."""
    data = _json_credential()
    problems = []
    user = current_user._get_current_object()
    first = not user.has_two_factor
    done = apply_change(
        lambda: passkeys.add_passkey(user, data.get("credential"), data.get("name")),
        errors=problems, success=_("Your passkey has been added."))
    if not done:
        return jsonify(error=problems[0]), 400
    if first:  # the session token changed: other devices are signed out, this one carries on
        login_user(user)
        two_factor.end_second_step(user)
    return jsonify(redirect=url_for("accounts.two_factor_settings"))


@bp.route("/passkeys/<int:passkey_id>/remove", methods=["POST"])
@login_required
def passkey_remove(passkey_id):
    """Remove one of your passkeys."""
    passkey = db.get_or_404(Passkey, passkey_id)
    if passkey.user_id != current_user.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        apply_change(lambda: passkeys.remove_passkey(current_user, passkey),
                     success=_("The passkey has been removed."))
    return redirect(url_for("accounts.two_factor_settings"))


def _second_step_user():
    """Who the second step is for: the half-signed-in user, or a signed-in one whose session
    has not done it; with what the sign-in form asked."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        if user.has_two_factor and not two_factor.second_step_done(user):
            return user, {"next": request.args.get("next")}
        return None, {}
    return two_factor.pending_sign_in()


@bp.route("/two-factor/passkey/options", methods=["POST"])
@rate_limit("RATELIMIT_TWO_FACTOR")
def passkey_sign_in_options():
    """The browser's options for the second step with a passkey."""
    user, _pending = _second_step_user()
    if user is None or not user.passkeys:
        return jsonify(error=_("Please sign in again.")), 400
    return current_app.response_class(passkeys.sign_in_options(user),
                                      mimetype="application/json")


@bp.route("/two-factor/passkey", methods=["POST"])
@rate_limit("RATELIMIT_TWO_FACTOR")
def passkey_sign_in():
    """The second step with a passkey; answers JSON: where to go next, or why not."""
    user, pending = _second_step_user()
    if user is None:
        return jsonify(error=_("Please sign in again.")), 400
    attempt = apply_change(lambda: passkeys.check_passkey(user, _json_credential()))
    if not (attempt and attempt.value):
        return jsonify(error=_("The passkey was not accepted. Try again, or enter a code.")), 400
    if not current_user.is_authenticated:
        login_user(user, remember=pending.get("remember", False))
    two_factor.end_second_step(user)
    flash(_("You are signed in."), "success")
    return jsonify(redirect=safe_next_url(pending.get("next"), url_for("public.home")))
