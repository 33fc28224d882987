"""A comparison to evaluate: one in-house baseline, its vendors, and where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .loader import Document
from .models import InHouse, Strict, Vendor


@dataclass(frozen=True)
class Case:
    """Validated inputs of one comparison.

    In a batch (sweeps, simulations) numeric fields of the models may hold numpy
    arrays of shape (S, 1), one value per scenario; `size` is S. The engine is
    written so that the same arithmetic serves one scenario or millions.
    """

    in_house: InHouse
    vendors: tuple[Vendor, ...]
    in_house_doc: Document | None = None
    vendor_docs: tuple[Document | None, ...] = ()
    size: int = 1
    notes: tuple[str, ...] = field(default=())
    # the inputs changed on the command line, in the order given: (path, validated value)
    overrides: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def horizon_months(self) -> int:
        return int(self.in_house.analysis.horizon_months)

    @property
    def discount_rate(self) -> Any:
        return self.in_house.analysis.discount_rate

    @property
    def start_month(self) -> Any:
        return self.in_house.analysis.start_month

    @property
    def currency(self) -> str:
        return self.in_house.currency

    def fx_rate(self, vendor: Vendor) -> Any:
        return 1.0 if vendor.fx_rate is None else vendor.fx_rate

    def scenario(self, index: int) -> Case:
        """Scenario `index` of a batch, as a one-scenario case (the case itself if S = 1)."""
        if self.size == 1:
            return self
        in_house = _take(self.in_house, index)
        vendors = tuple(_take(v, index) for v in self.vendors)
        return Case(
            in_house, vendors, self.in_house_doc, self.vendor_docs, 1, self.notes, self.overrides
        )

    def rows(self, index: NDArray[np.int64]) -> Case:
        """Scenarios `index` of a batch (repeats allowed), as a batch of len(index): what a
        search that tries many points per scenario evaluates."""
        in_house = _take(self.in_house, index)
        vendors = tuple(_take(v, index) for v in self.vendors)
        return Case(
            in_house,
            vendors,
            self.in_house_doc,
            self.vendor_docs,
            len(index),
            self.notes,
            self.overrides,
        )


def _take(obj: Any, index: int | NDArray[np.int64]) -> Any:
    """`obj` with every per-scenario (S, 1) column replaced by its value for `index` (a
    number), or by the (len(index), 1) column of those scenarios."""
    if isinstance(obj, np.ndarray):
        if isinstance(index, np.ndarray):
            return obj.reshape(-1)[index].reshape(-1, 1)
        return obj.reshape(-1)[index].item()
    if isinstance(obj, Strict):
        updates = {}
        for name, value in obj.fields().items():
            taken = _take(value, index)
            if taken is not value:
                updates[name] = taken
        return obj.replace(**updates) if updates else obj
    if isinstance(obj, list):
        items = [_take(v, index) for v in obj]
        return items if any(a is not b for a, b in zip(items, obj, strict=True)) else obj
    if isinstance(obj, dict):
        entries = {k: _take(v, index) for k, v in obj.items()}
        return entries if any(entries[k] is not v for k, v in obj.items()) else obj
    return obj
