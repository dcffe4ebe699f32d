"""Derived figures, rebuilt from the published deals: money flows, alliances, totals, circular deals, charts."""
