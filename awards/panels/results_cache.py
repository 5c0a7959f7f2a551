"""A panel's computed results, kept between views of the chair's pages until judging changes.

Scoring a panel (every nomination, every review: services/results.py `scored_results`) is
most of the chair's overview's time, and the overview is read far more often than reviews
are submitted. So the scored results of a panel in one round are kept in the app's cache
(`awards.extensions.cache`), and in a few entries of each process's memory, under a
*generation*, as the public pages are (awards/public/cache.py): a commit that touches
anything the results read starts a new generation, so no kept result is ever read again
after such a change, without listing the keys it affects.

What the results read (services/results.py `scored_results`, queries.py `in_scope`), and
so what moves the generation on when it is added, changed or deleted:
- the panel: its round (`stage`), its categories (`panel_category`), its members
  (`PanelMember`; a deleted user's memberships go with them in the database);
- the nominations in judging: their status (withdrawn, decided, moderated), category and
  reference (a nomination whose status is or was IN_JUDGING or OUTCOME, or any deleted one),
  and their nominee's consent (`Consent`);
- the rubric: each category's criteria, weights and scales (`Criterion`, `Category`);
- reviews and their scores (`Review`, `Score`), eligibility answers (reviews of that round);
- declarations and recusals (`Declaration`), assignments (`Assignment`);
- the panel's decisions: eligibility, shortlist, outcome (`Decision`).
Each member's progress (counts of assignments, submitted and draft reviews in the current
round) and the panel's declarations read a subset of these and are kept the same way.
Kept entries hold plain data only (ids, references, numbers: services/results.py `Scored`),
never ORM objects; what each viewer may see (hidden_results: no declaration, a conflict, not
reviewed yet) and blind panels' labels are applied after the cache, for each viewer.

Statements that change rows without objects (`db.session.execute(delete(Assignment)...)`)
are seen too (`note_bulk_statements`). The generation a request uses is read when the
request starts, before its first query: its transaction can then only see rows as new as
that generation or newer, never older rows under a newer generation.
"""
import logging
from itertools import chain

from flask import current_app, has_request_context, request
from sqlalchemy import event, inspect

from awards.accounts.models import User
from awards.core.kept import Generation, Recent, cache_store
from awards.nominations.models import AwardCycle, Category, Consent, Nomination
from awards.panels.models import (
    Assignment,
    Criterion,
    Decision,
    Declaration,
    Panel,
    PanelMember,
    Review,
    Score,
)
from awards.panels.queries import JUDGED

RESULTS = Generation("panels:results:generation")
REQUEST_GENERATION = "awards.panel_results_generation"  # WSGI environ: read at the start
# The blueprints whose views read the results.
READERS = {"chair"}
# A change to any of these (added, changed, deleted) starts a new generation.
WATCHED = (Panel, PanelMember, Consent, Category, Criterion, Review, Score, Declaration,
           Assignment, Decision)
# Deleting one of these deletes watched rows in the database (ON DELETE CASCADE).
CASCADING = (User, AwardCycle, Nomination)
WATCHED_TABLES = frozenset(model.__tablename__ for model in (*WATCHED, *CASCADING)) | {
    "panel_category"}
# Results each process keeps in memory too, most recently used last.
RECENT = 8
CHANGED = "panel_results_changed"  # session.info: this transaction changes the results
log = logging.getLogger(__name__)


def generation():
    """The current generation of the kept results (started on first use)."""
    return RESULTS.current()


def invalidate():
    """Start a new generation: every kept result is stale from now on."""
    try:
        RESULTS.advance()
    except Exception:  # a cache that cannot be reached holds nothing to invalidate
        log.exception("Could not invalidate the panels' kept results")


def note_generation(app, **_):
    """request_started: a chair's page reads the generation before its first query."""
    if request.blueprint in READERS:
        try:
            request.environ[REQUEST_GENERATION] = generation()
        except Exception:  # compute the results rather than fail
            log.exception("The panels' kept results cannot be reached")


def kept(panel_id, part, compute):
    """A part of the panel's results (its scores in one round, its members' progress: a
    short name): kept ones of this request's generation, or `compute()`'s (then kept).
    Outside a chair's request (a script, a test calling the service), always computed."""
    generation_ = request.environ.get(REQUEST_GENERATION) if has_request_context() else None
    if generation_ is None:
        return compute()
    key = f"panels:results:{generation_}:{panel_id}:{part}"
    recent = current_app.extensions["panel_results"]
    entry = recent.get(key)
    if entry is not None:
        return entry
    try:
        entry = cache_store().get(key)
    except Exception:  # compute them rather than fail
        log.exception("The panels' kept results cannot be reached")
    if entry is None:
        entry = compute()
        try:
            cache_store().set(key, entry)
        except Exception:  # they were computed; keeping them is only an optimisation
            log.exception("Could not keep a panel's results")
    recent.put(key, entry)
    return entry


def _changes_results(obj, deleted=False):
    if isinstance(obj, WATCHED):
        return True
    if isinstance(obj, Nomination):
        if deleted:
            return True
        state = inspect(obj)
        if "status" not in state.dict:  # not loaded: it may be in judging (nothing is loaded)
            return True
        return any(value in JUDGED
                   for value in (state.dict["status"], *state.attrs.status.history.deleted))
    return deleted and isinstance(obj, CASCADING)


def note_judging_changes(app, session):
    """Session hook (after a flush): remember whether this transaction changes results."""
    if (any(_changes_results(obj) for obj in chain(session.new, session.dirty))
            or any(_changes_results(obj, deleted=True) for obj in session.deleted)):
        session.info[CHANGED] = True


def note_bulk_statements(orm_execute_state):
    """do_orm_execute: an INSERT, UPDATE or DELETE statement on a watched table (no objects
    for the flush to see) changes results too."""
    state = orm_execute_state
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in WATCHED_TABLES:
            state.session.info[CHANGED] = True


def init_results_cache(app, scoped_session):
    """The results each process keeps in memory, and the bulk statements on the app's
    session watched (once per process, like core.hooks.relay_session_events; the flag only
    matters to apps that connect the hooks below)."""
    app.extensions["panel_results"] = Recent.for_app(app, RECENT)
    if not event.contains(scoped_session, "do_orm_execute", note_bulk_statements):
        event.listen(scoped_session, "do_orm_execute", note_bulk_statements)


def invalidate_after_commit(app, session):
    """Session hook: a new generation once the change is committed (not before: results
    computed between the two would be kept under the new one from old rows)."""
    if session.info.pop(CHANGED, False):
        invalidate()
        if has_request_context():  # this request reads them afresh from now on too
            request.environ.pop(REQUEST_GENERATION, None)


def forget_rolled_back_changes(app, session):
    """Session hook: a rolled-back change changed nothing."""
    session.info.pop(CHANGED, None)
