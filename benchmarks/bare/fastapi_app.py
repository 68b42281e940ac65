"""The bare FastAPI baseline, served the way the template serves.

GET /health: one plain route. GET /api/v1/users/me: the same work as the generated
service's route with the least code around it, the floor of any FastAPI service built on
PyJWT and SQLAlchemy's async engine: the bearer token read by hand and checked with
`jwt.decode` (HS256, JWT_SECRET), then one Core `select` of the user by primary key on
the `users` table through aiosqlite (no ORM session, no pool pre-ping), answered as a
small dict; 401 for a bad token or an unknown or inactive user.

Run with the generated project's interpreter (same FastAPI, uvicorn, uvloop, httptools,
PyJWT, SQLAlchemy and aiosqlite versions): `python fastapi_app.py` reads HOST and PORT,
and for /users/me the migrated service's JWT_SECRET and its database as DATABASE_URL
(`sqlite+aiosqlite:///...`), so a token the service issued is accepted here.
"""

import os
import uuid
from typing import Any

import jwt
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from sqlalchemy import Uuid, column, select, table
from sqlalchemy.ext.asyncio import create_async_engine

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

SECRET = os.environ.get("JWT_SECRET", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite+aiosqlite://")
# SQLAlchemy's Uuid stores a 32-character hex string on SQLite; the other columns are
# read as stored.
users = table(
    "users",
    column("id", Uuid),
    column("email"),
    column("full_name"),
    column("role"),
    column("is_active"),
    column("created_at"),
)
engine = create_async_engine(DATABASE_URL)
UNAUTHORIZED = HTTPException(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/users/me")
async def me(request: Request) -> dict[str, Any]:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not SECRET:
        raise UNAUTHORIZED
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        user_id = uuid.UUID(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise UNAUTHORIZED from exc
    if claims.get("type") != "access":
        raise UNAUTHORIZED
    async with engine.connect() as connection:
        result = await connection.execute(select(users).where(users.c.id == user_id))
        row = result.first()
    if row is None or not row.is_active:
        raise UNAUTHORIZED
    return {
        "id": str(row.id),
        "email": row.email,
        "full_name": row.full_name,
        "role": row.role,
        "is_active": True,
        "created_at": row.created_at,
    }


if __name__ == "__main__":
    uvicorn.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
    )
