"""Control characters in text: what editors paste from word processors, kept out of the data and the feeds.

XML 1.0 (the Atom feeds) cannot carry C0 control characters other than tab, line feed and carriage return,
and a stray one (Word's soft line break is a vertical tab, \\x0b) made the feeds answer 500. Text entered
through any path (admin, API, CSV import, the ORM's save) goes through `clean_text`: line and page breaks
become line feeds, other control characters, lone surrogates and the non-characters U+FFFE and U+FFFF are
dropped. Tab, line feed and carriage return are kept (a textarea sends CRLF).
"""

import re

# Vertical tab, form feed, next line (NEL), line separator, paragraph separator.
LINE_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
# Every other C0 and C1 control character except tab, line feed and carriage return; surrogates; U+FFFE, U+FFFF.
UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """`value` with line breaks as line feeds and no other control characters."""
    return UNWANTED.sub("", LINE_BREAKS.sub("\n", value))


def has_control_characters(value: str) -> bool:
    return clean_text(value) != value
