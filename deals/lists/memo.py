"""Values that depend only on their key, kept per process: rendered markup, negotiated formats."""


class Memo:
    """Up to `size` values by key; when full, all are dropped at once (cheaper than tracking which is oldest, and
    the keys that matter come back at once)."""

    def __init__(self, size: int):
        self.size = size
        self.kept = {}

    def get(self, key, make):
        """The value kept under `key`, else make() kept there."""
        value = self.kept.get(key)
        if value is None:
            if len(self.kept) >= self.size:
                self.kept.clear()
            value = self.kept[key] = make()
        return value
