"""Pages of API lists: ``limit`` rows (at most ``MAX_ROWS``) from ``offset``."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_ROWS = 500
MAX_OFFSET = 10**9


class Page(LimitOffsetPagination):
    """A larger ``limit`` gets ``MAX_ROWS`` rows (see ``count`` for how many there are);
    an offset past any table's size is refused rather than sent to the database."""

    class Input(Schema):
        limit: int = Field(100, ge=1, description=f"Rows per page, at most {MAX_ROWS}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_ROWS, **kwargs)
