"""Parameter types shared by the API routers, so the OpenAPI document states their bounds."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# A calendar year of the data: out-of-range years are refused with 422 instead of reaching the database.
Year = Annotated[int, Field(ge=1900, le=2100, description="År, till exempel 2025")]
