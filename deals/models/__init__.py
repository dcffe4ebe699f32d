"""The Dealsite domain: companies, deals, their parties and figures, and the sources behind them."""

from deals.core.choices import (
    Commitment,
    DatePrecision,
    DealKind,
    DealStatus,
    FlowPurpose,
    Publication,
    Qualifier,
    Role,
)
from deals.models.aggregates import MonthFigures, ProxyWarBacker, ProxyWarLab
from deals.models.alliance import Alliance
from deals.models.company import Company
from deals.models.company_totals import CompanyTotals, CompanyYear
from deals.models.content_version import ContentVersion
from deals.models.cycle import Cycle, CycleLeg
from deals.models.deal import DEAL_TERM_FIELDS, Deal, DealParty, DealQuerySet, DealRelation, Tranche
from deals.models.flow import MoneyFlow
from deals.models.option import DealOption
from deals.models.search import CompanySearch, DealSearch, SourceSearch
from deals.models.source import Citation, Source

__all__ = [
    "DEAL_TERM_FIELDS",
    "Alliance",
    "Citation",
    "Commitment",
    "Company",
    "CompanySearch",
    "CompanyTotals",
    "CompanyYear",
    "ContentVersion",
    "Cycle",
    "CycleLeg",
    "DatePrecision",
    "Deal",
    "DealKind",
    "DealOption",
    "DealParty",
    "DealQuerySet",
    "DealRelation",
    "DealSearch",
    "DealStatus",
    "FlowPurpose",
    "MoneyFlow",
    "MonthFigures",
    "ProxyWarBacker",
    "ProxyWarLab",
    "Publication",
    "Qualifier",
    "Role",
    "Source",
    "SourceSearch",
    "Tranche",
]
