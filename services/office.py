"""LibreOffice, headless, for the PDF of a .pptx: the certificates and the slide pictures of a submitted deck."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def libreoffice() -> str | None:
    """The LibreOffice program, or None when it is not installed (PDFs are then not offered)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(source: Path, timeout: float) -> Path:
    """source.pdf beside source; raises RuntimeError with LibreOffice's complaint when it cannot.

    Each conversion gets its own LibreOffice profile in source's folder: two conversions at once (two organisers,
    or a certificate while a deck renders) would otherwise share ~/.config/libreoffice, and the second exits with an
    error.
    """
    office = libreoffice()
    if office is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    folder = source.parent
    converted = subprocess.run(
        [office, f"-env:UserInstallation={(folder / 'office-profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        capture_output=True, text=True, timeout=timeout, check=False)
    pdf = source.with_suffix(".pdf")
    if converted.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice could not convert {source.name}: {converted.stderr.strip()[:300]}")
    return pdf
