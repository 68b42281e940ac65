"""RFC 9457 problem documents for every error the service answers."""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match

PROBLEM_MEDIA_TYPE = "application/problem+json"

# RFC 9110 reason phrases where Python 3.11's HTTPStatus still has the older names.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}
# Sentences for errors raised with no detail of their own (e.g. by the router).
_DETAILS = {
    404: "The requested resource was not found.",
    405: "The method is not allowed for the requested resource.",
    413: "The request body is larger than the service accepts.",
}


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str


class FieldError(BaseModel):
    location: Literal["body", "query", "path"]
    field: str
    message: str


class ValidationProblem(Problem):
    errors: list[FieldError]


def title_for(status: int) -> str:
    return _TITLES.get(status) or HTTPStatus(status).phrase


def problem_response(
    status: int,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": "about:blank", "title": title_for(status), "status": status, "detail": detail}
    return JSONResponse(
        {**body, **extra}, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
    )


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    detail = exc.detail
    if not detail or detail == HTTPStatus(exc.status_code).phrase:
        detail = _DETAILS.get(exc.status_code, title_for(exc.status_code) + ".")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return problem_response(exc.status_code, str(detail), headers=headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> list[str]:
    # Starlette's Allow names the first route on the path only, but GET and POST /items
    # are two routes: ask the router about each method instead.
    def routed(method: str) -> bool:
        scope = {**request.scope, "method": method}
        return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)

    return [method for method in _METHODS if routed(method)]


async def _validation_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = exc.errors()
    if any(error["type"] == "json_invalid" for error in errors):
        return problem_response(400, "The request body is not valid JSON.")
    field_errors = [
        {
            "location": str(error["loc"][0]),
            # ("body",) alone means the whole body: missing, or not an object.
            "field": ".".join(str(part) for part in error["loc"][1:]),
            "message": error["msg"],
        }
        for error in errors
    ]
    return problem_response(422, "The request is not valid; see errors.", errors=field_errors)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_exception)
