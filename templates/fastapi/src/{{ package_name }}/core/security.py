"""Password hashing (argon2 via pwdlib) and HS256 JWTs (PyJWT)."""

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import jwt
from anyio import to_thread
from pwdlib import PasswordHash

TokenType = Literal["access", "refresh"]
ALGORITHM = "HS256"

_hasher = PasswordHash.recommended()


async def hash_password(password: str) -> str:
    # Argon2 is deliberately slow: keep it off the event loop.
    return await to_thread.run_sync(_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        # An unknown email costs the same Argon2 work as a wrong password, so both login
        # failures take the same time. Hashing rather than checking a dummy hash made at
        # import keeps that hash off the service's start-up.
        await to_thread.run_sync(_hasher.hash, password)
        return False
    return await to_thread.run_sync(_hasher.verify, password, password_hash)


# A token issued later than this many seconds from now is refused: replicas' clocks may
# differ a little, but no token of ours comes from the future.
IAT_LEEWAY_SECONDS = 5


def _issued_in_the_past(iat: object) -> bool:
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        return False
    return iat <= time.time() + IAT_LEEWAY_SECONDS


@dataclass(frozen=True, slots=True)
class TokenClaims:
    subject: uuid.UUID
    jti: str
    expires_at: datetime


class InvalidTokenError(Exception):
    """The token is malformed, expired, badly signed or of the wrong type."""


def create_token(
    subject: uuid.UUID, token_type: TokenType, ttl_seconds: int, secret: str
) -> tuple[str, TokenClaims]:
    now = datetime.now(UTC)
    claims = TokenClaims(subject, uuid.uuid4().hex, now + timedelta(seconds=ttl_seconds))
    payload = {
        "sub": str(subject),
        "iat": now,
        "exp": claims.expires_at,
        "jti": claims.jti,
        "type": token_type,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM), claims


def decode_token(token: str, expected_type: TokenType, secret: str) -> TokenClaims:
    try:
        # A fixed algorithm list: `alg: none` and algorithm-confusion tokens are refused.
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            # iat is checked below, with a leeway that exp does not get.
            options={"require": ["sub", "exp", "iat", "jti", "type"], "verify_iat": False},
        )
        if payload["type"] != expected_type or not _issued_in_the_past(payload["iat"]):
            raise InvalidTokenError
        return TokenClaims(
            subject=uuid.UUID(payload["sub"]),
            jti=str(payload["jti"]),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
        )
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise InvalidTokenError from exc
