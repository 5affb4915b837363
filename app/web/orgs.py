"""Organisations: history, new assessments, people and invites, comparison, export, leaving and deleting.

Every removal (a member, an invite, an assessment, the organisation) is a
POST from a confirmation page (GET shows what will go), carries a CSRF
token, and is logged by its service.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import mail
from ..extensions import limiter
from ..reports import charts
from ..services import accounts, deletion, history, outcomes, rounds
from ..services import export as exports
from ..services.assessments import StartKeyTaken
from ..services.history import Entry
from . import access
from .converters import id_arg
from .forms import ActionForm, EmailForm, NewAssessmentForm, OrganisationForm, RoundStartForm

bp = Blueprint("orgs", __name__)


@bp.get("/orgs")
@login_required
def index() -> str:
    return render_template("orgs/index.html", memberships=accounts.memberships_of(current_user.id),
                           form=OrganisationForm(), action_form=ActionForm())


@bp.post("/orgs")
@login_required
def create() -> str | Response | tuple[str, int]:
    form = OrganisationForm()
    if not form.validate_on_submit():
        return render_template("orgs/index.html", memberships=accounts.memberships_of(current_user.id), form=form,
                               action_form=ActionForm()), 400
    organisation = accounts.create_organisation(owner_id=current_user.id, name=form.name.data)
    return redirect(url_for(".show", organisation_id=organisation.id))


@bp.get("/orgs/<id:organisation_id>")
@login_required
def show(organisation_id: int) -> str:
    member = access.membership_or_404(organisation_id)
    page = history.history(organisation_id, request.args.get("page", 1, type=id_arg) or 1)
    new_form = NewAssessmentForm(start_key=secrets.token_urlsafe(24), copy_latest=bool(page.entries))
    round_form = RoundStartForm(formdata=None, start_key=secrets.token_urlsafe(24))
    points = [(e.name, e.summary) for e in page.entries if e.summary is not None]
    respondents = rounds.respondent_counts([e.assessment.id for e in page.entries if e.assessment.is_round])
    return render_template("orgs/show.html", member=member, organisation=member.organisation, page=page,
                           entries=page.entries, timeline=charts.timeline_of(points), new_form=new_form,
                           round_form=round_form, respondents=respondents, action_form=ActionForm())


@bp.post("/orgs/<id:organisation_id>/assessments")
@limiter.limit(lambda: current_app.config["START_RATE_LIMIT"])
@login_required
def new_assessment(organisation_id: int) -> Response:
    """Limited like starting an assessment: each copy writes every answer of the latest one."""
    member = access.membership_or_404(organisation_id)
    form = NewAssessmentForm()
    if not form.validate_on_submit():
        flash("The form expired. Please try again.", "error")
        return redirect(url_for(".show", organisation_id=organisation_id))
    try:
        started = history.start_in_organisation(
            organisation=member.organisation, user_id=current_user.id, start_key=form.start_key.data,
            copy_latest=form.copy_latest.data, label=form.label.data or "")
    except StartKeyTaken:
        flash("The form expired. Please try again.", "error")
        return redirect(url_for(".show", organisation_id=organisation_id))
    if started.new_questions:
        flash(f"Your previous answers are filled in. This version of the questionnaire asks "
              f"{len(started.new_questions)} new question{'s' if len(started.new_questions) != 1 else ''}, "
              "left blank for you to answer: " + "; ".join(started.new_questions[:6])
              + ("; and more." if len(started.new_questions) > 6 else "."), "info")
    assessment = started.assessment
    return redirect(url_for("assess.section", token=assessment.token, section_id=assessment.last_section))


@bp.post("/orgs/<id:organisation_id>/invites")
@login_required
def invite(organisation_id: int) -> str | Response:
    member = access.owner_or_404(organisation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    token = accounts.create_invite(organisation_id=organisation_id, created_by_id=current_user.id)
    return render_template("orgs/invite.html", organisation=member.organisation,
                           link=url_for(".accept_invite", token=token, _external=True),
                           days=accounts.INVITE_LIFETIME.days)


@bp.get("/orgs/<id:organisation_id>/people")
@login_required
def people(organisation_id: int) -> str:
    """Who is in the organisation; owners also see pending invites and may remove people or revoke invites."""
    member = access.membership_or_404(organisation_id)
    is_owner = member.role == access.OWNER
    return render_template("orgs/people.html", member=member, organisation=member.organisation,
                           members=accounts.members(organisation_id),
                           invites=accounts.pending_invites(organisation_id) if is_owner else [],
                           email_form=EmailForm(), action_form=ActionForm(), days=accounts.INVITE_LIFETIME.days)


@bp.post("/orgs/<id:organisation_id>/invites/email")
@limiter.limit(lambda: current_app.config["MAIL_RATE_LIMIT"])
@login_required
def email_invite(organisation_id: int) -> str | Response | tuple[str, int]:
    """Send the invite link to a colleague's address (the copy-a-link invite stays for other channels)."""
    member = access.owner_or_404(organisation_id)
    form = EmailForm()
    if not form.validate_on_submit():
        return render_template("orgs/people.html", member=member, organisation=member.organisation,
                               members=accounts.members(organisation_id),
                               invites=accounts.pending_invites(organisation_id), email_form=form,
                               action_form=ActionForm(), days=accounts.INVITE_LIFETIME.days), 400
    email = accounts.normalise_email(form.email.data)
    token = accounts.create_invite(organisation_id=organisation_id, created_by_id=current_user.id, email=email)
    if mail.send(to=email, subject=f"Join {member.organisation.name} on Groundwork", template="invite",
                 inviter=current_user.email, organisation=member.organisation.name,
                 link=url_for(".accept_invite", token=token, _external=True), days=accounts.INVITE_LIFETIME.days):
        flash(f"Invitation sent to {email}.", "info")
    else:
        flash(mail.FAILED + " The invitation is listed below: revoke it and send another, or create a link "
              "to copy instead.", "error")
    return redirect(url_for(".people", organisation_id=organisation_id))


def _confirm(*, title: str, message: str, button: str, cancel: str, form: object | None = None,
             status: int = 200) -> tuple[str, int]:
    return render_template("confirm.html", title=title, message=message, button=button, cancel=cancel,
                           form=form or ActionForm()), status


@bp.route("/orgs/<id:organisation_id>/invites/<id:invite_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_invite(organisation_id: int, invite_id: int) -> Response | tuple[str, int]:
    member = access.owner_or_404(organisation_id)
    invite = next((i for i in accounts.pending_invites(organisation_id) if i.id == invite_id), None)
    if invite is None:
        abort(404)
    back = url_for(".people", organisation_id=organisation_id)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        accounts.revoke_invite(organisation_id=organisation_id, invite_id=invite_id, by_user_id=current_user.id)
        flash("The invite is revoked: its link no longer works.", "info")
        return redirect(back)
    return _confirm(title="Revoke this invite?", button="Revoke the invite", cancel=back,
                    message=f"The invite{' sent to ' + invite.email if invite.email else ''} to join "
                            f"{member.organisation.name} will stop working.")


@bp.route("/orgs/<id:organisation_id>/members/<id:membership_id>/remove", methods=["GET", "POST"])
@login_required
def remove_member(organisation_id: int, membership_id: int) -> Response | tuple[str, int]:
    member = access.owner_or_404(organisation_id)
    target = next((m for m in accounts.members(organisation_id) if m.id == membership_id), None)
    if target is None:
        abort(404)
    back = url_for(".people", organisation_id=organisation_id)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            accounts.remove_member(organisation_id=organisation_id, membership_id=membership_id,
                                   by_user_id=current_user.id)
        except accounts.LastOwner as refused:
            flash(str(refused), "error")
            return redirect(back)
        flash(f"{target.user.email} is no longer a member of {member.organisation.name}.", "info")
        if target.user_id == current_user.id:
            return redirect(url_for(".index"))
        return redirect(back)
    return _confirm(title=f"Remove {target.user.email}?", button="Remove", cancel=back,
                    message=f"{target.user.email} will no longer see {member.organisation.name}'s assessments. "
                            "The assessments they started stay in its history.")


@bp.route("/orgs/<id:organisation_id>/members/<id:membership_id>/owner", methods=["GET", "POST"])
@login_required
def make_owner(organisation_id: int, membership_id: int) -> Response | tuple[str, int]:
    member = access.owner_or_404(organisation_id)
    target = next((m for m in accounts.members(organisation_id) if m.id == membership_id and m.role != "owner"),
                  None)
    if target is None:
        abort(404)
    back = url_for(".people", organisation_id=organisation_id)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        accounts.make_owner(organisation_id=organisation_id, membership_id=membership_id,
                            by_user_id=current_user.id)
        flash(f"{target.user.email} is now an owner of {member.organisation.name}.", "info")
        return redirect(back)
    return _confirm(title=f"Make {target.user.email} an owner?", button="Make owner", cancel=back,
                    message="Owners invite and remove people, share results outside the organisation, and may "
                            f"delete its assessments or {member.organisation.name} itself.")


@bp.route("/orgs/<id:organisation_id>/leave", methods=["GET", "POST"])
@login_required
def leave(organisation_id: int) -> Response | tuple[str, int]:
    member = access.membership_or_404(organisation_id)
    back = url_for(".people", organisation_id=organisation_id)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            accounts.leave(organisation_id=organisation_id, user_id=current_user.id)
        except accounts.LastOwner as refused:
            flash(str(refused), "error")
            return redirect(back)
        flash(f"You have left {member.organisation.name}.", "info")
        return redirect(url_for(".index"))
    return _confirm(title=f"Leave {member.organisation.name}?", button="Leave the organisation", cancel=back,
                    message="You will no longer see its assessments; an owner can invite you back. "
                            "The assessments you started stay in its history.")


@bp.route("/orgs/<id:organisation_id>/delete", methods=["GET", "POST"])
@login_required
def delete(organisation_id: int) -> Response | tuple[str, int]:
    member = access.owner_or_404(organisation_id)
    back = url_for(".people", organisation_id=organisation_id)
    name = member.organisation.name
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        deletion.delete_organisation(organisation_id=organisation_id, by_user_id=current_user.id)
        flash(f"{name} is deleted, with all its assessments, share links and reports.", "info")
        return redirect(url_for(".index"))
    return _confirm(title=f"Delete {name}?", button=f"Delete {name} for good", cancel=back,
                    message=f"Every assessment of {name}, with its answers, share links and PDF reports, and every "
                            "membership and invite, will be deleted. This cannot be undone: export the history "
                            "first if you may need it.")


@bp.route("/assessments/<token>/delete", methods=["GET", "POST"])
def delete_assessment(token: str) -> Response | tuple[str, int]:
    """Owners of its organisation (or, before anyone claims it, whoever holds its link) delete an assessment."""
    assessment = access.deletable_or_404(token)
    organisation_id = assessment.organisation_id
    back = (url_for(".show", organisation_id=organisation_id) if organisation_id
            else url_for("results.show", token=token) if assessment.is_complete
            else url_for("assess.resume", token=token))
    name = assessment.label or f"the assessment started on {assessment.created_at:%d %b %Y}"
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        deletion.delete_assessment(assessment=assessment, by_user_id=access.user_id())
        flash(f"Deleted {name}, with its answers, share links and reports.", "info")
        return redirect(url_for(".show", organisation_id=organisation_id) if organisation_id
                        else url_for("main.index"))
    return _confirm(title=f"Delete {name}?", button="Delete the assessment", cancel=back,
                    message="Its answers, its read-only links and its PDF reports will be deleted. "
                            "This cannot be undone.")


@bp.route("/invites/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> str | Response | tuple[str, int]:
    invite = access.usable_invite(token)
    if invite is None:
        return render_template("orgs/invite_invalid.html"), 404
    if not current_user.is_authenticated:
        flash("Sign in or create an account to join the organisation.", "info")
        return redirect(url_for("auth.signup", next=request.path))
    form = ActionForm()
    if form.validate_on_submit():
        try:
            organisation = accounts.accept_invite(token=token, user_id=current_user.id)
        except accounts.AccountError as error:
            flash(str(error), "error")
            return render_template("orgs/invite_invalid.html"), 404
        flash(f"You joined {organisation.name}.", "info")
        return redirect(url_for(".show", organisation_id=organisation.id))
    organisation = accounts.organisation(invite.organisation_id)
    return render_template("orgs/accept.html", organisation=organisation, form=form)


@bp.get("/orgs/<id:organisation_id>/compare")
@login_required
def compare(organisation_id: int) -> str:
    before_id = request.args.get("before", type=id_arg)
    after_id = request.args.get("after", type=id_arg)
    if before_id is None or after_id is None:
        abort(404)
    member, (before, after) = access.entries_or_404(organisation_id, [before_id, after_id])
    compared = outcomes.compare_two(before, after)
    comparison = compared.comparison
    return render_template("orgs/compare.html", organisation=member.organisation, before=Entry(before, None),
                           after=Entry(after, None), c=comparison, on_today=compared.on_today,
                           chart=charts.level_comparison(comparison.levels))


@bp.get("/orgs/<id:organisation_id>/export.<any(csv, json):fmt>")
@login_required
def export(organisation_id: int, fmt: str) -> Response:
    member = access.membership_or_404(organisation_id)
    stem = f"groundwork-{organisation_id}-assessments"
    pages = history.batches(organisation_id)
    if fmt == "json":
        body, mimetype = exports.to_json(member.organisation.name, pages), "application/json"
    else:
        body, mimetype = exports.to_csv(pages, history.questionnaires_used(organisation_id)), "text/csv"
    return Response(stream_with_context(body), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})
