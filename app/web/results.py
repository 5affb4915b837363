"""The result page, its PDF, its label, its job advert and hiring pack, filing it in an organisation, share links."""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from assessments.advert import GAPS, Details
from assessments.advert import advert as advert_of

from ..extensions import limiter
from ..models import Assessment, Organisation
from ..reports import charts, pdf
from ..services import accounts, adverts, history, outcomes, sharing
from ..services.reports import Pending, RenderBusy, RenderError, report_for
from . import access
from .forms import ActionForm, AdvertForm, ClaimForm, LabelForm

bp = Blueprint("results", __name__)


def _render_result(assessment: Assessment, *, shared_token: str | None = None, readonly_url: str | None = None,
                   back_url: str | None = None) -> str:
    with_today = request.args.get("rules") == "today"
    shown = outcomes.shown(assessment, with_today=with_today)
    outcome = shown.outcome
    readonly = shared_token is not None or readonly_url is not None
    context: dict[str, object] = {}
    if not readonly:
        claim = None
        if assessment.organisation_id is None and current_user.is_authenticated:
            claim = ClaimForm()
            claim.organisation.choices = _claim_choices(assessment)
        may_share = access.may_manage_sharing(assessment)
        context = {"label_form": LabelForm(label=assessment.label), "claim_form": claim,
                   "action_form": ActionForm(), "may_share": may_share,
                   "shares": sharing.shares_of(assessment.id) if may_share else [],
                   "new_organisation": history.new_organisation_name(assessment)}
    here = readonly_url or (url_for(".shared", share_token=shared_token) if readonly
                            else url_for(".show", token=assessment.token))
    # A team round's respondents see who answered what by seat, never by name; a share link, not even that.
    team_who = "seats" if readonly_url is not None else "counts" if readonly else "names"
    return render_template(
        "results/show.html", assessment=assessment, outcome=outcome, scored=outcome.scored, team_who=team_who,
        rec=outcome.recommendation, pyramid=charts.pyramid(outcome.scored),
        bars=charts.level_scores(outcome.scored), readonly=readonly, shared_token=shared_token,
        rules_roles=shown.rules.roles, with_today=shown.with_today, today=shown.today,
        reproduced=shown.reproduced, said=shown.said,
        today_url=here + "?rules=today", as_said_url=here, back_url=back_url, **context)


def render_readonly(assessment: Assessment, *, here: str, back_url: str) -> str:
    """The result as a share link shows it (read-only, nothing per respondent), at another address:
    a team round's combined result for its respondents (app/web/rounds.py)."""
    return _render_result(assessment, readonly_url=here, back_url=back_url)


@bp.get("/assessments/<token>")
def show(token: str) -> str | Response:
    assessment = access.assessment_or_404(token)
    if assessment.is_round and not assessment.is_complete:
        return redirect(url_for("rounds.show", round_token=token))
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


def _advert(assessment: Assessment, *, markdown_url: str, back_url: str, as_markdown: bool,
            form: AdvertForm | None = None, pack_url: str | None = None) -> str | Response:
    """The advert page (with the form that fills it, for those who may edit) or its Markdown download."""
    shown = outcomes.shown(assessment, borderline=False)
    ad = advert_of(shown.outcome, assessment.organisation_name, adverts.details_of(assessment.id),
                   roles=shown.rules.roles)
    if as_markdown:
        name = pdf.filename(assessment.organisation_name or "organisation", assessment.created_at.date())
        return Response(ad.markdown(), mimetype="text/markdown", headers={
            "Content-Disposition": f'attachment; filename="{name.replace(".pdf", "-advert.md")}"'})
    return render_template("results/advert.html", assessment=assessment, ad=ad, markdown_url=markdown_url,
                           back_url=back_url, form=form, pack_url=pack_url, gaps=GAPS, team=shown.outcome.team)


def _editable_advert(token: str, assessment: Assessment, form: AdvertForm, *, as_markdown: bool = False,
                     ) -> str | Response:
    return _advert(assessment, markdown_url=url_for(".advert_markdown", token=token),
                   back_url=url_for(".show", token=token), as_markdown=as_markdown, form=form,
                   pack_url=url_for(".hiring_pack", token=token))


# The page and its Markdown are separate endpoints: with one endpoint for both, url_for(".advert") built
# the .md address, and the result page's button downloaded a file instead of opening the page.
@bp.get("/assessments/<token>/advert")
@bp.get("/assessments/<token>/advert.md", endpoint="advert_markdown", defaults={"as_markdown": True})
def advert(token: str, as_markdown: bool = False) -> str | Response:
    assessment = access.assessment_or_404(token)
    if not assessment.is_complete:
        return redirect(url_for("assess.resume", token=token))
    details = adverts.details_of(assessment.id)
    return _editable_advert(token, assessment, AdvertForm(data=asdict(details)), as_markdown=as_markdown)


@bp.post("/assessments/<token>/advert")
def save_advert(token: str) -> str | Response | tuple[str | Response, int]:
    """Save about us, salary, location and how to apply with the assessment; on a bad form nothing typed is lost."""
    assessment = access.assessment_or_404(token)
    if not assessment.is_complete:
        return redirect(url_for("assess.resume", token=token))
    form = AdvertForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash("The page had expired, so nothing was saved. Your text is still below: press Save again.", "error")
        return _editable_advert(token, assessment, form), 400
    adverts.save_details(assessment.id, Details(about=form.about.data or "", salary=form.salary.data or "",
                                                location=form.location.data or "",
                                                how_to_apply=form.how_to_apply.data or ""))
    flash("Advert saved. The copy button and the Markdown download give this text.", "info")
    return redirect(url_for(".advert", token=token) + "#advert")


@bp.get("/shared/<share_token>/advert")
@bp.get("/shared/<share_token>/advert.md", endpoint="shared_advert_markdown", defaults={"as_markdown": True})
def shared_advert(share_token: str, as_markdown: bool = False) -> str | Response:
    """The advert as saved, read-only; the hiring pack never leaves the organisation through a share link."""
    assessment = access.shared_or_404(share_token)
    return _advert(assessment, markdown_url=url_for(".shared_advert_markdown", share_token=share_token),
                   back_url=url_for(".shared", share_token=share_token), as_markdown=as_markdown)


@bp.get("/assessments/<token>/hiring-pack")
def hiring_pack(token: str) -> str | Response:
    """For the organisation only (no share-link route): the interview plan and questions, what to screen
    for, and what to fix or find out before the hire starts."""
    assessment = access.assessment_or_404(token)
    if not assessment.is_complete:
        return redirect(url_for("assess.resume", token=token))
    shown = outcomes.shown(assessment, borderline=False)
    outcome = shown.outcome
    ad = advert_of(outcome, assessment.organisation_name, adverts.details_of(assessment.id),
                   roles=shown.rules.roles)
    return render_template("results/hiring_pack.html", assessment=assessment, ad=ad, outcome=outcome,
                           rec=outcome.recommendation, scored=outcome.scored)


@bp.post("/assessments/<token>/label")
def set_label(token: str) -> Response:
    assessment = access.assessment_or_404(token)
    form = LabelForm()
    if form.validate_on_submit():
        history.set_label(assessment=assessment, label=form.label.data or "")
        flash("Label saved.", "info")
    return redirect(url_for(".show", token=token))


#: The claim form's choice that files the assessment in a new organisation rather than one the user is in.
NEW_ORGANISATION = "new"


def _claim_choices(assessment: Assessment) -> list[SelectChoice]:
    """The user's organisations, then a new one named as typed at the start of the assessment."""
    members = accounts.memberships_of(current_user.id)
    return ([SelectChoice(str(m.organisation_id), m.organisation.name) for m in members]
            + [SelectChoice(NEW_ORGANISATION, f"A new organisation: {history.new_organisation_name(assessment)}")])


def _filed(assessment: Assessment, organisation: Organisation, revoked: int) -> Response:
    flash(f"The assessment is filed in {organisation.name}'s history. Assessments you start from "
          "the organisation's page are filed there too, and compared with this one.", "info")
    if revoked:
        links = "Its read-only link no longer works" if revoked == 1 else f"Its {revoked} share links no longer work"
        flash(f"{links}: what the organisation's members edit now is not shared. Owners can create a new link "
              "from the result page.", "info")
    return redirect(url_for("results.show", token=assessment.token))  # also called from the sign-up view


@bp.post("/assessments/<token>/claim")
@login_required
def claim(token: str) -> Response:
    assessment = access.assessment_or_404(token)
    if assessment.organisation_id is not None:
        abort(404)
    form = ClaimForm()
    form.organisation.choices = _claim_choices(assessment)
    if not form.validate_on_submit():
        abort(400)
    if form.organisation.data == NEW_ORGANISATION:
        organisation, revoked = history.file_in_new_organisation(assessment=assessment, user_id=current_user.id)
        return _filed(assessment, organisation, revoked)
    member = access.membership_or_404(int(form.organisation.data))
    revoked = history.claim(assessment=assessment, organisation=member.organisation, user_id=current_user.id)
    return _filed(assessment, member.organisation, revoked)


def _result_token(url: str | None) -> str | None:
    """The token of the result page a URL points at (the `next` a sign-up carries), else None."""
    if not url:
        return None
    try:
        endpoint, args = current_app.url_map.bind("localhost").match(urlsplit(url).path, method="GET")
    except HTTPException:
        return None
    return args.get("token") if endpoint == "results.show" else None


def file_after_signup(next_url: str | None, user_id: int) -> Response | None:
    """Signing up from a result files that assessment at once, in a new organisation named as typed at the start.

    The result is the page the person signed up from: the `next` their confirmation link carries. Only for
    an account in no organisation yet; anyone already in one chooses where to file it on the result page.
    Called by the sign-up's confirmation view right after the account is signed in."""
    assessment = access.unclaimed(_result_token(next_url))
    if assessment is None or accounts.memberships_of(user_id):
        return None
    organisation, revoked = history.file_in_new_organisation(assessment=assessment, user_id=user_id)
    return _filed(assessment, organisation, revoked)


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

