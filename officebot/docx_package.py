"""Write a .docx (zip) package fast: unchanged parts are copied already compressed.

Python's zipfile recompresses every part it writes; a letter changes two or three of a
template's ~18 parts, so the template's parts are deflated once and each letter's zip is
written by the package layer's ZipWriter, deflating only the changed parts again.
"""

import io
import zipfile
import zlib
from typing import Dict, List, NamedTuple, Tuple, Union

from .package import ZipWriter, deflate


class RawPart(NamedTuple):
    """One part as stored in the zip: name, deflated bytes, CRC, size, date and time."""

    name: str
    data: bytes      # deflated (method 8) or stored (method 0)
    method: int
    crc: int
    size: int
    date_time: Tuple[int, int, int, int, int, int]


def raw_part(info: zipfile.ZipInfo, data: bytes) -> RawPart:
    """A part ready to copy: the uncompressed ``data`` deflated once."""
    return RawPart(info.filename, deflate(data), zipfile.ZIP_DEFLATED, zlib.crc32(data),
                   len(data), info.date_time)


def replaced(part: RawPart, data: bytes) -> RawPart:
    """The same part with new uncompressed content."""
    return part._replace(data=deflate(data), crc=zlib.crc32(data), size=len(data))


def stored(part: RawPart, data: bytes) -> RawPart:
    """The same part with new content stored uncompressed (for a part of a few hundred bytes,
    where deflating costs more than it saves)."""
    return part._replace(data=data, method=zipfile.ZIP_STORED, crc=zlib.crc32(data),
                         size=len(data))


def write_package(parts: List[RawPart], changes: Dict[str, Union[bytes, RawPart]]) -> bytes:
    """The zip bytes of ``parts`` in order, with the parts named in ``changes`` replaced
    (by new content, or by a part already compressed)."""
    buf = io.BytesIO()
    with ZipWriter(buf) as out:
        for part in parts:
            new = changes.get(part.name)
            if new is not None:
                part = new if isinstance(new, RawPart) else replaced(part, new)
            out.add_raw(part.name, part.method, part.crc, part.size, len(part.data),
                        part.date_time, part.data)
    return buf.getvalue()
