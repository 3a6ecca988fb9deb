"""Use case ``traveltimes``: the shared travel-time table of a study area.

:func:`load_with_times` is the first step of every use case that needs travel times (indicators,
outlook, site, compare): the inputs of :mod:`accessmap.inputs`, then the table from the store's
cache or computed, with the same rule everywhere (:func:`accessmap.inputs.compute_traveltimes`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pandas as pd

from accessmap.app.results import InputsResult, open_store
from accessmap.conventions import TABLE_HORIZON
from accessmap.inputs import InputOptions, Inputs, compute_traveltimes, load_inputs
from accessmap.messages import Message
from accessmap.network import RoadNetwork, TravelTimes
from accessmap.sources.osm import load_road_graph, save_graph
from accessmap.store import Store

__all__ = [
    "TravelTimesResult",
    "load_with_times",
    "run_traveltimes",
    "save_road_graph",
    "step",
]

#: Receives a French description of each step (the CLI's progress display; ``None``: quiet).
Progress = Callable[[str], None] | None


def step(progress: Progress, code: str) -> None:
    """Tell ``progress`` (if any) that the step of message ``code`` starts."""
    if progress is not None:
        progress(str(Message(code)))


def load_with_times(
    options: InputOptions,
    *,
    store: Store | None,
    progress: Progress = None,
    horizon: float | None = TABLE_HORIZON,
    candidates: bool = True,
    adapt: Callable[[Inputs], Inputs] | None = None,
) -> tuple[Inputs, TravelTimes, RoadNetwork | None]:
    """Load the inputs, then their travel times (store cache first).

    Parameters
    ----------
    options
        What to load.
    store
        Open store whose travel-time cache is read (nothing is written here).
    progress
        Receives each step's French description.
    horizon, candidates
        As in :func:`accessmap.inputs.compute_traveltimes`.
    adapt
        Applied to the inputs before the travel times (e.g. another profession's roster).

    Returns
    -------
    tuple
        Inputs, travel times, and the road network (``None`` for crow-fly estimates).
    """
    step(progress, "app.step_inputs")
    inputs = load_inputs(options)
    if adapt is not None:
        inputs = adapt(inputs)
    times, road = compute_traveltimes(
        inputs.territory, inputs.roster, inputs.roads, winter=options.winter, horizon=horizon,
        candidates=candidates, store=store, progress=progress,
    )  # fmt: skip
    return inputs, times, road


@dataclass(frozen=True, slots=True)
class TravelTimesResult(InputsResult):
    """Travel times from every study-area commune to every site and candidate town hall.

    Attributes
    ----------
    inputs
        What was loaded.
    times
        The long table (``origin_id``, ``dest_id``, ``minutes``, ``method``) and its parameters.
    road
        The road network (``None`` for crow-fly estimates).
    """

    inputs: Inputs
    times: TravelTimes
    road: RoadNetwork | None

    STORE_LABEL: ClassVar[str] = "traveltimes"

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """No result table: the travel times are the result."""
        return {}

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:
        """Return the long table, in ``out`` (a CSV path)."""
        return {out: self.times.table}


def run_traveltimes(
    options: InputOptions, *, store: Store | None = None, progress: Progress = None
) -> TravelTimesResult:
    """Compute (or read from the store's cache) the travel times of a study area.

    Parameters
    ----------
    options
        What to load.
    store
        Open store (its cache); ``None``: the settings' store.
    progress
        Receives each step's French description.

    Returns
    -------
    TravelTimesResult
    """
    with open_store(store) as db:
        inputs, times, road = load_with_times(options, store=db, progress=progress)
    return TravelTimesResult(inputs=inputs, times=times, road=road)


def save_road_graph(result: TravelTimesResult, path: Path) -> bool:
    """Write the road graph of a result in GraphML (``False`` for crow-fly estimates).

    Parameters
    ----------
    result
        A travel-time result.
    path
        The GraphML file.

    Returns
    -------
    bool
        Whether a graph was written.
    """
    if result.road is None:
        return False
    save_graph(load_road_graph(path=result.inputs.roads.path), path)
    return True
