"""Pieces shared by the request and response models."""

from collections.abc import Sequence
from typing import Annotated, Any, Generic, Self, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator

T = TypeVar("T")


def _not_null(value: T) -> T:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


# For optional fields of a partial update that can't be cleared: leave them out, or set them.
NotNull = AfterValidator(_not_null)
Email = Annotated[EmailStr, Field(max_length=320), AfterValidator(str.lower)]
Password = Annotated[str, Field(min_length=8, max_length=128)]
FullName = Annotated[str, Field(max_length=200)]


def _without_null(schema: dict[str, Any]) -> None:
    (kept,) = [branch for branch in schema.pop("anyOf") if branch != {"type": "null"}]
    schema.update(kept)


# Documents an optional `T | None` field as `T`, for a field whose value is never null.
# (Pydantic's SkipJsonSchema[None] would do it too, but it validates the field as a
# two-member union, and every error would then be reported twice.)
NeverNull = Field(json_schema_extra=_without_null)
# A field of a partial update that may be left out but not cleared.
Omittable = Annotated[T | None, NotNull, NeverNull]


class RequestModel(BaseModel):
    """Request bodies refuse unknown fields: `{"role": "admin"}` is an error, never applied."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul_characters(cls, value: object) -> object:
        # Valid JSON, but no database stores it as text (PostgreSQL refuses it outright).
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PageQuery(BaseModel):
    """`?limit=&offset=` of every list route; other query parameters are ignored."""

    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0)


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
