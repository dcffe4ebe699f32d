"""Companies as people type them: a name, an alias or a slug, whatever the case and accents ("amazón", "AWS")."""

import unicodedata


def lookup_key(text: str) -> str:
    """The text with case, accents and runs of spaces set aside: "  Amazón  Web " → "amazon web"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(bare.casefold().split())


def called(key: str, companies) -> tuple[tuple[str, str], ...]:
    """The (slug, name) of the companies, from (slug, name, aliases) rows, that the lookup key names: those whose
    name it is; failing that, those with it as an alias; failing that, the one with it as a slug. In name order."""
    if not key:
        return ()
    by_name, by_alias, by_slug = [], [], []
    for slug, name, aliases in companies:
        if lookup_key(name) == key:
            by_name.append((slug, name))
        elif any(lookup_key(alias) == key for alias in aliases.splitlines()):
            by_alias.append((slug, name))
        elif lookup_key(slug) == key:
            by_slug.append((slug, name))
    found = by_name or by_alias or by_slug
    return tuple(sorted(found, key=lambda company: (lookup_key(company[1]), company[0])))
