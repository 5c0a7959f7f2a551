"""Admins write an issue, preview it, send a test, send it now or at a time, and follow
and control the send."""
from flask import (
    Blueprint,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from awards.accounts.enums import Role
from awards.core.forms import EmptyForm
from awards.core.security import content_security_policy, role_required
from awards.core.unit_of_work import apply_change
from awards.extensions import db
from awards.newsletter import rendering
from awards.newsletter.admin_forms import IssueForm, SendForm
from awards.newsletter.models import NewsletterIssue
from awards.newsletter.services import issues, sending

bp = Blueprint("newsletter_admin", __name__, url_prefix="/admin/newsletter")

# The send controls: the question asked before each, and the service that does it.
CONTROLS = {
    "pause": sending.pause_sending,
    "resume": sending.resume_sending,
    "cancel": sending.cancel_sending,
    "retry": sending.retry_failed,
    "unschedule": issues.unschedule_issue,
}


def _issue(issue_id):
    return db.get_or_404(NewsletterIssue, issue_id)


def _issue_form(issue=None, **kwargs):
    return IssueForm(awards=issues.story_choices(), areas=issues.all_areas(), **kwargs)


@bp.route("")
@role_required(Role.ADMIN)
def index():
    """Every issue: drafts, scheduled, sending, sent."""
    return render_template("newsletter/admin/index.html", groups=issues.list_issues())


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new():
    """Start a draft."""
    form = _issue_form()
    if form.validate_on_submit():
        applied = apply_change(lambda: issues.create_issue(**form.to_arguments(),
                                                           actor=current_user),
                               errors=form, success=_("The draft has been saved."))
        if applied:
            return redirect(url_for(".issue", issue_id=applied.value.id))
    return render_template("newsletter/admin/edit.html", form=form, issue=None)


@bp.route("/<int(max=2147483647):issue_id>")
@role_required(Role.ADMIN)
def issue(issue_id):
    """One issue: what it is, who it goes to, and what can be done with it now."""
    issue = _issue(issue_id)
    return render_template(
        "newsletter/admin/issue.html", issue=issue, form=EmptyForm(),
        stories=rendering.sendable_stories(issue), recipients=sending.count_audience(issue),
        progress=sending.progress(issue))


@bp.route("/<int(max=2147483647):issue_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(issue_id):
    """Change a draft."""
    issue = _issue(issue_id)
    if not issue.is_draft:
        flash(_("Only a draft can be changed."), "error")
        return redirect(url_for(".issue", issue_id=issue.id))
    form = _issue_form()
    if request.method == "GET":
        form.subject.data, form.introduction.data = issue.subject, issue.introduction
        form.stories.data = issues.chosen_award_ids(issue)
        form.areas.data = [area.id for area in issue.areas]
    if form.validate_on_submit() and apply_change(
            lambda: issues.update_issue(issue, **form.to_arguments(), actor=current_user),
            errors=form, success=_("The draft has been saved.")):
        return redirect(url_for(".issue", issue_id=issue.id))
    return render_template("newsletter/admin/edit.html", form=form, issue=issue)


@bp.route("/<int(max=2147483647):issue_id>/preview")
@role_required(Role.ADMIN)
def preview(issue_id):
    """The e-mail as a phone and a desktop would show it, and its plain-text part."""
    issue = _issue(issue_id)
    return render_template("newsletter/admin/preview.html", issue=issue, subject=issue.subject,
                           text=rendering.preview_text(issue), form=EmptyForm())


@bp.route("/<int(max=2147483647):issue_id>/preview/email")
@role_required(Role.ADMIN)
def preview_frame(issue_id):
    """The e-mail's HTML for the preview's frames: the same template, its stylesheet linked
    rather than inlined (the site's policy allows no inline styles); framed by our pages
    only."""
    issue = _issue(issue_id)
    _subject, html, _text = rendering.render_issue(
        issue, stylesheet_url=url_for("static", filename="css/newsletter-email.css"))
    response = make_response(rendering.fill_example_links(html, issue))
    response.headers["Content-Security-Policy"] = content_security_policy(
        frame_ancestors="'self'")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/<int(max=2147483647):issue_id>/test", methods=["POST"])
@role_required(Role.ADMIN)
def send_test(issue_id):
    """E-mail a copy to the admin who asks."""
    issue = _issue(issue_id)
    form = EmptyForm()
    if form.validate_on_submit():
        apply_change(lambda: issues.send_test(issue, current_user.email, actor=current_user),
                     success=_("A test copy is on its way to %(email)s.",
                               email=current_user.email))
    return redirect(url_for(".issue", issue_id=issue.id))


@bp.route("/<int(max=2147483647):issue_id>/send", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def send(issue_id):
    """Send now or at a time: first the choice, then "Send to 1,234 people?"."""
    issue = _issue(issue_id)
    if not issue.is_draft:
        flash(_("Only a draft can be sent."), "error")
        return redirect(url_for(".issue", issue_id=issue.id))
    form = SendForm()
    recipients = sending.count_audience(issue)
    if form.validate_on_submit():
        when = form.scheduled_for()
        if form.is_confirmed:
            if when is None:
                applied = apply_change(lambda: issues.send_issue_now(issue, current_user),
                                       errors=form)
                if applied:
                    flash(ngettext("Sending to %(count)s person.", "Sending to %(count)s people.",
                                   applied.value, count=format_decimal(applied.value)),
                          "success")
                    return redirect(url_for(".progress", issue_id=issue.id))
            elif apply_change(lambda: issues.schedule_issue(issue, when, current_user),
                              errors=form, success=_("The issue is scheduled.")):
                return redirect(url_for(".issue", issue_id=issue.id))
        else:
            form.confirmed.data = "yes"
            return render_template("newsletter/admin/confirm_send.html", issue=issue,
                                   form=form, recipients=recipients, when=when)
    return render_template("newsletter/admin/send.html", issue=issue, form=form,
                           recipients=recipients)


def _progress_figures(issue):
    progress = sending.progress(issue)
    rate = issues.send_rate(issue)
    return progress, rate, issues.minutes_left(progress, rate)


@bp.route("/<int(max=2147483647):issue_id>/progress")
@role_required(Role.ADMIN)
def progress(issue_id):
    """How far the send has got, counted from its delivery rows, and its controls."""
    issue = _issue(issue_id)
    progress, rate, left = _progress_figures(issue)
    return render_template("newsletter/admin/progress.html", issue=issue, progress=progress,
                           rate=rate, left=left, failed=issues.failed_deliveries(issue),
                           form=EmptyForm())


@bp.route("/<int(max=2147483647):issue_id>/progress.json")
@role_required(Role.ADMIN)
def progress_data(issue_id):
    """The progress page's figures, for its script to refresh them."""
    issue = _issue(issue_id)
    progress, rate, left = _progress_figures(issue)
    return jsonify({
        "status": issue.status.label, "total": progress.total, "sent": progress.sent,
        "failed": progress.failed, "pending": progress.pending, "skipped": progress.skipped,
        "done": progress.done, "percent": progress.percent,
        "rate": format_decimal(round(rate, 1)),
        "left": _minutes_text(left),
        "finished": not (issue.is_sending or issue.is_paused),
    })


def _minutes_text(left):
    if left is None:
        return _("Not known yet")
    return ngettext("About %(num)d minute", "About %(num)d minutes", left)


@bp.route("/<int(max=2147483647):issue_id>/<any(pause,resume,cancel,retry,unschedule):action>",
          methods=["GET", "POST"])
@role_required(Role.ADMIN)
def control(issue_id, action):
    """Pause, resume, cancel, retry the failed ones or unschedule: asked, then done."""
    issue = _issue(issue_id)
    form = EmptyForm()
    if form.validate_on_submit():
        if apply_change(lambda: CONTROLS[action](issue, current_user),
                        success=_control_done(action)):
            return redirect(url_for(".issue" if action == "unschedule" else ".progress",
                                    issue_id=issue.id))
        return redirect(url_for(".progress", issue_id=issue.id))
    return render_template("newsletter/admin/control.html", issue=issue, action=action,
                           form=form, progress=sending.progress(issue))


def _control_done(action):
    return {"pause": _("The send is paused."), "resume": _("The send has resumed."),
            "cancel": _("The send is cancelled. Nobody else will get this issue."),
            "retry": _("The failed addresses will be tried again."),
            "unschedule": _("The issue is a draft again.")}[action]
