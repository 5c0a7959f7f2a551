"""DKIM signing (dkimpy) of every message the SMTP backend sends, when a key is configured.

DKIM_PRIVATE_KEY_PATH (a PEM RSA key) and DKIM_SELECTOR turn it on; DKIM_DOMAIN defaults to
MAIL_DEFAULT_SENDER's domain. The public half is published in DNS as the TXT record
`<selector>._domainkey.<domain>`: `v=DKIM1; k=rsa; p=<base64 public key>`.
"""
from email.utils import parseaddr
from pathlib import Path

# Signed when present; a listed header that is absent is signed as absent, so it cannot be
# added on the way (a forged List-Unsubscribe, say).
SIGNED_HEADERS = (
    b"from", b"to", b"subject", b"date", b"message-id", b"list-unsubscribe",
    b"list-unsubscribe-post", b"list-id", b"mime-version", b"content-type",
)


class SigningError(Exception):
    """The configured key cannot sign."""


def sender_domain(sender):
    """The domain of an address such as `Big Citizen Awards <awards@example.org>`."""
    return parseaddr(sender)[1].rpartition("@")[2].lower() or None


def load_key(path):
    """The PEM private key at `path`; raise SigningError when it is missing or unreadable."""
    import dkim.crypto  # dkimpy pulls in dnspython: imported only when DKIM is configured

    try:
        data = Path(path).read_bytes()
        dkim.crypto.parse_pem_private_key(data)
    except (OSError, ValueError, dkim.crypto.UnparsableKeyError) as error:
        raise SigningError(f"cannot load the DKIM key {path}: {error}") from error
    return data


class Signer:
    """Signs serialised messages with one key, selector and domain."""

    def __init__(self, selector, domain, key):
        self.selector = selector.encode("ascii")
        self.domain = domain.encode("ascii")
        self.key = key

    @classmethod
    def from_config(cls, config):
        """The configured signer, or None when DKIM is not set up."""
        path, selector = config.get("DKIM_PRIVATE_KEY_PATH"), config.get("DKIM_SELECTOR")
        if not path or not selector:
            return None
        domain = config.get("DKIM_DOMAIN") or sender_domain(config["MAIL_DEFAULT_SENDER"])
        return cls(selector, domain, load_key(path))

    def sign(self, message):
        """`message` (bytes, CRLF line ends) with its DKIM-Signature header in front."""
        import dkim

        signature = dkim.sign(message, self.selector, self.domain, self.key,
                              include_headers=list(SIGNED_HEADERS))
        return signature + message
