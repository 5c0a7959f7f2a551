"""E-mail addresses: the one form in which they are stored and compared, and a skeleton that
makes look-alikes (rt-kelvi\u0307n@ beside rt-kelvin@) compare equal."""
import unicodedata

# A small table of the commonest look-alikes, each to the plain letter it imitates (after
# case folding): Cyrillic and Greek letters drawn like Latin ones, digits like letters.
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "l", "ј": "j", "ԁ": "d",
    "ɡ": "g", "ɩ": "l", "ı": "l", "α": "a", "β": "b", "ε": "e", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ι": "l", "0": "o", "1": "l",
    "i": "l", "|": "l", "5": "s",
})


def normalise_email(email):
    """The form in which an address is stored and compared: trimmed, NFKC-normalised and
    case-folded (the Kelvin sign is a K, fullwidth letters are letters, STRASSE is strasse)."""
    text = unicodedata.normalize("NFKC", (email or "").strip())
    return unicodedata.normalize("NFKC", text.casefold())


def email_skeleton(email):
    """What an address looks like: normalised, accents and other combining marks removed,
    common look-alike letters mapped to the one they imitate, "rn" read as "m". Two different
    addresses with one skeleton are confusable."""
    decomposed = unicodedata.normalize("NFD", normalise_email(email))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", plain).translate(CONFUSABLES).replace("rn", "m")
