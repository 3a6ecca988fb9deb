"""Official figures first: the published APL of the territory, and the activity calibration.

Both are computed before the model's own indicators: the published DREES APL is what a reader can
check on CartoSanté; the calibration sets the one activity level imputed to GPs of unknown
activity so that the modelled APL matches the published one on average over **all communes of the
departments concerned** (never commune by commune), and the model then explains and projects
changes from there.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from accessmap.conventions import INDICATOR_HORIZON
from accessmap.diagnostic.model import DiagnosticOptions, Progress
from accessmap.errors import AccessmapError
from accessmap.inputs import InputOptions, Inputs
from accessmap.messages import Message, muted

if TYPE_CHECKING:
    from pathlib import Path

    from accessmap.indicators import ActivityCalibration
    from accessmap.indicators.official import OfficialApl
    from accessmap.network import TravelTimes
    from accessmap.sources import SourceFile
    from accessmap.store import Store

__all__ = ["Calibrated", "calibrate", "official_figures"]


@dataclasses.dataclass(frozen=True)
class Calibrated:
    """The territory's inputs after the activity calibration, and what it computed.

    Attributes
    ----------
    inputs
        The inputs, ``params.unknown_acts`` set to the calibrated level (unchanged when skipped).
    fit
        The calibration, or ``None`` when skipped.
    notes
        Notes for readers (French).
    times
        The calibration area's travel times (stored with the run's results, so that the next run
        reads them from the cache), or ``None``.
    """

    inputs: Inputs
    fit: ActivityCalibration | None = None
    notes: tuple[str, ...] = ()
    times: TravelTimes | None = None


def _fit_departments(
    inputs: Inputs,
    options: DiagnosticOptions,
    wide_options: InputOptions,
    *,
    store: Store | None,
) -> tuple[tuple[ActivityCalibration, TravelTimes], list[SourceFile | Path]] | None:
    """Calibrate over the departments: the fit, their travel times and every file read.

    The notes about single points of the calibration area (town halls moved, points far from the
    roads) are not given: they concern communes and sites the diagnostic does not show, and
    move its one calibrated level by nothing a reader could see.
    """
    from accessmap.indicators import calibrate_activity
    from accessmap.inputs import compute_traveltimes, load_inputs

    with muted("territory.town_halls_moved", "network.far_points"):
        # a territory made of whole departments is its own calibration area: its inputs serve
        wide = inputs if wide_options == options.input_options() else load_inputs(wide_options)
        if wide.published is None:
            return None
        times, _ = compute_traveltimes(
            wide.territory, wide.roster, wide.roads, winter=options.winter, store=store,
            horizon=INDICATOR_HORIZON, candidates=False,
        )  # fmt: skip
    fit = calibrate_activity(
        times.table, demand=wide.demand, roster=wide.roster, published=wide.published,
        year=options.apl_year, params=inputs.params, ids=wide.territory.codes,
    )  # fmt: skip
    road = [] if wide.roads.path is None else [wide.roads.path]
    return (fit, times), [*wide.provenance, *road]


def official_figures(inputs: Inputs, *, year: int) -> OfficialApl | None:
    """Summarise the published DREES APL of the territory (``None`` without the workbook).

    Parameters
    ----------
    inputs
        Loaded inputs (their ``published`` table covers the study area).
    year
        DREES vintage.

    Returns
    -------
    OfficialApl or None

    References
    ----------
    DREES, APL aux médecins généralistes (2022, 2023 vintages).
    """
    from accessmap.indicators.official import official_apl

    if inputs.published is None or inputs.published.empty:
        return None
    return official_apl(inputs.published, codes=inputs.territory.codes, year=year)


def calibrate(
    inputs: Inputs,
    options: DiagnosticOptions,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
) -> Calibrated:
    """Calibrate the activity of GPs of unknown activity over the territory's departments.

    The departments of the territory are loaded whole (official counts, the same road rule and
    buffer; the territory's own inputs when it is those departments with those options), their
    travel times computed (or read from the store's cache), and
    :func:`accessmap.indicators.calibrate_activity` solves for the one level in closed form.
    The result is kept in the cache folder and read back by the next runs while the question,
    the code and every source file are unchanged (:func:`accessmap.inputs.derived.remembered`).

    Parameters
    ----------
    inputs
        The territory's inputs.
    options
        Diagnostic options (``calibrate``, ``apl_year``, road options).
    store
        Open store whose travel-time cache is read.
    progress
        Receives step descriptions.

    Returns
    -------
    Calibrated
        The inputs with ``params.unknown_acts`` set to the calibrated level, the calibration
        (``None`` when skipped), notes for readers and the calibration area's travel times.

    References
    ----------
    DREES APL workbook 2023 (aggregation weighted by standardised population).
    """
    from accessmap.inputs.derived import remembered

    if not options.calibrate or inputs.published is None:
        return Calibrated(inputs)
    departments = sorted({str(d) for d in inputs.territory.communes["dep"]})
    if progress is not None:
        progress(str(Message("progress.calibration", departments=departments)))
    wide_options = InputOptions(
        territory="dep:" + ",".join(departments), buffer_km=options.buffer_km,
        osm=options.osm, crowfly=options.crowfly, online=options.online, winter=options.winter,
        seed=options.seed, apl_year=options.apl_year,
    )  # fmt: skip
    try:
        # the same departments, options and files give the same level: kept between runs
        found = remembered(
            "calibration",
            question={
                "options": wide_options,
                "params": inputs.params,
                "horizon": INDICATOR_HORIZON,
            },
            compute=lambda: _fit_departments(inputs, options, wide_options, store=store),
            known=inputs.provenance,
            extra=[options.osm] if options.osm is not None else [],
            online=wide_options.online,
        )
    except AccessmapError as exc:
        return Calibrated(inputs, notes=(str(Message("calibration.impossible", reason=str(exc))),))
    if found is None:
        return Calibrated(inputs)
    fit, times = found
    params = dataclasses.replace(inputs.params, unknown_acts=fit.acts_per_fte)
    note = Message(
        "calibration.note", acts=round(fit.acts_per_fte), year=options.apl_year, n=fit.n,
        departments=departments,
    )  # fmt: skip
    return Calibrated(
        dataclasses.replace(inputs, params=params), fit=fit, notes=(str(note),), times=times
    )
