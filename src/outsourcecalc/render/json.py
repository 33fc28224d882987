"""SPEC section 5: the same input always gives byte-identical JSON."""

from __future__ import annotations

import json
from typing import Any

from ..engine.results import Comparison


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render(result: Comparison) -> str:
    return dumps(result.to_json_dict())
