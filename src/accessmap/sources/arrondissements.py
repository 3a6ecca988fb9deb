"""Paris, Lyon and Marseille: municipal arrondissements brought back to their commune.

The COG communes files (and so every territory) hold Paris ``75056``, Lyon ``69123`` and Marseille
``13055`` as single communes, while some official files are published by municipal arrondissement
(Paris ``75101``-``75120``, Lyon ``69381``-``69389``, Marseille ``13201``-``13216``):

- the INSEE BPE 2019 (``DEPCOM``) counts practitioners by arrondissement: their counts are summed
  into the commune (:func:`to_communes`), otherwise the three cities lose every GP (4,402 GPs,
  7.2 % of France);
- the DREES APL workbook publishes the APL **by arrondissement too** (no row for 75056, 69123 or
  13055): the commune's published APL is the mean of its arrondissements' APL weighted by their
  standardised population, the DREES's own rule for an APL over several communes
  (:func:`published_to_communes`); standardised and total populations are summed.

References
----------
INSEE, Code officiel géographique: "arrondissements municipaux" (codes 75101-75120, 69381-69389,
13201-13216); DREES, APL aux médecins généralistes (workbook 2022-2023, sheets ``APL YYYY``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ARRONDISSEMENTS", "city_codes", "published_to_communes", "to_communes"]

#: Commune code -> its municipal arrondissements' codes.
ARRONDISSEMENTS: dict[str, tuple[str, ...]] = {
    "75056": tuple(str(c) for c in range(75101, 75121)),
    "69123": tuple(str(c) for c in range(69381, 69390)),
    "13055": tuple(str(c) for c in range(13201, 13217)),
}
_CITY_OF = {arr: city for city, arrs in ARRONDISSEMENTS.items() for arr in arrs}


def city_codes(codes: pd.Series) -> pd.Series:
    """Replace arrondissement codes by their commune's code (other codes unchanged).

    Parameters
    ----------
    codes
        INSEE codes (str, five characters).

    Returns
    -------
    pandas.Series
        Same index.
    """
    hit = codes.isin(_CITY_OF.keys())  # only the arrondissements change
    out = codes.copy()
    if hit.any():
        out[hit] = codes[hit].map(_CITY_OF)
    return out


def to_communes(frame: pd.DataFrame, *, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Sum counts of arrondissements into their commune.

    Parameters
    ----------
    frame
        ``code`` and numeric columns to sum; ``by`` columns kept as keys.
    by
        Further key columns (``typequ``).

    Returns
    -------
    pandas.DataFrame
        One row per ``code`` (and ``by``), the same columns; unchanged when no arrondissement is
        present.
    """
    if not frame["code"].isin(_CITY_OF.keys()).any():
        return frame
    keyed = frame.assign(code=city_codes(frame["code"]))
    return keyed.groupby(["code", *by], as_index=False, sort=True).sum(numeric_only=True)[
        list(frame.columns)
    ]


def published_to_communes(published: pd.DataFrame) -> pd.DataFrame:
    """Turn the published APL of arrondissements into their commune's (per vintage).

    Parameters
    ----------
    published
        ``code``, ``year``, ``apl``, ``apl_u65``, ``pop_std``, ``pop_total``.

    Returns
    -------
    pandas.DataFrame
        Same columns; the arrondissement rows replaced by one row per commune and vintage: APL
        weighted by standardised population, populations summed. A commune that already has its
        own row keeps it.
    """
    is_arr = published["code"].isin(_CITY_OF.keys())
    if not is_arr.any():
        return published
    arr = published[is_arr].assign(city=city_codes(published.loc[is_arr, "code"]))
    own = published.set_index(["code", "year"]).index
    arr = arr[~arr.set_index(["city", "year"]).index.isin(own)]
    weight = arr["pop_std"].to_numpy(dtype=float)
    weighted = arr.assign(
        w_apl=arr["apl"].to_numpy(dtype=float) * weight,
        w_u65=arr["apl_u65"].to_numpy(dtype=float) * weight,
    )
    sums = weighted.groupby(["city", "year"], as_index=False)[
        ["w_apl", "w_u65", "pop_std", "pop_total"]
    ].sum()
    pop = sums["pop_std"].to_numpy(dtype=float)
    cities = pd.DataFrame(
        {
            "code": sums["city"].to_numpy(),
            "year": sums["year"].to_numpy(),
            "apl": np.divide(sums["w_apl"], pop, out=np.full(len(pop), np.nan), where=pop > 0),
            "apl_u65": np.divide(sums["w_u65"], pop, out=np.full(len(pop), np.nan), where=pop > 0),
            "pop_std": pop,
            "pop_total": sums["pop_total"].to_numpy(dtype=float),
        }
    )
    kept = published[~is_arr]
    return pd.concat([kept, cities.astype(kept.dtypes.to_dict())], ignore_index=True)
