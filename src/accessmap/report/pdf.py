"""Print the HTML report to an A4 PDF through the headless Chromium installed by ``make setup``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from accessmap.errors import AccessmapError

#: Flags of every headless Chromium run (no network, no first-run work, no GPU).
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=20000",
)


#: Where Debian's package installs Chromium (tried last).
FALLBACK_CHROMIUM = "/usr/bin/chromium"


class ChromiumMissingError(AccessmapError):
    """Chromium is needed to print the PDF and was not found."""


class PdfError(AccessmapError):
    """Chromium ran but wrote no PDF."""


def find_chromium(executable: str | Path | None = None) -> Path:
    """Locate the Chromium executable.

    Parameters
    ----------
    executable
        An explicit path; default: ``ACCESSMAP_CHROMIUM``, then ``chromium``,
        ``chromium-browser`` or ``google-chrome`` on the ``PATH``, then ``/usr/bin/chromium``.

    Returns
    -------
    pathlib.Path
        The executable.

    Raises
    ------
    ChromiumMissingError
        When none is found.
    """
    candidates = [str(executable)] if executable else []
    candidates += [os.environ.get("ACCESSMAP_CHROMIUM", "")]
    candidates += [shutil.which(n) or "" for n in ("chromium", "chromium-browser", "google-chrome")]
    candidates.append(FALLBACK_CHROMIUM)
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    raise ChromiumMissingError("report.chromium_missing", field="chromium")


def write_pdf(
    html_path: Path | str,
    pdf_path: Path | str,
    *,
    chromium: str | Path | None = None,
    timeout: float = 180.0,
) -> Path:
    """Print an HTML report to PDF (A4, from its print stylesheet) with headless Chromium.

    The page size comes from the report's ``@page { size: A4 }``. Chromium runs with a fresh
    profile, no network and no GPU; the PDF is written to a temporary file next to ``pdf_path``
    and renamed into place only when complete.

    Parameters
    ----------
    html_path
        The self-contained HTML report.
    pdf_path
        Destination PDF.
    chromium
        Chromium executable (see :func:`find_chromium`).
    timeout
        Seconds before giving up.

    Returns
    -------
    pathlib.Path
        ``pdf_path``.

    Raises
    ------
    ChromiumMissingError
        Chromium is not installed.
    PdfError
        Chromium failed or wrote no PDF.
    """
    source = Path(html_path).resolve()
    target = Path(pdf_path)
    if not source.is_file():
        raise PdfError("report.pdf_no_html", field="html_path", name=source.name)
    executable = find_chromium(chromium)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pdf-", dir=target.parent) as tmp:
        staged = Path(tmp) / "report.pdf"
        command = [
            str(executable), *CHROMIUM_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={staged}", source.as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(  # noqa: S603 - fixed executable and arguments
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfError("report.pdf_timeout", field="timeout", seconds=timeout) from exc
        if not staged.is_file() or staged.stat().st_size == 0:
            tail = (done.stderr or "").strip().splitlines()[-3:]
            raise PdfError(
                "report.pdf_not_written", field="chromium", code=done.returncode, detail=tail
            )
        staged.replace(target)
    return target
