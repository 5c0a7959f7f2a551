"""Builders of real domain data, for the tests, the demo (`flask demo load`) and the
benchmark (`make bench`): one way to make a scheme, its nominations and their judging.

Each builder makes its records through the services where a rule matters (sending a
nomination, consent, moderation, panels, reviews, decisions, publication), so the audit log,
the outbox and the public pages follow as they would in use; and directly where only data is
needed (moving a cycle's calendar, as time would). Defaults are sensible, and every one can be
overridden by keyword. Builders flush and do not commit (the bench's bulk `public_record`
excepted): the caller commits (a test fixture, `flask demo load`).

    from awards import factories as f

    cycle = f.cycle()                                    # taking nominations, one category
    nomination = f.nomination(cycle, f.S.ELIGIBLE, statements=1, consent=f.EVERYTHING)
    f.start_judging(cycle, admin)
    panel = f.panel(cycle, members=[chair_user, member_user])
    f.review(panel.members[1], nomination, [4, 4, 3, 5, 4])
    f.decide(panel, nomination, "winner", chair_user, "Runs the lunch club.")
    f.publish(cycle, admin)                              # on the public pages now

- scheme: user, area, cycle (in any Phase), category, cycle_dates, move_to, photo
- nominations: nomination (in any status), add_statements, give_consent; STORY,
  EVERYTHING, NOTHING_BUT_YES
- judging: start_judging, panel, member, declare, review, decide, comment, publish
- newsletter: subscriber, subscribers (many at once), newsletter_issue
- bulk: public_record (the benchmark's 20,000 nominations), public_awards (many public
  rows at once), judging_workload (the benchmark's panel, judge, chair and moderation
  queue), by plain INSERTs
"""
from awards.factories.judging import (
    comment,
    decide,
    declare,
    member,
    panel,
    publish,
    review,
    start_judging,
)
from awards.factories.newsletter import newsletter_issue, subscriber, subscribers
from awards.factories.nominations import (
    EVERYTHING,
    NOTHING_BUT_YES,
    STORY,
    S,
    add_statements,
    give_consent,
    nomination,
)
from awards.factories.scheme import (
    DEFAULT_PASSWORD,
    PHASE_OFFSETS,
    area,
    category,
    cycle,
    cycle_dates,
    move_to,
    photo,
    user,
)

__all__ = [
    "DEFAULT_PASSWORD", "EVERYTHING", "NOTHING_BUT_YES", "PHASE_OFFSETS", "STORY", "S",
    "add_statements", "area", "category", "comment", "cycle", "cycle_dates", "decide",
    "declare", "give_consent", "member", "move_to", "nomination", "panel", "photo",
    "newsletter_issue", "publish", "review", "start_judging", "subscriber", "subscribers",
    "user",
]
