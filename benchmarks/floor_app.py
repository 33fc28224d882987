"""The floor of benchmarks/startup.py: the least a tool on this stack costs to start.

A minimal typer application with the same dependencies as outsourcecalc: one
command with a few options, a YAML file read, one pydantic model validated, a
numpy sum, one rich table printed. A cold `outsourcecalc compare` is measured
against it.

    python benchmarks/floor_app.py examples/contact_center/in_house.yaml --months 36
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)
Amount = Annotated[float, BeforeValidator(lambda v: str(v).replace(",", ""))]  # "42,000"


class Role(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: str
    headcount: Amount = 0.0  # a role sized by the workload (contract v2) states none
    annual_salary: Amount


@app.command()
def main(
    path: Annotated[Path, typer.Argument(help="An in-house file.")],
    months: Annotated[int, typer.Option(help="Months to cost.")] = 36,
    title: Annotated[str, typer.Option(help="Table title.")] = "Salaries",
    width: Annotated[int, typer.Option(help="Console width.")] = 100,
) -> None:
    """Print each role's salary cost over `months` as a table."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    roles = [Role.model_validate(item) for item in data["staff"]]
    costs = np.array([r.headcount * r.annual_salary for r in roles]) / 12 * months
    table = Table(title=title)
    table.add_column("role")
    table.add_column("cost", justify="right")
    for role, cost in zip(roles, costs, strict=True):
        table.add_row(role.role, f"{cost:,.2f}")
    table.add_row("total", f"{costs.sum():,.2f}")
    Console(width=width).print(table)


if __name__ == "__main__":
    app()
