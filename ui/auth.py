"""Who may use a served Verbatim: one set of credentials for the chat UI, the JSON API and MCP.

`--auth user:password` (or `VERBATIM_AUTH`) and/or a token in `VERBATIM_TOKEN` switch protection
on. Programs send `Authorization: Basic ...` with the user and password, or
`Authorization: Bearer <token>`; the chat's login form takes the user and password, or any user
name with the token as the password. With neither set, everything is open (the server listens on
127.0.0.1 unless told otherwise).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass

TOKEN_ENV = "VERBATIM_TOKEN"
AUTH_ENV = "VERBATIM_AUTH"
REALM = "Verbatim"


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    """ "user:password" -> ("user", "password"); None stays None."""
    if auth is None:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ValueError('auth must be "user:password" with both parts non-empty')
    return user, password


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison, so the time taken says nothing about how much matched."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class Credentials:
    """The user and password and/or the bearer token a request must present; none = open."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def __post_init__(self) -> None:
        if (self.user is None) != (self.password is None):
            raise ValueError("a user needs a password and a password needs a user")
        if self.token is not None and not self.token.strip():
            raise ValueError(f"{TOKEN_ENV} is set but empty; unset it or give it a value")

    @classmethod
    def from_settings(cls, auth: str | None = None, token: str | None = None) -> Credentials:
        """From `--auth user:password` and the value of `VERBATIM_TOKEN` (either may be None)."""
        pair = parse_auth(auth)
        user, password = pair if pair else (None, None)
        return cls(user, password, token)

    @property
    def required(self) -> bool:
        return self.password is not None or self.token is not None

    def login(self, user: str, password: str) -> bool:
        """The chat's login form: the user and password, or any user with the token."""
        if (
            self.user is not None
            and self.password is not None
            and _same(user, self.user) & _same(password, self.password)
        ):
            return True
        return self.token is not None and _same(password, self.token)

    def accepts(self, authorization: str | None) -> bool:
        """Does an `Authorization` header value let the request in? Always, when none is set."""
        if not self.required:
            return True
        scheme, _, value = (authorization or "").strip().partition(" ")
        scheme, value = scheme.lower(), value.strip()
        if scheme == "bearer" and self.token is not None:
            return _same(value, self.token)
        if scheme == "basic":
            try:
                decoded = base64.b64decode(value, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return False
            user, sep, password = decoded.partition(":")
            return bool(sep) and self.login(user, password)
        return False

    def challenge(self) -> str:
        """The `WWW-Authenticate` value of a 401: the schemes this server accepts."""
        schemes = []
        if self.password is not None:
            schemes.append(f'Basic realm="{REALM}", charset="UTF-8"')
        if self.token is not None:
            schemes.append(f'Bearer realm="{REALM}"')
        return ", ".join(schemes)
