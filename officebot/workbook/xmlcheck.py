"""The XML check's child process: ``python -I -S .../xmlcheck.py`` parses its standard input
as one XML document and prints the first error (nothing when it is well-formed).
streams.XmlCheck starts it and feeds it what the writer writes, so the parsing runs on the
second core. It imports the standard library only (run by path, no package __init__s)."""

import sys
from xml.parsers import expat

BLOCK = 1 << 20


def check(src, out) -> int:
    """Parse ``src`` (binary, read in blocks) as XML; write the first error to ``out``."""
    parser = expat.ParserCreate()
    try:
        while True:
            block = src.read(BLOCK)
            parser.Parse(block, not block)
            if not block:
                return 0
    except expat.ExpatError as exc:
        out.write(str(exc) or "not well-formed")
        out.flush()
        while src.read(BLOCK):  # keep reading: the writer never meets a closed pipe
            pass
        return 0


if __name__ == "__main__":
    sys.exit(check(sys.stdin.buffer, sys.stdout))
