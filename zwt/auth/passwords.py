"""Password policy and hashing (werkzeug's scrypt by default)."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

__all__ = ["password_problem", "hash_password", "verify_password", "DUMMY_HASH_INPUT"]

DUMMY_HASH_INPUT = "timing-equaliser-not-a-password"


def password_problem(password: str, *, forbidden: tuple[str, ...] = ()) -> str | None:
    """Return a field error code when the password is too weak, else None.

    ``weak_password`` for length and character classes; ``password_contains_identifier`` when it holds one
    of ``forbidden`` (the phone or ID number), which the user fixes differently.
    """
    if len(password) < 8 or len(password) > 128:
        return "weak_password"
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "weak_password"
    folded = password.upper()
    if any(item and item.upper() in folded for item in forbidden):
        return "password_contains_identifier"
    return None


def hash_password(password: str, method: str) -> str:
    """Hash with a per-password salt."""
    return generate_password_hash(password, method=method)


def verify_password(stored: str, password: str) -> bool:
    """Constant-time check of a password against its stored hash."""
    return check_password_hash(stored, password)
