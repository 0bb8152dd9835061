"""Word -> PDF with LibreOffice: one headless soffice call for many files, a private profile."""

import os
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from .messages import msg

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


def font_table(pairs: Sequence[dict]) -> str:
    """LibreOffice's font replacement table (Tools > Options > Fonts) as registry XML: each
    font a letter names is drawn with the declared face of the same class ([letters]
    pdf_fonts), never with whatever fallback the system happens to pick."""
    nodes = "".join(
        f'<node oor:name="officebot{i}" oor:op="replace">'
        '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
        '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
        f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(p["font"])}</value></prop>'
        f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(p["use"])}</value>'
        '</prop></node>' for i, p in enumerate(pairs))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items '
            'xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
            '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'{nodes}</item></oor:items>\n')


def installed_fonts() -> Optional[set]:
    """The font family names fontconfig knows (None when fc-list is not there)."""
    fc = shutil.which("fc-list")
    if fc is None:
        return None
    try:
        out = subprocess.run([fc, ":", "family"], capture_output=True, text=True, timeout=30,
                             check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def convert_to_pdf(files: Sequence[Path], timeout: float = 600, fonts: Sequence[dict] = (),
                   language: str = "zh") -> Tuple[List[Path], Optional[str]]:
    """Convert .docx files to .pdf beside them, drawing each font in ``fonts`` ([{font, use}])
    with its declared substitute; returns (PDFs made, one-sentence problem in ``language``)."""
    files = [Path(f) for f in files]
    if not files:
        return [], None
    soffice = find_soffice()
    if soffice is None:
        return [], msg(language, "pdf.no_libreoffice")
    made: List[Path] = []
    with tempfile.TemporaryDirectory(prefix="officebot-pdf-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        if fonts:
            user = Path(tmp, "profile", "user")
            user.mkdir(parents=True)
            (user / "registrymodifications.xcu").write_text(font_table(fonts), "utf-8")
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
                return made, msg(language, "pdf.timeout", seconds=timeout)
            except OSError as exc:
                return made, msg(language, "pdf.not_started", soffice=soffice, why=exc)
            for docx in batch:
                produced = outdir / (docx.stem + ".pdf")
                if produced.exists():
                    target = docx.with_suffix(".pdf")
                    from .files import copy_file  # never through a planted link
                    copy_file(produced, target)
                    made.append(target)
    missing = len(files) - len(made)
    if missing:
        return made, msg(language, "pdf.partly", made=len(made), total=len(files))
    return made, None
