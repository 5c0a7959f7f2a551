"""Panel members' pages: their list, declarations, reviews and the panel's discussion."""
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

from awards.core.arguments import int_arg
from awards.core.listing import link_maker
from awards.core.unit_of_work import apply_change
from awards.core.uploads import upload_dir
from awards.panels import queries
from awards.panels.access import (
    member_or_404,
    nomination_for_member,
    nomination_to_read,
    sees_panel_view,
)
from awards.panels.enums import Stage
from awards.panels.forms import (
    CommentForm,
    DeclarationForm,
    EligibilityReviewForm,
    review_form_class,
)
from awards.panels.redaction import redactor
from awards.panels.services import declarations, deliberation, reviews
from awards.panels.services.rubric import criteria_of

bp = Blueprint("panels", __name__, url_prefix="/panel")


@bp.route("")
@login_required
def dashboard():
    """The panels the signed-in user sits on."""
    member_of = queries.memberships(current_user)
    if len(member_of) == 1:
        return redirect(url_for("panels.judge", panel_id=member_of[0].panel_id))
    return render_template("panels/dashboard.html", memberships=member_of)


@bp.route("/<int:panel_id>")
@login_required
def judge(panel_id):
    """The member's nominations to review in this round, a page at a time, with their
    progress."""
    member = member_or_404(panel_id)
    progress = queries.judge_progress(member)
    page = queries.judge_page(member, int_arg("page", 1, maximum=100_000),
                              total=progress.total)
    return render_template("panels/judge.html", member=member, panel=member.panel, page=page,
                           progress=progress,
                           nomination_url=link_maker("panels.nomination", "reference",
                                                     panel_id=member.panel_id))


@bp.route("/<int:panel_id>/<reference>", methods=["GET", "POST"])
@login_required
def nomination(panel_id, reference):
    """Declare first; then read the nomination and review it (draft or submit)."""
    member = member_or_404(panel_id)
    nomination, declaration = nomination_for_member(member, reference)
    if declaration is None:
        return _declare(member, nomination)
    review = reviews.review_for(member, nomination)
    form = _review_form(member, nomination, review)
    submit = "submit" in request.form
    if form.validate_on_submit() and apply_change(
            lambda: reviews.save_review(member, nomination, **form.to_arguments(),
                                        submit=submit), errors=form.form_errors):
        if submit:
            flash(_("Your review of %(reference)s is submitted. You can now see the panel's "
                    "other reviews of it.", reference=nomination.reference), "success")
        else:
            flash(_("Draft saved. Nobody else can see it until you submit."), "success")
        return redirect(url_for("panels.nomination", panel_id=panel_id,
                                reference=nomination.reference))
    return _nomination_page(member, nomination, review, form)


def _declare(member, nomination):
    """The declaration page: only the name (or, in blind mode, the category, area and the
    story with the names taken out, so a member can say they recognise it)."""
    form = DeclarationForm.for_panel(member.panel)
    if form.validate_on_submit():
        if apply_change(lambda: declarations.declare(member, nomination, **form.to_arguments()),
                        errors=form.form_errors):
            if form.conflicted.data:
                flash(_("Thank you for declaring it. You will not see %(reference)s again, and "
                        "the chair has been told.", reference=nomination.reference), "success")
                return redirect(url_for("panels.judge", panel_id=member.panel_id))
            return redirect(url_for("panels.nomination", panel_id=member.panel_id,
                                    reference=nomination.reference))
    return render_template("panels/declare.html", member=member, panel=member.panel,
                           nomination=nomination, form=form,
                           hide=redactor(member.panel, nomination))


def _review_form(member, nomination, review):
    """The round's review form, filled from the member's saved draft."""
    if member.panel.stage is Stage.ELIGIBILITY:
        return EligibilityReviewForm.from_review(review)
    return review_form_class(criteria_of(nomination.category)).from_review(review)


def _nomination_page(member, nomination, review, form):
    """The nomination, the member's review form (or submitted review), and, when allowed,
    the panel's other reviews and the discussion."""
    panel = member.panel
    open_view = sees_panel_view(member, nomination, review)
    others = queries.submitted_reviews(panel, nomination, except_member=member) \
        if open_view else []
    comments = queries.discussion(panel, nomination) if open_view else []
    previous, following = queries.neighbours(member, nomination)
    return render_template(
        "panels/nomination.html", member=member, panel=panel, nomination=nomination,
        review=review, form=form, others=others, comments=comments, open_view=open_view,
        comment_form=CommentForm(), previous=previous, following=following,
        hide=redactor(panel, nomination),
        criteria={c.id: c for c in criteria_of(nomination.category)})


@bp.route("/<int:panel_id>/<reference>/discussion", methods=["POST"])
@login_required
def discuss(panel_id, reference):
    """Add a message to the panel's discussion of a nomination."""
    member = member_or_404(panel_id)
    nomination = nomination_to_read(member.panel, member, reference)
    if not sees_panel_view(member, nomination, reviews.review_for(member, nomination)):
        abort(403)
    form = CommentForm()
    target = url_for("panels.nomination", panel_id=panel_id, reference=nomination.reference,
                     _anchor="discussion")
    if not form.validate_on_submit():
        flash(form.body.errors[0] if form.body.errors else _("Write your message first."),
              "error")
        return redirect(target)
    apply_change(lambda: deliberation.add_comment(
        member.panel, nomination, form.body.data, author=current_user),
        success=_("Your message has been added."))
    return redirect(target)


@bp.route("/<int:panel_id>/<reference>/photo")
@login_required
def photo(panel_id, reference):
    """The nominee's photo for a member who may open the nomination (never in blind mode)."""
    member = member_or_404(panel_id)
    nomination = nomination_to_read(member.panel, member, reference)
    if member.panel.blind or nomination.photo is None:
        abort(404)
    response = send_from_directory(upload_dir(), nomination.photo.display_name,
                                   mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response
