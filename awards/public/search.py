"""Full-text search over what is public: the name as shown and the citation.

SQLite uses the FTS5 index made with the table (models.py); PostgreSQL matches the same text
with `to_tsvector('simple', ...)`, which the migration indexes. Only word characters from
the visitor's words reach either query language, so nothing they type can change its meaning.
"""
import re

from sqlalchemy import Integer, column, func, literal_column, text

from awards.extensions import db
from awards.public.models import PublicAward

WORD = re.compile(r"\w+")
MAX_WORDS = 8


def search_words(query):
    """The words of a search, at most MAX_WORDS of them."""
    return WORD.findall(query or "")[:MAX_WORDS]


def matches(query):
    """A condition true for awards whose public text has every word (each as a word start),
    or None for a search with no words."""
    words = search_words(query)
    if not words:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        document = func.to_tsvector(
            literal_column("'simple'"),
            PublicAward.display_name + literal_column("' '") + PublicAward.citation)
        terms = " & ".join(f"{word}:*" for word in words)
        return document.op("@@")(func.to_tsquery(literal_column("'simple'"), terms))
    terms = " ".join(f'"{word}"*' for word in words)
    found = text("SELECT rowid FROM public_award_search WHERE public_award_search MATCH :terms")
    return PublicAward.id.in_(found.bindparams(terms=terms).columns(column("rowid", Integer)))
