"""The domain's words and values, no tables: kinds and statuses, money, currencies, dates, text, links."""
