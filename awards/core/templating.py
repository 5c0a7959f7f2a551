"""What every template can use: the scheme's name, forms, filters."""
import os
import re

from flask import current_app
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape

from awards.core.atom import xml_text
from awards.core.dates import format_day, format_moment
from awards.core.forms import EmptyForm
from awards.core.personal import personal, register_personal_part

_URL = re.compile(r"https?://[^\s<>\"']+")


def linkify(text):
    """Escape plain text and make its web addresses clickable (for the dev mailbox)."""
    escaped = str(escape(text))
    return Markup(_URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped))


def init_templating(app):
    """The template environment: its settings and compiled-template cache, the globals and
    personal parts every page may use, the context processor and the filters."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    folder = app.config.get("TEMPLATE_CACHE_DIR")
    if folder:
        try:
            os.makedirs(folder, exist_ok=True)
            app.jinja_env.bytecode_cache = FileSystemBytecodeCache(folder)
        except OSError:  # only slower without it: templates are compiled in each process
            app.logger.warning("TEMPLATE_CACHE_DIR %s cannot be made; templates are not kept",
                               folder)
    # The scheme's name is a global, not only context: macros imported without context
    # (`{% from "public/_awards.html" import social %}`) see globals, never the context.
    app.jinja_env.globals["scheme_name"] = app.config["SCHEME_NAME"]
    # Globals too, for the personal parts: their macros are rendered without a context.
    app.jinja_env.globals.update(personal=personal, current_user=current_user,
                                 header_form=EmptyForm)
    for part in ("account_links", "flashes", "account_prompt"):
        register_personal_part(app, part, "_macros/personal.html", part)

    @app.context_processor
    def site_context():
        return {
            "scheme_name": current_app.config["SCHEME_NAME"],
            "scheme_logo": current_app.config["SCHEME_LOGO"],
            "contact_email": current_app.config["SCHEME_CONTACT_EMAIL"],
            "get_locale": get_locale,
            "header_form": EmptyForm,
        }

    app.add_template_filter(linkify)
    app.add_template_filter(xml_text)
    # {{ cycle.nominations_close|date }} → "5 December 2026"; |date('short') → "5 Dec 2026";
    # {{ review.submitted_at|datetime }} → "5 December 2026, 18:00 GMT".
    app.add_template_filter(format_day, "date")
    app.add_template_filter(format_moment, "datetime")
