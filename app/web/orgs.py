"""Organisations: history, new assessments, invites, comparison, export."""

from __future__ import annotations

import csv
import io
import json
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from ..reports import charts
from ..services import accounts, history
from . import fragments
from .access import membership_or_404, versions_or_404
from .forms import ActionForm

bp = Blueprint("orgs", __name__)


class OrganisationForm(FlaskForm):
    name = StringField("Organisation name", validators=[InputRequired(), Length(max=200)])
    submit = SubmitField("Create organisation")


class NewAssessmentForm(FlaskForm):
    start_key = HiddenField(validators=[Length(min=16, max=64)])
    label = StringField("Label", validators=[Optional(), Length(max=120)],
                        description="For example \u201cQ3 review\u201d or \u201cafter our data engineer joined\u201d.")
    copy_latest = BooleanField("Start from a copy of the latest answers")
    submit = SubmitField("Start a new assessment")



@bp.get("/orgs")
@login_required
def index() -> str:
    return render_template("orgs/index.html", memberships=accounts.memberships_of(current_user),
                           form=OrganisationForm())


@bp.post("/orgs")
@login_required
def create() -> str | Response:
    form = OrganisationForm()
    if not form.validate_on_submit():
        return render_template("orgs/index.html", memberships=accounts.memberships_of(current_user), form=form), 400
    organisation = accounts.create_organisation(owner=current_user, name=form.name.data)
    return redirect(url_for(".show", organisation_id=organisation.id))


@bp.get("/orgs/<int:organisation_id>")
@login_required
def show(organisation_id: int) -> str:
    member = membership_or_404(organisation_id)
    entries = history.history(organisation_id)
    new_form = NewAssessmentForm(start_key=secrets.token_urlsafe(24), copy_latest=bool(entries))
    points = [(e.assessment.label or e.assessment.created_at.strftime("%d %b %Y"), e.outcome.scored) for e in entries]
    return render_template("orgs/show.html", member=member, organisation=member.organisation, entries=entries,
                           timeline=charts.timeline(points), new_form=new_form, action_form=ActionForm())


@bp.post("/orgs/<int:organisation_id>/assessments")
@login_required
def new_assessment(organisation_id: int) -> Response:
    member = membership_or_404(organisation_id)
    form = NewAssessmentForm()
    if not form.validate_on_submit():
        flash("The form expired. Please try again.", "error")
        return redirect(url_for(".show", organisation_id=organisation_id))
    assessment = history.start_in_organisation(
        organisation=member.organisation, user=current_user, start_key=form.start_key.data,
        copy_latest=form.copy_latest.data, label=form.label.data or "")
    return redirect(url_for("assess.section", token=assessment.token, section_id=assessment.last_section))


@bp.post("/orgs/<int:organisation_id>/invites")
@login_required
def invite(organisation_id: int) -> str | Response:
    member = membership_or_404(organisation_id)
    if member.role != "owner" or not ActionForm().validate_on_submit():
        abort(404 if member.role != "owner" else 400)
    token = accounts.create_invite(organisation=member.organisation, created_by=current_user)
    return render_template("orgs/invite.html", organisation=member.organisation,
                           link=url_for(".accept_invite", token=token, _external=True),
                           days=accounts.INVITE_LIFETIME.days)


@bp.route("/invites/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> str | Response:
    invite = accounts.find_invite(token)
    if invite is None:
        return render_template("orgs/invite_invalid.html"), 404
    if not current_user.is_authenticated:
        flash("Sign in or create an account to join the organisation.", "info")
        return redirect(url_for("auth.signup", next=request.path))
    form = ActionForm()
    if form.validate_on_submit():
        organisation = accounts.accept_invite(token=token, user=current_user)
        flash(f"You joined {organisation.name}.", "info")
        return redirect(url_for(".show", organisation_id=organisation.id))
    organisation = accounts.organisation(invite.organisation_id)
    return render_template("orgs/accept.html", organisation=organisation, form=form)


@bp.get("/orgs/<int:organisation_id>/compare")
@login_required
def compare(organisation_id: int) -> str | Response:
    before_id = request.args.get("before", type=int)
    after_id = request.args.get("after", type=int)
    if before_id is None or after_id is None:
        abort(404)
    name, found = versions_or_404(organisation_id, [before_id, after_id])

    def render() -> str:
        entries = history.in_organisation(organisation_id, [before_id, after_id])
        if len(entries) != 2:  # moved or deleted since the line above
            abort(404)
        comparison = history.compare(*entries)
        return render_template("orgs/_comparison.html", organisation_id=organisation_id, organisation_name=name,
                               c=comparison, chart=charts.level_comparison(comparison.levels))

    # Seen before with the same answers and labels: reuse the rendered comparison.
    body = fragments.cached(("compare", organisation_id, name, *found), render)
    return render_template("orgs/compare.html", organisation_name=name, body=body)


@bp.get("/orgs/<int:organisation_id>/export.<any(csv, json):fmt>")
@login_required
def export(organisation_id: int, fmt: str) -> Response:
    member = membership_or_404(organisation_id)
    records = history.export_records(history.history(organisation_id))
    stem = f"groundwork-{member.organisation_id}-assessments"
    if fmt == "json":
        body = json.dumps({"organisation": member.organisation.name, "assessments": records},
                          indent=2, ensure_ascii=False)
        return Response(body, mimetype="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{stem}.json"'})
    level_ids = sorted({lv for r in records for lv in r["levels"]})
    question_ids = sorted({q for r in records for q in r["answers"]})
    fixed = ["assessment_id", "label", "organisation_name", "created_at", "completed_at", "questionnaire",
             "questionnaire_version", "stage", "stage_title", "confidence", "first_hire", "runner_up"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(fixed + [f"level:{lv}" for lv in level_ids] + [f"answer:{q}" for q in question_ids])
    for r in records:
        answers = [r["answers"].get(q) for q in question_ids]
        row = [r[k] for k in fixed] + [r["levels"].get(lv) for lv in level_ids] + [
            "; ".join(a) if isinstance(a, list) else a for a in answers]
        writer.writerow([history.neutralise(v) for v in row])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'})


