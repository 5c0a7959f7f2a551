"""The issue as an e-mail: sanitised introduction, only what consent allows, message checks."""
from html.parser import HTMLParser

import pytest

from awards import factories as f
from awards.extensions import db
from awards.newsletter import rendering
from awards.newsletter.models import IssueStory
from awards.newsletter.services import issues
from awards.nominations.enums import ConsentStatus, NameDisplay
from awards.nominations.services.consent import save_consent, withdraw_consent
from tests.newsletter.conftest import SURNAME, assert_no_markers

HOSTILE = """Hello **neighbours**.

<script>alert('intro')</script>

[click me](javascript:alert(1)) and <a href="javascript:alert(2)">raw link</a>

<img src=x onerror=alert(3)> <iframe src="https://evil.example"></iframe>

- [our site](https://example.org/page)
"""


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def parsed(html):
    parser = Tags()
    parser.feed(html)
    return parser


@pytest.fixture
def https(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://awards.example.org")


def every_story(winners):
    """An issue featuring all three, the refuser forced in past the form's checks."""
    issue = issues.create_issue(subject="Winter news", introduction="Hello",
                                award_ids=[winners.open_award.id, winners.private_award.id])
    issue.stories.append(IssueStory(nomination_id=winners.refuser.id, position=5))
    db.session.flush()
    return issue


def test_markdown_introduction_comes_out_sanitised(app, winners):
    html = str(rendering.introduction_html(HOSTILE))
    page = parsed(html)
    assert set(page.tags) <= rendering.ALLOWED_TAGS
    assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    assert not [name for name, _value in page.attrs if name.startswith("on")]
    hrefs = [value for name, value in page.attrs if name == "href"]
    assert hrefs == ["https://example.org/page"]
    assert "<strong>neighbours</strong>" in html
    issue = issues.create_issue(subject="Hostile", introduction=HOSTILE)
    _subject, message, text = rendering.render_issue(issue)
    parts = parsed(message)
    assert "script" not in parts.tags and "iframe" not in parts.tags
    assert not [v for n, v in parts.attrs if n in ("href", "src") and "javascript" in v]
    assert not [n for n, _v in parts.attrs if n.startswith("on")]
    assert "our site (https://example.org/page)" in text
    # What was typed as HTML or a javascript: link stays as the words typed, never a link.
    assert "click me (javascript" not in text and "raw link (javascript" not in text


def test_only_what_each_winner_allowed_is_in_the_message(app, winners, https):
    issue = every_story(winners)
    subject, html, text = rendering.render_issue(issue)
    assert_no_markers(subject, html, text)
    assert [a.display_name for a in rendering.sendable_stories(issue)] == ["Cal Open", "Pia Z."]
    for part in (html, text):
        assert "Pia Z." in part and "Cal Open" in part
        assert "Cal mends bicycles" in part  # the open winner's story and area
        assert "Riverside" in part
    private = winners.private_award
    assert f"/winners/{private.key}/photo" not in html  # no photo allowed
    photo = f"https://awards.example.org/winners/{winners.open_award.key}/photo-display.jpg"
    assert f'src="{photo}"' in html
    assert all(value.startswith("https://") for name, value in parsed(html).attrs
               if name == "src")


def test_message_is_small_with_short_lines_and_placeholders(app, winners, https):
    long_paragraph = " ".join(["neighbourliness"] * 600)  # one 9,600-character line
    issue = issues.create_issue(subject="Spring news", introduction=long_paragraph,
                                award_ids=[winners.open_award.id, winners.private_award.id])
    subject, html, text = rendering.render_issue(issue)
    assert subject == "Spring news"
    assert len(html.encode()) < rendering.MAX_HTML_BYTES
    for part in (html, text):
        assert max(len(line) for line in part.splitlines()) <= rendering.MAX_LINE
        assert rendering.UNSUBSCRIBE_PLACEHOLDER in part
        assert rendering.PREFERENCES_PLACEHOLDER in part
        assert f"https://awards.example.org/newsletter/archive/{issue.reference}" in part
    # A real plain-text part: the words, the stories and their links, no markup.
    assert "<" not in text and "style=" not in text
    assert "Spring news" in text and "Cal mends bicycles for free every Saturday." in text
    assert f"https://awards.example.org/winners/{winners.open_award.key}/cal-open" in text
    assert max(len(line) for line in text.splitlines() if "://" not in line) <= 80
    assert "style=" in html and "<style" not in html  # the CSS is inlined


def test_fold_long_lines_breaks_at_spaces_and_long_words():
    folded = rendering.fold_long_lines("a " * 1000 + "b" * 2500)
    assert max(len(line) for line in folded.splitlines()) <= rendering.MAX_LINE
    assert folded.replace("\n", " ").split() == ["a"] * 1000 + ["b" * 998, "b" * 998, "b" * 504]


@pytest.mark.parametrize("change", ["withdraw", "no_newsletter", "narrow_name"])
def test_a_change_of_consent_shows_in_the_next_render(app, winners, change):
    issue = every_story(winners)
    nomination = winners.open
    if change == "withdraw":
        withdraw_consent(nomination)
    elif change == "no_newsletter":
        save_consent(nomination, status=ConsentStatus.ACCEPTED, name_display=NameDisplay.FULL,
                     publish_story=True, publish_photo=True, publish_area=True,
                     in_newsletter=False)
    else:
        save_consent(nomination, status=ConsentStatus.ACCEPTED,
                     name_display=NameDisplay.FIRST_INITIAL, in_newsletter=True)
    db.session.commit()
    _subject, html, text = rendering.render_issue(issue)
    for part in (html, text):
        assert "Cal Open" not in part and "Cal mends bicycles" not in part
        assert ("Cal O." in part) is (change == "narrow_name")
    assert f.area  # the factories module stays imported for the fixtures
    assert SURNAME not in html


def test_an_issue_too_long_for_one_message_is_not_sent(app, winners, monkeypatch):
    f.subscriber("reader@example.com")
    issue = issues.create_issue(subject="Long", introduction="Hello",
                                award_ids=[winners.open_award.id])
    monkeypatch.setattr(rendering, "MAX_HTML_BYTES", 2000)
    with pytest.raises(issues.NewsletterError):
        issues.send_issue_now(issue)
    assert issue.is_draft and issue.html_body is None
