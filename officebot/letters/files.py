"""The letters' files: fingerprints, the manifest and its journal, the folder listing."""

import datetime as dt
import hashlib
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from ..errors import OfficebotError
from ..filenames import inside
from ..letter_templates import KINDS
from ..messages import pair
from ..workbook import safety

MANIFEST_NAME = "officebot-letters.json"
JOURNAL_NAME = ".officebot-letters.journal"


def fingerprint(data: bytes) -> str:
    """SHA-256 of a package's zip directory, which holds every part's name, CRC-32 and size:
    any change to any part changes it, and it is ~30 times less to hash than the file."""
    end = data.rfind(b"PK\x05\x06")
    if end >= 0 and len(data) >= end + 22:
        start = int.from_bytes(data[end + 16:end + 20], "little")
        if start < end and data[start:start + 4] == b"PK\x01\x02":
            return hashlib.sha256(data[start:]).hexdigest()
    return "file:" + hashlib.sha256(data).hexdigest()


def _file_fingerprint(path: Path) -> Optional[str]:
    try:
        return fingerprint(path.read_bytes())
    except OSError:
        return None


def _open_in_word(path: Path) -> bool:
    """Word's owner file ~$... marks an open document (it eats up to two leading characters)."""
    name = path.name
    return any(path.with_name("~$" + name[cut:]).exists() for cut in (0, 1, 2))


def _damaged(path: Path) -> bool:
    """True when a letter is no readable package (cut short), so it may be drafted again."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is not None
    except (OSError, zipfile.BadZipFile):
        return True


class Manifest:
    """letters/officebot-letters.json: case id -> kind -> {path, fingerprint, template,
    drafted_at}."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: Dict[str, Dict[str, dict]] = {}
        self.covered: Dict[str, Dict[str, str]] = {}
        if path.is_file():
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
                entries = document["letters"]
                covered = document.get("covered", {})
                ok = isinstance(entries, dict) and all(
                    isinstance(kinds, dict) and all(
                        isinstance(e, dict) and isinstance(e.get("path"), str)
                        for e in kinds.values()) for kinds in entries.values()) and \
                    isinstance(covered, dict) and all(isinstance(v, dict)
                                                      for v in covered.values())
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                ok = False
            if not ok:
                raise OfficebotError(*pair("letters.record_unreadable", path=path))
            self.entries, self.covered = entries, covered
        self.adopted = self._adopt_journal()

    def _journal(self) -> Path:
        return self.path.with_name(JOURNAL_NAME)

    def _adopt_journal(self) -> int:
        """Letters a killed run wrote but could not record: the journal names them before
        they are written; a complete one is recorded as officebot's, a cut one is not."""
        try:
            # split at line feeds only: a case id may hold U+2028, which JSON leaves as is
            lines = self._journal().read_text("utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return 0
        adopted = 0
        for line in lines:
            try:
                entry = json.loads(line)
                case_id, kind, rel = entry.pop("case_id"), entry.pop("kind"), entry["path"]
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # the line a kill cut short
            target = self.path.parent.parent / rel
            if self.get(case_id, kind) or not inside(rel, "letters") or not target.is_file() \
                    or _damaged(target):
                continue
            entry["fingerprint"] = _file_fingerprint(target)
            self.put(case_id, kind, entry)
            adopted += 1
        return adopted

    def intend(self, case_id: str, kind: str, entry: dict) -> None:
        """Note in the journal a letter about to be written (not synced: it is there to
        survive a killed run, which the system's cache does)."""
        safety.append_text(self._journal(), json.dumps(
            dict(entry, case_id=case_id, kind=kind), ensure_ascii=False) + "\n")

    def get(self, case_id: str, kind: str) -> Optional[dict]:
        """The record of one letter, or None when officebot never wrote it."""
        entry = self.entries.get(case_id, {}).get(kind)
        return entry if entry and inside(entry["path"], "letters") else None

    def put(self, case_id: str, kind: str, entry: dict) -> None:
        """Record a letter just written."""
        self.entries.setdefault(case_id, {})[kind] = entry

    def covered_by(self, case_id: str, kind: str) -> Optional[str]:
        """The case whose letter of ``kind`` to the same customer stood in for this case's."""
        return self.covered.get(case_id, {}).get(kind)

    def cover(self, case_id: str, kind: str, by: str) -> None:
        """Record that case ``by``'s letter stood in for this case's letter of ``kind``."""
        self.covered.setdefault(case_id, {})[kind] = by

    def last_drafted(self, case_id: str, kinds: Iterable[str]) -> Optional[dt.datetime]:
        """When the latest of the case's letters of ``kinds`` was drafted (its as-of time)."""
        times = []
        for kind in kinds:
            try:
                times.append(dt.datetime.fromisoformat(self.get(case_id, kind)["drafted_at"]))
            except (TypeError, KeyError, ValueError):
                continue
        return max(times, default=None)

    def save(self) -> None:
        """Write the manifest atomically (synced: it is what protects hand edits)."""
        document = {"version": 1, "letters": self.entries}
        if self.covered:
            document["covered"] = self.covered
        text = json.dumps(document, ensure_ascii=False,
                          separators=(",", ":"))
        safety.ensure_subfolder(self.path.parent.parent, self.path.parent.name)
        safety.write_bytes(self.path, text.encode("utf-8"), sync=True)
        self._journal().unlink(missing_ok=True)


class _Listing:
    """The file names of each letters folder, read once per run instead of a stat per letter."""

    _FOLD = sys.platform in ("win32", "darwin")  # file systems that ignore case

    def __init__(self, folder: Path):
        self.folder = folder
        self._dirs: Dict[str, Optional[set]] = {}

    def _key(self, name: str) -> str:
        return name.casefold() if self._FOLD else name

    def _names(self, rel_dir: str) -> Optional[set]:
        if rel_dir not in self._dirs:
            try:
                self._dirs[rel_dir] = {self._key(n) for n in os.listdir(self.folder / rel_dir)}
            except (FileNotFoundError, NotADirectoryError):
                self._dirs[rel_dir] = None
        return self._dirs[rel_dir]

    def exists(self, rel: str) -> bool:
        """Whether the file at ``rel`` (relative to the folder, / separators) exists."""
        rel_dir, _, name = rel.rpartition("/")
        names = self._names(rel_dir)
        return names is not None and self._key(name) in names

    def dir_exists(self, rel_dir: str) -> bool:
        return self._names(rel_dir) is not None

    def add(self, rel: str) -> None:
        """Note a file just written."""
        rel_dir, _, name = rel.rpartition("/")
        if self._names(rel_dir) is None:
            self._dirs[rel_dir] = set()
        self._dirs[rel_dir].add(self._key(name))


def _existing_files(case_id: str, manifest: Manifest, listing: _Listing) -> List[str]:
    """The case's letters and PDFs, including another case's letter that covers it."""
    files = []
    for kind in KINDS:
        entry = manifest.get(case_id, kind)
        by = manifest.covered_by(case_id, kind)
        if entry is None and by:
            entry = manifest.get(by, kind)
        if entry and listing.exists(entry["path"]):
            files.append(entry["path"])
            pdf = entry["path"][:-len(".docx")] + ".pdf"
            if listing.exists(pdf):
                files.append(pdf)
    return list(dict.fromkeys(files))
