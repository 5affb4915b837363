"""Sign up (confirmed by e-mail), sign in, sign out (here or everywhere), forgotten passwords.

Sign-in is limited twice by Flask-Limiter: per client address, and per
(e-mail typed, client address). Its storage is shared by every worker of the
machine (and between servers with Redis); behind a proxy the client address
is the real client's (GROUNDWORK_PROXY_HOPS). E-mail is sent after the
service's transaction has committed (app/mail.py).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from .. import mail
from ..extensions import limiter
from ..models import User
from ..services import accounts
from .access import safe_next
from .forms import ActionForm, ConfirmEmailForm, EmailForm, LoginForm, NewPasswordForm, SignupForm
from .results import file_after_signup

bp = Blueprint("auth", __name__)


def _sign_in(user: User) -> None:
    """Start a server-side session and a fresh CSRF token: nothing from before sign-in carries over."""
    session.pop("csrf_token", None)
    login_user(accounts.start_session(user))


def _account_and_address() -> str:
    """Key of the per-account sign-in limit: the e-mail typed (or the link followed) and the client's address.

    Counting per pair slows a guesser without locking the owner out (the owner, from another address, is
    not counted with them), and an address without an account is counted exactly like one with."""
    typed = request.form.get("email") or (request.view_args or {}).get("token") or ""
    return f"{accounts.normalise_email(typed[:254])}|{get_remote_address()}"


def _recipient() -> str:
    """Key of the per-recipient e-mail limit: nobody can fill someone's mailbox from many addresses."""
    return "to|" + accounts.normalise_email(request.form.get("email", "")[:254])


def _send_confirmation(email: str, token: str) -> bool:
    return mail.send(to=email, subject="Confirm your e-mail address for Groundwork", template="verify",
                     email=email, link=url_for(".confirm", token=token, _external=True),
                     days=accounts.VERIFY_LIFETIME.days)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["MAIL_RECIPIENT_RATE_LIMIT"], key_func=_recipient, methods=["POST"])
def signup() -> str | Response | tuple[str, int]:
    """Everyone is told to check their e-mail: a new address gets a confirmation link, an address that
    already has an account gets a note saying so. The page never says which (the mailbox's owner learns)."""
    form = SignupForm()
    if form.validate_on_submit():
        next_url = safe_next(request.args.get("next"), "") or None
        try:
            result = accounts.sign_up(email=form.email.data, password=form.password.data, next_url=next_url)
        except accounts.AccountError as error:
            form.password.errors.append(str(error))
            return render_template("auth/signup.html", form=form)
        if result.token is not None:
            sent = _send_confirmation(result.email, result.token)
        else:
            sent = mail.send(to=result.email, subject="You already have a Groundwork account",
                             template="account_exists", email=result.email,
                             login_link=url_for(".login", _external=True),
                             forgot_link=url_for(".forgot_password", _external=True))
        if not sent:
            form.email.errors.append(mail.FAILED)
            return render_template("auth/signup.html", form=form), 503
        flash(f"We have sent an e-mail to {result.email}. Open the link in it to confirm your address; "
              "then you are signed in.", "info")
        return redirect(url_for(".check_email"))
    return render_template("auth/signup.html", form=form)


@bp.get("/signup/sent")
def check_email() -> str:
    return render_template("auth/check_email.html")


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_account_and_address,
               methods=["POST"])
def confirm(token: str) -> str | Response | tuple[str, int]:
    """The link from the confirmation e-mail. It asks for the password, so that the link alone (sent because
    someone typed this address) does not hand over an account whose password someone else chose."""
    found = accounts.pending_verification(token)
    if found is None:
        return render_template("auth/link_invalid.html", what="confirmation"), 404
    user, next_url = found
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        confirmed = accounts.confirm_email(token=token, password=form.password.data)
        if confirmed is not None:
            _sign_in(confirmed)
            filed = file_after_signup(next_url, confirmed.id)  # signed up from a result: it is filed at once
            if filed is not None:
                return filed
            flash("Your e-mail address is confirmed and you are signed in. Create your organisation, "
                  "or accept an invite from a colleague.", "info")
            return redirect(safe_next(next_url, url_for("orgs.index")))
        form.password.errors.append("That is not the password chosen for this account.")
    return render_template("auth/confirm.html", form=form, email=user.email)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_account_and_address,
               methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(email=form.email.data, password=form.password.data)
        if user is not None and user.email_verified_at is None:
            # Only the password's owner learns that the address is not confirmed yet.
            token = accounts.verification_token(user, safe_next(request.args.get("next"), "") or None)
            if _send_confirmation(user.email, token):
                form.email.errors.append(f"Confirm your e-mail address first: we have sent a new link to "
                                         f"{user.email}.")
            else:
                form.email.errors.append("Confirm your e-mail address first. " + mail.FAILED)
            return render_template("auth/login.html", form=form)
        if user is not None:
            _sign_in(user)
            return redirect(safe_next(request.args.get("next"), url_for("orgs.index")))
        form.password.errors.append("That email and password do not match an account.")
    return render_template("auth/login.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["MAIL_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["MAIL_RECIPIENT_RATE_LIMIT"], key_func=_recipient, methods=["POST"])
def forgot_password() -> str | Response | tuple[str, int]:
    """Every address gets an e-mail: a reset link if it has an account, a note if it has none. So the page
    says the same either way, and a mail server that is down is reported the same way too."""
    form = EmailForm()
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data)
        found = accounts.password_reset_token(email)
        if found is not None:
            sent = mail.send(to=found[0].email, subject="Set a new Groundwork password", template="reset",
                             email=found[0].email, link=url_for(".reset_password", token=found[1], _external=True),
                             minutes=int(accounts.RESET_LIFETIME.total_seconds() // 60))
        else:
            sent = mail.send(to=email, subject="Groundwork password request", template="no_account", email=email,
                             signup_link=url_for(".signup", _external=True))
        if not sent:
            form.email.errors.append(mail.FAILED)
            return render_template("auth/forgot.html", form=form), 503
        flash(f"We have sent an e-mail to {email}. If it has a Groundwork account, the e-mail holds a link "
              f"to set a new password, valid for {int(accounts.RESET_LIFETIME.total_seconds() // 60)} minutes.",
              "info")
        return redirect(url_for(".login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """The link from the reset e-mail: works once, for an hour; every other session of the account ends."""
    if accounts.reset_target(token) is None:
        return render_template("auth/link_invalid.html", what="password"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password_with_token(token=token, password=form.password.data)
        except accounts.AccountError as error:
            flash(str(error), "error")
            return render_template("auth/link_invalid.html", what="password"), 404
        _sign_in(user)
        flash("Your new password is set. Every other browser signed in to your account has been signed out.",
              "info")
        return redirect(url_for("orgs.index"))
    return render_template("auth/reset.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """End this browser's session on the server: a copy of the cookie stops working too."""
    if ActionForm().validate_on_submit():
        accounts.end_session(current_user.session_token)
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("main.index"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere() -> Response:
    """End every session of the account: other browsers, other devices, forgotten tabs."""
    if ActionForm().validate_on_submit():
        ended = accounts.end_all_sessions(current_user.id)
        logout_user()
        flash(f"You are signed out everywhere ({ended} session{'s' if ended != 1 else ''} ended).", "info")
    return redirect(url_for("main.index"))


@bp.app_context_processor
def inject_user() -> dict[str, object]:
    # The layout's sign-out button needs only the token, not a form object per page.
    return {"current_user": current_user, "csrf_token": generate_csrf}
