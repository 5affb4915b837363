"""Sign up, sign in, sign out (here or everywhere).

Sign-in is limited twice: per address by Flask-Limiter (shared between
servers when its storage is Redis), and per account in the database, so that
neither more workers nor more addresses buy an attacker more guesses.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..models import User
from ..services import accounts
from .access import safe_next
from .forms import ActionForm, LoginForm, SignupForm
from .results import file_after_signup

bp = Blueprint("auth", __name__)


def _sign_in(user: User) -> None:
    """Start a server-side session and a fresh CSRF token: nothing from before sign-in carries over."""
    session.pop("csrf_token", None)
    login_user(accounts.start_session(user))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
def signup() -> str | Response:
    form = SignupForm()
    if form.validate_on_submit():
        user = accounts.sign_up(email=form.email.data, password=form.password.data)
        if user is None:
            # Taken. The same password signs its owner in; anyone else learns only that this did not work.
            try:
                user = accounts.authenticate(email=form.email.data, password=form.password.data)
            except accounts.TooManyAttempts:
                user = None
            if user is None:
                form.email.errors.append("An account could not be created with these details. "
                                         "If you already have one, sign in instead.")
                return render_template("auth/signup.html", form=form)
        _sign_in(user)
        filed = file_after_signup(request.args.get("file"), user.id)
        if filed is not None:
            return filed
        flash("You are signed in. Create your organisation, or accept an invite from a colleague.", "info")
        return redirect(safe_next(request.args.get("next"), url_for("orgs.index")))
    return render_template("auth/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> str | Response | tuple[str, int, dict[str, str]]:
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(email=form.email.data, password=form.password.data)
        except accounts.TooManyAttempts as throttled:
            form.password.errors.append(
                f"Too many sign-in attempts for this account. Try again in {throttled.retry_after} seconds.")
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(throttled.retry_after)})
        if user is not None:
            _sign_in(user)
            return redirect(safe_next(request.args.get("next"), url_for("orgs.index")))
        form.password.errors.append("That email and password do not match an account.")
    return render_template("auth/login.html", form=form)


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
