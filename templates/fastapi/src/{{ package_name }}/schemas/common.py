"""Pieces shared by the request and response models."""

import json
import re
from collections.abc import Sequence
from typing import Annotated, Generic, Self, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

T = TypeVar("T")


def _not_null(value: T) -> T:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


# For optional fields of a partial update that can't be cleared: leave them out, or set them.
NotNull = AfterValidator(_not_null)
Email = Annotated[EmailStr, AfterValidator(str.lower)]
Password = Annotated[str, Field(min_length=8, max_length=128)]
FullName = Annotated[str, Field(max_length=200)]


# JSON bodies nest objects and arrays at most this deep, the body itself counting as one.
MAX_DEPTH = 32
TOO_DEEP = f"Must not be nested more than {MAX_DEPTH} levels deep"


def too_deep_error(path: str) -> RequestValidationError:
    """422 on the container at `path` (dotted) that is nested past MAX_DEPTH."""
    loc = ("body", *path.split(".")) if path else ("body",)
    return RequestValidationError([{"type": "too_deep", "loc": loc, "msg": TOO_DEEP}])


def too_deep_in_value(body: object) -> str | None:
    """The path of the first container (in document order) nested past MAX_DEPTH."""
    # Iterative, with the children pushed in reverse so they pop in document order.
    stack: list[tuple[object, list[str]]] = [(body, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict | list):
            if len(path) >= MAX_DEPTH:
                return ".".join(path)
            children = value.items() if isinstance(value, dict) else enumerate(value)
            stack += reversed([(child, [*path, str(key)]) for key, child in children])
    return None


def too_deep_in_text(text: str) -> str | None:
    """too_deep_in_value() read off JSON text, for bodies too deep for Python's parser.

    The parser read the text up to its recursion limit, far past MAX_DEPTH: what comes
    before the limit (keys included) is valid JSON."""
    path: list[str] = []  # per open container: the key or index of the child being read
    kinds: list[str] = []
    expecting_key = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            end = i + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if expecting_key:
                path[-1] = str(json.loads(text[i : end + 1]))
                expecting_key = False
            i = end
        elif char in "{[":
            if len(kinds) >= MAX_DEPTH:
                return ".".join(path)
            kinds.append(char)
            path.append("0")
            expecting_key = char == "{"
        elif char in "}]" and kinds:
            kinds.pop()
            path.pop()
            expecting_key = False  # `{}` ends with no key read
        elif char == "," and kinds:
            if kinds[-1] == "[":
                path[-1] = str(int(path[-1]) + 1)
            else:
                expecting_key = True
        i += 1
    return None


class RequestModel(BaseModel):
    """Request bodies refuse unknown fields: `{"role": "admin"}` is an error, never applied.

    Strict: a JSON value is taken as the type it is, never coerced (`"yes"` is no boolean).
    FastAPI validates the parsed body as Python data, where strict mode would also refuse
    an enum's value, so enum fields opt out with `Strict(False)`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _not_too_deep(cls, body: object) -> object:
        # Not a field error of Pydantic's, which could only name the whole body: the 422
        # names the container that is too deep.
        path = too_deep_in_value(body)
        if path is not None:
            raise too_deep_error(path)
        return body

    @field_validator("*")
    @classmethod
    def _no_nul_characters(cls, value: object) -> object:
        # Valid JSON, but no database stores it as text (PostgreSQL refuses it outright).
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


_DECIMAL_INTEGER = re.compile(r"-?[0-9]+")
# Past 2**53 - 1 a JavaScript stack can't hold the integer exactly, and SQL's 64 bits end soon.
_SAFE_INTEGER = 2**53 - 1


def _decimal_integer(value: object) -> object:
    # Pydantic's lax mode also reads `+5`, ` 5`, `5.0` and `1_000` as integers.
    if isinstance(value, str) and not (
        _DECIMAL_INTEGER.fullmatch(value) and abs(int(value)) <= _SAFE_INTEGER
    ):
        raise PydanticCustomError(
            "int_parsing", "Input should be a valid integer, unable to parse string as an integer"
        )
    return value


# A query-string integer: decimal digits, optionally after a `-`, and nothing else; at
# most 2**53 - 1 either way.
QueryInt = Annotated[int, BeforeValidator(_decimal_integer)]


class PageQuery(BaseModel):
    """`?limit=&offset=` of every list route; other query parameters are ignored."""

    limit: QueryInt = Field(default=20, ge=1, le=100)
    offset: QueryInt = Field(default=0, ge=0)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int

    @classmethod
    def build(cls, rows: Sequence[object], total: int, paging: PageQuery) -> Self:
        """`Page[Schema].build(...)`: each row is read into `Schema` (a `ResponseModel`)."""
        return cls.model_validate(
            {"items": rows, "total": total, "limit": paging.limit, "offset": paging.offset}
        )
