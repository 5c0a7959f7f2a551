"""Admins moderate submitted nominations; admins and helpers record consent and enter
nominations taken on paper or by phone."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from awards.accounts.enums import Role
from awards.core.arguments import int_arg
from awards.core.forms import EmptyForm
from awards.core.listing import labels_of, link_maker
from awards.core.security import role_required
from awards.core.unit_of_work import apply_change
from awards.extensions import db
from awards.nominations import queries
from awards.nominations.access import grant_access
from awards.nominations.enums import ConsentStatus, NominationStatus
from awards.nominations.forms import (
    AssistedStartForm,
    ModerationForm,
    RecognitionGivenForm,
    RecordConsentForm,
)
from awards.nominations.models import AwardCycle, RecognitionGiven
from awards.nominations.services import journey, moderation, recognition
from awards.nominations.services.consent import save_consent

bp = Blueprint("moderation", __name__, url_prefix="/admin/nominations")
assist_bp = Blueprint("assist", __name__, url_prefix="/assist")


def _filters():
    args = request.args
    return {
        "cycle_id": int_arg("cycle"), "category_id": int_arg("category"),
        "area_id": int_arg("area"),
        "status": args.get("status") if args.get("status") in {s.value for s in NominationStatus}
        else None,
        "search": (args.get("q") or "").strip()[:100] or None,
    }


def _link_args(filters):
    """The query string's filters, for the links to the queue's other pages."""
    names = {"cycle_id": "cycle", "category_id": "category", "area_id": "area",
             "status": "status", "search": "q"}
    return {names[key]: value for key, value in filters.items() if value}


@bp.route("")
@role_required(Role.ADMIN)
def queue():
    """Submitted nominations, filtered by cycle, category, area, status or a search, a page
    at a time."""
    filters = _filters()
    page = queries.moderation_queue(**filters, page=int_arg("page", 1, maximum=100_000))
    cycles, areas = queries.filter_lists()
    return render_template(
        "moderation/queue.html", page=page,
        filters=filters, link_args=_link_args(filters), cycles=cycles, areas=areas,
        statuses=[s for s in NominationStatus if s is not NominationStatus.DRAFT],
        # Translated once a page, not once a row; each row's link from one url_for.
        status_labels=labels_of(NominationStatus, "admin"),
        consent_labels=labels_of(ConsentStatus),
        detail_url=link_maker("moderation.detail", "reference"))


@bp.route("/<reference>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def detail(reference):
    """Everything about one nomination, and the moderation decision."""
    nomination = _nomination(reference)
    form = ModerationForm()
    if form.validate_on_submit():
        if apply_change(lambda: moderation.decide(nomination, **form.to_arguments(),
                                                  actor=current_user),
                        errors=form.form_errors):
            flash(_("%(reference)s is now: %(status)s.", reference=nomination.reference,
                    status=nomination.status.label), "success")
            return redirect(url_for("moderation.queue"))
    return render_template("moderation/detail.html", nomination=nomination, form=form,
                           given=queries.recognition_given(nomination))


@bp.route("/<reference>/consent", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.HELPER)
def record_consent(reference):
    """Record consent gathered in person or on paper (who, when, how are kept)."""
    nomination = _nomination(reference)
    if nomination.consent is None:
        abort(404)
    if not current_user.has_role(Role.ADMIN) and nomination.entered_by_id != current_user.id:
        abort(403)
    form = RecordConsentForm.from_consent(nomination.consent)
    if form.validate_on_submit():
        if apply_change(lambda: save_consent(
                nomination, **form.to_arguments(), recorded_by=current_user),
                errors=form.form_errors):
            flash(_("Consent for %(reference)s has been recorded.", reference=reference),
                  "success")
            return redirect(url_for("nominations.status", reference=reference))
    return render_template("moderation/record_consent.html", nomination=nomination, form=form)


@bp.route("/<reference>/recognition", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def record_recognition(reference):
    """Record what recognition and support the nominee was actually given."""
    nomination = _nomination(reference)
    form = RecognitionGivenForm()
    if form.validate_on_submit() and apply_change(
            lambda: recognition.record_recognition(nomination, **form.to_arguments(),
                                                   actor=current_user),
            errors=form.form_errors,
            success=_("Recorded: %(what)s.", what=form.kind.data.label)):
        return redirect(url_for("moderation.detail", reference=nomination.reference))
    return render_template("moderation/recognition.html", nomination=nomination, form=form,
                           given=queries.recognition_given(nomination), remove_form=EmptyForm())


@bp.route("/<reference>/recognition/<int:given_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def remove_recognition(reference, given_id):
    """Take back a record of recognition given that was entered by mistake."""
    nomination = _nomination(reference)
    given = db.session.get(RecognitionGiven, given_id)
    if given is None or given.nomination_id != nomination.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        what = given.kind.label
        apply_change(lambda: recognition.remove_recognition(given, actor=current_user),
                     success=_("Removed: %(what)s.", what=what))
    return redirect(url_for("moderation.record_recognition", reference=nomination.reference))


@bp.route("/cycle/<int:cycle_id>/judging", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def readiness(cycle_id):
    """Which eligible nominations can go to judging, what the rest lack; start judging."""
    cycle = db.get_or_404(AwardCycle, cycle_id)
    form = EmptyForm()
    if form.validate_on_submit():
        started = apply_change(lambda: moderation.start_judging(cycle, actor=current_user))
        if started:
            flash(ngettext("%(num)d nomination is now with the judging panels.",
                           "%(num)d nominations are now with the judging panels.",
                           len(started.value.ready)), "success")
        return redirect(url_for("moderation.readiness", cycle_id=cycle_id))
    return render_template("moderation/readiness.html", cycle=cycle, form=form,
                           readiness=moderation.judging_readiness(cycle))


@assist_bp.route("", methods=["GET", "POST"])
@role_required(Role.HELPER, Role.ADMIN)
def start():
    """A helper enters a nomination received on paper, by phone or in person."""
    form = AssistedStartForm()
    form.cycle_id.choices = [SelectChoice(c.id, c.name) for c in queries.open_cycles()]
    if form.validate_on_submit():
        cycle = db.get_or_404(AwardCycle, form.cycle_id.data)
        outcome = apply_change(lambda: journey.start_nomination(
            cycle, entered_by=current_user, via=form.received_via.data),
            errors=form.form_errors)
        if outcome:
            nomination = outcome.value
            grant_access(nomination)
            return redirect(url_for("nominations.step", reference=nomination.reference,
                                    step="category"))
    return render_template("moderation/assist.html", form=form)


def _nomination(reference):
    nomination = queries.nomination_by_reference(reference)
    if nomination is None or nomination.status is NominationStatus.DRAFT and \
            not current_user.has_role(Role.ADMIN):
        abort(404)
    return nomination
