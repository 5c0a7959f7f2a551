"""E-mails about the public pages, each queued in the outbox with the change that causes it."""
from awards.core.mail import queue_email
from awards.core.urls import external_url
from awards.nominations.emails import nominee_locale


def send_thanks(thanks, award):
    """Pass an approved message of thanks on to the nominee (or their parent or guardian);
    None when one was passed on to them within the window (awards.core.mail.throttle): the
    people who leave messages have not proven anything about that address."""
    nomination = thanks.nomination
    return queue_email("public/thanks_forwarded", nomination.nominee_email,
                locale=nominee_locale(nomination), thanks=thanks,
                nomination=nomination,
                guardian=bool(nomination.consent and nomination.consent.given_by_guardian),
                link=external_url("public.award", key=award.key, slug=award.slug),
                unproven=True)
