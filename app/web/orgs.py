"""Organisations: history, new assessments, invites, comparison, export."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..reports import charts
from ..services import accounts, history, outcomes
from ..services import export as exports
from ..services.history import Entry
from . import access
from .converters import id_arg
from .forms import ActionForm, NewAssessmentForm, OrganisationForm

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
    points = [(e.name, e.summary) for e in page.entries if e.summary is not None]
    return render_template("orgs/show.html", member=member, organisation=member.organisation, page=page,
                           entries=page.entries, timeline=charts.timeline_of(points), new_form=new_form,
                           action_form=ActionForm())


@bp.post("/orgs/<id:organisation_id>/assessments")
@login_required
def new_assessment(organisation_id: int) -> Response:
    member = access.membership_or_404(organisation_id)
    form = NewAssessmentForm()
    if not form.validate_on_submit():
        flash("The form expired. Please try again.", "error")
        return redirect(url_for(".show", organisation_id=organisation_id))
    started = history.start_in_organisation(
        organisation=member.organisation, user_id=current_user.id, start_key=form.start_key.data,
        copy_latest=form.copy_latest.data, label=form.label.data or "")
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
