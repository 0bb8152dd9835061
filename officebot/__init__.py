"""officebot: judge an office's Excel complaint register, write status back, draft letters."""

__version__ = "0.1.0"

from .errors import OfficebotError  # noqa: E402
from .settings import Settings, load_settings  # noqa: E402

__all__ = ["OfficebotError", "Settings", "load_settings", "__version__"]
