"""Sign up, sign in, sign out. Sign-in attempts are rate-limited per address."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from ..extensions import limiter
from ..services import accounts
from .access import safe_next
from .forms import ActionForm

bp = Blueprint("auth", __name__)


class SignupForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", validators=[
        InputRequired(), Length(min=accounts.MIN_PASSWORD, max=200,
                                message=f"Use at least {accounts.MIN_PASSWORD} characters for the password.")],
                             description=f"At least {accounts.MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the password",
                            validators=[InputRequired(), EqualTo("password", "The passwords differ.")])
    submit = SubmitField("Create account")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])
    submit = SubmitField("Sign in")


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> str | Response:
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(email=form.email.data, password=form.password.data)
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            login_user(accounts.identity(user))
            flash("Your account is ready. Create your organisation, or accept an invite from a colleague.", "info")
            return redirect(safe_next(request.args.get("next"), url_for("orgs.index")))
    return render_template("auth/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(email=form.email.data, password=form.password.data)
        if user is not None:
            login_user(accounts.identity(user))
            return redirect(safe_next(request.args.get("next"), url_for("orgs.index")))
        form.password.errors.append("That email and password do not match an account.")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    if ActionForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("main.index"))


@bp.app_context_processor
def inject_user() -> dict[str, object]:
    # The layout's sign-out button needs only the token, not a form object per page.
    return {"current_user": current_user, "csrf_token": generate_csrf}
