"""What the account page shows of the newsletter, and the subscribe form every page may
include. The factory hands both to the templates (accounts and public sit on the left and
cannot import the newsletter): `newsletter_account(user)` and `newsletter_form(source)`."""
from types import SimpleNamespace

from flask import current_app, request, session

from awards.core.forms import EmptyForm
from awards.core.personal import register_personal_part
from awards.newsletter.forms import AccountSubscribeForm, SubscribeForm, consent_wording
from awards.newsletter.services.subscriptions import subscriber_for_user

ACCOUNT_PREFIX = "newsletter"  # the account page has a `locale` field of its own


def newsletter_account(user):
    """The signed-in resident's subscription (or None), and the forms to subscribe or leave."""
    return SimpleNamespace(subscriber=subscriber_for_user(user),
                           form=AccountSubscribeForm(prefix=ACCOUNT_PREFIX, formdata=None),
                           action_form=EmptyForm(formdata=None))


def newsletter_form(source=None, always=False):
    """An empty subscribe form for a page (its path is the form's `source`), or None where
    the form cannot be embedded: with CSRF on, a visitor without a session would be given
    one (to hold the form's token), and the home and winner pages are cached only for
    visitors without a session. Those visitors get a link to /newsletter instead. `always`:
    a page that is never cached (the newsletter's own) embeds the form whatever."""
    config = current_app.config
    if always or not config.get("WTF_CSRF_ENABLED", True) or (
            config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in session):
        return SubscribeForm(source=source, formdata=None)
    return None


def init_newsletter_templates(app):
    """The template globals that let any page include the newsletter's partials."""
    app.jinja_env.globals.update(newsletter_account=newsletter_account,
                                 newsletter_form=newsletter_form,
                                 newsletter_source=current_path,
                                 consent_wording=consent_wording)
    register_personal_part(app, "subscribe", "newsletter/_subscribe.html", "subscribe_action")


def current_path():
    """The path of the page being shown (a macro imported without context cannot ask)."""
    return request.path
