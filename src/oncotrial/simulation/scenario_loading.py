"""One entry point to get scenarios: a file or a built-in, one scenario or its whole grid."""

from __future__ import annotations

from pathlib import Path

from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.scenario import Scenario
from oncotrial.simulation.scenario_reader import expand_grid, load_builtin, load_file, parse_scenario


def load_scenarios(path: Path | None = None, builtin: str | None = None, grid: bool = False
                   ) -> list[Scenario]:
    """The scenario (``grid=False``) or every point of its ``grid`` (``grid=True``)."""
    if (path is None) == (builtin is None):
        raise ScenarioError("scenario", None, "either a scenario file or a built-in name")
    data = load_file(path) if path is not None else load_builtin(str(builtin))
    if not grid:
        return [parse_scenario({k: v for k, v in data.items() if k != "grid"})]
    return [parse_scenario(d) for _, d in expand_grid(data)]


def load_scenario(path: Path | None = None, builtin: str | None = None) -> Scenario:
    """The one scenario of a file or built-in (its grid, if any, is ignored)."""
    return load_scenarios(path, builtin)[0]
