"""Access logs without the single-use tokens of e-mailed links.

The links (/account/reset/<token>, /n/<token>, /consent/<token>, /support/<token>...) carry
their token in the path, so the servers' request lines (and the Referer of the next request)
would keep every token in the logs. The routes are found from the url_map (every rule with a
`token` part) and the token segment is shown as "…" in what werkzeug's development server and
gunicorn's access log write. Proxies are configured alike (docs/deployment.md).
"""
import logging
import re

# The loggers that write one line per request: `flask run` and `gunicorn --access-logfile`.
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
SHOWN = "…"
_VARIABLE = re.compile(r"<(?:[a-zA-Z_][a-zA-Z0-9_]*(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
_SEGMENT = r"[^/?#\s\"']+"


def token_pattern(url_map):
    """One regular expression matching the path of every rule with a <token>; each
    alternative captures the token in a group. Longer rules come first, so /support/join/x
    is not read as /support/<token>."""
    alternatives = []
    for rule in url_map.iter_rules():
        if "token" not in rule.arguments:
            continue
        parts, position = [], 0
        for variable in _VARIABLE.finditer(rule.rule):
            parts.append(re.escape(rule.rule[position:variable.start()]))
            parts.append(f"({_SEGMENT})" if variable[1] == "token" else _SEGMENT)
            position = variable.end()
        parts.append(re.escape(rule.rule[position:]))
        alternatives.append((len(_VARIABLE.sub("", rule.rule)), "".join(parts)))
    alternatives.sort(key=lambda item: -item[0])
    return re.compile("|".join(pattern for _, pattern in alternatives)) if alternatives else None


def _redact(text, pattern):
    def replace(match):
        group = next(i for i in range(1, len(match.groups()) + 1) if match.group(i) is not None)
        start, end = match.start(group) - match.start(), match.end(group) - match.start()
        return match[0][:start] + SHOWN + match[0][end:]

    return pattern.sub(replace, text) if pattern is not None else text


def redact_tokens(app, text):
    """`text` with the token of every e-mailed-link path in it shown as "…"."""
    return _redact(text, app.extensions["token_paths"])


class RedactTokens(logging.Filter):
    """Rewrites each record of an access logger with the tokens redacted. One filter per
    process (loggers are the process's): each app adds its routes' pattern."""

    def __init__(self):
        super().__init__()
        self.patterns = []

    def filter(self, record):
        message = record.getMessage()
        for pattern in self.patterns:
            message = _redact(message, pattern)
        record.msg, record.args = message, ()
        return True


_FILTER = RedactTokens()


def init_access_log(app):
    """Find the app's token routes and redact them in the servers' access logs."""
    pattern = token_pattern(app.url_map)
    app.extensions["token_paths"] = pattern
    if pattern is not None and pattern.pattern not in {p.pattern for p in _FILTER.patterns}:
        _FILTER.patterns.append(pattern)
    for name in ACCESS_LOGGERS:
        logging.getLogger(name).addFilter(_FILTER)  # once: a filter is added only once
