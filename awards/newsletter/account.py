"""What the account page shows of the newsletter, and the subscribe form every page may
include. The factory hands both to the templates (accounts and public sit on the left and
cannot import the newsletter): `newsletter_account(user)` and `newsletter_form(source)`."""
from types import SimpleNamespace

from awards.core.forms import EmptyForm
from awards.newsletter.forms import AccountSubscribeForm, SubscribeForm, consent_wording
from awards.newsletter.services.subscriptions import subscriber_for_user

ACCOUNT_PREFIX = "newsletter"  # the account page has a `locale` field of its own


def newsletter_account(user):
    """The signed-in resident's subscription (or None), and the forms to subscribe or leave."""
    return SimpleNamespace(subscriber=subscriber_for_user(user),
                           form=AccountSubscribeForm(prefix=ACCOUNT_PREFIX, formdata=None),
                           action_form=EmptyForm(formdata=None))


def newsletter_form(source=None):
    """An empty subscribe form for a page (its path is the form's `source`)."""
    return SubscribeForm(source=source, formdata=None)


def init_newsletter_templates(app):
    """The template globals that let any page include the newsletter's partials."""
    app.jinja_env.globals.update(newsletter_account=newsletter_account,
                                 newsletter_form=newsletter_form,
                                 consent_wording=consent_wording)
