"""The result page, its PDF, its label, claiming it into an organisation, and share links."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from assessments.advert import advert as advert_of

from ..extensions import limiter
from ..models import Assessment
from ..reports import charts, pdf
from ..services import accounts, history, outcomes, sharing
from ..services.reports import Pending, RenderBusy, RenderError, report_for
from . import access
from .forms import ActionForm, ClaimForm, LabelForm

bp = Blueprint("results", __name__)


def _render_result(assessment: Assessment, *, shared_token: str | None = None) -> str:
    with_today = request.args.get("rules") == "today"
    shown = outcomes.shown(assessment, with_today=with_today)
    outcome = shown.outcome
    readonly = shared_token is not None
    context: dict[str, object] = {}
    if not readonly:
        members = accounts.memberships_of(current_user.id) if current_user.is_authenticated else []
        claim = None
        if assessment.organisation_id is None and members:
            claim = ClaimForm()
            claim.organisation.choices = [SelectChoice(str(m.organisation_id), m.organisation.name) for m in members]
        may_share = access.may_manage_sharing(assessment)
        context = {"label_form": LabelForm(label=assessment.label), "claim_form": claim,
                   "action_form": ActionForm(), "may_share": may_share,
                   "shares": sharing.shares_of(assessment.id) if may_share else []}
    here = (url_for(".shared", share_token=shared_token) if readonly else url_for(".show", token=assessment.token))
    return render_template(
        "results/show.html", assessment=assessment, outcome=outcome, scored=outcome.scored,
        rec=outcome.recommendation, pyramid=charts.pyramid(outcome.scored),
        bars=charts.level_scores(outcome.scored), readonly=readonly, shared_token=shared_token,
        rules_roles=shown.rules.roles, with_today=shown.with_today, today=shown.today,
        reproduced=shown.reproduced, said=shown.said,
        today_url=here + "?rules=today", as_said_url=here, **context)


@bp.get("/assessments/<token>")
def show(token: str) -> str | Response:
    assessment = access.assessment_or_404(token)
    if not assessment.is_complete:
        flash("This assessment is not finished yet. Carry on where you left off.", "info")
        return redirect(url_for("assess.resume", token=token))
    return _render_result(assessment)


def _started_a_render(response: Response) -> bool:
    """Flask-Limiter counts a PDF request against the address only when it set a render going."""
    return response.headers.get("X-Report-Cache") == "miss"


def _pdf_response(assessment: Assessment, *, retry_url: str, back_url: str,
                  with_history: bool) -> Response | tuple[str, int, dict[str, str]]:
    try:
        report = report_for(assessment, with_history=with_history)
    except RenderError as error:
        current_app.logger.warning("PDF report failed for assessment %s: %s", assessment.id, error)
        headers = {"Retry-After": "30"} if isinstance(error, RenderBusy) else {}
        return render_template("results/report_failed.html", assessment=assessment, message=str(error),
                               retry_url=retry_url), 503, headers
    if isinstance(report, Pending):
        wait = str(report.retry_after)
        return (render_template("results/report_pending.html", retry_url=retry_url, back_url=back_url), 202,
                {"Refresh": f"{wait}; url={retry_url}", "Retry-After": wait,
                 "X-Report-Cache": "miss" if report.started else "pending"})
    response = current_app.response_class(report.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response.headers["X-Report-Cache"] = "hit" if report.cached else "miss"
    return response


@bp.get("/assessments/<token>/report.pdf")
@limiter.limit(lambda: current_app.config["PDF_RATE_LIMIT"], deduct_when=_started_a_render)
def report_pdf(token: str) -> Response | tuple[str, int, dict[str, str]]:
    assessment = access.assessment_or_404(token)
    if not assessment.is_complete:
        flash("Finish the assessment first; the report is made from the complete answers.", "info")
        return redirect(url_for("assess.resume", token=token))
    return _pdf_response(assessment, retry_url=url_for(".report_pdf", token=token),
                         back_url=url_for(".show", token=token), with_history=True)


def _advert(assessment: Assessment, *, markdown_url: str, back_url: str, as_markdown: bool) -> str | Response:
    shown = outcomes.shown(assessment, borderline=False)
    ad = advert_of(shown.outcome, assessment.organisation_name, roles=shown.rules.roles)
    if as_markdown:
        name = pdf.filename(assessment.organisation_name or "organisation", assessment.created_at.date())
        return Response(ad.markdown(), mimetype="text/markdown", headers={
            "Content-Disposition": f'attachment; filename="{name.replace(".pdf", "-advert.md")}"'})
    return render_template("results/advert.html", assessment=assessment, ad=ad, markdown_url=markdown_url,
                           back_url=back_url)


@bp.get("/assessments/<token>/advert")
@bp.get("/assessments/<token>/advert.md", defaults={"as_markdown": True})
def advert(token: str, as_markdown: bool = False) -> str | Response:
    assessment = access.assessment_or_404(token)
    if not assessment.is_complete:
        return redirect(url_for("assess.resume", token=token))
    return _advert(assessment, markdown_url=url_for(".advert", token=token, as_markdown=True),
                   back_url=url_for(".show", token=token), as_markdown=as_markdown)


@bp.get("/shared/<share_token>/advert")
@bp.get("/shared/<share_token>/advert.md", defaults={"as_markdown": True})
def shared_advert(share_token: str, as_markdown: bool = False) -> str | Response:
    assessment = access.shared_or_404(share_token)
    return _advert(assessment, markdown_url=url_for(".shared_advert", share_token=share_token, as_markdown=True),
                   back_url=url_for(".shared", share_token=share_token), as_markdown=as_markdown)


@bp.post("/assessments/<token>/label")
def set_label(token: str) -> Response:
    assessment = access.assessment_or_404(token)
    form = LabelForm()
    if form.validate_on_submit():
        history.set_label(assessment=assessment, label=form.label.data or "")
        flash("Label saved.", "info")
    return redirect(url_for(".show", token=token))


@bp.post("/assessments/<token>/claim")
@login_required
def claim(token: str) -> Response:
    assessment = access.assessment_or_404(token)
    if assessment.organisation_id is not None:
        abort(404)
    form = ClaimForm()
    members = {str(m.organisation_id): m for m in accounts.memberships_of(current_user.id)}
    form.organisation.choices = [SelectChoice(k, m.organisation.name) for k, m in members.items()]
    if not form.validate_on_submit():
        abort(400)
    member = members[form.organisation.data]
    revoked = history.claim(assessment=assessment, organisation=member.organisation, user_id=current_user.id)
    flash(f"The assessment is now part of {member.organisation.name}'s history.", "info")
    if revoked:
        links = "Its read-only link no longer works" if revoked == 1 else f"Its {revoked} share links no longer work"
        flash(f"{links}: what the organisation's members edit now is not shared. Owners can create a new link "
              "from the result page.", "info")
    return redirect(url_for("orgs.show", organisation_id=member.organisation_id))


@bp.post("/assessments/<token>/shares")
def create_share(token: str) -> Response:
    assessment = access.sharing_or_404(token)
    if not assessment.is_complete or not ActionForm().validate_on_submit():
        abort(400)
    sharing.create_share(assessment_id=assessment.id)
    flash("Read-only link created. Anyone with it can see this result and its PDF until you revoke it.", "info")
    return redirect(url_for(".show", token=token) + "#share-h")


@bp.post("/assessments/<token>/shares/<id:share_id>/revoke")
def revoke_share(token: str, share_id: int) -> Response:
    assessment = access.sharing_or_404(token)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not sharing.revoke_share(assessment_id=assessment.id, share_id=share_id):
        abort(404)
    flash("The link no longer works.", "info")
    return redirect(url_for(".show", token=token) + "#share-h")


@bp.get("/shared/<share_token>")
def shared(share_token: str) -> str:
    return _render_result(access.shared_or_404(share_token), shared_token=share_token)


@bp.get("/shared/<share_token>/report.pdf")
@limiter.limit(lambda: current_app.config["PDF_RATE_LIMIT"], deduct_when=_started_a_render)
def shared_pdf(share_token: str) -> Response | tuple[str, int, dict[str, str]]:
    assessment = access.shared_or_404(share_token)
    return _pdf_response(assessment, retry_url=url_for(".shared_pdf", share_token=share_token),
                         back_url=url_for(".shared", share_token=share_token), with_history=False)

