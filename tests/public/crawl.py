"""Crawling the public surfaces, and counting the SQL statements a request runs.

`public_urls` fills every GET route of the public blueprints from real data (so a route added
later is crawled too), `Crawler` fetches them and every local link they give, and `leaks` says
where a marker string turns up in what was received: body, headers, or inside the
compressed streams of a PDF.
"""
import contextlib
import html
import itertools
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from sqlalchemy import event
from werkzeug.exceptions import HTTPException
from werkzeug.routing import AnyConverter, RequestRedirect

from awards.extensions import db
from tests.routes import rules_for

# Everything the public (and search engines, feed readers, social sites) can reach.
PUBLIC_BLUEPRINTS = ("public", "feeds", "certificates", "thanks")
MAX_URLS = 5000  # a crawl that grows past this has found a loop of links, not pages
LINK = re.compile(r"""(?:href|src|content|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
SRCSET = re.compile(r"""srcset\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
SITEMAP_LINE = re.compile(r"^Sitemap:\s*(\S+)", re.MULTILINE)
NONCE = re.compile(r'nonce="[^"]*"')
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
PDF_LITERAL = re.compile(rb"\(((?:\\.|[^\\)])*)\)", re.DOTALL)
PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
PDF_CMAP = re.compile(rb"begincmap(.*?)endcmap", re.DOTALL)
PDF_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
PDF_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
PDF_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
PDF_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def public_rules(app):
    """The GET rules of the public blueprints, sorted by rule text."""
    return [rule for rule in rules_for(app, "GET")
            if rule.endpoint.partition(".")[0] in PUBLIC_BLUEPRINTS]


def is_registered(app, endpoint):
    """Whether a route has been registered for `endpoint`."""
    return endpoint in app.view_functions


def public_urls(app, values, queries=None):
    """Every path of every public GET rule, for every combination of the candidate values.

    `values` maps a rule argument's name to the values to try (every key, every slug, every
    area id...); an `any(...)` argument gets each of its items. An argument with no values
    fails the test, naming the rule: teach the crawl its values rather than skip the route.
    `queries` maps an endpoint to query-string variants (dicts) to add to its paths.
    """
    urls = []
    for rule in public_rules(app):
        choices = []
        for name in sorted(rule.arguments):
            converter = rule._converters[name]
            if isinstance(converter, AnyConverter):
                choices.append([(name, item) for item in sorted(converter.items)])
            elif values.get(name):
                choices.append([(name, value) for value in values[name]])
            else:
                raise AssertionError(
                    f"the crawl has no values for <{name}> of {rule.rule} ({rule.endpoint}):"
                    f" add them to the `values` given to public_urls")
        for combination in itertools.product(*choices):
            _domain, path = rule.build(dict(combination), append_unknown=False)
            urls.append(path)
            for query in (queries or {}).get(rule.endpoint, ()):
                urls.append(f"{path}?{urlencode(query)}")
    return list(dict.fromkeys(urls))


@dataclass
class Fetched:
    """What one GET returned."""

    url: str
    status: int
    content_type: str
    headers: list
    body: bytes
    etag: str | None = None
    links: list = field(default_factory=list)

    @property
    def text(self):
        """The body as text (undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")

    @property
    def is_binary(self):
        """An image or a PDF: searched as bytes, links not followed."""
        return self.content_type.startswith(("image/", "application/pdf"))


def endpoint_of(app, url):
    """The endpoint a local URL reaches by GET, or None (another site, static, unknown)."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc not in {"localhost", "localhost:80"}:
        return None
    try:
        endpoint, _args = app.url_map.bind("localhost").match(parts.path, method="GET")
    except RequestRedirect as redirect:
        return endpoint_of(app, redirect.new_url)
    except HTTPException:
        return None
    return endpoint


def local_links(body):
    """Every URL a page, feed, sitemap or robots.txt points at (unescaped, host dropped)."""
    found = LINK.findall(body) + LOC.findall(body) + SITEMAP_LINE.findall(body)
    for srcset in SRCSET.findall(body):
        found += [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
    urls = []
    for url in found:
        url = html.unescape(url).strip()
        parts = urlsplit(url)
        if parts.scheme in {"http", "https"} and parts.netloc in {"localhost", "localhost:80"}:
            url = url[len(f"{parts.scheme}://{parts.netloc}"):] or "/"
        if url.startswith("/") and not url.startswith("//"):
            urls.append(url.split("#")[0])
    return urls


class Crawler:
    """Fetches URLs with one client and follows the local links of the public blueprints."""

    def __init__(self, app, client):
        self.app, self.client = app, client

    def fetch(self, url, **kwargs):
        """One GET, recorded (redirects are not followed: their Location is a link)."""
        response = self.client.get(url, **kwargs)
        body = response.get_data()
        fetched = Fetched(url, response.status_code, response.content_type or "",
                          list(response.headers.items()), body, response.headers.get("ETag"))
        if "Location" in response.headers:
            fetched.links += local_links(f'href="{response.headers["Location"]}"')
        if not fetched.is_binary and response.status_code == 200:
            fetched.links += local_links(fetched.text)
        return fetched

    def crawl(self, seeds, follow=True):
        """Fetch `seeds`, then (when `follow`) every public link found, once each."""
        seen, queue, results = set(), list(seeds), {}
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            assert len(seen) <= MAX_URLS, f"the crawl passed {MAX_URLS} URLs at {url}"
            results[url] = fetched = self.fetch(url)
            if follow:
                queue += [link for link in fetched.links if link not in seen
                          and (endpoint_of(self.app, link) or "").partition(".")[0]
                          in PUBLIC_BLUEPRINTS]
        return results


def _pdf_streams(body):
    """The inflated content of a PDF's Flate streams (fpdf2 compresses page contents)."""
    inflated = []
    for raw in PDF_STREAM.findall(body):
        try:
            inflated.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return inflated


def _unescape(literal):
    """The bytes of a PDF literal string (its text between the brackets)."""
    out, index = bytearray(), 0
    while index < len(literal):
        byte = literal[index]
        index += 1
        if byte != 0x5C:  # not a backslash
            out.append(byte)
            continue
        octal = re.match(rb"[0-7]{1,3}", literal[index:index + 3])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            index += len(octal.group())
        elif index < len(literal):
            out += PDF_ESCAPES.get(literal[index:index + 1], literal[index:index + 1])
            index += 1
    return bytes(out)


def _cmaps(parts):
    """Every ToUnicode map in the PDF: {glyph code: text}, one per embedded font."""
    maps = []
    for part in parts:
        for cmap in PDF_CMAP.findall(part):
            mapping = {}
            for block in PDF_BFCHAR.findall(cmap):
                for code, text in PDF_PAIR.findall(block):
                    mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
            for block in PDF_BFRANGE.findall(cmap):
                for low, high, start in PDF_RANGE.findall(block):
                    first = int(start, 16)
                    for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                        mapping[code] = chr(first + offset)
            maps.append(mapping)
    return maps


def pdf_text(body):
    """The text a PDF draws, read through each of its fonts' ToUnicode maps in turn (fpdf2
    writes text in an embedded TrueType font as two-byte glyph codes): one string per map,
    so the right reading of every line is among them."""
    streams = _pdf_streams(body)
    strings = [_unescape(literal) for stream in streams if b"BT" in stream and b"Tj" in stream
               for literal in PDF_LITERAL.findall(stream)]
    return ["".join("".join(mapping.get(int.from_bytes(string[i:i + 2]), "\ufffd")
                            for i in range(0, len(string) - 1, 2)) + "\n"
                    for string in strings)
            for mapping in _cmaps([body, *streams])]


def leaks(fetched, marker):
    """Where `marker` (compared case-insensitively) appears in a response: "body", a header
    name, "pdf-stream" (inside a compressed stream) or "pdf-text" (in the words a PDF
    draws); empty when nowhere.

    A PNG's pixels cannot be read this way (its text chunks can): the share image shows the
    same public row as the page it illustrates, and its own tests check what it draws.
    """
    needle = marker.lower()
    places = []
    haystacks = [fetched.body.lower()]
    is_pdf = fetched.content_type.startswith("application/pdf")
    if is_pdf:
        haystacks += [stream.lower() for stream in _pdf_streams(fetched.body)]
    for number, haystack in enumerate(haystacks):
        if needle.encode() in haystack or needle.encode("utf-16-be") in haystack:
            places.append("body" if number == 0 else "pdf-stream")
    if is_pdf and any(needle in text.lower() for text in pdf_text(fetched.body)):
        places.append("pdf-text")
    places += [name for name, value in fetched.headers if needle in value.lower()]
    return list(dict.fromkeys(places))


def without_nonces(text):
    """The page with its per-request CSP nonces blanked (for comparing two renderings)."""
    return NONCE.sub('nonce=""', text)


@contextlib.contextmanager
def counting_statements():
    """Collect the SQL statements run inside the block (a list, filled as they run)."""
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
