"""Build the POST data of the admin's deal form, inlines and management forms included."""

DEAL_FIELDS = {
    "title": "Amazon invests in Anthropic",
    "slug": "amazon-invests-in-anthropic",
    "kind": "equity",
    "status": "announced",
    "publication": "draft",
    "summary": "",
    "announced_on": "2023-09-25",
    "announced_precision": "day",
    "amount": "4000000000",
    "currency": "USD",
    "amount_qualifier": "up_to",
    "usd_rate": "",
    "amount_usd": "",
    "amount_as_stated": "up to $4B",
    "valuation_usd": "",
    "stake_percent": "",
    "stake_qualifier": "exact",
    "capacity_gw": "",
    "capacity_qualifier": "exact",
    "duration_months": "",
    "commitment": "committed",
    "conditions": "",
    "amount_in_words": "",
    "amount_per_unit": "",
    "per_unit": "",
    "starts_on": "",
    "starts_precision": "day",
    "ends_on": "",
    "ends_precision": "day",
    "delivery_on": "",
    "delivery_precision": "day",
    "stake_after_percent": "",
    "stake_value_usd": "",
    "valuation_pre_usd": "",
    "valuation_post_usd": "",
    "quantity": "",
    "quantity_unit": "",
    "quantity_qualifier": "exact",
    "exclusivity": "none",
    "exclusivity_scope": "",
}


def _inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = "" if value is None else str(value)
    return data


def deal_form(parties=(), tranches=(), citations=(), relations=(), initial=None, options=(), **fields) -> dict:
    """POST data for the deal add/change form. `initial` maps an inline prefix to its saved row count."""
    initial = initial or {}
    data = {**DEAL_FIELDS, **{name: "" if value is None else str(value) for name, value in fields.items()}}
    data.update(_inline("parties", list(parties), initial.get("parties", 0)))
    data.update(_inline("tranches", list(tranches), initial.get("tranches", 0)))
    data.update(_inline("options", list(options), initial.get("options", 0)))
    data.update(_inline("citations", list(citations), initial.get("citations", 0)))
    data.update(_inline("relations_out", list(relations), initial.get("relations_out", 0)))
    return data


def party(company, role, amount="", qualifier="exact", commitment="committed") -> dict:
    return {
        "company": company.pk,
        "role": role,
        "amount": amount,
        "amount_qualifier": qualifier,
        "commitment": commitment,
    }


def citation(source, supports="general", quote="") -> dict:
    return {"source": source.pk, "supports": supports, "quote": quote}
