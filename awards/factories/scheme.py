"""People and the scheme: accounts with roles, areas, cycles in any phase and categories."""
from datetime import timedelta
from io import BytesIO
from itertools import count

from PIL import Image, ImageDraw

from awards.accounts.services import create_verified_user
from awards.extensions import db
from awards.nominations.enums import Phase
from awards.nominations.models import today
from awards.nominations.services.setup import save_area, save_category, save_cycle

DEFAULT_PASSWORD = "correct horse battery"
DATE_KEYS = ("nominations_open", "nominations_close", "judging_ends", "announcement")
# Days from today to (open, close, judging ends, announcement) for a cycle in each phase.
PHASE_OFFSETS = {
    Phase.UPCOMING: (10, 40, 60, 80),
    Phase.NOMINATING: (-10, 20, 40, 60),
    Phase.JUDGING: (-40, -10, 20, 40),
    Phase.DECIDING: (-60, -40, -10, 20),
    Phase.ANNOUNCED: (-90, -60, -40, -10),
}
_numbers = count(1)  # unique names and addresses across a process


def user(name=None, email=None, password=DEFAULT_PASSWORD, *, roles=(), verified=True):
    """A verified account (through create_verified_user) with `roles`; `verified=False`
    leaves the e-mail address unconfirmed."""
    number = next(_numbers)
    made = create_verified_user(name or f"Person {number}",
                                email or f"person.{number}@example.com", password, roles=roles)
    if not verified:
        made.email_verified_at = None
        db.session.flush()
    return made


def area(name=None):
    """An area (through save_area)."""
    return save_area(None, name or f"Ward {next(_numbers)}")


def cycle_dates(phase=Phase.NOMINATING, day=None):
    """The four dates that put a cycle in `phase` on `day` (today)."""
    start = day or today()
    return {key: start + timedelta(days=offset)
            for key, offset in zip(DATE_KEYS, PHASE_OFFSETS[Phase(phase)], strict=True)}


def cycle(phase=Phase.NOMINATING, *, name=None, slug="", description="", dates=None,
          categories=("Good Neighbour",), actor=None):
    """A cycle (through save_cycle) in `phase` today, or on `dates`, with a category for each
    name in `categories` (a name, or a dict of category fields)."""
    made = save_cycle(None, {"name": name or f"Awards {next(_numbers)}", "slug": slug,
                             "description": description, **(dates or cycle_dates(phase))},
                      actor=actor)
    for position, fields in enumerate(categories):
        fields = {"name": fields} if isinstance(fields, str) else fields
        category(made, **{"position": position, **fields})
    return made


def category(cycle, name=None, **fields):
    """A category of `cycle` (through save_category): min_supporters 1 unless given; other
    fields (description, allows_groups, min_age, position...) as save_category takes them."""
    number = next(_numbers)
    return save_category(cycle, None, {"name": name or f"Category {number}",
                                       "min_supporters": 1, "position": number, **fields})


def move_to(cycle, phase=None, *, dates=None, audit=False):
    """Move a cycle's calendar so that it is in `phase` today, or to `dates`, as the passing
    of time would. `audit=True` goes through save_cycle (a `cycle.updated` audit row)."""
    dates = dates or cycle_dates(phase)
    if audit:
        save_cycle(cycle, {"name": cycle.name, "slug": cycle.slug,
                           "description": cycle.description, **dates})
        return cycle
    for key, value in dates.items():
        setattr(cycle, key, value)
    db.session.flush()
    return cycle


def photo(colour="steelblue", *, figures=0, format="JPEG"):
    """A generated 800x600 photo (a stream, as an upload): plain, or with `figures` people
    drawn on it in a lighter shade (`colour` a name or an RGB tuple)."""
    image = Image.new("RGB", (800, 600), colour)
    if figures:
        light = tuple(min(255, c + 90) for c in image.getpixel((0, 0)))
        draw = ImageDraw.Draw(image)
        for number in range(figures):
            x = 400 + (number - (figures - 1) / 2) * 220
            draw.ellipse((x - 80, 140, x + 80, 300), fill=light)  # head
            draw.ellipse((x - 150, 330, x + 150, 700), fill=light)  # shoulders
    stream = BytesIO()
    image.save(stream, format)
    stream.seek(0)
    return stream
