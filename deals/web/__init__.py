"""The public site: views, URLs, feeds, middleware."""
