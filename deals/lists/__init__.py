"""The public lists' filters and counts, declared once for the pages and the API."""
