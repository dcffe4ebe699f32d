from django.db import models


class ContentVersion(models.Model):
    """One row whose number grows with every change to companies, deals or their parties (`deals.content_version`).

    Views that cache what they compute from all the deals (the proxy war) key the cache on it, so every
    process sees an edit at once, whichever process saved it.
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return str(self.number)
