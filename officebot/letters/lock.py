"""letters/.officebot-letters.lock: one run at a time drafts letters and writes the manifest
(the scheduler and a clerk's double-click may start runs together). The lock itself is the
folder's one file lock (workbook.safety.FileLock)."""

LOCK_NAME = ".officebot-letters.lock"
