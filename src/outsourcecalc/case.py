"""A comparison to evaluate: one in-house baseline, its vendors, and where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .loader import Document
from .models import InHouse, Vendor


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
