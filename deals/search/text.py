"""Text as the search index holds it, and a visitor's words as they are looked for in it."""

import unicodedata

# More words than this add little to a search and much to its SQL: the rest are ignored.
MAX_TERMS = 8


def fold(text: str) -> str:
    """Lower case without accents: "Crédit Agricole" → "credit agricole". Applied to what is indexed and to what is
    looked for alike, so the match ignores case and accents on every database."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def terms(query: str) -> list[str]:
    """The folded words of a query, each once, in order, at most MAX_TERMS."""
    found = []
    for word in fold(query).split():
        if word not in found:
            found.append(word)
    return found[:MAX_TERMS]


def joined(*parts: str) -> str:
    return "\n".join(part for part in parts if part)
