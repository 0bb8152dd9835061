"""Word -> PDF with LibreOffice: one headless soffice call for many files, a private profile."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

# Windows' command line holds about 32,000 characters: convert in batches of this many files.
BATCH = 150
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def find_soffice() -> Optional[str]:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for place in _WINDOWS_PLACES:
            if os.path.isfile(place):
                return place
    return None


def convert_to_pdf(files: Sequence[Path], timeout: float = 600
                   ) -> Tuple[List[Path], Optional[str]]:
    """Convert .docx files to .pdf beside them; returns (PDFs made, one-sentence problem)."""
    files = [Path(f) for f in files]
    if not files:
        return [], None
    soffice = find_soffice()
    if soffice is None:
        return [], ("LibreOffice is not installed, so no PDF was made (the Word letters were "
                    "drafted); install LibreOffice to get PDFs, or print the letters from Word")
    made: List[Path] = []
    with tempfile.TemporaryDirectory(prefix="officebot-pdf-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        outdir = Path(tmp, "out")
        outdir.mkdir()
        for start in range(0, len(files), BATCH):
            batch = files[start:start + BATCH]
            cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(outdir)] + [str(f) for f in batch]
            try:
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                return made, (f"LibreOffice did not finish converting letters to PDF within "
                              f"{timeout:g} seconds; raise [letters] pdf_timeout_seconds or "
                              "convert fewer letters at once")
            except OSError as exc:
                return made, (f"LibreOffice ({soffice}) could not be started ({exc}); check "
                              "its installation")
            for docx in batch:
                produced = outdir / (docx.stem + ".pdf")
                if produced.exists():
                    target = docx.with_suffix(".pdf")
                    from .files import copy_file  # never through a planted link
                    copy_file(produced, target)
                    made.append(target)
    missing = len(files) - len(made)
    if missing:
        return made, (f"LibreOffice converted {len(made)} of {len(files)} letters to PDF; "
                      "close any letter open in Word or LibreOffice and run with --pdf again")
    return made, None
