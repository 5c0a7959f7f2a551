"""Kind outcomes at publication: every nominee who said yes hears something, once."""
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus, Phase
from awards.nominations.services.consent import save_consent
from awards.panels.services.publication import publish_cycle
from tests.nominations.conftest import move_to, reload
from tests.panels.conftest import decide

INVITE, THANKS = "nominations/nominee_invitation", "nominations/nominee_thanks"


def test_a_consented_nominee_never_in_judging_is_thanked_at_publication(judging, eligible,
                                                                          outbox):
    j = judging(1, 2)
    move_to(j.cycle, Phase.NOMINATING)
    late = eligible(j.cycle, statements=0, nominee_name="Lena Late",
                    nominee_email="late@example.com")
    move_to(j.cycle, Phase.ANNOUNCED)
    save_consent(late, status=ConsentStatus.ACCEPTED)  # said yes after judging started
    decide(j.panel, j.nominations[0], "winner", j.chair.user)
    db.session.commit()

    publish_cycle(j.cycle, actor=j.admin)
    db.session.commit()

    assert reload(late).status is NominationStatus.ELIGIBLE
    messages = outbox("late@example.com")
    assert [m.kind for m in messages] == [INVITE, THANKS]
    assert messages[1].subject == "Thank you for all you do"
    assert "Hello Lena Late," in messages[1].text_body
