"""E-mails about nominations, each queued in the outbox after the change that causes it."""

from awards.core.links import make_link_token
from awards.core.mail import queue_email
from awards.core.urls import external_url

# Supporters' e-mails go to addresses the nominator (or the supporter) typed: they share one
# limit per address (awards.core.mail.throttle).
SUPPORTER_KINDS = ("nominations/supporter_invitation", "nominations/supporter_confirm")


def nominee_locale(nomination):
    """The language to write to the nominee in: the one they answered the consent page in,
    else the nominator's (the best guess for someone they know), else None (the default)."""
    consent = nomination.consent
    return (consent.locale if consent is not None else None) or nomination.locale


def supporter_locale(supporter):
    """The language a supporter wrote in, else (invited, not answered yet) the nominator's."""
    return supporter.locale or supporter.nomination.locale


def nominator_link(nomination, endpoint="nominations.open_link"):
    """The nominator's signed link back to their nomination."""
    return external_url(endpoint, token=make_link_token("nominator", nomination.id))


def nominee_link(nomination):
    """The nominee's (or guardian's) signed link to the consent page."""
    return external_url("consent.consent", token=make_link_token("nominee", nomination.id))


def supporter_link(supporter):
    """A supporter's signed link to their statement page."""
    return external_url("supporters.statement", token=make_link_token("supporter", supporter.id))


def share_link(nomination):
    """The link a nominator can copy and give to supporters themselves."""
    return external_url("supporters.join",
                   token=make_link_token("supporter-invite", nomination.id))


def send_confirm_nomination(nomination):
    """Ask an anonymous nominator to confirm their address so the nomination counts."""
    queue_email("nominations/confirm_nomination", nomination.nominator_email,
                locale=nomination.locale,
                nomination=nomination,
                link=nominator_link(nomination, "nominations.confirm_link"))


def send_nomination_receipt(nomination):
    """Tell the nominator their nomination was received, with its reference."""
    queue_email("nominations/receipt", nomination.nominator_email,
                locale=nomination.locale, nomination=nomination,
                link=nominator_link(nomination))


def send_come_back_link(nomination):
    """Send the nominator a link back to their draft or nomination."""
    queue_email("nominations/come_back", nomination.nominator_email,
                locale=nomination.locale, nomination=nomination,
                link=nominator_link(nomination), unproven=True)


def send_nominee_invitation(nomination):
    """Tell the nominee (or their parent or guardian) and ask for their consent."""
    queue_email("nominations/nominee_invitation", nomination.nominee_email,
                locale=nominee_locale(nomination),
                nomination=nomination, link=nominee_link(nomination),
                guardian=bool(nomination.consent and nomination.consent.given_by_guardian))


def send_supporter_invitation(supporter):
    """Invite a supporter to add a statement, saying who asked them: the nominator's name as
    they gave it (never their address). The supporter was chosen by the nominator, so naming
    them here tells the nominee nothing."""
    nomination = supporter.nomination
    queue_email("nominations/supporter_invitation", supporter.email,
                locale=supporter_locale(supporter), supporter=supporter,
                nomination=nomination, link=supporter_link(supporter),
                nominator_name=(nomination.nominator_name or "").strip(),
                unproven=SUPPORTER_KINDS)


def send_supporter_confirmation(supporter):
    """Ask a supporter who came through a shared link to confirm their address."""
    queue_email("nominations/supporter_confirm", supporter.email,
                locale=supporter_locale(supporter), supporter=supporter,
                nomination=supporter.nomination,
                link=external_url("supporters.confirm",
                             token=make_link_token("supporter", supporter.id)),
                unproven=SUPPORTER_KINDS)


def send_ineligible_notice(nomination, reason):
    """Tell the nominator, kindly, why the nomination cannot go forward."""
    queue_email("nominations/ineligible", nomination.nominator_email,
                locale=nomination.locale, nomination=nomination,
                reason=reason)


def send_nominee_thanks(nomination):
    """Thank a nominee who said yes to a nomination that went no further."""
    queue_email("nominations/nominee_thanks", nomination.nominee_email,
                locale=nominee_locale(nomination), nomination=nomination,
                guardian=bool(nomination.consent and nomination.consent.given_by_guardian))
