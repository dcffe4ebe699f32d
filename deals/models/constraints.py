"""Conditions for database check constraints that more than one model uses."""

from django.db.models import Q


def http_url_or_blank(field: str) -> Q:
    """Only http(s) links, so no path that skips validation can store a javascript: URL."""
    return Q(**{field: ""}) | Q(**{f"{field}__startswith": "http://"}) | Q(**{f"{field}__startswith": "https://"})


def non_negative(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})
