"""The registry of personal data sources: what subject access exports and erasure removes.

Each source is one small pair of functions over one kind of record (usually one table):
`export(person)` returns a list of plain dicts (JSON-ready, what the person may see) and
`erase(person)` anonymises or deletes those records and returns how many it changed. A source
names the columns it covers ("table.column"); tests/admin/test_personal_data_schema.py fails
when a column that may hold personal data is covered by no source and is not in
NOT_PERSONAL.

A feature on the left (the newsletter) cannot import this module: it writes its two functions
and its COLUMNS beside its models, and sources.py lists them with one `PersonalDataSource(...)`
line (see docs/admin.md, "Data protection").
"""
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from awards.accounts.models import User
from awards.core.addresses import normalise_email
from awards.extensions import db
from awards.nominations.models import Nomination, Supporter


@dataclass(frozen=True)
class PersonalDataSource:
    """One kind of record about people: its key in the export, its heading, the columns it
    covers, and how to export and erase one person's records."""

    name: str
    label: object  # a lazy string: the heading on the export page
    columns: frozenset
    export: Callable
    erase: Callable

    def __post_init__(self):
        object.__setattr__(self, "columns", frozenset(self.columns))


@dataclass
class Person:
    """Whom a request is about: an e-mail address (normalised), their accounts, and the names
    they are known by (to find text that names them, and thank-you messages, which carry no
    address)."""

    email: str
    thanks_name: str = ""
    user_ids: list = field(default_factory=list)
    names: set = field(default_factory=set)

    @classmethod
    def find(cls, email, thanks_name=""):
        """The person with this address: their accounts and the names on them."""
        person = cls(email=normalise_email(email), thanks_name=" ".join(thanks_name.split()))
        users = db.session.scalars(select(User).where(
            func.lower(User.email) == person.email).order_by(User.id)).all()
        person.user_ids = [user.id for user in users]
        person.note_names(user.name for user in users)
        person.note_names(db.session.scalars(select(Nomination.nominee_name).where(
            person.matches(Nomination.nominee_email))))
        person.note_names(db.session.scalars(select(Nomination.nominator_name).where(
            person.matches(Nomination.nominator_email))))
        person.note_names(db.session.scalars(select(Supporter.name).where(
            person.matches(Supporter.email))))
        if person.thanks_name:
            person.note_names([person.thanks_name])
        return person

    def note_names(self, names):
        """Remember names the person goes by (long enough to search text for safely)."""
        self.names |= {" ".join(name.split()) for name in names
                       if name and len(" ".join(name.split())) >= 4}

    def matches(self, column):
        """A condition: the column holds this person's address (any case)."""
        return func.lower(column) == self.email

    def mentions(self, *columns):
        """A condition: any of the text columns holds the address or one of the names (as
        text, or as a JSON string: escaped the way JSON writes it)."""
        needles = {self.email, *self.names}
        needles |= {json.dumps(needle)[1:-1] for needle in needles}
        return or_(*(column.contains(needle, autoescape=True)
                     for column in columns for needle in sorted(needles)))


def covered_columns(sources):
    """Every "table.column" some source exports and erases."""
    return frozenset().union(*(source.columns for source in sources))
