"""Reading the query string: the one way a view takes a number from `request.args`."""
from flask import request

# The largest id any supported database stores in an INTEGER column (PostgreSQL's is 32-bit);
# a bigger number names nothing, and SQLite refuses one above 2**63 - 1 with an OverflowError.
MAX_ID = 2_147_483_647


def int_arg(name, default=None, *, minimum=1, maximum=MAX_ID):
    """The query argument `name` as a whole number from `minimum` to `maximum`, else `default`.

    Only plain ASCII digits count (no sign, spaces, underscores, exponents or other scripts'
    digits, which `int()` would accept), and never more of them than `maximum` has: a hand-made
    address can neither reach the database with a number it cannot hold nor make Python
    convert a very long string.
    """
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(maximum)):
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default
