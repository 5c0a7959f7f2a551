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
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Optional

from awards.core.forms import EmptyForm
from awards.core.links import object_from_link
from awards.core.security import rate_limit
from awards.core.services import commit_or_report
from awards.extensions import db
from awards.nominations import emails, queries
from awards.nominations.access import grant_access, nomination_for_nominator
from awards.nominations.enums import AgeBand, HowLong, NominationStatus, NomineeKind
from awards.nominations.forms import (
    EMAIL_FORMAT,
    AboutYouStepForm,
    CategoryStepForm,
    DifferenceStepForm,
    HowLongStepForm,
    InviteSupporterForm,
    NomineeStepForm,
    PhotoStepForm,
    StartForm,
    SubmitForm,
    WhatStepForm,
    WithdrawForm,
)
from awards.nominations.models import Nomination
from awards.nominations.services import NominationError, journey, photos, supporters

bp = Blueprint("nominations", __name__)

# step slug → (form, page title); the order is the journey's.
STEP_PAGES = {
    "category": (CategoryStepForm, _l("Which award")),
    "nominee": (NomineeStepForm, _l("Who you are nominating")),
    "what-they-do": (WhatStepForm, _l("What they do")),
    "difference": (DifferenceStepForm, _l("The difference they make")),
    "how-long": (HowLongStepForm, _l("How long")),
    "photo": (PhotoStepForm, _l("A photo")),
    "about-you": (AboutYouStepForm, _l("About you")),
}
STEP_ORDER = list(STEP_PAGES) + ["check"]
ENUM_FIELDS = {"nominee_kind": NomineeKind, "age_band": AgeBand, "how_long": HowLong}


@bp.app_context_processor
def nomination_context():
    """Lets site-wide templates (home, navigation) show the cycle taking nominations."""
    return {"current_cycle": queries.current_cycle}


@bp.route("/nominate")
def choose_cycle():
    """Where a nomination starts: the open cycle's awards, or a note that none is open."""
    cycles = queries.open_cycles()
    if len(cycles) == 1:
        return redirect(url_for("nominations.start", slug=cycles[0].slug, **request.args))
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
    if cycle.is_open and form.validate_on_submit():
        nomination = journey.start_nomination(
            cycle, category=category, start_token=form.start_token.data or None,
            nominator=current_user if current_user.is_authenticated else None)
        db.session.commit()
        grant_access(nomination)
        first = "nominee" if nomination.category_id else "category"
        return redirect(url_for("nominations.step", reference=nomination.reference, step=first))
    return render_template("nominations/start.html", cycle=cycle, category=category, form=form)


def _step_form(step, nomination):
    form_class, _title = STEP_PAGES[step]
    form = form_class(obj=None if request.method == "POST" else _Values(nomination))
    if step == "category":
        form.category_id.choices = [SelectChoice(c.id, c.name)
                                    for c in nomination.cycle.live_categories]
    if step == "about-you" and nomination.entered_by_id is not None:
        # Entered by a helper: the nominator may have given no e-mail address.
        form.nominator_email.validators = [Optional(), Length(max=254), Email(EMAIL_FORMAT)]
        form.nominator_email.flags.required = False
    if step == "nominee":
        form.area_id.choices = [SelectChoice(0, _("Choose an area"))] + [
            SelectChoice(a.id, a.name) for a in queries.live_areas()]
    return form


class _Values:
    """A nomination's answers as a form expects them (enum values, yes/no)."""

    def __init__(self, nomination):
        self._nomination = nomination

    def __getattr__(self, name):
        value = getattr(self._nomination, name)
        if name == "nominator_may_be_named":
            return ("yes" if value else "no") if self._nomination.nominator_name else None
        return getattr(value, "value", value)


def _cleaned(form):
    values = {name: field.data for name, field in form._fields.items()
              if name not in {"csrf_token", "photo", "alt_text", "website"}}
    for name, enum_class in ENUM_FIELDS.items():
        if name in values:
            values[name] = enum_class(values[name]) if values[name] else None
    if "nominator_may_be_named" in values:
        values["nominator_may_be_named"] = values["nominator_may_be_named"] == "yes"
    if "nominee_email" in values:
        values["nominee_email"] = (values["nominee_email"] or "").strip().lower() or None
    if "nominator_email" in values:  # may be empty (entered by a helper), never NULL
        values["nominator_email"] = (values["nominator_email"] or "").strip().lower()
    if "area_id" in values and not values["area_id"]:
        values["area_id"] = None
    return values


def _next_step(step):
    return STEP_ORDER[STEP_ORDER.index(step) + 1]


@bp.route("/nomination/<reference>/<any(" + ",".join(f"'{s}'" for s in STEP_PAGES) + "):step>",
          methods=["GET", "POST"])
def step(reference, step):
    """One question page of the journey; each answer is saved as you go."""
    nomination = nomination_for_nominator(reference)
    if not nomination.is_editable:
        return redirect(url_for("nominations.status", reference=reference))
    form = _step_form(step, nomination)
    if form.validate_on_submit():
        if step == "photo":  # a refused photo is explained next to its field
            saved = commit_or_report(form.photo.errors, lambda: _save_photo(form, nomination))
        else:
            saved = commit_or_report(form.form_errors,
                                     lambda: journey.save_step(nomination, _cleaned(form)))
        if saved:
            if request.form.get("action") == "save-and-exit":
                return _save_and_exit(nomination)
            back_to_check = request.args.get("change") == "1"
            target = "check" if back_to_check else _next_step(step)
            if target == "check":
                return redirect(url_for("nominations.check", reference=reference))
            return redirect(url_for("nominations.step", reference=reference, step=target))
    return render_template(
        "nominations/step.html", nomination=nomination, form=form, step=step,
        title=STEP_PAGES[step][1], step_number=STEP_ORDER.index(step) + 1,
        step_count=len(STEP_ORDER), steps=STEP_ORDER, remove_form=EmptyForm())


def _save_photo(form, nomination):
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        photos.attach_photo(nomination, upload.stream, form.alt_text.data, actor=_actor())
    elif nomination.photo is not None and form.alt_text.data is not None:
        nomination.photo.alt_text = form.alt_text.data.strip()[:250]


def _save_and_exit(nomination):
    if nomination.nominator_email:
        journey.resend_link(nomination)
        db.session.commit()
        flash(_("Your answers are saved. We have emailed you a link to come back to them."),
              "success")
    else:
        flash(_("Your answers are saved in this browser. Add your email address on the "
                "“About you” page and we can send you a link to come back from anywhere."),
              "info")
    return redirect(url_for("nominations.status", reference=nomination.reference))


@bp.route("/nomination/<reference>/photo/remove", methods=["POST"])
def remove_photo(reference):
    """Take the photo off a draft."""
    nomination = nomination_for_nominator(reference)
    if EmptyForm().validate_on_submit() and nomination.is_editable:
        photos.remove_photo(nomination, actor=_actor())
        db.session.commit()
        flash(_("The photo has been removed."), "success")
    return redirect(url_for("nominations.step", reference=reference, step="photo"))


@bp.route("/nomination/<reference>/photo/<any(display,thumb):size>")
def photo(reference, size):
    """The nominee's photo, only for those who may manage the nomination."""
    nomination = nomination_for_nominator(reference)
    if nomination.photo is None:
        abort(404)
    name = nomination.photo.display_name if size == "display" else nomination.photo.thumb_name
    response = send_from_directory(photos.upload_dir(), name, mimetype="image/jpeg")
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
        if commit_or_report(form.form_errors, lambda: journey.submit_nomination(
            nomination, actor=_actor())):
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
        if commit_or_report(form.email.errors, lambda: supporters.invite_supporter(
            nomination, form.email.data, actor=_actor())):
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
        try:
            journey.withdraw_nomination(nomination, actor=_actor(), reason=form.reason.data or "")
        except NominationError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Your nomination %(reference)s has been withdrawn.", reference=reference),
                  "success")
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
    if form.validate_on_submit():
        journey.confirm_nominator_email(nomination)
        db.session.commit()
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
