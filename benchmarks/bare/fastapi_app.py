"""The bare FastAPI baseline, served the way the template serves.

GET /health: one plain route. GET /api/v1/users/me and POST /api/v1/items: the same work
as the generated service's routes with the least code around it, the floor of any
FastAPI service built on these libraries: the bearer token read by hand and checked with
`jwt.decode` (PyJWT, HS256, JWT_SECRET), one select of the user by primary key from the
`users` table (401 for a bad token or an unknown or inactive user), answered as a small
dict; for the item, its JSON body read and its title checked, one row inserted into
`items` and answered 201. The statements go through the driver the generated project
uses for that database:

- `sqlite:///PATH`: the standard library's sqlite3 on the event loop, as the
  generated service's lookup (db/driver.py) runs;
- `postgresql://...`: an asyncpg pool (its default size) and its `fetchrow`.

Neither goes through SQLAlchemy: the least the driver itself costs.

Run with the generated project's interpreter (same FastAPI, uvicorn, uvloop, httptools,
PyJWT and asyncpg versions): `python fastapi_app.py` reads HOST and
PORT, and for /users/me the migrated service's JWT_SECRET and its database as
DATABASE_URL, so a token the service issued is accepted here.
"""

import json
import os
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

import jwt
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

SECRET = os.environ.get("JWT_SECRET", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///:memory:")
COLUMNS = ("id", "email", "full_name", "role", "is_active", "created_at")
ITEM_COLUMNS = ("id", "title", "description", "owner_id", "created_at", "updated_at")
UNAUTHORIZED = HTTPException(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})


class Database(Protocol):
    async def user(self, user_id: uuid.UUID) -> Mapping[str, Any] | None: ...

    async def insert_item(self, values: Sequence[Any]) -> None: ...


class SQLite:
    """sqlite3 on the event loop. SQLAlchemy's Uuid, which made the tables, stores a
    32-character hex string on SQLite."""

    def __init__(self, url: str) -> None:
        import sqlite3

        self.connection = sqlite3.connect(url.partition(":///")[2], isolation_level=None)
        self.connection.row_factory = sqlite3.Row
        self.select = f"SELECT {', '.join(COLUMNS)} FROM users WHERE id = ?"
        marks = ", ".join("?" * len(ITEM_COLUMNS))
        self.insert = f"INSERT INTO items ({', '.join(ITEM_COLUMNS)}) VALUES ({marks})"

    async def user(self, user_id: uuid.UUID) -> Mapping[str, Any] | None:
        row = self.connection.execute(self.select, (user_id.hex,)).fetchone()
        return None if row is None else {**dict(row), "id": uuid.UUID(row["id"])}

    async def insert_item(self, values: Sequence[Any]) -> None:
        stored = [v.hex if isinstance(v, uuid.UUID) else v for v in values]
        self.connection.execute(self.insert, stored)


class PostgreSQL:
    """An asyncpg pool (its default size)."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.select = f"SELECT {', '.join(COLUMNS)} FROM users WHERE id = $1"
        marks = ", ".join(f"${n}" for n in range(1, len(ITEM_COLUMNS) + 1))
        self.insert = f"INSERT INTO items ({', '.join(ITEM_COLUMNS)}) VALUES ({marks})"

    async def user(self, user_id: uuid.UUID) -> Mapping[str, Any] | None:
        row = await self.pool.fetchrow(self.select, user_id)
        return None if row is None else dict(row)

    async def insert_item(self, values: Sequence[Any]) -> None:
        await self.pool.execute(self.insert, *values)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    if DATABASE_URL.startswith("postgresql://"):
        import asyncpg  # only a PostgreSQL project installs it

        async with asyncpg.create_pool(DATABASE_URL) as pool:
            app.state.db = PostgreSQL(pool)
            yield
    else:
        app.state.db = database = SQLite(DATABASE_URL)
        yield
        database.connection.close()


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


async def signed_in(request: Request) -> Mapping[str, Any]:
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
    user = await request.app.state.db.user(user_id)
    if user is None or not user["is_active"]:
        raise UNAUTHORIZED
    return user


@app.get("/api/v1/users/me")
async def me(request: Request) -> dict[str, Any]:
    user = await signed_in(request)
    return {
        "id": str(user["id"]),
        "email": user["email"],
        "full_name": user["full_name"],
        "role": user["role"],
        "is_active": True,
        "created_at": user["created_at"],
    }


@app.post("/api/v1/items")
async def create_item(request: Request) -> JSONResponse:
    user = await signed_in(request)
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise HTTPException(422, "Body is not JSON") from exc
    title, description = body.get("title"), body.get("description")
    if not isinstance(title, str) or not 1 <= len(title) <= 200:
        raise HTTPException(422, "title: a string of 1 to 200 characters")
    now = datetime.now(UTC)
    values = (uuid.uuid4(), title, description, user["id"], now, now)
    await request.app.state.db.insert_item(values)
    item = dict(zip(ITEM_COLUMNS, values, strict=True))
    return JSONResponse(
        {k: str(v) if isinstance(v, uuid.UUID | datetime) else v for k, v in item.items()},
        status_code=201,
    )


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
