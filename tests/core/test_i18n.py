"""Every string a person reads is extracted for translation; the Welsh catalogue is complete;
the language is chosen, remembered and kept apart in the page cache; dates are Flask-Babel's.

(a) templates: text outside `{{ _() }}`/`{% trans %}` fails, (b) Python: literals given to
flash(), to the service errors and to form fields fail unless wrapped, (c) `-m welsh_catalogue`:
messages.po translates every msgid of a fresh extraction.
"""
import ast
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, get_locale
from jinja2 import nodes

from awards.core.dates import format_day, format_moment
from awards.core.mail.compose import queue_email
from awards.extensions import db

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
TRANSLATIONS = ROOT / "awards" / "translations"
# Developer-only pages (the /dev mailbox exists only where DEV_TOOLS is on): not translated.
UNTRANSLATED_TEMPLATES = {"dev"}
# Text that is the same in every language.
ALLOWED_TEXT = {
    "Subject:",  # the e-mail's header line: render_email reads it, the subject is translated
}
TRANSLATION_CALLS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext",
                     "pgettext", "npgettext"}
# Attributes whose values people read (or hear, with a screen reader).
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
PLACEHOLDER = "\x00"


def _template_paths():
    for path in sorted(TEMPLATES.rglob("*")):
        relative = path.relative_to(TEMPLATES)
        if path.suffix in (".html", ".txt") and relative.parts[0] not in UNTRANSLATED_TEMPLATES:
            yield relative


def _flatten(node, out):
    """The template's literal text in source order, with PLACEHOLDER for each expression
    (so an attribute with `{{ }}` in it stays one attribute)."""
    if isinstance(node, nodes.TemplateData):
        out.append(node.data)
    elif isinstance(node, nodes.Output):
        for child in node.nodes:
            _flatten(child, out)
    elif isinstance(node, nodes.Expr):
        out.append(PLACEHOLDER)
    else:
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Node) and not isinstance(child, nodes.Expr):
                _flatten(child, out)
            elif isinstance(child, nodes.Expr) and isinstance(node, nodes.Output):
                out.append(PLACEHOLDER)


def untranslated_text(app, relative):
    """Pieces of a template's own text a reader would see untranslated."""
    source = (TEMPLATES / relative).read_text()
    out = []
    _flatten(app.jinja_env.parse(source, name=str(relative)), out)
    text = "".join(out)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S | re.I)
    found = []
    for attribute in READ_ATTRIBUTES:
        for value in re.findall(rf'\s{attribute}="([^"]*)"', text):
            if re.search(r"[A-Za-z]", value.replace(PLACEHOLDER, "")):
                found.append(f'{attribute}="{value}"')
    text = re.sub(r"<[^<>]*>", " ", text)  # tags and their attributes
    text = re.sub(r"&[#A-Za-z0-9]+;", " ", text)  # entities (&nbsp; &times; ...)
    for piece in text.split(PLACEHOLDER):
        for line in piece.splitlines():
            line = line.strip()
            if line and line not in ALLOWED_TEXT and re.search(r"[A-Za-z]", line):
                found.append(line)
    return found


def test_i18n_templates_have_no_untranslated_text(app):
    problems = {str(relative): found for relative in _template_paths()
                if (found := untranslated_text(app, relative))}
    assert problems == {}


def test_i18n_template_check_finds_untranslated_text(app, tmp_path, monkeypatch):
    """The check above is not vacuous: plain text, a read attribute and text beside an
    expression are found; markup, class names, URLs and translated text are not."""
    monkeypatch.setattr(f"{__name__}.TEMPLATES", tmp_path)
    (tmp_path / "t.html").write_text(
        '<p class="lead">{{ _("Fine") }} &nbsp;<a href="/x?y=z">{{ name }}</a></p>\n'
        '<img src="a.png" alt="A photo"><p>{{ name }} Hello</p>'
        '<span {% if x %}aria-current="page"{% endif %}>{% trans %}Also fine{% endtrans %}</span>')
    assert untranslated_text(app, Path("t.html")) == ['alt="A photo"', "Hello"]


def _python_files():
    return sorted((ROOT / "awards").rglob("*.py"))


def _error_classes():
    """Exceptions whose messages people read: ServiceError and its subclasses, and the link
    errors the views show."""
    names = {"ServiceError", "TokenError", "LinkError"}
    trees = [ast.parse(path.read_text()) for path in _python_files()]
    while True:
        found = {node.name for tree in trees for node in ast.walk(tree)
                 if isinstance(node, ast.ClassDef)
                 and any(isinstance(base, ast.Name) and base.id in names for base in node.bases)}
        if found <= names:
            return names
        names |= found


def _call_name(call):
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _is_literal(node):
    """A string literal, an f-string, or strings joined with + or %."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(re.search(r"[A-Za-z]", node.value))
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_literal(node.left) or _is_literal(node.right)
    return False


# Validators whose first positional argument is the message.
MESSAGE_FIRST = {"DataRequired", "InputRequired", "Email"}


def unmarked_strings(source, errors):
    """(line, what) for each literal given unwrapped to flash(), an error, or a form field."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name in TRANSLATION_CALLS:
            continue
        checked = [kw.value for kw in node.keywords if kw.arg in ("message", "label")]
        if name == "flash" or name in errors or name in MESSAGE_FIRST:
            checked += node.args[:1]
        if name and name.endswith("Field"):  # WTForms: the label, and the hint under it
            checked += node.args[:1]
            checked += [kw.value for kw in node.keywords if kw.arg == "description"]
        found += [(value.lineno, f"{name}({ast.unparse(value)[:60]})")
                  for value in checked if _is_literal(value)]
    return found


def test_i18n_python_strings_are_marked():
    errors = _error_classes()
    assert {"NominationError", "PanelError", "AccountError", "PublicError"} <= errors
    problems = {str(path.relative_to(ROOT)): found for path in _python_files()
                if (found := unmarked_strings(path.read_text(), errors))}
    assert problems == {}


def test_i18n_python_check_finds_unmarked_strings():
    source = '''
flash("Saved.", "success")
flash(_("Saved."), "success")
raise PanelError(f"{name} is on the panel.")
raise PanelError(_("%(name)s is on the panel.", name=name))
raise PanelError(message)
name = StringField("Your name", validators=[DataRequired("Enter it"), Length(message=_l("x"))])
ok = StringField(_l("Your name"), description=_l("A hint"), validators=[Email(_l("Bad"))])
'''
    assert [line for line, _what in unmarked_strings(source, {"PanelError"})] == [2, 4, 7, 7]


def fresh_catalogue():
    """Every msgid the sources hold now, as `make messages` extracts them."""
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                "lazy_gettext": None, "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                "npgettext": ((1, "c"), 2, 3)}
    method_map = [("awards/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("templates/**.txt", "jinja2")]
    msgids = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=keywords):
        msgids.add((context, message if isinstance(message, str) else message[0]))
    return msgids


@pytest.mark.welsh_catalogue
def test_i18n_welsh_catalogue_translates_every_string():
    """Fails until the Welsh translation is done: every extracted msgid is in cy's
    messages.po with a translation that is neither empty nor fuzzy (`make messages` adds new
    msgids to it)."""
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    extracted = fresh_catalogue()
    assert len(extracted) > 500
    missing, untranslated, fuzzy = [], [], []
    for context, msgid in sorted(extracted, key=lambda item: (item[0] or "", item[1])):
        message = catalogue.get(msgid, context=context)
        if message is None:
            missing.append(msgid)
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
    assert (len(missing), len(untranslated), len(fuzzy)) == (0, 0, 0), (
        f"missing {missing[:5]}, untranslated {untranslated[:5]}, fuzzy {fuzzy[:5]}")


def test_i18n_catalogue_template_exists_and_cy_is_set_up(app):
    assert (TRANSLATIONS / "messages.pot").is_file()
    assert (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").is_file()
    assert app.config["LANGUAGES"] == ["en", "cy"]
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]) == TRANSLATIONS


def test_i18n_language_link_sets_a_cookie_and_goes_back(client):
    response = client.get("/language/cy?next=/about")
    assert response.status_code == 302 and response.headers["Location"] == "/about"
    cookie = client.get_cookie("language")
    assert cookie.value == "cy" and cookie.max_age >= 365 * 24 * 3600
    page = client.get("/about").get_data(as_text=True)
    assert '<html lang="cy">' in page
    # The footer offers the other language, by its own name.
    assert 'lang="en" hreflang="en">English</a>' in page and "Cymraeg" not in page
    assert client.get("/language/en?next=//evil.example").headers["Location"] == "/"
    assert client.get("/language/fr").status_code == 404
    assert client.get_cookie("language").value == "en"


def test_i18n_locale_order_cookie_then_user_then_browser(client, make_user, sign_in):
    def lang(**headers):
        page = client.get("/about", headers=headers).get_data(as_text=True)
        return re.search(r'<html lang="([^"]+)">', page).group(1)

    assert lang() == "en"
    assert lang(**{"Accept-Language": "cy, en;q=0.5"}) == "cy"
    assert lang(**{"Accept-Language": "fr"}) == "en"
    user = make_user()
    user.locale = "cy"
    db.session.commit()
    sign_in(user)
    assert lang(**{"Accept-Language": "en"}) == "cy"  # the account's choice beats the browser
    # The footer's link is this browser's latest choice: it works for a signed-in user too.
    client.get("/language/en?next=/about")
    assert lang() == "en"
    client.get("/language/cy?next=/about")
    assert lang() == "cy"


def test_i18n_saving_the_profile_language_switches_this_browser(client, make_user, sign_in):
    sign_in(make_user())
    client.get("/language/cy?next=/about")

    client.post("/account/profile", data={"name": "Person", "locale": "en"})

    assert client.get_cookie("language").value == "en"
    assert '<html lang="en">' in client.get("/about").get_data(as_text=True)


def test_i18n_profile_offers_both_languages(client, make_user, sign_in):
    sign_in(make_user())
    page = client.get("/account/profile").get_data(as_text=True)
    assert re.search(r'<option lang="en" (selected )?value="en">English</option>', page)
    assert re.search(r'<option lang="cy" (selected )?value="cy">Cymraeg</option>', page)


def test_i18n_public_page_cache_keeps_each_language_apart(client, app):
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    welsh = client.get("/", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert english != welsh
    assert '<html lang="en">' in english and ">Cymraeg</a>" in english
    assert '<html lang="cy">' in welsh and ">English</a>" in welsh
    # Each is now served from its own entry: the second visit in each language is the same.
    assert client.get("/", headers={"Accept-Language": "cy"}).get_data(as_text=True) == welsh
    assert client.get("/").get_data(as_text=True) == english
    response = client.get("/", headers={"Accept-Language": "cy"})
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


def test_i18n_dates_through_flask_babel(app):
    day = date(2026, 12, 5)
    winter, summer = datetime(2026, 12, 5, 18, 0, tzinfo=UTC), datetime(2026, 6, 5, 18, 0,
                                                                         tzinfo=UTC)
    assert format_day(day) == "5 December 2026"
    assert format_day(day, "short") == "5 Dec 2026"
    assert format_moment(winter) == "5 December 2026, 18:00 GMT"
    assert format_moment(summer) == "5 June 2026, 19:00 BST"  # shown where the scheme is
    assert format_day(datetime(2026, 6, 5, 23, 30, tzinfo=UTC)) == "6 June 2026"
    with force_locale("cy"):
        assert format_day(day) == "5 Rhagfyr 2026"
        assert format_moment(summer) == "5 Mehefin 2026, 19:00 BST"
    render = app.jinja_env.from_string("{{ d|date }}; {{ d|date('short') }}; {{ t|datetime }}")
    assert render.render(d=day, t=winter) == (
        "5 December 2026; 5 Dec 2026; 5 December 2026, 18:00 GMT")


def test_i18n_time_zone_is_configurable(monkeypatch):
    from config import TestingConfig

    assert TestingConfig().BABEL_DEFAULT_TIMEZONE == "Europe/London"
    monkeypatch.setenv("TIMEZONE", "Europe/Paris")
    assert TestingConfig().BABEL_DEFAULT_TIMEZONE == "Europe/Paris"


def _welsh_catalogue(directory, translations):
    """A compiled cy catalogue in `directory` holding `translations` (msgid → msgstr)."""
    from babel.messages.catalog import Catalog

    catalogue = Catalog(locale="cy")
    for msgid, msgstr in translations.items():
        catalogue.add(msgid, msgstr)
    folder = directory / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return str(directory)


def test_i18n_email_is_written_in_the_recipients_language(build_app, tmp_path, outbox,
                                                         monkeypatch):
    from awards.accounts.emails import send_password_changed_email
    from awards.accounts.services import create_verified_user

    welsh_subject = "Mae eich cyfrinair wedi newid"
    application = build_app(BABEL_TRANSLATION_DIRECTORIES=_welsh_catalogue(
        tmp_path / "translations", {"Your password has been changed": welsh_subject}))
    with application.app_context():
        welsh = create_verified_user("Gwen", "gwen@example.com", "correct horse battery")
        welsh.locale = "cy"
        english = create_verified_user("Ed", "ed@example.com", "correct horse battery")
        send_password_changed_email(welsh)
        send_password_changed_email(english)
        # A caller that knows the recipient's language says so.
        queue_email("accounts/password_changed", "nobody@example.com", locale="cy", user=english,
                    reset_link="http://x/")
        db.session.commit()
        rows = {row.recipient: row for row in outbox()}
        assert rows["gwen@example.com"].subject == welsh_subject
        assert '<html lang="cy">' in rows["gwen@example.com"].html_body
        assert rows["ed@example.com"].subject == "Your password has been changed"
        assert '<html lang="en">' in rows["ed@example.com"].html_body
        assert rows["nobody@example.com"].subject == welsh_subject
    # Without an account's choice or a caller's, the default language: never the language
    # of whoever's request sends it (an admin acting); an account's saved choice wins; the
    # page stays Welsh.
    with application.app_context(), application.test_request_context(
            headers={"Accept-Language": "cy"}):
        from awards.accounts.queries import user_by_email

        english = user_by_email("ed@example.com")
        english.locale = "en"
        queue_email("accounts/password_changed", "stranger@example.com", user=english,
                    reset_link="http://x/")
        send_password_changed_email(english)
        assert str(get_locale()) == "cy"
        db.session.commit()
        assert outbox("stranger@example.com")[-1].subject == "Your password has been changed"
        assert outbox("ed@example.com")[-1].subject == "Your password has been changed"


def test_phases_follow_the_day_where_the_scheme_is(build_app, monkeypatch):
    """At 23:30 UTC on 30 June it is already 1 July in London (BST): a cycle that closed
    on 30 June is closed there."""
    import datetime as real

    from awards.core import dates

    class Clock(real.datetime):
        @classmethod
        def now(cls, tz=None):
            return real.datetime(2027, 6, 30, 23, 30, tzinfo=real.UTC).astimezone(tz)

    monkeypatch.setattr(dates, "datetime", Clock)
    london = build_app(TIMEZONE="Europe/London")
    honolulu = build_app(TIMEZONE="Pacific/Honolulu")
    with london.app_context():
        assert dates.scheme_today() == real.date(2027, 7, 1)
    with honolulu.app_context():
        assert dates.scheme_today() == real.date(2027, 6, 30)
