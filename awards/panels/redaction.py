"""Blind mode's redaction: the nominee's names, and the common short forms of them, become
"the nominee" in everything the panel reads (the story, the statements, reviews, the
discussion, the drafted citation). `name_forms` and `redact` are pure; `redactor` picks the
right one for a panel and a nomination."""
import re

from flask_babel import gettext as _

THE_NOMINEE = "the nominee"

# Common English short forms: every name in a group stands for all of them (so "Bill"
# on the nomination also hides "William" in a statement, and the other way round).
NAME_GROUPS = [
    {"william", "bill", "billy", "will", "willie", "willy", "liam"},
    {"robert", "bob", "bobby", "rob", "robbie", "bert"},
    {"richard", "dick", "rick", "ricky", "rich", "richie"},
    {"james", "jim", "jimmy", "jamie", "jimbo"},
    {"john", "johnny", "jack", "jon"},
    {"jonathan", "jon", "jonny", "nathan"},
    {"michael", "mike", "mikey", "mick", "micky", "mickey"},
    {"thomas", "tom", "tommy"},
    {"joseph", "joe", "joey", "jo"},
    {"charles", "charlie", "chas", "chuck"},
    {"edward", "ed", "eddie", "ted", "teddy", "ned"},
    {"henry", "harry", "hal", "hank"},
    {"christopher", "chris", "kit"},
    {"daniel", "dan", "danny"},
    {"david", "dave", "davy", "dai"},
    {"anthony", "tony", "ant"},
    {"andrew", "andy", "drew"},
    {"matthew", "matt", "matty"},
    {"peter", "pete"},
    {"stephen", "steven", "steve", "stevie"},
    {"samuel", "sam", "sammy"},
    {"benjamin", "ben", "benny"},
    {"alexander", "alex", "sandy", "alec", "alexandra", "lexie"},
    {"nicholas", "nick", "nicky"},
    {"patrick", "pat", "paddy", "patricia", "patty", "trish"},
    {"timothy", "tim", "timmy"},
    {"frederick", "fred", "freddie", "freddy"},
    {"gerald", "gerry", "jerry"},
    {"kenneth", "ken", "kenny"},
    {"raymond", "ray"},
    {"ronald", "ron", "ronnie"},
    {"donald", "don", "donnie"},
    {"leonard", "len", "lenny", "leo"},
    {"margaret", "maggie", "meg", "peggy", "marge", "madge", "mags", "greta"},
    {"elizabeth", "liz", "lizzie", "lizzy", "beth", "betty", "bet", "bess", "eliza",
     "libby", "elsie"},
    {"catherine", "katherine", "kathryn", "cath", "cathy", "kate", "katie", "kath", "kathy",
     "kitty"},
    {"jennifer", "jen", "jenny"},
    {"susan", "sue", "susie", "suzy"},
    {"deborah", "debbie", "deb", "debs"},
    {"rebecca", "becky", "becca"},
    {"victoria", "vicky", "vicki", "tori"},
    {"jessica", "jess", "jessie"},
    {"barbara", "barb", "babs"},
    {"dorothy", "dot", "dotty", "dolly"},
    {"mary", "molly", "polly", "mae"},
    {"ann", "anne", "annie", "nan", "nancy"},
    {"helen", "nell", "nellie"},
    {"eleanor", "ellie", "nora", "nell"},
    {"christine", "christina", "chris", "tina", "chrissie"},
    {"samantha", "sam", "sammy"},
    {"abigail", "abbie", "abby", "gail"},
    {"gwendolyn", "gwen"},
    {"josephine", "jo", "josie"},
    {"frances", "fran", "frankie"},
    {"francis", "frank", "frankie"},
    {"louise", "lou", "lulu"},
    {"judith", "judy", "jude"},
    {"theresa", "teresa", "tess", "tessa", "terri"},
    {"evan", "ifan"},
    {"dafydd", "dai", "dewi"},
    {"gareth", "gaz"},
    {"rhiannon", "rhi"},
    {"sian", "siân"},
]


def name_forms(nominee_name, known_as=""):
    """The lower-case forms that name the nominee: the full name(s) given, each word of
    them (initials and one-letter words left out), and the common short or formal forms of
    each word."""
    forms = set()
    for name in (nominee_name, known_as):
        name = " ".join((name or "").split()).lower()
        if not name:
            continue
        forms.add(name)
        for word in re.findall(r"[^\W\d_][\w'’-]*", name):
            word = word.strip("'’-")
            if len(word) < 2:
                continue
            forms.add(word)
            for group in NAME_GROUPS:
                if word in group:
                    forms |= group
    return forms


def redact(text, forms, replacement=THE_NOMINEE):
    """`text` with every whole-word, case-insensitive occurrence of one of `forms` replaced
    by `replacement` (a run of them, such as "Bill Jones", goes as one); at the start of
    the text or of a sentence, the replacement starts with a capital letter."""
    text = text or ""
    if not forms or not text:
        return text
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    one = rf"(?:{alternatives})(?![\w-])"
    # a run of names ("Bill Jones", "Billy Jones") goes as one
    pattern = re.compile(rf"(?<![\w'’-]){one}(?:[ \t]+{one})*", re.IGNORECASE)

    def replace(match):
        before = text[:match.start()].rstrip()
        if not before or before[-1] in ".!?\n":
            return replacement[:1].upper() + replacement[1:]
        return replacement

    return pattern.sub(replace, text)


def redactor(panel, nomination):
    """What the panel's pages show a text through: for a blind panel, `redact` with the
    nominee's names (and "the nominee" in the reader's language); otherwise unchanged."""
    if not panel.blind:
        return lambda text: text or ""
    forms = name_forms(nomination.nominee_name, getattr(nomination, "known_as", ""))
    replacement = _("the nominee")
    return lambda text: redact(text, forms, replacement)
