"""The bare FastAPI baseline, served the way the template serves.

GET /health: one plain route. GET /api/v1/users/me: the same work as the generated
service's route with the least code around it, the floor of any FastAPI service built on
these libraries: the bearer token read by hand and checked with `jwt.decode` (PyJWT,
HS256, JWT_SECRET), then one select of the user by primary key from the `users` table,
answered as a small dict; 401 for a bad token or an unknown or inactive user. The select
goes through the driver the generated project uses for that database:

- `sqlite+aiosqlite://...`: SQLAlchemy 2's async engine, one Core `select` (no ORM
  session, no pool pre-ping): the least SQLAlchemy's asyncio layer costs;
- `postgresql://...`: an asyncpg pool (its default size) and its `fetchrow`, no
  SQLAlchemy at all: the least the driver itself costs.

Run with the generated project's interpreter (same FastAPI, uvicorn, uvloop, httptools,
PyJWT, SQLAlchemy, aiosqlite or asyncpg versions): `python fastapi_app.py` reads HOST and
PORT, and for /users/me the migrated service's JWT_SECRET and its database as
DATABASE_URL, so a token the service issued is accepted here.
"""

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import jwt
import uvicorn
from fastapi import FastAPI, HTTPException, Request

SECRET = os.environ.get("JWT_SECRET", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite+aiosqlite://")
COLUMNS = ("id", "email", "full_name", "role", "is_active", "created_at")
UNAUTHORIZED = HTTPException(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})

Lookup = Callable[[uuid.UUID], Awaitable[Mapping[str, Any] | None]]


# Each driver is imported where it is used: a generated project installs only its own
# database's (asyncpg or aiosqlite).
@asynccontextmanager
async def sqlalchemy_core(url: str) -> AsyncIterator[Lookup]:
    from sqlalchemy import Uuid, column, select, table
    from sqlalchemy.ext.asyncio import create_async_engine

    # SQLAlchemy's Uuid stores a 32-character hex string on SQLite; the other columns
    # are read as stored.
    users = table("users", column("id", Uuid), *map(column, COLUMNS[1:]))
    engine = create_async_engine(url)

    async def lookup(user_id: uuid.UUID) -> Mapping[str, Any] | None:
        async with engine.connect() as connection:
            result = await connection.execute(select(users).where(users.c.id == user_id))
            row = result.first()
        return None if row is None else row._mapping

    yield lookup
    await engine.dispose()


@asynccontextmanager
async def asyncpg_pool(url: str) -> AsyncIterator[Lookup]:
    import asyncpg

    query = f"SELECT {', '.join(COLUMNS)} FROM users WHERE id = $1"
    async with asyncpg.create_pool(url) as pool:

        async def lookup(user_id: uuid.UUID) -> Mapping[str, Any] | None:
            row = await pool.fetchrow(query, user_id)
            return None if row is None else dict(row)

        yield lookup


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    driver = asyncpg_pool if DATABASE_URL.startswith("postgresql://") else sqlalchemy_core
    async with driver(DATABASE_URL) as lookup:
        app.state.lookup = lookup
        yield


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)


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
    row = await request.app.state.lookup(user_id)
    if row is None or not row["is_active"]:
        raise UNAUTHORIZED
    return {
        "id": str(row["id"]),
        "email": row["email"],
        "full_name": row["full_name"],
        "role": row["role"],
        "is_active": True,
        "created_at": row["created_at"],
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
