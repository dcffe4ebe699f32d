"""Values written to CSV so that a spreadsheet shows them as text instead of running them."""

import re
from decimal import Decimal

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start after a separator (and maybe spaces): a spreadsheet that splits the file on `;` (the usual
# separator where the decimal mark is a comma), on tabs or on lines sees a cell that starts there, e.g. `x;=1+2`.
# The start gets its apostrophe there too: `x;'=1+2`.
INNER_FORMULA = re.compile(r"([;,\t\r\n][ \t]*)([=+\-@])")


def spreadsheet_safe(value) -> str:
    """The value as CSV text; text that a spreadsheet would run as a formula, from its first character or from one
    right after a separator, gets an apostrophe before the formula."""
    if type(value) is str:  # most cells: checked first, exactly, as exports write hundreds of thousands
        return _defused(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return _defused(str(value))


def _defused(text: str) -> str:
    # Most cells hold none of the four formula characters: four scans in C (memchr) answer that before any regular
    # expression runs (a long summary: 0.16 µs instead of 1.1).
    if ("=" in text or "-" in text or "+" in text or "@" in text) and INNER_FORMULA.search(text) is not None:
        text = INNER_FORMULA.sub(r"\1'\2", text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
