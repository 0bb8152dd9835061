"""Templates -> drafted letters: which case gets which letter, what it says, and the files.

``draft_letters(result, settings, folder)`` takes the judged register (a CheckResult), picks
the letters each case needs by the rules in settings [letters], fills the Word templates and
writes ``letters/YYYY-MM/<case id>_<kind>.docx`` under the working folder (YYYY-MM: the month
of the letter's date, i.e. of the as-of time). A small manifest in ``letters/`` records what
officebot wrote, so a letter is never drafted twice unless asked, and a letter edited by hand
is never overwritten.

The package, by job: ``choosing`` (which letters), ``placeholders`` and ``sentences`` (what
they say), ``files`` (manifest, fingerprints, listing), ``lock``, ``prompts`` (what a run says
to the office), ``drafting`` (the run itself). PDFs are made by ``officebot.pdf``.
"""

from ..filenames import safe_file_stem
from .choosing import choose_letters, combine_letters, conditions_met, letter_language
from .drafting import Letter, LettersResult, draft_letters, english_gaps
from .files import JOURNAL_NAME, MANIFEST_NAME, Manifest, fingerprint
from .lock import LOCK_NAME
from .placeholders import (format_amount, format_date, format_satisfaction, letter_values,
                           sender_contacts)
from .proof import load_template
from .sentences import facts_fingerprint, promised_date
from .prompts import (SENDER_KEYS, SENDER_LABELS, confirm_many, declined_sentence,
                      letter_settings, missing_sender_details, sender_missing_sentence,
                      unknown_cases)

__all__ = ["JOURNAL_NAME", "LOCK_NAME", "Letter", "LettersResult", "MANIFEST_NAME", "Manifest",
           "SENDER_KEYS", "SENDER_LABELS", "choose_letters", "combine_letters", "conditions_met",
           "confirm_many", "declined_sentence", "draft_letters", "english_gaps", "facts_fingerprint", "fingerprint", "format_amount",
           "format_date", "format_satisfaction", "letter_language", "letter_settings",
           "letter_values", "load_template", "missing_sender_details", "promised_date", "safe_file_stem", "sender_contacts",
           "sender_missing_sentence", "unknown_cases"]
