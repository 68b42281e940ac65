"""A route class that refuses request bodies of the wrong media type with 415."""

from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

from fastapi import HTTPException, Request, Response, params, status
from fastapi.routing import APIRoute

JSON_TYPES = ("application/json",)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _media_type(request: Request) -> str | None:
    header = request.headers.get("content-type")
    if header is None:
        return None
    message = Message()
    message["content-type"] = header
    return message.get_content_type()


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return "transfer-encoding" in request.headers or (length is not None and length != "0")


def _accepted(media_type: str | None, is_form: bool) -> bool:
    if is_form:
        return media_type in FORM_TYPES
    return media_type is not None and (media_type in JSON_TYPES or media_type.endswith("+json"))


class StrictContentTypeRoute(APIRoute):
    """Left to itself FastAPI validates a text/plain body as if it were JSON and answers 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler
        is_form = isinstance(self.body_field.field_info, params.Form)
        accepted = FORM_TYPES if is_form else JSON_TYPES

        async def checked_handler(request: Request) -> Response:
            media_type = _media_type(request)
            if media_type is None and not _has_body(request):
                return await handler(request)  # no body at all: validation says what's missing
            if not _accepted(media_type, is_form):
                raise HTTPException(
                    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                    f"The request body must be sent as {' or '.join(accepted)}.",
                )
            return await handler(request)

        return checked_handler
