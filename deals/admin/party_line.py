"""A deal's parties in one line, money's way: "Microsoft → OpenAI"; several directions "Amazon → Anthropic;
Anthropic → AWS"; partners "Nvidia ↔ OpenAI"."""

from collections import defaultdict

from deals.core.choices import PAYERS_OF, Role

# Within a side: the lead investor before the other investors.
FIRST = {Role.LEAD_INVESTOR: 0}


def party_line(parties) -> str:
    """The parties (with their companies loaded) as a line."""
    names = defaultdict(list)
    for party in sorted(parties, key=lambda party: (FIRST.get(party.role, 1), party.company.name)):
        names[party.role].append(party.company.name)
    directions = []
    for payee_role, payer_roles in PAYERS_OF.items():
        payers = [name for role in sorted(payer_roles, key=lambda role: FIRST.get(role, 1)) for name in names[role]]
        payees = names[payee_role]
        if payers or payees:
            directions.append(f"{', '.join(payers) or '…'} → {', '.join(payees) or '…'}")
    if names[Role.PARTNER]:
        directions.append(" ↔ ".join(names[Role.PARTNER]))
    return "; ".join(directions)
