"""A member of organisation B gets 404 for everything of organisation A, on every route.

The routes come from the app's URL map, so a new route cannot be forgotten:
it either appears in PUBLIC / CAPABILITY below with a reason, or it must
answer 404 to an outsider.
"""

from __future__ import annotations

import pytest

from tests import personas
from tests.web.helpers import create_org, form_token, make_assessment, sign_up

pytestmark = pytest.mark.db

#: Routes anyone may use, whoever owns what.
PUBLIC = {"static", "main.index", "main.health", "assess.start", "auth.signup", "auth.login", "auth.logout",
          "auth.logout_everywhere", "auth.check_email", "auth.forgot_password",
          "orgs.index", "orgs.create",
          # The signed-in person's own account: nothing of anyone else's.
          "account.show", "account.delete"}
#: Routes whose secret token is itself the permission (a share link, an invite link, a link sent by e-mail).
CAPABILITY = {"results.shared", "results.shared_pdf", "results.shared_advert", "results.shared_advert_markdown",
              "orgs.accept_invite", "auth.confirm", "auth.reset_password",
              # A team round's invitation, and a respondent's private link to their own answers.
              "rounds.join", "rounds.response", "rounds.response_result"}


def test_every_route_of_organisation_a_is_404_for_a_member_of_b(app) -> None:
    app.config["PDF_WAIT"] = 0  # no worker here: a PDF asked for is "being prepared" (202) at once
    owner = app.test_client()
    sign_up(owner, "a@example.org")
    org_a = create_org(owner, "Organisation A")
    first_id, token = make_assessment(app, org_a, personas.answers("p3_retailer"), label="A1")
    second_id, _ = make_assessment(app, org_a, personas.answers("p4_logistics"), label="A2")
    owner.post(f"/assessments/{token}/shares", data={"csrf_token": form_token(owner, f"/assessments/{token}")})
    page = owner.get(f"/assessments/{token}").get_data(as_text=True)
    share_id = page.split(f"/assessments/{token}/shares/")[1].split("/")[0]

    page = owner.post(f"/orgs/{org_a}/invites", data={"csrf_token": form_token(owner, f"/orgs/{org_a}")})
    link = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    member = app.test_client()
    sign_up(member, "member-of-a@example.org")
    member.post(f"/invites/{link}", data={"csrf_token": form_token(member, f"/invites/{link}")})
    owner.post(f"/orgs/{org_a}/invites", data={"csrf_token": form_token(owner, f"/orgs/{org_a}")})
    with app.app_context():
        from app.extensions import db
        from app.models import Invite, Membership

        invite_id = db.session.execute(db.select(Invite.id).where(Invite.used_at.is_(None))).scalar_one()
        membership_id = db.session.execute(db.select(Membership.id).where(Membership.role == "member")).scalar_one()
    round_token, round_invite_id = _round_with_an_invitation(app, org_a)

    outsider = app.test_client()
    sign_up(outsider, "b@example.org")
    create_org(outsider, "Organisation B")
    csrf = form_token(outsider, "/orgs")

    values = {"token": token, "organisation_id": org_a, "section_id": "profile", "share_id": share_id,
              "as_markdown": True, "invite_id": invite_id, "membership_id": membership_id,
              "fmt": "csv", "round_token": round_token, "round_invite_id": round_invite_id}
    checked = []
    adapter = app.url_map.bind("groundwork.test")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC | CAPABILITY:
            continue
        unknown = set(rule.arguments) - set(values)
        assert not unknown, f"{rule.rule}: teach this test the arguments {unknown}"
        url = adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
        if rule.endpoint == "orgs.compare":
            url += f"?before={first_id}&after={second_id}"
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = (outsider.get(url) if method == "GET"
                        else outsider.post(url, data={"csrf_token": csrf, "label": "x", "organisation": "1",
                                                      "email": "x@example.org"}))
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
            checked.append(f"{method} {rule.endpoint}")
        # The owner can use the same URLs (the 404 above is about who asks, not a broken URL).
        if "GET" in rule.methods:
            assert owner.get(url).status_code in (200, 202, 302), url  # 202: a PDF being prepared
    assert len(checked) >= 14, checked


def _round_with_an_invitation(app, organisation_id: int) -> tuple[str, int]:
    """A team round of the organisation with one unused invitation: (the round's token, the invitation's id)."""
    import secrets

    from app.extensions import db
    from app.services import rounds

    with app.app_context():
        response = rounds.start(organisation_id=organisation_id, organisation_name="Organisation A", user_id=1,
                                start_key=secrets.token_urlsafe(24), seat="technical")
        round_ = rounds.round_of(response)
        rounds.create_invite(round_id=round_.id, created_by_id=1)
        from app.models import RoundInvite

        return round_.token, db.session.execute(db.select(RoundInvite.id)).scalar_one()


def test_anonymous_visitors_also_get_404_for_organisation_assessments(app, client) -> None:
    owner = app.test_client()
    sign_up(owner, "c@example.org")
    org = create_org(owner, "C")
    _, token = make_assessment(app, org, personas.answers("p2_media_company"))
    for url in (f"/assessments/{token}", f"/assessments/{token}/report.pdf", f"/assessments/{token}/resume",
                f"/assessments/{token}/sections/profile"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/orgs/{org}").status_code == 302  # sign in first
