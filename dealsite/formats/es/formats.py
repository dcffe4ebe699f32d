# Spanish newspapers group thousands with a dot ("38.000 millones de dólares"), as the seed articles do;
# Django's default for Spanish is a non-breaking space. Every other Spanish format stays Django's.
THOUSAND_SEPARATOR = "."
