"""Write a .docx (zip) package fast: unchanged parts are copied already compressed.

Python's zipfile recompresses every part it writes; a letter changes two or three of a
template's ~18 parts, so the template's compressed bytes are kept and only the changed parts
are deflated again.
"""

import struct
import zipfile
import zlib
from typing import Dict, List, NamedTuple, Tuple, Union

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_FLAG = 0x800


class RawPart(NamedTuple):
    """One part as stored in the zip: name, deflated bytes, CRC, sizes, DOS date and time."""

    name: str
    data: bytes      # deflated (method 8) or stored (method 0)
    method: int
    crc: int
    size: int
    dos_date: int
    dos_time: int


def _dos(date_time: Tuple[int, int, int, int, int, int]) -> Tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    y = max(y, 1980)
    return (y - 1980) << 9 | mo << 5 | d, h << 11 | mi << 5 | s // 2


def deflate(data: bytes) -> bytes:
    """Raw deflate, as zip stores it."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def raw_part(info: zipfile.ZipInfo, data: bytes) -> RawPart:
    """A part ready to copy: the uncompressed ``data`` deflated once."""
    dos_date, dos_time = _dos(info.date_time)
    return RawPart(info.filename, deflate(data), zipfile.ZIP_DEFLATED, zlib.crc32(data),
                   len(data), dos_date, dos_time)


def replaced(part: RawPart, data: bytes) -> RawPart:
    """The same part with new uncompressed content."""
    return part._replace(data=deflate(data), crc=zlib.crc32(data), size=len(data))


def write_package(parts: List[RawPart], changes: Dict[str, Union[bytes, RawPart]]) -> bytes:
    """The zip bytes of ``parts`` in order, with the parts named in ``changes`` replaced
    (by new content, or by a part already compressed)."""
    chunks: List[bytes] = []
    central: List[bytes] = []
    offset = 0
    for part in parts:
        new = changes.get(part.name)
        if new is not None:
            part = new if isinstance(new, RawPart) else replaced(part, new)
        name = part.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_FLAG
        header = _LOCAL.pack(b"PK\x03\x04", 20, 0, flags, part.method, part.dos_time,
                             part.dos_date, part.crc, len(part.data), part.size, len(name), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, flags, part.method,
                                     part.dos_time, part.dos_date, part.crc, len(part.data),
                                     part.size, len(name), 0, 0, 0, 0, 0, offset) + name)
        chunks += (header, name, part.data)
        offset += len(header) + len(name) + len(part.data)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
