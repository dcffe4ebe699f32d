"""Enumerations of the domain, shared by models, filters, admin and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanyKind(models.TextChoices):
    AI_LAB = "ai_lab", _("AI lab")
    BIG_TECH = "big_tech", _("Big tech")
    CLOUD = "cloud", _("Cloud provider")
    CHIPMAKER = "chipmaker", _("Chipmaker")
    INVESTOR = "investor", _("Investor / fund")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure / neocloud")
    OTHER = "other", _("Other")


class DealKind(models.TextChoices):
    EQUITY = "equity", _("Equity investment")
    CONVERTIBLE_NOTE = "convertible_note", _("Convertible note")
    FUNDING_ROUND = "funding_round", _("Funding round")
    CLOUD_COMPUTE = "cloud_compute", _("Cloud / compute commitment")
    CHIP_SUPPLY = "chip_supply", _("Chip supply or purchase")
    PARTNERSHIP = "partnership", _("Strategic partnership")
    EXCLUSIVE_DISTRIBUTION = "exclusive_distribution", _("Exclusive distribution")
    ACQUISITION = "acquisition", _("Acquisition")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    RECAPITALISATION = "recapitalisation", _("Recapitalisation / restructuring")
    OTHER = "other", _("Other")


class DealStatus(models.TextChoices):
    REPORTED = "reported", _("Rumoured / reported")
    IN_TALKS = "in_talks", _("In talks")
    ANNOUNCED = "announced", _("Announced")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Talks and cancelled deals are shown but not added to money totals: that money was never committed.
STATUSES_IN_TOTALS = (DealStatus.REPORTED, DealStatus.ANNOUNCED, DealStatus.COMPLETED)


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Qualifier(models.TextChoices):
    """How exactly a figure was stated: "$4B", "up to $4B", "about $4B", "more than $4B"."""

    EXACT = "exact", _("Exact")
    UP_TO = "up_to", _("Up to")
    ABOUT = "about", _("About")
    AT_LEAST = "at_least", _("At least")


class Commitment(models.TextChoices):
    """Whether money is promised: signed and unconditional, due only if named conditions are met, or not binding."""

    COMMITTED = "committed", _("Committed")
    CONDITIONAL = "conditional", _("Conditional")
    NON_BINDING = "non_binding", _("Non-binding")


class Exclusivity(models.TextChoices):
    """Whether a party is the only, the first or a favoured supplier or partner, within the stated scope."""

    NONE = "none", _("Not exclusive")
    EXCLUSIVE = "exclusive", _("Exclusive")
    PRIMARY = "primary", _("Primary")
    PREFERRED = "preferred", _("Preferred")


class QuantityUnit(models.TextChoices):
    """What a quantity that is not money counts."""

    CHIPS = "chips", _("chips")
    GPUS = "gpus", _("GPUs")
    TPUS = "tpus", _("TPUs")
    GW = "gw", _("GW")
    MW = "mw", _("MW")
    OTHER = "other", _("units")


class OptionKind(models.TextChoices):
    WARRANT = "warrant", _("Warrant")
    OPTION = "option", _("Option")


class FlowPurpose(models.TextChoices):
    """What a flow of money pays for."""

    EQUITY = "equity", _("Equity")
    DEBT = "debt", _("Convertible note or loan")
    ACQUISITION = "acquisition", _("Acquisition")
    COMPUTE = "compute", _("Cloud and compute")
    CHIPS = "chips", _("Chips")
    LICENCE = "licence", _("Licence or distribution")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    LEAD_INVESTOR = "lead_investor", _("Lead investor")
    INVESTEE = "investee", _("Investee")
    PROVIDER = "provider", _("Provider")
    CUSTOMER = "customer", _("Customer")
    PARTNER = "partner", _("Partner")
    ACQUIRER = "acquirer", _("Acquirer")
    TARGET = "target", _("Target")


# Each receiving role and the roles that pay it: money flows from the latter to the former.
PAYERS_OF = {
    Role.INVESTEE: (Role.INVESTOR, Role.LEAD_INVESTOR),
    Role.PROVIDER: (Role.CUSTOMER,),
    Role.TARGET: (Role.ACQUIRER,),
}


RECEIVING_ROLES = set(PAYERS_OF)
PAYING_ROLES = {payer for payers in PAYERS_OF.values() for payer in payers}


def are_counterparts(role_a: str, role_b: str) -> bool:
    """Whether two parties of one deal deal with each other (co-investors in a round do not)."""
    if role_a == role_b == Role.PARTNER:
        return True
    return (role_a in PAYING_ROLES and role_b in RECEIVING_ROLES) or (
        role_b in PAYING_ROLES and role_a in RECEIVING_ROLES
    )


class RelationKind(models.TextChoices):
    EXPANDS = "expands", _("expands")
    SUPERSEDES = "supersedes", _("supersedes")
    PART_OF = "part_of", _("is part of")


class CitedField(models.TextChoices):
    """The figure of a deal that a citation supports."""

    GENERAL = "general", _("The deal as a whole")
    PARTIES = "parties", _("Parties")
    AMOUNT = "amount", _("Amount")
    TRANCHES = "tranches", _("Tranches")
    STAKE = "stake", _("Stake")
    VALUATION = "valuation", _("Valuation")
    CAPACITY = "capacity", _("Compute capacity")
    DURATION = "duration", _("Duration")
    DATE = "date", _("Announced date")
    TERM = "term", _("Start, end and delivery dates")
    STATUS = "status", _("Status")
    OPTIONS = "options", _("Warrants and options")
    QUANTITY = "quantity", _("Quantity and price per unit")
    EXCLUSIVITY = "exclusivity", _("Exclusivity")
