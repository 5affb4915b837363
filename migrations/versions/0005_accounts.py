"""Accounts people run themselves: confirmed e-mail addresses, sessions that expire, e-mailed invites.

- users.email_verified_at (existing accounts count as confirmed: they were made before confirmation existed);
  the per-account sign-in counters move to the rate limiter (app/ratelimit.py), so their columns go.
- user_sessions.last_seen_at, for the idle timeout (existing sessions: their start).
- invites.email, the address an invite was sent to.
- Existing e-mail addresses are normalised (NFKC, lower case, IDNA domain) like new ones; an address whose
  normal form another account already holds is left as it is and reported (an operator merges them).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 16:00:00

"""
import logging
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _normalise(email):
    """A copy of services.accounts.normalise_email as it was at this revision."""
    import idna

    text = unicodedata.normalize("NFKC", email.replace("\x00", "\ufffd").strip())
    local, at, domain = text.rpartition("@")
    if not at:
        return text.lower()
    try:
        domain = idna.encode(domain.rstrip("."), uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        pass
    return f"{local.lower()}@{domain.lower()}"


def upgrade():
    # Not in a batch: on SQLite a batch would copy `users` into a new table and drop the old one, and with
    # foreign keys on, dropping it deletes every session and membership (ON DELETE CASCADE). SQLite 3.35+
    # drops a column in place.
    op.add_column('users', sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))
    op.drop_column('users', 'login_window_start')
    op.drop_column('users', 'login_attempts')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), server_default='', nullable=False))

    conn = op.get_bind()
    conn.execute(sa.text("UPDATE users SET email_verified_at = created_at"))
    conn.execute(sa.text("UPDATE user_sessions SET last_seen_at = created_at"))
    taken = {}
    rows = conn.execute(sa.text("SELECT id, email FROM users ORDER BY id")).all()
    for user_id, email in rows:
        taken.setdefault(email, user_id)
    for user_id, email in rows:
        normal = _normalise(email)
        if normal == email:
            continue
        if normal in taken:
            log.warning("Account %s (%s) spells the address of account %s differently; left as it is",
                        user_id, email, taken[normal])
            continue
        conn.execute(sa.text("UPDATE users SET email = :e WHERE id = :i"), {"e": normal, "i": user_id})
        taken[normal] = user_id

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index(batch_op.f('ix_user_sessions_last_seen_at'), ['last_seen_at'], unique=False)


def downgrade():
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_column('email')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_last_seen_at'))
        batch_op.drop_column('last_seen_at')
    op.add_column('users', sa.Column('login_attempts', sa.Integer(), server_default='0', nullable=False))
    op.add_column('users', sa.Column('login_window_start', sa.Double(), nullable=True))
    op.drop_column('users', 'email_verified_at')  # in place, as above
