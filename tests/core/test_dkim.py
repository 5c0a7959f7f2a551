"""DKIM signing over a real SMTP server (aiosmtpd), verified with dkimpy against the test
key pair's public half; and production's check of the DKIM settings."""
import base64
import email
import email.policy
import socket
from types import SimpleNamespace

import dkim
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from awards.core.mail import queue_email
from awards.core.mail.models import OutboxStatus
from awards.core.mail.sender import SMTPBackend, deliver_pending
from awards.extensions import db
from config import ProductionConfig
from tests.core.test_config import PRODUCTION_ENV

SENDER = "Big Citizen Awards <awards@bigcitizens.example>"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RawHandler:
    """Keeps the bytes each message arrived as (what a receiver verifies)."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(SimpleNamespace(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos),
            data=envelope.original_content))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory):
    """A fresh RSA key: the PEM file the app reads, and the DNS record a receiver looks up."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path_factory.mktemp("dkim") / "dkim.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    return SimpleNamespace(path=str(path), record=record)


def dns_for(key_pair, name=b"mail2026._domainkey.bigcitizens.example."):
    """A resolver that knows only the test key's TXT record."""
    def dnsfunc(query, timeout=5):
        return key_pair.record if query == name else None
    return dnsfunc


@pytest.fixture
def server(app, monkeypatch):
    port = free_port()
    handler = RawHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    for key, value in {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                       "MAIL_SECURITY": "none", "MAIL_USERNAME": None, "MAIL_TIMEOUT": 5.0,
                       "MAIL_DEFAULT_SENDER": SENDER}.items():
        monkeypatch.setitem(app.config, key, value)
    yield handler
    controller.stop()


@pytest.fixture
def signing(app, monkeypatch, key_pair):
    monkeypatch.setitem(app.config, "DKIM_PRIVATE_KEY_PATH", key_pair.path)
    monkeypatch.setitem(app.config, "DKIM_SELECTOR", "mail2026")
    monkeypatch.setitem(app.config, "DKIM_DOMAIN", None)
    return key_pair


def send_verification(recipient="ada@example.com"):
    queue_email("accounts/verify_email", recipient, user=SimpleNamespace(name="Ada"),
                link="https://awards.test/account/verify/token-for-ada", hours=48)
    db.session.commit()  # delivered after the commit, inline in tests


def signature_tags(data):
    message = email.message_from_bytes(data, policy=email.policy.default)
    value = "".join(str(message["DKIM-Signature"]).split())
    return dict(tag.split("=", 1) for tag in value.split(";") if tag)


def test_outbox_mail_is_signed_and_verifies(server, signing, outbox):
    send_verification()
    assert outbox()[0].status is OutboxStatus.SENT
    [arrived] = server.received
    assert (arrived.mail_from, arrived.rcpt_tos) == ("awards@bigcitizens.example",
                                                      ["ada@example.com"])
    assert dkim.verify(arrived.data, dnsfunc=dns_for(signing)) is True
    tags = signature_tags(arrived.data)
    assert (tags["d"], tags["s"], tags["a"]) == ("bigcitizens.example", "mail2026",
                                                 "rsa-sha256")
    signed = tags["h"].lower().split(":")
    for name in ("from", "to", "subject", "date", "message-id", "mime-version",
                 "content-type", "list-unsubscribe"):
        assert name in signed


def test_a_changed_subject_or_body_no_longer_verifies(server, signing):
    send_verification()
    data = server.received[0].data
    assert dkim.verify(data.replace(b"Subject: ", b"Subject: URGENT "),
                       dnsfunc=dns_for(signing)) is False
    assert dkim.verify(data.replace(b"verify", b"verifx"), dnsfunc=dns_for(signing)) is False


def test_a_list_unsubscribe_added_on_the_way_breaks_the_signature(server, signing):
    send_verification()
    head, _, body = server.received[0].data.partition(b"\r\n\r\n")
    forged = head + b"\r\nList-Unsubscribe: <https://evil.example/>\r\n\r\n" + body
    assert dkim.verify(forged, dnsfunc=dns_for(signing)) is False


def test_an_international_address_is_signed_and_sent_with_smtputf8(server, signing, outbox):
    send_verification("zoë@example.com")
    assert outbox()[0].status is OutboxStatus.SENT
    [arrived] = server.received
    assert arrived.rcpt_tos == ["zoë@example.com"]
    assert dkim.verify(arrived.data, dnsfunc=dns_for(signing)) is True


def test_dkim_domain_overrides_the_senders(server, signing, app, monkeypatch):
    monkeypatch.setitem(app.config, "DKIM_DOMAIN", "news.bigcitizens.example")
    send_verification()
    data = server.received[0].data
    assert signature_tags(data)["d"] == "news.bigcitizens.example"
    assert dkim.verify(data, dnsfunc=dns_for(
        signing, b"mail2026._domainkey.news.bigcitizens.example.")) is True


def test_without_a_key_mail_goes_unsigned(server, outbox, app):
    send_verification()
    assert outbox()[0].status is OutboxStatus.SENT
    assert b"DKIM-Signature" not in server.received[0].data
    assert SMTPBackend(app.config).signer is None


def test_a_refused_recipient_is_still_classified_when_signing(server, signing, outbox, app):
    async def refuse(server_, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"
    server.handle_RCPT = refuse
    send_verification("nobody@example.com")
    row = outbox()[0]
    assert (row.status, row.last_error) == (OutboxStatus.FAILED, "550 5.1.1 No such user")
    db.session.commit()
    assert deliver_pending().sent == 0  # never tried again


# Production: DKIM settings all or none, and the key must load.

@pytest.fixture
def production(monkeypatch, tmp_path):
    for name in ("DKIM_PRIVATE_KEY_PATH", "DKIM_SELECTOR", "DKIM_DOMAIN", "CACHE_TYPE",
                 "MAIL_DEFAULT_SENDER", "WEB_CONCURRENCY", "RATELIMIT_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))

    def check(**dkim_settings):
        for name, value in dkim_settings.items():
            monkeypatch.setenv(name, value)
        ProductionConfig().check()
    return check


@pytest.mark.parametrize("settings", [
    {"DKIM_SELECTOR": "mail2026"},
    {"DKIM_DOMAIN": "bigcitizens.example"},
    {"DKIM_PRIVATE_KEY_PATH": "KEY"},
])
def test_production_refuses_half_configured_dkim(production, key_pair, settings):
    settings = {k: key_pair.path if v == "KEY" else v for k, v in settings.items()}
    with pytest.raises(RuntimeError, match="DKIM needs both DKIM_PRIVATE_KEY_PATH and "
                                           "DKIM_SELECTOR"):
        production(**settings)


def test_production_refuses_a_key_that_does_not_load(production, tmp_path):
    not_a_key = tmp_path / "not-a-key.pem"
    not_a_key.write_text("-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE "
                         "KEY-----\n")
    with pytest.raises(RuntimeError, match="is not a readable PEM RSA private key"):
        production(DKIM_PRIVATE_KEY_PATH=str(not_a_key), DKIM_SELECTOR="mail2026")
    with pytest.raises(RuntimeError, match="is not a readable PEM RSA private key"):
        production(DKIM_PRIVATE_KEY_PATH=str(tmp_path / "missing.pem"))


def test_production_accepts_complete_dkim_settings_or_none(production, key_pair):
    production()
    production(DKIM_PRIVATE_KEY_PATH=key_pair.path, DKIM_SELECTOR="mail2026")
    production(DKIM_DOMAIN="news.bigcitizens.example")
