"""The public pages, one module per family: home, companies, alliances, deals."""
