"""E-mails about judging, each queued in the outbox with the change that causes it."""
from flask import current_app

from awards.core.mail import queue_email
from awards.core.urls import external_url
from awards.nominations.emails import nominator_link, nominee_locale


def send_invitation(member, password_link=None):
    """Tell someone they are on a panel: a link to choose a password if the account is new."""
    link = (external_url("accounts.reset_password", token=password_link) if password_link
            else external_url("panels.dashboard"))
    queue_email("panels/invitation", member.user.email, member=member, panel=member.panel,
                link=link, new_account=password_link is not None)


def send_reminder(member, left):
    """Remind a member of the reviews they still have to do."""
    queue_email("panels/reminder", member.user.email, member=member, panel=member.panel,
                left=left, link=external_url("panels.judge", panel_id=member.panel_id))


NOMINEE_KINDS = ("winner", "commended", "thank_you")
PUBLIC_KINDS = ("winner", "commended")


def feedback_for_nominee(nomination):
    """The chair's feedback, if they ticked it to go to the nominee too, and the nominee
    consented (only they hear their result); never the private rationale. Else ""."""
    decision = nomination.decision
    if not (nomination.nominee_consented and decision is not None
            and decision.feedback_to_nominee):
        return ""
    return decision.feedback


def send_result(kind, recipient, nomination):
    """One of publication's messages: winner, commended, thank_you (nominees, with the
    chair's feedback if ticked; winners and highly commended with their public page and
    certificate, once listed), outcome (nominator, with the link back to their nomination).
    A nominator whose nominee has withdrawn hears only that the nomination is not among the
    awards, not the outcome."""
    decision = nomination.decision if nomination.nominee_consented else None
    # The public pages (right of panels) hand over their lookup through the factory.
    links = (current_app.extensions["public_links"](nomination)
             if kind in PUBLIC_KINDS and decision is not None else None)
    locale = nominee_locale(nomination) if kind in NOMINEE_KINDS else nomination.locale
    queue_email(f"panels/{kind}", recipient, locale=locale, nomination=nomination,
                decision=decision, cycle=nomination.cycle,
                feedback=feedback_for_nominee(nomination) if kind in NOMINEE_KINDS else "",
                public_links=links,
                link=nominator_link(nomination) if kind == "outcome" else None)
