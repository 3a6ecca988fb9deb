"""What an option adds, in one plain French sentence (a message of the catalogue)."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.conventions import SITING_MINUTES, WEEKS_PER_FTE
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.options.model import Comparison, SitingOption

__all__ = ["describe_option"]


# --- what an option adds, in plain French --------------------------------------------------------


def _fte(fte: float) -> Message:
    """Name the doctors added: « un médecin à temps plein », « 2 médecins... », « 1,5 ... »."""
    if abs(fte - 1.0) < 1e-9:
        return Message("options.fte_one")
    if abs(fte - round(fte)) < 1e-9:
        return Message("options.fte_whole", count=round(fte))
    return Message("options.fte_part", fte=round(fte, 1))


def _places(places: list[str]) -> Message:
    """Name the places: « Bugeat », « Bugeat et Faux », « Bugeat, Faux et Royère »."""
    if len(places) == 1:
        return Message("options.places_one", place=places[0])
    return Message("options.places_many", first=places[:-1], last=places[-1])


def _what_and_adds(
    kind: str, n_places: int, fte: float, *, weeks_per_fte: float, days_per_fte: float
) -> tuple[Message, Message]:
    """Say what the new sites are, and the supply they add."""
    if kind == "volunteer_centre":
        what = (
            Message("options.volunteer_centre_one")
            if n_places == 1
            else Message("options.volunteer_centre_many", count=n_places)
        )
        weeks = round(fte * weeks_per_fte)
        return what, Message("options.adds_volunteer_weeks", weeks=weeks, fte=_fte(fte))
    if kind == "rotation":
        what = (
            Message("options.rotation_one")
            if n_places == 1
            else Message("options.rotation_many", count=n_places)
        )
        return what, Message("options.adds_days", days=round(fte * days_per_fte, 1))
    what = (
        Message("options.msp_one") if n_places == 1 else Message("options.msp_many", count=n_places)
    )
    return what, Message("options.adds_fte", fte=_fte(fte))


def describe_option(
    option: SitingOption,
    *,
    comparison: Comparison | None = None,
    baseline: str | None = None,
    names: Mapping[str, str] | None = None,
    minutes: float = SITING_MINUTES,
    weeks_per_fte: float = WEEKS_PER_FTE,
    days_per_fte: float = 5.0,
) -> Message:
    """Say in one plain French sentence what an option adds.

    For example « Une MSP à Bugeat : un médecin à temps plein de plus, 345 habitants de plus à
    moins de 15 min. » The gain in population is read from ``comparison`` (the option's
    ``pop_within_<minutes>`` minus the ``baseline`` option's); without it the sentence stops
    after the supply added.

    Parameters
    ----------
    option
        The option.
    comparison
        A :func:`compare` result holding ``option`` (and ``baseline``).
    baseline
        Name of the option to compare with (default: the first option of ``comparison``).
    names
        Commune (or site) names by id, for the places (default: the ids).
    minutes
        The band whose population gain is reported (it must be one of the comparison's bands;
        default :data:`accessmap.conventions.SITING_MINUTES`).
    weeks_per_fte
        Working weeks of a full-time GP, to express a volunteer centre in volunteer-weeks.
    days_per_fte
        Consultation days per week of a full-time GP, to express a rota in days.

    Returns
    -------
    Message
        One sentence as a code and parameters of the message catalogue: ``str()`` gives the
        French text, ending with a full stop.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes » (2023), for
    the bands.
    """
    label = dict(names or {})
    places = [label.get(s, s) for s in sorted(option.new_sites)]
    fte = float(sum(option.new_sites.values()))
    if not places:
        return Message("options.describe_nothing", option=option.name)
    what, adds = _what_and_adds(
        option.kind, len(places), fte, weeks_per_fte=weeks_per_fte, days_per_fte=days_per_fte
    )
    gain = _population_gain(option, comparison, baseline=baseline, minutes=minutes)
    if gain is None:
        return Message("options.describe", what=what, where=_places(places), adds=adds)
    return Message(
        "options.describe_gain",
        what=what,
        where=_places(places),
        adds=adds,
        gain=round(gain),
        minutes=minutes,
    )


def _population_gain(
    option: SitingOption, comparison: Comparison | None, *, baseline: str | None, minutes: float
) -> float | None:
    if comparison is None:
        return None
    summary = comparison.summary.set_index("option")
    column = f"pop_within_{minutes:g}"
    bands = comparison.parameters.get("bands", ())
    if column not in summary.columns:
        raise ValidationError(
            "options.band_not_compared", field="minutes", minutes=minutes, bands=list(bands)
        )
    ref = baseline if baseline is not None else str(summary.index[0])
    for label in (option.name, ref):
        if label not in summary.index:
            raise ValidationError("options.not_compared", field="comparison", option=label)
    values = summary[column].astype(float)
    return float(values[option.name]) - float(values[ref])
