"""The nomination journey: start, one step per page, check answers, send, follow, withdraw."""
import secrets

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awards.core.forms import EmptyForm
from awards.core.links import object_from_link
from awards.core.security import rate_limit
from awards.core.unit_of_work import apply_change
from awards.core.uploads import upload_dir
from awards.nominations import emails, queries
from awards.nominations.access import grant_access, nomination_for_nominator
from awards.nominations.enums import NominationStatus
from awards.nominations.forms import (
    InviteSupporterForm,
    StartForm,
    StepForm,
    SubmitForm,
    WithdrawForm,
)
from awards.nominations.models import Nomination
from awards.nominations.services import journey, photos, supporters

bp = Blueprint("nominations", __name__)

# The journey's order is its service's (each step's form and title: StepForm.by_step).
STEP_ORDER = list(journey.STEPS) + ["check"]


@bp.app_context_processor
def nomination_context():
    """Lets site-wide templates (home, navigation) show the cycle taking nominations."""
    return {"current_cycle": queries.current_cycle}


@bp.route("/nominate")
def choose_cycle():
    """Where a nomination starts: the open cycle's awards, or a note that none is open."""
    cycles = queries.open_cycles()
    if len(cycles) == 1:
        # Only the start page's own argument goes on (never url_for's `_external`, `_method`...).
        category = request.args.get("category")
        return redirect(url_for("nominations.start", slug=cycles[0].slug,
                                **({"category": category} if category else {})))
    return render_template("nominations/choose_cycle.html", cycles=cycles)


@bp.route("/nominate/<slug>", methods=["GET", "POST"])
@rate_limit("RATELIMIT_NOMINATE_START")
def start(slug):
    """Explain what we will ask, then start a draft (one per start form, however often sent)."""
    cycle = queries.cycle_by_slug(slug)
    if cycle is None or cycle.archived_at is not None:
        abort(404)
    category = queries.category_by_slug(cycle, request.args.get("category", ""))
    form = StartForm(start_token=secrets.token_urlsafe(16))
    started = cycle.is_open and form.validate_on_submit() and apply_change(
        lambda: journey.start_nomination(
            cycle, category=category, start_token=form.start_token.data or None,
            nominator=current_user if current_user.is_authenticated else None))
    if started:
        nomination = started.value
        grant_access(nomination)
        first = "nominee" if nomination.category_id else "category"
        return redirect(url_for("nominations.step", reference=nomination.reference, step=first))
    return render_template("nominations/start.html", cycle=cycle, category=category, form=form)


def _next_step(step):
    return STEP_ORDER[STEP_ORDER.index(step) + 1]


@bp.route("/nomination/<reference>/<any(" + ",".join(f"'{s}'" for s in journey.STEPS)
          + "):step>", methods=["GET", "POST"])
@rate_limit("RATELIMIT_SAVE_FOR_LATER",  # "save and come back later" e-mails a link
            when=lambda request: request.form.get("action") == "save-and-exit")
@rate_limit("RATELIMIT_PHOTO_UPLOAD", when=lambda request: _uploads_photo(request))
def step(reference, step):
    """One question page of the journey; each answer is saved as you go."""
    nomination = nomination_for_nominator(reference)
    if not nomination.is_editable:
        return redirect(url_for("nominations.status", reference=reference))
    form_class = StepForm.by_step[step]
    form = form_class.from_nomination(nomination)
    exiting = request.form.get("action") == "save-and-exit"
    valid = form.validate_on_submit()
    if exiting and form.is_submitted() and "csrf_token" not in form.errors and not (
            valid and step == "photo"):
        # Saved without the step's validation: what is valid is kept, the rest waits.
        saved = apply_change(lambda: journey.save_for_later(nomination, form.answers_to_keep()))
        if saved:
            return _saved_for_later(nomination, saved.value)
    elif valid:
        # A refused photo is explained next to its field.
        errors = form.photo.errors if step == "photo" else form.form_errors
        if apply_change(lambda: _save_step(nomination, form, exiting), errors=errors):
            if exiting:
                return _saved_for_later(nomination, journey.missing_steps(nomination))
            back_to_check = request.args.get("change") == "1"
            target = "check" if back_to_check else _next_step(step)
            if target == "check":
                return redirect(url_for("nominations.check", reference=reference))
            return redirect(url_for("nominations.step", reference=reference, step=target))
    return render_template(
        "nominations/step.html", nomination=nomination, form=form, step=step,
        title=form_class.title, step_number=STEP_ORDER.index(step) + 1,
        step_count=len(STEP_ORDER), steps=STEP_ORDER, remove_form=EmptyForm())


def _uploads_photo(request):
    """Whether this request sends a photo file (the uploads that are rate-limited)."""
    upload = request.files.get("photo")
    return request.view_args.get("step") == "photo" and bool(upload and upload.filename)


def _save_step(nomination, form, exiting):
    """Save the step's answers; on "save and come back later", e-mail the link back."""
    if form.step == "photo":
        photos.save_photo(nomination, **form.to_arguments(), actor=_actor())
    else:
        journey.save_step(nomination, form.to_arguments())
    if exiting and nomination.nominator_email:
        journey.resend_link(nomination)


def _saved_for_later(nomination, missing):
    if nomination.nominator_email:
        flash(_("Your answers are saved. We have emailed you a link to come back to them."),
              "success")
    else:
        flash(_("Your answers are saved in this browser. Add your email address on the "
                "“About you” page and we can send you a link to come back from anywhere."),
              "info")
    if missing:
        flash(_("Still to answer: %(steps)s.", steps=", ".join(
            str(StepForm.by_step[step].title) for step in missing)), "info")
    return redirect(url_for("nominations.status", reference=nomination.reference))


@bp.route("/nomination/<reference>/photo/remove", methods=["POST"])
def remove_photo(reference):
    """Take the photo off a draft."""
    nomination = nomination_for_nominator(reference)
    if EmptyForm().validate_on_submit() and nomination.is_editable:
        apply_change(lambda: photos.remove_photo(nomination, actor=_actor()),
                     success=_("The photo has been removed."))
    return redirect(url_for("nominations.step", reference=reference, step="photo"))


@bp.route("/nomination/<reference>/photo/<any(display,thumb):size>")
def photo(reference, size):
    """The nominee's photo, only for those who may manage the nomination."""
    nomination = nomination_for_nominator(reference)
    if nomination.photo is None:
        abort(404)
    name = nomination.photo.display_name if size == "display" else nomination.photo.thumb_name
    response = send_from_directory(upload_dir(), name, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/nomination/<reference>/check", methods=["GET", "POST"])
@rate_limit("RATELIMIT_NOMINATE_SUBMIT")
def check(reference):
    """Check your answers, then send."""
    nomination = nomination_for_nominator(reference)
    if nomination.status is not NominationStatus.DRAFT:
        return redirect(url_for("nominations.sent", reference=reference))
    form = SubmitForm()
    if form.validate_on_submit():
        if apply_change(lambda: journey.submit_nomination(
            nomination, actor=_actor()), errors=form.form_errors):
            return redirect(url_for("nominations.sent", reference=reference))
    return render_template(
        "nominations/check.html", nomination=nomination, form=form,
        missing=journey.missing_steps(nomination), problems=journey.rule_problems(nomination),
        step_number=len(STEP_ORDER), step_count=len(STEP_ORDER), steps=STEP_ORDER)


@bp.route("/nomination/<reference>/sent")
def sent(reference):
    """The confirmation page: the reference, and what happens next."""
    nomination = nomination_for_nominator(reference)
    if nomination.status is NominationStatus.DRAFT:
        return redirect(url_for("nominations.check", reference=reference))
    return render_template("nominations/sent.html", nomination=nomination)


@bp.route("/nomination/<reference>")
def status(reference):
    """The nominator's page: status, supporters, and what they can do."""
    nomination = nomination_for_nominator(reference)
    return render_template(
        "nominations/status.html", nomination=nomination, invite_form=InviteSupporterForm(),
        withdraw_form=WithdrawForm(), share_link=emails.share_link(nomination),
        missing=journey.missing_steps(nomination))


@bp.route("/nomination/<reference>/supporters", methods=["POST"])
@rate_limit("RATELIMIT_SUPPORT")
def invite(reference):
    """Invite a supporter by e-mail."""
    nomination = nomination_for_nominator(reference)
    form = InviteSupporterForm()
    if form.validate_on_submit():
        if apply_change(lambda: supporters.invite_supporter(
            nomination, form.email.data, actor=_actor()), errors=form.email.errors):
            flash(_("We have emailed %(email)s an invitation.", email=form.email.data), "success")
            return redirect(url_for("nominations.status", reference=reference))
    return render_template(
        "nominations/status.html", nomination=nomination, invite_form=form,
        withdraw_form=WithdrawForm(), share_link=emails.share_link(nomination),
        missing=journey.missing_steps(nomination)), 400


@bp.route("/nomination/<reference>/withdraw", methods=["GET", "POST"])
def withdraw(reference):
    """Withdraw the nomination (until judging starts), after a confirmation page."""
    nomination = nomination_for_nominator(reference)
    form = WithdrawForm()
    if form.validate_on_submit():
        apply_change(lambda: journey.withdraw_nomination(
            nomination, actor=_actor(), **form.to_arguments()),
            success=_("Your nomination %(reference)s has been withdrawn.", reference=reference))
        return redirect(url_for("nominations.status", reference=reference))
    return render_template("nominations/withdraw.html", nomination=nomination, form=form)


@bp.route("/n/<token>")
def open_link(token):
    """The nominator's e-mailed link: remember access in this browser, then show the page."""
    nomination = object_from_link("nominator", Nomination, token)
    grant_access(nomination)
    return redirect(url_for("nominations.status", reference=nomination.reference))


@bp.route("/n/<token>/confirm", methods=["GET", "POST"])
def confirm_link(token):
    """Confirm the nominator's e-mail address: GET shows a button, POST confirms."""
    nomination = object_from_link("nominator", Nomination, token)
    grant_access(nomination)
    form = EmptyForm()
    if form.validate_on_submit() and apply_change(
            lambda: journey.confirm_nominator_email(nomination)):
        return redirect(url_for("nominations.sent", reference=nomination.reference))
    if nomination.status is not NominationStatus.AWAITING_CONFIRMATION:
        return redirect(url_for("nominations.sent", reference=nomination.reference))
    return render_template("nominations/confirm.html", nomination=nomination, form=form)


@bp.route("/my/nominations")
@login_required
def mine():
    """A signed-in resident's nominations and their status."""
    return render_template("nominations/mine.html",
                           nominations=queries.nominations_of(current_user))


def _actor():
    return current_user._get_current_object() if current_user.is_authenticated else None
