"""The zip package under every workbook and letter officebot reads or writes.

One layer, used by the register reader (xlsx.py), the workbook editor (workbook/package.py) and
the letters' .docx writing (docx_package.py):

- zip entries read with bounded sizes: a part whose declared size or compression ratio is
  beyond any real register, whose CRC is wrong or whose XML declares entities is refused with
  one sentence, before it costs time or memory;
- relationships, the office document (workbook) part, the sheet list, content types;
- cell references (A1 <-> row and column, and numbering cells and rows written without one,
  as Excel does) and the decoding of cell text (shared strings, inline strings, escapes);
- a zip writer that copies unchanged entries as their compressed bytes and deflates the rest.
"""

import functools
import os
import posixpath
import re
import struct
import sys
import tempfile
import zipfile
import zlib
from array import array
from dataclasses import dataclass
from itertools import accumulate, chain
from pathlib import Path
from typing import BinaryIO, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple, Union

from lxml import etree

from .errors import RegisterError, WorkbookLockedError, damaged
from .messages import msg, pair

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

# What reading a part may raise when its bytes are damaged.
try:  # ISA-L's inflate: the same bytes as zlib's, in half the time (a 57 MB sheet: 0.15 s
    # -> 0.07 s); where it has no wheel (few platforms), zlib's
    from isal.isal_zlib import IsalError as _InflateError, decompressobj as _fast_inflate
except ImportError:  # pragma: no cover - depends on the platform
    _fast_inflate, _InflateError = None, zlib.error
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, _InflateError, EOFError, OSError,
              NotImplementedError, RuntimeError)
MB = 1 << 20
MAX_COLUMNS = 16384  # XFD, the last column Excel has


# --- limits -------------------------------------------------------------------------------
class Limits(NamedTuple):
    """How large a part may be ([package] in officebot.toml), in bytes and as a ratio."""

    max_part: int         # any part, inflated (a sheet streams)
    max_whole_part: int   # a part read whole (styles, workbook, rels ...)
    max_ratio: float      # inflated size / compressed size
    ratio_from: int       # the ratio is checked for parts larger than this

    @classmethod
    def of(cls, settings=None) -> "Limits":
        """The limits of ``settings`` ([package], checked when they were loaded; the default
        settings without)."""
        if settings is None:
            from .settings import load_settings  # the defaults are written in one place only
            settings = load_settings()
        conf = settings.conf.package
        return cls(int(conf.max_part_mb * MB), int(conf.max_whole_part_mb * MB),
                   float(conf.max_ratio), int(conf.ratio_from_mb * MB))


@functools.lru_cache(maxsize=1)
def _default_limits() -> Limits:
    return Limits.of(None)


def one_line(text: object, limit: int = 200) -> str:
    """A value quoted in a message: whitespace (line breaks too) collapsed, long text cut."""
    out = " ".join(str(text).split())
    return out if len(out) <= limit else out[:limit - 1] + "…"


def too_large(label: str, part: str, detail: str, **values) -> RegisterError:
    """A part beyond any real register: refused, never read (``detail``: the key of what is
    wrong with it, filled with ``values``)."""
    return RegisterError(*(
        msg(lang, "package.too_large", label=label, part=part,
            detail=msg(lang, detail, **values)) for lang in ("en", "zh")))


def entities_refused(label: str, part: str) -> RegisterError:
    return RegisterError(*pair("package.entities", label=label, part=part))


def encoding_refused(label: str, part: str, name: str) -> RegisterError:
    return RegisterError(*pair("package.encoding", label=label, part=part, name=name))


# --- declarations before the root: DOCTYPE and entities ----------------------------------
# XML may declare entities (some pointing at files: SYSTEM "file:///...") only in a DOCTYPE,
# and a DOCTYPE stands only before the root element. Each XML part's prolog is read as text
# (decoded the ways an XML parser may decode it) up to its root; any declaration there is
# refused, whatever comments or processing instructions come first and however long they are.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_UNMARKED = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
             (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"), (b"\x4c\x6f\xa7\x94", "cp037"))
_DECLARED = re.compile(
    r"""\A\ufeff?<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_XML_SPACE = re.compile(r"[ \t\r\n]*")
_NAME_START = re.compile(r"[^\s!?/<>=\"'&0-9.\-]")
PROLOG_BLOCK = 1 << 16


class EncodingUnknown(ValueError):
    """A part declares an encoding Python has no codec for."""


def xml_encodings(head: bytes) -> List[str]:
    """The encodings an XML parser may read a part in, from its first bytes (byte order
    mark, the zero bytes of UTF-16/32, the declaration): the one XML's rules give, and UTF-8
    when the bytes are also ASCII-compatible (parsers disagree on mislabelled text)."""
    for mark, name in _BOMS + _UNMARKED:
        if head.startswith(mark):
            if name == "cp037":  # EBCDIC: its declaration is readable once decoded
                declared = _DECLARED.match(head[:200].decode("cp037", "replace"))
                return [_codec(declared.group(1)) if declared else name]
            return [name]
    declared = _DECLARED.match(head[:200].decode("latin-1"))
    if declared:
        name = _codec(declared.group(1))
        return [name] if name == "utf-8" else [name, "utf-8"]
    return ["utf-8"]


def _codec(name: str) -> str:
    import codecs
    try:
        found = codecs.lookup(name).name
    except LookupError:
        raise EncodingUnknown(name) from None
    if found in ("utf-16", "utf-32"):  # declared without the byte order mark it needs
        return found + "-le"
    return "utf-8" if found in ("utf-8", "ascii", "utf-8-sig") else found


class Prolog:
    """The prolog of one XML text, read as it arrives: ``verdict`` becomes "root" when the
    root element starts with only comments, processing instructions and white space before
    it, "declaration" when a <!DOCTYPE (or any <! but a comment) comes first, "other" when
    the text is no XML there."""

    def __init__(self, encoding: str):
        import codecs
        self._decode = codecs.getincrementaldecoder(encoding)("replace").decode
        self._text, self._resume, self._first = "", 0, True
        self.verdict: Optional[str] = None

    def feed(self, data: bytes, final: bool = False) -> Optional[str]:
        """Read more bytes; the verdict once known (None while the prolog goes on)."""
        if self.verdict is not None:
            return self.verdict
        try:
            t = self._text + self._decode(data, final)
        except UnicodeError:  # a codec that refuses these bytes: no XML in that reading
            self.verdict = "other"
            return self.verdict
        if self._first and t:
            self._first = False
            t = t[1:] if t[0] == "\ufeff" else t
        pos, resume = 0, self._resume
        while self.verdict is None:
            pos = _XML_SPACE.match(t, pos).end()
            if pos >= len(t):
                break
            start, end_mark = ((2, "?>") if t.startswith("<?", pos) else
                               (4, "-->") if t.startswith("<!--", pos) else (0, ""))
            if end_mark:
                end = t.find(end_mark, max(pos + start, resume))
                if end < 0:  # the comment or instruction goes on in the next bytes
                    resume = max(pos + start, len(t) - len(end_mark))
                    break
                pos, resume = end + len(end_mark), 0
                continue
            if len(t) - pos < 4 and not final:
                break  # "<!-" may yet become a comment
            if t.startswith("<!", pos):
                self.verdict = "declaration"
            elif t.startswith("<", pos) and _NAME_START.match(t, pos + 1):
                self.verdict = "root"
            else:
                self.verdict = "other"
        if self.verdict is None and final:
            self.verdict = "other"
        self._text, self._resume = t[pos:], max(resume - pos, 0)
        return self.verdict


def looks_like_xml(head: bytes) -> bool:
    """Whether a part's first bytes may start XML (a byte order mark, '<' in any encoding,
    white space): images and other binary parts do not."""
    return any(head.startswith(mark) for mark, _ in _BOMS + _UNMARKED) or \
        head.lstrip(b" \t\r\n")[:1] == b"<"


def declares_entities(blocks: Iterator[bytes]) -> bool:
    """Whether the XML in ``blocks`` (its bytes, in pieces) has a DOCTYPE or other
    declaration before its root element, in any encoding a parser may read it in.
    Raises EncodingUnknown for an encoding no codec reads."""
    prologs: List[Prolog] = []
    head = b""
    for block in blocks:
        if not prologs:  # the encoding is told by the first few hundred bytes
            head += block
            if len(head) < 256 or not head.lstrip(b" \t\r\n"):
                continue
            if not looks_like_xml(head):
                return False
            prologs = [Prolog(name) for name in xml_encodings(head)]
            block = head
        verdicts = [p.feed(block) for p in prologs]
        if "declaration" in verdicts:
            return True
        if None not in verdicts:
            return False
    if not prologs:
        if not looks_like_xml(head):
            return False
        prologs = [Prolog(name) for name in xml_encodings(head)]
        return any(p.feed(head, True) == "declaration" for p in prologs)
    return any(p.feed(b"", True) == "declaration" for p in prologs)


def unsafe_xml(data: bytes) -> bool:
    """Whether ``data`` is XML with a declaration before its root (declares_entities), or
    in an encoding no codec reads: for parts officebot copies as text (letter templates)."""
    try:
        return declares_entities(_pieces(data))
    except EncodingUnknown:
        return True


def _pieces(data: bytes) -> Iterator[bytes]:
    # the prolog is read block by block: a large part is not decoded whole
    return (data[i:i + PROLOG_BLOCK] for i in range(0, max(len(data), 1), PROLOG_BLOCK))


_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)|<\x00!\x00[DdEe]\x00|\x00<\x00!\x00[DdEe]",
                          re.I)


class _RefuseExternal(etree.Resolver):
    """Every external DTD or entity resolves to nothing: no file or URL is ever read."""

    def resolve(self, url, pubid, context):
        return self.resolve_string("", context)


def safe_parser(huge_tree: bool = False) -> "etree.XMLParser":
    """An lxml parser that never expands entities, loads a DTD or touches the network, set
    explicitly so that no lxml version's defaults matter."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=huge_tree)
    parser.resolvers.add(_RefuseExternal())
    return parser


_PARSER = safe_parser()


def has_doctype(root) -> bool:
    """Whether a parsed document came with a DOCTYPE (internal or external subset)."""
    info = root.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None or info.externalDTD is not None


_HUGE_PARSER = safe_parser(huge_tree=True)


def parse_fragment(data: bytes):
    """Sheet XML the caller wrapped in a root element (rows, a cell, an item), parsed with
    the safe parser; a text may hold megabytes. XMLSyntaxError when it is not well-formed."""
    root = etree.fromstring(data, _HUGE_PARSER)
    if has_doctype(root):
        raise etree.XMLSyntaxError("the XML declares a DOCTYPE", None, 0, 0)
    return root


def safe_fromstring(data: bytes):
    """Bytes parsed with the safe parser; damaged XML and a DOCTYPE raise XMLSyntaxError."""
    root = etree.fromstring(data, _PARSER)
    if has_doctype(root):
        raise etree.XMLSyntaxError("the XML declares a DOCTYPE", None, 0, 0)
    return root


def parse_xml(data: bytes, label: str, part: str):
    """A small part parsed with lxml; entity declarations and damaged XML are refused."""
    try:
        if _DECLARATION.search(data) or declares_entities(_pieces(data)):
            raise entities_refused(label, part)
    except EncodingUnknown as exc:
        raise encoding_refused(label, part, one_line(exc)) from None
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise damaged(label, f"{part}: {one_line(exc)}") from None
    if has_doctype(root):
        raise entities_refused(label, part)
    return root


# --- reading the zip ----------------------------------------------------------------------
def zip_problem(part: str, exc: BaseException) -> str:
    """Where and how a part is damaged, in a few words."""
    if "CRC" in str(exc):
        return f"{part}: its checksum (CRC) is wrong"
    return f"{part}: {one_line(exc)}"


class _Bounded:
    """A part's inflated bytes, read in blocks: damage becomes one sentence, and reading
    stops once the part is larger than the limit whatever its header said."""

    def __init__(self, raw, label: str, part: str, limit: int):
        self._raw, self._label, self._part, self._left = raw, label, part, limit

    def read(self, n: int = -1) -> bytes:
        try:
            data = self._raw.read(n)
        except ZIP_ERRORS as exc:
            raise damaged(self._label, zip_problem(self._part, exc)) from None
        self._left -= len(data)
        if self._left < 0:
            raise too_large(self._label, self._part, "package.inflates_beyond")
        return data

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> "_Bounded":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Zip:
    """A zip package opened for reading, every part with bounded size.

    Offers the part of zipfile.ZipFile's interface officebot uses (namelist, infolist,
    getinfo, read, open), so callers need not know it checks every read.
    """

    def __init__(self, source: Union[Path, str, BinaryIO], label: Optional[str] = None,
                 limits: Optional[Limits] = None):
        self.label = label or (Path(source).name if isinstance(source, (str, Path))
                               else "workbook")
        self.limits = limits or _default_limits()
        self.filename = str(source) if isinstance(source, (str, Path)) else None
        self._source = source
        # taken before the file is opened: a save in between reads as a change (release)
        self._stat = _signature(self.filename) if self.filename else None
        try:
            self.zf = zipfile.ZipFile(source)
            self._infos = self.zf.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise damaged(self.label, f"cannot be opened: {one_line(exc)}") from None
        self._by_name = {i.filename: i for i in self._infos}
        try:
            self.check_declarations()
        except BaseException:
            self.zf.close()
            raise

    def check_declarations(self) -> None:
        """Refuse the package when any XML part (whether officebot reads it or copies it
        unchanged) declares a DOCTYPE or entities before its root element."""
        for info in self._infos:
            if info.is_dir() or not info.file_size:
                continue
            try:
                with self.zf.open(info) as raw:
                    head = raw.read(PROLOG_BLOCK)
                    if not looks_like_xml(head):
                        continue  # an image or other binary part
                    self.check(info, self.limits.max_part)
                    rest = _Bounded(raw, self.label, info.filename, self.limits.max_part)
                    found = declares_entities(chain([head], iter(
                        lambda: rest.read(PROLOG_BLOCK), b"")))
            except ZIP_ERRORS as exc:
                raise damaged(self.label, zip_problem(info.filename, exc)) from None
            except EncodingUnknown as exc:
                raise encoding_refused(self.label, info.filename, one_line(exc)) from None
            if found:
                raise entities_refused(self.label, info.filename)

    # zipfile.ZipFile's reading interface
    def namelist(self) -> List[str]:
        return [i.filename for i in self._infos]

    def infolist(self) -> List[zipfile.ZipInfo]:
        return list(self._infos)

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        return self._by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def check(self, info: zipfile.ZipInfo, limit: int) -> None:
        """Refuse a part whose declared size or compression ratio no real workbook has."""
        size, packed = info.file_size, info.compress_size
        if size > limit:
            raise too_large(self.label, info.filename, "package.inflates_to",
                            size=size // MB, limit=limit // MB)
        ratio = size / max(packed, 1)
        if size > self.limits.ratio_from and ratio > self.limits.max_ratio:
            raise too_large(self.label, info.filename, "package.ratio",
                            ratio=ratio, limit=self.limits.max_ratio)

    def open(self, name: Union[str, zipfile.ZipInfo]) -> _Bounded:
        """A part as a stream of inflated blocks (a sheet, the shared strings)."""
        info = name if isinstance(name, zipfile.ZipInfo) else self._info(name)
        self.check(info, self.limits.max_part)
        try:
            raw = self.zf.open(info)
        except ZIP_ERRORS as exc:
            raise damaged(self.label, zip_problem(info.filename, exc)) from None
        _inflate_faster(raw)
        return _Bounded(raw, self.label, info.filename, self.limits.max_part)

    def read(self, name: Union[str, zipfile.ZipInfo]) -> bytes:
        """A small part's bytes, whole (its CRC checked)."""
        info = name if isinstance(name, zipfile.ZipInfo) else self._info(name)
        self.check(info, self.limits.max_whole_part)
        with self.open(info) as fh:
            fh._left = self.limits.max_whole_part
            chunks = []
            while True:
                block = fh.read(1 << 20)
                if not block:
                    return b"".join(chunks)
                chunks.append(block)

    def xml(self, name: str):
        """A small part parsed as XML (entities and damage refused)."""
        return parse_xml(self.read(name), self.label, name)

    def raw_chunks(self, info: zipfile.ZipInfo, size: int = 1 << 20) -> Iterator[bytes]:
        """The compressed bytes of an entry, as stored (for copying it unchanged)."""
        if self.filename is None:  # a file object: zipfile seeks it before each read too
            yield from _raw_chunks(self._source, info, self.label, size)
            return
        with open(self.filename, "rb") as fh:
            yield from _raw_chunks(fh, info, self.label, size)

    def _info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self._by_name[name]
        except KeyError:
            raise damaged(self.label, f"missing {name}") from None

    def close(self) -> None:
        self.zf.close()

    # --- letting go of the file and taking it again ---------------------------------------
    def release(self) -> None:
        """Let go of the file, keeping what was read of it (its parts' list, its checks);
        ``reopen()`` takes it again. A run lets go of the register while letters are
        drafted: minutes, on a shared drive where someone may open and save it."""
        if self.filename is not None:
            self.zf.close()

    def unchanged(self) -> bool:
        """Whether the file at the path is still the one first opened (size, time, file)."""
        return self.filename is None or _signature(self.filename) == self._stat

    def reopen(self) -> None:
        """Take the file again after ``release()``: the same file, with the same parts, or
        WorkbookLockedError (someone saved it meanwhile: nothing is to be written)."""
        if self.filename is None:
            return
        if not self.unchanged():
            raise saved_meanwhile(self.label)
        try:
            zf = zipfile.ZipFile(self.filename)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise saved_meanwhile(self.label) from None
        infos = zf.infolist()
        if [_entry(i) for i in infos] != [_entry(i) for i in self._infos] or not self.unchanged():
            zf.close()
            raise saved_meanwhile(self.label)
        self.zf, self._infos = zf, infos
        self._by_name = {i.filename: i for i in infos}

    def __enter__(self) -> "Zip":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _inflate_faster(stream) -> None:
    """Let a deflated entry's stream, not read yet, inflate with ISA-L: zipfile's own stream
    still reads the entry and checks its size and CRC; only its decompressor changes (one
    with zlib's interface: decompress(data, max_length), unconsumed_tail, eof, flush)."""
    if _fast_inflate is not None and hasattr(stream, "_decompressor") and \
            getattr(stream, "_compress_type", None) == zipfile.ZIP_DEFLATED:
        stream._decompressor = _fast_inflate(-15)


def _signature(path: str) -> Optional[Tuple[int, int, int, int]]:
    """What tells a file from the one that was there before: size, change time, inode."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def _entry(info: zipfile.ZipInfo) -> Tuple:
    return (info.filename, info.CRC, info.compress_size, info.file_size, info.header_offset)


def saved_meanwhile(label: str) -> WorkbookLockedError:
    """The register was saved by someone else after it was read: nothing is written."""
    return WorkbookLockedError(*pair("run.saved_meanwhile", name=label))


# --- OLE compound files (old .xls, password-protected workbooks) -------------------------
_FREE = 0xFFFFFFFA  # sector numbers from here on mark a chain's end or unused sectors


def compound_names(fh: BinaryIO, max_sectors: int = 1 << 22) -> List[str]:
    """The names in an OLE compound file's directory (Workbook for an old .xls;
    EncryptionInfo and EncryptedPackage for a password-protected .xlsx), wherever in the
    file the directory lies. ValueError when the file is no compound file."""
    try:
        header = fh.read(512)
        if len(header) < 512 or header[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise ValueError("not a compound file")
        shift = struct.unpack_from("<H", header, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("unusual sector size")
        size = 1 << shift
        n_fat, first_dir = struct.unpack_from("<II", header, 0x2C)
        next_difat, n_difat = struct.unpack_from("<II", header, 0x44)

        def sector(number: int) -> bytes:
            fh.seek((number + 1) << shift)
            data = fh.read(size)
            if len(data) < size:
                raise ValueError("cut short")
            return data

        difat = list(struct.unpack_from("<109I", header, 0x4C))
        for _ in range(min(n_difat, max_sectors)):
            if next_difat >= _FREE:
                break
            more = struct.unpack(f"<{size // 4}I", sector(next_difat))
            difat.extend(more[:-1])
            next_difat = more[-1]
        fat = array("I")
        for number in difat[:min(n_fat, max_sectors)]:
            if number < _FREE:
                fat.frombytes(sector(number))
        if sys.byteorder == "big":
            fat.byteswap()
        names, seen, number = [], set(), first_dir
        while number < _FREE and number not in seen and len(seen) < max_sectors:
            seen.add(number)
            data = sector(number)
            for at in range(0, size, 128):
                length = struct.unpack_from("<H", data, at + 64)[0]
                if 2 <= length <= 64:
                    names.append(data[at:at + length - 2].decode("utf-16-le", "replace"))
            number = fat[number] if number < len(fat) else _FREE
        return names
    except (struct.error, OSError, OverflowError) as exc:
        raise ValueError(str(exc)) from None


# --- relationships, the workbook part, the sheet list -------------------------------------
class Rel(NamedTuple):
    """One relationship: Id, Type, target (resolved to a package path unless External)."""

    id: str
    type: str
    target: str
    mode: str = ""


def rels_part_of(part: str) -> str:
    """The .rels part holding a part's relationships ('' is the package root)."""
    if not part:
        return "_rels/.rels"
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """A relationship target as a package path."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, target_part: str) -> str:
    """The target to write in ``source_part``'s rels for ``target_part``."""
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


def rels_of(root, part: str) -> List[Rel]:
    """The relationships in a parsed .rels part of ``part`` ('' for the package root)."""
    out = []
    for rel in root:
        if not isinstance(rel.tag, str):
            continue
        mode = rel.get("TargetMode", "")
        target = rel.get("Target", "")
        if mode != "External":
            target = resolve(part, target)
        out.append(Rel(rel.get("Id", ""), rel.get("Type", ""), target, mode))
    return out


def read_rels(zf: Zip, part: str) -> List[Rel]:
    """The relationships of ``part`` in the package ([] when it has none)."""
    rp = rels_part_of(part)
    if rp not in zf:
        return []
    return rels_of(zf.xml(rp), part)


def office_document(root_rels: List[Rel]) -> str:
    """The main part (xl/workbook.xml, word/document.xml) named by the package's root rels."""
    for rel in root_rels:
        if rel.type.endswith("/officeDocument") and rel.mode != "External":
            return rel.target
    return "xl/workbook.xml"


def namespace(root) -> str:
    """The namespace of a parsed part's root element (transitional or Strict)."""
    tag = root.tag
    return tag[1:].split("}")[0] if tag.startswith("{") else ""


def child(root, name: str):
    """The first child element of ``root`` with local name ``name``, in any namespace."""
    for el in root:
        if isinstance(el.tag, str) and etree.QName(el).localname == name:
            return el
    return None


@dataclass
class SheetEntry:
    """A sheet of the workbook's sheet list."""

    name: str
    rid: str
    part: str                 # package path ('' when the rels do not name it)
    sheet_id: int
    state: str = "visible"
    kind: str = ""            # relationship type: ".../worksheet", ".../chartsheet" ...

    @property
    def is_worksheet(self) -> bool:
        return self.kind.endswith("/worksheet")


def sheet_list(wb_root, wb_rels: List[Rel]) -> List[SheetEntry]:
    """The sheets of a parsed workbook.xml in workbook order (any namespace, Strict too)."""
    by_id = {r.id: r for r in wb_rels}
    sheets_el = child(wb_root, "sheets")
    out = []
    for sh in (sheets_el if sheets_el is not None else ()):
        if not isinstance(sh.tag, str):
            continue
        rid = sh.get(f"{{{NS_R}}}id") or sh.get(f"{{{NS_R_STRICT}}}id") or ""
        rel = by_id.get(rid)
        sid = sh.get("sheetId", "0")
        out.append(SheetEntry(sh.get("name", ""), rid, rel.target if rel else "",
                              int(sid) if sid.isdigit() else 0, sh.get("state", "visible"),
                              rel.type if rel else ""))
    return out


def date1904(wb_root) -> bool:
    """Whether the workbook counts dates from 1904."""
    pr = child(wb_root, "workbookPr")
    return pr is not None and pr.get("date1904") in ("1", "true")


def content_type(ct_root, part: str) -> str:
    """The content type [Content_Types].xml gives ``part`` ('' when none)."""
    name = "/" + part
    default = ""
    ext = posixpath.splitext(part)[1].lstrip(".").lower()
    for el in ct_root:
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local == "Override" and el.get("PartName", "").lower() == name.lower():
            return el.get("ContentType", "")
        if local == "Default" and el.get("Extension", "").lower() == ext:
            default = el.get("ContentType", "")
    return default


# --- cell references ----------------------------------------------------------------------
def column_index(letters: str) -> int:
    """1-based column number of column letters ('A' -> 1)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(index: int) -> str:
    """Column letters of a 1-based column number (1 -> 'A')."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


def split_ref(ref: str) -> Tuple[int, int]:
    """(row, column) of a cell reference ('B3' -> (3, 2)); ValueError when it is none."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), column_index(m.group(1).upper())


def cell_ref(row: int, col: int) -> str:
    """The A1 reference of (row, column)."""
    return f"{column_letters(col)}{row}"


def next_column(ref: Optional[bytes], previous: int) -> int:
    """The column of a cell: from its r attribute, else the one after the previous cell of
    its row (Excel's numbering of cells written without a reference)."""
    if ref:
        letters = ref.replace(b"$", b"").rstrip(b"0123456789").upper()
        if letters.isalpha():
            return column_index(letters.decode("ascii"))
    return previous + 1


# --- cell text ----------------------------------------------------------------------------
class CellError(str):
    """An Excel error value such as #N/A."""


_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_x(text: str) -> str:
    """Decode Excel's _xHHHH_ escapes for characters XML cannot hold."""
    if "_x" not in text:
        return text
    text = _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATE.search(text):  # an emoji escaped as two halves (_xD83D__xDE00_): join them
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


class NotPlain(ValueError):
    """Raised by the fast path on what only the general path may read (a bad reference)."""


_XML_REF = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][\w.-]*)?;?")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_REF_CACHE: Dict[str, str] = {}


def _xml_char(code: int) -> bool:
    return (0x20 <= code <= 0xD7FF or code in (0x9, 0xA, 0xD) or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def _reference(m: "re.Match") -> str:
    whole = m.group(0)
    hit = _REF_CACHE.get(whole)
    if hit is not None:
        return hit
    name = m.group(1)
    if name is None or whole[-1] != ";":
        raise NotPlain("an & that starts no reference")
    if name[0] == "#":
        code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
        if not _xml_char(code):
            raise NotPlain(f"a reference to a character XML cannot hold: {whole}")
        hit = chr(code)
    else:
        hit = _ENTITIES.get(name)
        if hit is None:
            raise NotPlain(f"an undeclared entity: {whole}")
    if len(_REF_CACHE) < 100_000:
        _REF_CACHE[whole] = hit
    return hit


def text_as_xml(raw: bytes) -> str:
    """Element text as a parser reads it: UTF-8, line ends made LF, references replaced
    (NotPlain for a reference no parser accepts, or for bytes that are not UTF-8)."""
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotPlain(str(exc)) from None
    return _XML_REF.sub(_reference, s) if "&" in s else s


def _odd(xml: bytes, start: int = 0) -> bool:
    """Whether the bytes from ``start`` may hold a comment, PI or CDATA ("!" and "?" are rare
    in sheet XML, "<" everywhere: the rare byte is looked for first)."""
    return (xml.find(b"!", start) >= 0 and xml.find(b"<!", start) >= 0) or \
        (xml.find(b"?", start) >= 0 and xml.find(b"<?", start) >= 0)


def _all_usual(data: bytes, start: int, end: int, items: int) -> bool:
    """Whether the ``items`` back-to-back <si> items in data[start:end] are each Excel's
    usual <si><t>text</t></si>, their texts without "<", references, CR or _x escapes
    (item_text reads such a text as its bytes decoded). Counted in C: every item ends in
    </t></si> (the table is split at </si>), so with 4 "<" an item on average and as many
    <si><t> as items, no item has room for another "<"."""
    find, count = data.find, data.count  # on the range itself: no copy of a megabyte
    return (find(AMP, start, end) < 0 and find(CR, start, end) < 0
            and (find(LOW, start, end) < 0 or find(b"_x", start, end) < 0)
            and count(b"<", start, end) == 4 * items
            and count(b"<si><t>", start, end) == items
            and count(b"</t></si>", start, end) == items)


def own_text(el) -> str:
    """The text directly in an element, as XML reads it (around comments and PIs too)."""
    parts = [el.text or ""]
    parts.extend(child.tail or "" for child in el)
    return "".join(parts)


def xml_namespace(el) -> str:
    """The "{namespace}" part of an element's tag ("" when it has none)."""
    tag = el.tag
    return tag[:tag.index("}") + 1] if tag.startswith("{") else ""


def inline_text(el) -> str:
    """The text of an <is> or <si> element: its <t>, or the <t> of each run; <rPh> left out."""
    ns = xml_namespace(el)
    t_tag, r_tag = ns + "t", ns + "r"
    out = []
    for child in el:
        if child.tag == t_tag:
            out.append(own_text(child))
        elif child.tag == r_tag:
            out.extend(own_text(t) for t in child if t.tag == t_tag)
    return "".join(out)




# A byte is looked for as an int where it is hot: `0x26 in data` is one memchr, while a bytes
# needle (`b"&" in data`) goes through the buffer protocol and costs about seven times more.
AMP, CR, DOT, LOW = 0x26, 0x0D, 0x2E, 0x5F   # "&", carriage return, ".", "_"


def text_of_item(text: bytes) -> str:
    """The value of one <t>'s content: as XML reads it (text_as_xml), then Excel's _xHHHH_
    escapes."""
    s = text_as_xml(text)
    return unescape_x(s) if "_x" in s else s


_SIMPLE_T = re.compile(rb'<t(?: xml:space="preserve")?>([^<]*)</t>')


def item_text(body: bytes, prefix: bytes = b"") -> str:
    """Text of a shared-string item or inline string body (its XML between the tags): the
    <t> of plain text, or the <t> of every rich-text run; phonetic runs (<rPh>) left out.
    Anything but one plain <t> is read by lxml."""
    if not prefix:
        if body[:3] == b"<t>" and body[-4:] == b"</t>" and body.count(b"<") == 2:
            raw = body[3:-4]  # the usual item
            if AMP not in raw and CR not in raw and (LOW not in raw or b"_x" not in raw):
                try:
                    return raw.decode("utf-8")
                except UnicodeDecodeError:
                    raw = None  # lxml says what is wrong with it
        else:
            m = _SIMPLE_T.fullmatch(body)
            raw = m.group(1) if m else None
        if raw is not None:
            try:
                return text_of_item(raw)
            except NotPlain:
                pass  # lxml says what is wrong with it
    p = prefix
    opening = b'<%sis xmlns%s="%s">' % (p, b":" + p[:-1] if p else b"", NS_MAIN.encode())
    try:
        root = parse_fragment(opening + body + b"</%sis>" % p)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {one_line(exc)}") from None
    s = inline_text(root)
    return unescape_x(s) if "_x" in s else s


def number(text):
    """A cell's number (text or bytes): int when written as an integer, else float
    (ValueError when it is no number)."""
    if text.isdigit():
        return int(text)
    if isinstance(text, bytes):
        text = text.decode("ascii")  # UnicodeDecodeError is a ValueError too
    if "." in text or "e" in text or "E" in text:
        return float(text)  # the usual number that is no integer: no exception raised
    try:
        return int(text)
    except ValueError:
        return float(text)


def typed_value(t: str, v: str):
    """The value of a cell of type ``t`` (not s or inlineStr) from the text of its <v>, as
    XML reads it: numbers, booleans, errors, formula strings (str) and ISO dates (d, left as
    text)."""
    if t == "n":
        try:
            return number(v)
        except ValueError:
            return v
    if t == "b":
        return v.strip() in ("1", "true")
    if t == "e":
        return CellError(v)
    return unescape_x(v) if "_x" in v else v  # str, and "d": an ISO 8601 date


def cell_value(t: str, v: Optional[str], inline: Optional[str], shared):
    """The value of a cell read as XML reads it (rowscan.Cell's t, v and inline): the one
    decoding of cells, for the reader and the change log. ``shared(index)`` looks up a shared
    string (IndexError or ValueError: the cell shows #REF!). None when the cell is empty."""
    if t == "inlineStr":
        if inline is None:
            return None
        return unescape_x(inline) if "_x" in inline else inline
    if v is None:
        return None
    if t == "s":
        try:
            index = int(v)
            if index < 0:  # no item has one (Python's lists would count from the end)
                raise IndexError(index)
            return shared(index)
        except (IndexError, ValueError):
            return CellError("#REF!")
    if not v and t != "str":
        return None  # <v/>: no value (a formula's empty text result stays "")
    return typed_value(t, v)


# --- shared strings -----------------------------------------------------------------------
SST_BLOCK = 1 << 20
# The read-ahead of shared strings: a column's cells sweep the table in order, but a typed
# date may name a string far back, and each such jump reads a whole window (16 KB read the
# lookups of a 100k-row register a fifth faster than 64 KB or 4 KB)
SST_WINDOW = 1 << 14
_PLUS_5 = (5).__add__
_pread = getattr(os, "pread", None)  # not on Windows: seek and read there


class SharedStrings:
    """The shared-strings table, kept decompressed in a temporary file and decoded lazily.

    Only the byte offsets of the items stay in memory (8 or 16 bytes a string), found while
    the part is decompressed; a string is read back and unescaped when a cell asks for it,
    so a table of millions of strings costs little memory.
    """

    def __init__(self, zf: Union[Zip, zipfile.ZipFile], part: Optional[str], label: str):
        if not isinstance(zf, Zip):  # a plain ZipFile still gets the bounded reads
            zf = _wrap(zf, label)
        self._file = tempfile.TemporaryFile(prefix="officebot-sst-")
        self._window, self._window_at = b"", 0
        self._decoded = False  # the file holds the items' texts, decoded (the general path)
        self._starts, self._ends = array("q"), array("q")
        # 1 where an item is Excel's usual <t>text</t> (no reference, CR or _x escape): its
        # offsets then point at the text itself, which is only decoded
        self._usual = bytearray()
        if not part or part not in zf:
            return
        if zf.getinfo(part).file_size < 1 << 32:  # 4-byte offsets halve the index
            self._starts, self._ends = array("I"), array("I")
        with zf.open(part) as fh:
            plain, tail = self._copy_and_index(fh)
        self._file.flush()
        if self._file.tell() and not re.search(rb"</(\w+:)?sst>\s*$", tail):
            raise damaged(label, "its shared strings are cut short")
        if not plain:
            self._index_by_parser(label, part)

    def _copy_and_index(self, fh) -> Tuple[bool, bytes]:
        """Decompress into the file, noting where Excel's plain <si>...</si> items are.
        Returns (whether every item was plain, the last bytes of the part). A part with a
        comment, processing instruction or CDATA section, items with attributes or a
        prefix are not plain: lxml reads those."""
        write, starts, ends, usual = self._file.write, self._starts, self._ends, self._usual
        carry, base, tail, plain = b"", 0, b"", None
        last = b""
        pending: List[bytes] = []  # blocks inside one long item, joined once when it ends
        while True:
            block = fh.read(SST_BLOCK)
            if not block:  # an item left after the last </si> (<si/>) is for the general path
                return bool(plain) and b"<si" not in carry + b"".join(pending), tail
            write(block)
            edge = tail[-4:]
            tail = block[-64:] if len(block) >= 64 else (tail + block)[-64:]
            start, after = 0, last
            last = block[-1:]
            if plain is None:
                m = re.search(rb"<(\w+:)?sst\b", block[:1000])
                plain = not (m and m.group(1))
                if plain and block.find(b"<?xml", 0, 8) >= 0:  # the declaration is no PI
                    start = block.find(b"?>") + 2
            if not plain:
                continue
            if _odd(block, start) or (after == b"<" and block[:1] in (b"!", b"?")):
                plain = False
                continue
            if b"</si>" not in block and b"</si>" not in edge + block[:4]:
                pending.append(block)  # no item ends here (an item of megabytes)
                continue
            data = carry + b"".join(pending) + block
            pending.clear()
            pieces = data.split(b"</si>")
            carry = pieces.pop()
            first = pieces[0].rfind(b"<si>") if pieces else -1
            items_usual = first >= 0 and _all_usual(data, first, len(data) - len(carry),
                                                    len(pieces))
            # Items with attributes (<si x=...>, <si/>) are for the general path. Usual items
            # have none: then only the bytes before them are looked at (those after them are
            # the next block's first bytes, or looked at once the table ends).
            # An end tag with spaces in it (</si >) ends an item the split does not see.
            if data.find(b"<si", 0, first) >= 0 if items_usual else \
                    (b"<si " in data or b"<si/" in data or data.count(b"</si") != len(pieces)):
                plain = False
                continue
            if not pieces:
                continue
            # Excel writes the items back to back: every piece after the first starts with
            # <si>. Then the offsets are sums of the piece lengths, added up in C.
            if data.count(b"</si><si>") != len(pieces) - 1 + carry.startswith(b"<si>"):
                plain = False
                continue
            if first < 0:
                plain = False
                continue
            bounds = list(accumulate(map(_PLUS_5, map(len, pieces)), initial=base))
            # An item's offsets: past <si> and before </si>; a usual one's past <si><t> and
            # before </t></si> (its text itself)
            after, before = (7, 9) if items_usual else (4, 5)
            starts.append(base + first + after)
            starts.extend(map(after.__add__, bounds[1:-1]))
            ends.extend(map((-before).__add__, bounds[1:]))
            usual.extend((b"\x01" if items_usual else b"\x00") * len(pieces))
            base = bounds[-1]

    def _index_by_parser(self, label: str, part: str) -> None:
        """Items of any form (prefixed tags, attributes, comments, CDATA ...) read by lxml:
        their texts go, decoded, to a second file and the index points there."""
        del self._starts[:], self._ends[:]
        texts = tempfile.TemporaryFile(prefix="officebot-sst-")
        self._file.seek(0)
        offset = 0
        try:
            for _, el in etree.iterparse(self._file, events=("end",), tag="{*}si",
                                         resolve_entities=False, no_network=True,
                                         load_dtd=False, huge_tree=True):
                parent = el.getparent()
                if parent is None or parent.getparent() is not None:
                    continue  # an <si> nested deeper than the table's own items
                data = inline_text(el).encode("utf-8", "surrogatepass")
                texts.write(data)
                self._starts.append(offset)
                offset += len(data)
                self._ends.append(offset)
                el.clear()
                while el.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            texts.close()
            raise damaged(label, f"{part}: {one_line(exc)}") from None
        self._file.close()
        texts.flush()
        self._file, self._decoded = texts, True
        self._usual = bytearray(len(self._starts))  # decoded texts: none is read as <t>
        self._window, self._window_at = b"", 0

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index: int) -> str:
        return self.texts((index,))[0]

    def text_at(self, index: int) -> str:
        """One string asked for on its own, out of table order (a deferred cell): read
        alone when the window does not hold it, the window kept for the next sweep."""
        return self.texts((index,), ahead=False)[0]

    def texts(self, indices: Iterable[int], ahead: bool = True) -> List[str]:
        """The strings at these indices, in one pass (IndexError when one points nowhere,
        ValueError when its item is not well-formed); ``ahead``: a string the window lacks
        is read with the window ahead of it (cells sweep the table in order)."""
        starts, ends, usual, out = self._starts, self._ends, self._usual, []
        add, decoded = out.append, self._decoded
        for index in indices:
            start, end = starts[index], ends[index]
            if start >= end:
                add("")
                continue
            rel = start - self._window_at
            if 0 <= rel and end - self._window_at <= len(self._window):
                data = self._window[rel:rel + end - start]  # _read's usual case, in line
            else:
                data = self._read(start, end - start) if ahead else \
                    self._read_alone(start, end - start)
            if usual[index]:
                try:
                    add(data.decode("utf-8"))
                except UnicodeDecodeError:
                    add(item_text(b"<t>" + data + b"</t>"))
            elif decoded:
                text = data.decode("utf-8", "surrogatepass")
                add(unescape_x(text) if "_x" in text else text)
            elif data[:3] == b"<t>" and data[-4:] == b"</t>" and data.count(b"<") == 2 and \
                    AMP not in data and CR not in data and (LOW not in data or b"_x" not in data):
                try:  # item_text's usual item, in line: a third of a lookup's time
                    add(data[3:-4].decode("utf-8"))
                except UnicodeDecodeError:
                    add(item_text(data))
            else:
                add(item_text(data))
        return out

    def _read(self, offset: int, size: int) -> bytes:
        # Cells ask for strings roughly in table order: serve them from a window read ahead.
        rel = offset - self._window_at
        if 0 <= rel and rel + size <= len(self._window):
            return self._window[rel:rel + size]
        self._window = self._read_alone(offset, max(size, SST_WINDOW))
        self._window_at = offset
        return self._window[:size]

    def _read_alone(self, offset: int, size: int) -> bytes:
        """``size`` bytes of the file at ``offset``, the window left as it is."""
        if _pread is not None:
            return _pread(self._file.fileno(), size, offset)
        self._file.seek(offset)
        return self._file.read(size)

    def close(self) -> None:
        self._file.close()


def _raw_chunks(fh, info: zipfile.ZipInfo, label: str, size: int) -> Iterator[bytes]:
    """The stored bytes of an entry, found from its local header in ``fh``."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise damaged(label, f"{info.filename}: bad local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    while left:
        chunk = fh.read(min(left, size))
        if not chunk:
            raise damaged(label, f"{info.filename} is cut short")
        left -= len(chunk)
        yield chunk


class _Wrapped(Zip):
    """A Zip over an already open zipfile.ZipFile (for callers that hold one)."""

    def __init__(self, zf: zipfile.ZipFile, label: str):
        self.label, self.limits, self.zf = label, _default_limits(), zf
        self.filename = zf.filename
        self._source = zf.fp
        self._infos = zf.infolist()
        self._by_name = {i.filename: i for i in self._infos}
        self.check_declarations()


def _wrap(zf: zipfile.ZipFile, label: str) -> Zip:
    return _Wrapped(zf, label)


# --- writing the zip ----------------------------------------------------------------------
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_UTF8_FLAG = 0x800
_FFFF, _FFFFFFFF = 0xFFFF, 0xFFFFFFFF
DEFLATE_LEVEL = 6


def dos_time(date_time: Tuple[int, int, int, int, int, int]) -> Tuple[int, int]:
    """(DOS date, DOS time) of a zip entry's (year, month, day, hour, minute, second)."""
    y, mo, d, h, mi, s = date_time
    if y < 1980:
        y, mo, d, h, mi, s = 1980, 1, 1, 0, 0, 0
    return (y - 1980) << 9 | mo << 5 | d, h << 11 | mi << 5 | s // 2


def deflate(data: bytes, level: int = DEFLATE_LEVEL) -> bytes:
    """Raw deflate, as zip stores it."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class _Entry(NamedTuple):
    name: bytes
    flags: int
    method: int
    dos_date: int
    dos_time: int
    crc: int
    packed: int
    size: int
    offset: int
    external_attr: int


class ZipWriter:
    """A zip written entry by entry to a seekable binary file, with zipfile's format and
    nothing of its internals: new parts deflated, unchanged parts copied as their stored
    bytes (no recompression), large parts deflated as they stream."""

    def __init__(self, fh: BinaryIO, level: int = DEFLATE_LEVEL):
        self.fh = fh
        self.level = level
        self.entries: List[_Entry] = []
        self._base = fh.tell()

    def _tell(self) -> int:
        return self.fh.tell() - self._base

    def _header(self, name: bytes, flags: int, method: int, date: int, time: int, crc: int,
                packed: int, size: int, zip64: bool) -> bytes:
        extra = b""
        if zip64:
            extra = struct.pack("<HHQQ", 1, 16, size, packed)
            packed = size = _FFFFFFFF
        return _LOCAL.pack(b"PK\x03\x04", 45 if zip64 else 20, 0, flags, method, time, date,
                           crc, packed, size, len(name), len(extra)) + name + extra

    def add_raw(self, name: str, method: int, crc: int, size: int, packed: int,
                date_time: Tuple[int, ...], chunks, external_attr: int = 0o600 << 16) -> None:
        """An entry from its already compressed bytes (``chunks``, ``packed`` bytes in all)."""
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else _UTF8_FLAG
        date, time = dos_time(tuple(date_time))
        offset = self._tell()
        zip64 = size >= _FFFFFFFF or packed >= _FFFFFFFF
        self.fh.write(self._header(raw, flags, method, date, time, crc, packed, size, zip64))
        written = 0
        for chunk in ([chunks] if isinstance(chunks, bytes) else chunks):
            self.fh.write(chunk)
            written += len(chunk)
        if written != packed:
            raise ValueError(f"{name}: {written} bytes copied, {packed} expected")
        self.entries.append(_Entry(raw, flags, method, date, time, crc, packed, size, offset,
                                   external_attr))

    def add(self, name: str, data: Union[bytes, str],
            date_time: Tuple[int, ...] = (1980, 1, 1, 0, 0, 0),
            external_attr: int = 0o600 << 16) -> None:
        """A new entry from its uncompressed bytes or text (deflated here)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        packed = deflate(data, self.level)
        self.add_raw(name, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), len(packed),
                     date_time, packed, external_attr)

    def open(self, name: str, date_time: Tuple[int, ...] = (1980, 1, 1, 0, 0, 0),
             external_attr: int = 0o600 << 16) -> "_EntryStream":
        """A large entry written as a stream (its header is completed when it is closed)."""
        return _EntryStream(self, name, tuple(date_time), external_attr)

    def close(self) -> None:
        """Write the central directory (zip64 records only where the sizes need them)."""
        start = self._tell()
        for e in self.entries:
            extra, packed, size, offset = b"", e.packed, e.size, e.offset
            fields = []
            if size >= _FFFFFFFF:
                fields.append(size)
                size = _FFFFFFFF
            if packed >= _FFFFFFFF:
                fields.append(packed)
                packed = _FFFFFFFF
            if offset >= _FFFFFFFF:
                fields.append(offset)
                offset = _FFFFFFFF
            if fields:
                extra = struct.pack("<HH", 1, 8 * len(fields)) + struct.pack(
                    f"<{len(fields)}Q", *fields)
            version = 45 if fields else 20
            self.fh.write(_CENTRAL.pack(b"PK\x01\x02", version, 3, version, 0, e.flags,
                                        e.method, e.dos_time, e.dos_date, e.crc, packed, size,
                                        len(e.name), len(extra), 0, 0, 0, e.external_attr,
                                        offset) + e.name + extra)
        end = self._tell()
        count, length = len(self.entries), end - start
        if count >= _FFFF or start >= _FFFFFFFF or length >= _FFFFFFFF:
            self.fh.write(_END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, length,
                                      start))
            self.fh.write(_LOCATOR64.pack(b"PK\x06\x07", 0, end, 1))
            self.fh.write(_END.pack(b"PK\x05\x06", 0, 0, min(count, _FFFF), min(count, _FFFF),
                                    min(length, _FFFFFFFF), min(start, _FFFFFFFF), 0))
        else:
            self.fh.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, length, start, 0))
        self.fh.flush()

    def __enter__(self) -> "ZipWriter":
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self.close()


class _EntryStream:
    """One entry being deflated as it is written; its local header is patched at the end."""

    def __init__(self, out: ZipWriter, name: str, date_time, external_attr: int):
        self.out, self.name = out, name.encode("utf-8")
        self.flags = 0 if self.name.isascii() else _UTF8_FLAG
        self.date, self.time = dos_time(date_time)
        self.external_attr = external_attr
        self.offset = out._tell()
        self.crc = self.size = self.packed = 0
        self._deflate = zlib.compressobj(out.level, zlib.DEFLATED, -15)
        # Sizes are not known yet: room for zip64 ones, as zipfile's force_zip64 leaves.
        out.fh.write(out._header(self.name, self.flags, zipfile.ZIP_DEFLATED, self.date,
                                 self.time, 0, 0, 0, True))

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        packed = self._deflate.compress(data)
        if packed:
            self.out.fh.write(packed)
            self.packed += len(packed)
        return len(data)

    def close(self) -> None:
        tail = self._deflate.flush()
        fh = self.out.fh
        fh.write(tail)
        self.packed += len(tail)
        end = fh.tell()
        fh.seek(self.out._base + self.offset)
        fh.write(self.out._header(self.name, self.flags, zipfile.ZIP_DEFLATED, self.date,
                                  self.time, self.crc, self.packed, self.size, True))
        fh.seek(end)
        self.out.entries.append(_Entry(self.name, self.flags, zipfile.ZIP_DEFLATED, self.date,
                                       self.time, self.crc, self.packed, self.size,
                                       self.offset, self.external_attr))

    def __enter__(self) -> "_EntryStream":
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self.close()


def copy_entry(src: Zip, info: zipfile.ZipInfo, out: ZipWriter) -> None:
    """Copy one entry of ``src`` into ``out`` as its stored bytes (no recompression)."""
    out.add_raw(info.filename, info.compress_type, info.CRC, info.file_size,
                info.compress_size, info.date_time, src.raw_chunks(info, 1 << 18),
                info.external_attr or 0o600 << 16)
