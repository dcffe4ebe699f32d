"""Values written to CSV so that a spreadsheet shows them as text instead of running them."""

from decimal import Decimal

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The value as CSV text; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if type(value) is str:  # most cells: checked first, exactly, as exports write hundreds of thousands
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
