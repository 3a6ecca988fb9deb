"""What an option adds, in one plain French sentence."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.conventions import SITING_MINUTES
from accessmap.errors import ValidationError
from accessmap.options.model import Comparison, SitingOption

__all__ = ["describe_option"]


# --- what an option adds, in plain French --------------------------------------------------------


def _fr_number(value: float, *, decimals: int = 0) -> str:
    """Format a number the French way (the project's one formatter, :mod:`accessmap.labels`)."""
    from accessmap.labels import fmt_float, fmt_int

    return fmt_int(value) if decimals == 0 else fmt_float(value, decimals)


def _fr_fte(fte: float) -> str:
    if abs(fte - 1.0) < 1e-9:
        return "un médecin à temps plein"
    if abs(fte - round(fte)) < 1e-9:
        return f"{_fr_number(round(fte))} médecins à temps plein"
    return f"{_fr_number(fte, decimals=1)} équivalent temps plein de médecin"


def describe_option(
    option: SitingOption,
    *,
    comparison: Comparison | None = None,
    baseline: str | None = None,
    names: Mapping[str, str] | None = None,
    minutes: float = SITING_MINUTES,
    weeks_per_fte: float = 48.0,
    days_per_fte: float = 5.0,
) -> str:
    """Say in one plain French sentence what an option adds.

    For example « Une MSP à Bugeat : un médecin à temps plein de plus, 1 234 habitants de plus à
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
    str
        One sentence, ending with a full stop.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes » (2023), for
    the bands.
    """
    label = dict(names or {})
    places = [label.get(s, s) for s in sorted(option.new_sites)]
    fte = float(sum(option.new_sites.values()))
    if not places:
        return f"{option.name} : aucun nouveau site."
    where = ", ".join(places[:-1]) + (" et " if len(places) > 1 else "") + places[-1]
    if option.kind == "volunteer_centre":
        what = (
            "Un centre de médecins bénévoles"
            if len(places) == 1
            else f"{len(places)} centres de médecins bénévoles"
        )
        adds = f"{_fr_number(fte * weeks_per_fte)} semaines de bénévoles par an ({_fr_fte(fte)})"
    elif option.kind == "rotation":
        what = f"Une rotation sur {len(places)} site{'s' if len(places) > 1 else ''}"
        adds = f"{_fr_number(fte * days_per_fte, decimals=1)} jours de consultation par semaine"
    else:
        what = "Une MSP" if len(places) == 1 else f"{len(places)} MSP"
        adds = f"{_fr_fte(fte)} de plus"
    sentence = f"{what} à {where} : {adds}"
    gain = _population_gain(option, comparison, baseline=baseline, minutes=minutes)
    if gain is not None:
        sentence += f", {_fr_number(gain)} habitants de plus à moins de {minutes:g} min"
    return sentence + "."


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
            f"the comparison has no {minutes:g}-minute band.",
            field="minutes",
            fix=f"pass one of its bands ({', '.join(f'{b:g}' for b in bands)}).",
        )
    ref = baseline if baseline is not None else str(summary.index[0])
    for label in (option.name, ref):
        if label not in summary.index:
            raise ValidationError(
                f"option {label!r} is not in the comparison.", field="comparison", fix="compare it."
            )
    values = summary[column].astype(float)
    return float(values[option.name]) - float(values[ref])
