"""The bare FastAPI baseline: one plain route, served the way the template serves.

Run with the generated project's interpreter (same FastAPI, uvicorn, uvloop and
httptools versions): `python fastapi_app.py` reads HOST and PORT.
"""

import os

import uvicorn
from fastapi import FastAPI

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


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
