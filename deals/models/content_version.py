from django.db import models


class ContentVersion(models.Model):
    """One row whose number changes with every change to companies, deals, parties, citations or sources, and
    with each rebuild of the circular deals (`deals.rules.content_version`).

    What is cached from the content (the proxy war, list totals: deals.lists.counts) is keyed on it, so every
    process sees an edit at once, whichever process saved it.
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return str(self.number)
