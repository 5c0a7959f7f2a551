"""The personal parts of a page, kept apart from the rest so that a public page can be
rendered once and shared.

A template asks for a part with `{{ personal("flashes") }}`. Normally the part is rendered
there and then. While a *shared* page is rendered (`shared_render()`), the part is left as a
marker instead, as every visitor must see the page alike; `fill()` later puts each visitor's
own parts in (their name in the header, their messages, a form with their CSRF token). So a
page kept for everyone costs a visitor with a session only their own few lines.

Parts are macros without arguments, registered by name (`register_personal_part`): a part
belongs to the feature that owns its template.
"""
import re
from contextlib import contextmanager

from flask import current_app, g
from flask_login import AnonymousUserMixin
from markupsafe import Markup

SHARED = "_rendering_shared_page"
# What a part looks like in a shared page. User text can never produce it: templates escape
# "<" everywhere they print user text, and JSON in a page escapes it as \u003c.
MARKER = "<!--personal:{}-->"
_MARKERS = re.compile(r"<!--personal:([a-z_]+)-->")


def register_personal_part(app, name, template, macro):
    """Let templates ask for `personal(name)`: the macro `macro` of `template`."""
    app.extensions.setdefault("personal_parts", {})[name] = (template, macro)


def personal(name):
    """A personal part of the page: rendered now, or a marker in a shared page."""
    if g.get(SHARED):
        return Markup(MARKER.format(name))
    return _render(name)


def fill(html):
    """A shared page with this visitor's personal parts in place of its markers."""
    return _MARKERS.sub(lambda found: _render(found.group(1)), html)


@contextmanager
def shared_render():
    """Render what runs inside as any visitor without a session would see it: personal
    parts are left as markers, and a template that asks who is signed in anyway is told
    nobody."""
    # Flask-Login keeps the request's user in g._login_user; the locale, read from it, must
    # already be chosen (the page's key names it).
    saved = g.get("_login_user")
    g._login_user = AnonymousUserMixin()
    setattr(g, SHARED, True)
    try:
        yield
    finally:
        g.pop(SHARED, None)
        if saved is None:
            g.pop("_login_user", None)
        else:
            g._login_user = saved


def _render(name):
    template, macro = current_app.extensions["personal_parts"][name]
    # The template's own module, made once (macros see only globals, among them
    # current_user and header_form: see init_templating).
    module = current_app.jinja_env.get_template(template).module
    return Markup(getattr(module, macro)())
