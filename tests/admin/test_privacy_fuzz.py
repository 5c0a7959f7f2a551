"""Random and hostile input to the data protection forms: never a server error, never an
unescaped echo, and nothing erased unless the address is typed twice and the tick given."""
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from awards.core.audit import AuditEvent
from awards.extensions import db
from tests.admin.conftest import EMAIL, MARKERS, where

HOSTILE = ('<script>alert("x")</script>', '"><img src=x onerror=alert(1)>',
           "zara.quill@example.com<svg/onload=alert(1)>", "'; DROP TABLE user; --",
           "%(email)s {{ config }} ${x}", "\u202e<b>rtl</b>", "a" * 300 + "@example.com",
           "ZARA.QUILL@EXAMPLE.COM", "zara.quill@example.com\r\nBcc: x@example.com")
FIELDS = ("email", "confirm_email", "thanks_name", "understood", "download", "csrf_token")
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=80),
                   st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
forms = st.lists(st.tuples(st.sampled_from(FIELDS), values), max_size=8)


def unescaped(page, form):
    """Submitted values with markup that came back as markup."""
    return [value for _name, value in form if "<" in value and value in page]


def test_privacy_forms_survive_random_and_hostile_input(zara, admin, client):
    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(("/admin/privacy/access", "/admin/privacy/erase")), form=forms)
    @example(path="/admin/privacy/access",
             form=[("email", HOSTILE[2]), ("thanks_name", HOSTILE[0]), ("download", "html")])
    @example(path="/admin/privacy/erase",
             form=[("email", HOSTILE[1]), ("confirm_email", HOSTILE[1]),
                   ("thanks_name", HOSTILE[0]), ("understood", "y")])
    @example(path="/admin/privacy/erase",
             form=[("email", EMAIL), ("confirm_email", HOSTILE[8]), ("understood", "y")])
    def post(path, form):
        response = client.post(path, data=MultiDict(form))
        assert response.status_code < 500, (path, form)
        if response.mimetype == "text/html":
            assert unescaped(response.get_data(as_text=True), form) == [], (path, form)

    post()
    # Zara was never erased: no example gave her address twice with the tick.
    assert where(MARKERS["nominee"]) != []
    erasures = db.session.scalars(select(AuditEvent).filter_by(action="privacy.erasure")).all()
    assert all(sum(event.details["erased"].values()) == 0 for event in erasures)
