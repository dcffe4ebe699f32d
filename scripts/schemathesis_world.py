"""Prepare the fuzzed database: a staff account that may edit and publish, a draft deal and a company
whose updates may be fuzzed freely; print the account's token."""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from deals.models import Company, Deal, DealParty, Role  # noqa: E402

fuzzer = User.objects.create_user("schemathesis", is_staff=True)
fuzzer.groups.set(Group.objects.filter(name__in=["Editors", "Publishers"]))
draft = Deal.objects.create(title="An unannounced deal", slug="unannounced-draft", kind="partnership")
for company, role in zip(Company.objects.order_by("slug")[:2], (Role.PARTNER, Role.PARTNER), strict=True):
    DealParty.objects.create(deal=draft, company=company, role=role)
Company.objects.create(name="Fuzzed Company", slug="fuzzed-company")
print(Token.objects.create(user=fuzzer).key)
