"""The editors' admin: one module per model family."""

from deals.admin import company, deal, source  # noqa: F401
