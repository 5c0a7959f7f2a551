"""Subscribing: the form, the confirmation link, the preferences link, the signed-in
resident's account, and the one-click unsubscribe (RFC 8058)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awards.core.forms import EmptyForm
from awards.core.links import LinkError, LinkExpired
from awards.core.security import rate_limit
from awards.core.unit_of_work import apply_change
from awards.extensions import csrf
from awards.newsletter.account import ACCOUNT_PREFIX
from awards.newsletter.forms import AccountSubscribeForm, AreasForm, SubscribeForm
from awards.newsletter.services import subscriptions

bp = Blueprint("newsletter", __name__, url_prefix="/newsletter")


def _unsubscribe_mailto():
    config = current_app.config
    return config["NEWSLETTER_UNSUBSCRIBE_MAILTO"] or config["SCHEME_CONTACT_EMAIL"]


def _link_problem(title, message, status, *, ask_again=False, how_to_unsubscribe=False):
    return render_template(
        "newsletter/link_problem.html", title=title, message=message, ask_again=ask_again,
        how_to_unsubscribe=how_to_unsubscribe, unsubscribe_mailto=_unsubscribe_mailto()), status


def _unknown_subscriber_link():
    """A preferences or unsubscribe link we do not know: 404, with how to unsubscribe."""
    return _link_problem(
        _("This link is not valid"),
        _("We could not find a subscription for this link. It may have been deleted, or the "
          "link was copied only in part."), 404, how_to_unsubscribe=True)


@bp.route("", methods=["GET", "POST"])
@rate_limit("RATELIMIT_NEWSLETTER")
def subscribe():
    """Ask for the newsletter (from this page or the form on any other); the answer is the
    same whether or not the address is known."""
    form = SubscribeForm(source=request.args.get("source"))  # from a cached page's link
    if form.validate_on_submit() and apply_change(
            lambda: subscriptions.request_subscription(**form.to_arguments()), errors=form):
        return render_template("newsletter/check_email.html")
    return render_template("newsletter/subscribe.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    """Confirm a subscription from the e-mailed link (POST; GET shows a button, as mail
    scanners open links)."""
    try:
        subscriber = subscriptions.subscriber_from_confirm_token(token)
    except LinkExpired:
        return _link_problem(
            _("This link has expired"),
            _("Links to confirm a subscription work for 72 hours."), 200, ask_again=True)
    except LinkError:
        subscriber = None
    if subscriber is None:
        return _link_problem(
            _("This link is not valid"),
            _("Please use the link from your latest email, or ask for a new one."), 404,
            ask_again=True)
    if subscriber.is_subscribed:
        return render_template("newsletter/subscribed.html", subscriber=subscriber)
    if not subscriber.is_pending:  # unsubscribed or suppressed since: an old link
        return _link_problem(
            _("This link is no longer valid"),
            _("This subscription has ended. To subscribe again, enter your email address."),
            200, ask_again=True)
    form = EmptyForm()
    if form.validate_on_submit() and apply_change(
            lambda: subscriptions.confirm_subscription(subscriber)):
        return render_template("newsletter/subscribed.html", subscriber=subscriber)
    return render_template("newsletter/confirm.html", form=form)


@bp.route("/preferences/<token>", methods=["GET", "POST"])
def preferences(token):
    """A subscriber's choices, from the link in every newsletter (no sign-in): areas, pause
    or resume, unsubscribe, delete everything (after a second press)."""
    subscriber = subscriptions.subscriber_by_token(token)
    if subscriber is None:
        return _unknown_subscriber_link()
    form, action_form = AreasForm(subscriber=subscriber), EmptyForm()
    action = request.form.get("action") if request.method == "POST" else None
    here = url_for(".preferences", token=token)
    changes = {
        "pause": (lambda: subscriptions.pause_subscription(subscriber),
                  _("Your subscription is paused.")),
        "resume": (lambda: subscriptions.resume_subscription(subscriber),
                   _("Your subscription has started again.")),
        "unsubscribe": (lambda: subscriptions.unsubscribe(subscriber, how="preferences"),
                        _("You have unsubscribed. We will send you no more newsletters.")),
    }
    if action == "areas" and subscriber.is_subscribed:
        if form.validate_on_submit() and apply_change(
                lambda: subscriptions.update_areas(subscriber, **form.to_arguments()),
                errors=form, success=_("Your areas have been saved.")):
            return redirect(here)
    elif action in changes and action_form.validate_on_submit():
        change, message = changes[action]
        if apply_change(change, success=message):
            return redirect(here)
    elif action == "delete" and action_form.validate_on_submit():
        return render_template("newsletter/confirm_delete.html", subscriber=subscriber,
                               action_form=action_form)
    elif action == "delete-confirmed" and action_form.validate_on_submit():
        if apply_change(lambda: subscriptions.forget_subscriber(subscriber)):
            return render_template("newsletter/deleted.html")
    can_resume = (not subscriber.is_subscribed and not subscriber.is_pending
                  and subscriber.confirmed_at is not None
                  and subscriber.unsubscribed_at is not None)
    return render_template("newsletter/preferences.html", subscriber=subscriber, form=form,
                           action_form=action_form, can_resume=can_resume)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail program POSTs without a session; nothing else is exempt
def unsubscribe(token):
    """One-click unsubscribe: a POST unsubscribes at once and answers 200 (no redirect, no
    cookie: the session is never touched), again the same if repeated; a GET shows one
    button that posts here."""
    subscriber = subscriptions.subscriber_by_token(token)
    if subscriber is None:
        return _unknown_subscriber_link()
    if request.method == "POST":
        apply_change(lambda: subscriptions.unsubscribe(subscriber, how="one-click"))
        return render_template("newsletter/unsubscribed.html", subscriber=subscriber)
    return render_template("newsletter/unsubscribe.html")


@bp.route("/account/subscribe", methods=["POST"])
@login_required
def account_subscribe():
    """A signed-in resident subscribes their verified address: no confirmation e-mail."""
    form = AccountSubscribeForm(prefix=ACCOUNT_PREFIX)
    if form.validate_on_submit():
        apply_change(lambda: subscriptions.subscribe_account(current_user, **form.to_arguments()),
                     success=_("You are subscribed to the newsletter."))
    else:
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "error")
    return redirect(url_for("accounts.profile"))


@bp.route("/account/unsubscribe", methods=["POST"])
@login_required
def account_unsubscribe():
    """A signed-in resident leaves the newsletter from their account page."""
    subscriber = subscriptions.subscriber_for_user(current_user)
    if subscriber is not None and EmptyForm().validate_on_submit():
        apply_change(lambda: subscriptions.unsubscribe(subscriber, how="account"),
                     success=_("You have unsubscribed from the newsletter."))
    return redirect(url_for("accounts.profile"))
