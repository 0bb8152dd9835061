"""Writing back into the workbook package: the package editor, styles, status columns, safety.

officebot never loads and re-saves the register with a spreadsheet library: it edits the zip
package, copies every part it does not own byte for byte and stream-rewrites only the register
sheet, so charts, VBA, pivot tables and everything else people put there survive.
"""

from .package import NewPart, NewSheet, Package  # noqa: F401
from .styles import StyleBook  # noqa: F401

__all__ = ["NewPart", "NewSheet", "Package", "StyleBook"]
