"""The signed-in person's account: what it is, and deleting it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from ..services import accounts
from .forms import ActionForm, DeleteAccountForm

bp = Blueprint("account", __name__)


@bp.get("/account")
@login_required
def show() -> str:
    return render_template("account/show.html", memberships=accounts.memberships_of(current_user.id),
                           sole=accounts.sole_ownerships(current_user.id), action_form=ActionForm())


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete() -> str | Response | tuple[str, int]:
    """Asks for the password; refused, with the reason, while the person is an organisation's only owner."""
    form = DeleteAccountForm()
    sole = accounts.sole_ownerships(current_user.id)
    if form.validate_on_submit():
        try:
            accounts.delete_account(user_id=current_user.id, password=form.password.data)
        except accounts.LastOwner as refused:
            flash(str(refused), "error")
            return redirect(url_for(".show"))
        except accounts.AccountError as wrong:
            form.password.errors.append(str(wrong))
        else:
            logout_user()
            flash("Your account is deleted, and you are signed out everywhere.", "info")
            return redirect(url_for("main.index"))
    message = ("Your account, its sign-ins and its memberships will be deleted. The assessments you started "
               "stay with their organisations. This cannot be undone.")
    if sole:
        message = (f"You are the only owner of {', '.join(o.name for o in sole)}: make someone else an owner, or "
                   "delete it, first. " + message)
    return render_template("confirm.html", title="Delete your account?", message=message,
                           button="Delete my account", cancel=url_for(".show"), form=form)
