"""The staff groups and exactly the permissions each needs."""

CONTENT_MODELS = ["company", "deal", "source"]
INLINE_MODELS = ["dealparty", "tranche", "dealoption", "citation", "dealrelation"]

GROUP_PERMISSIONS = {
    # Add, change and view content; edit a deal's inline rows; never delete whole records or manage users.
    "Editors": [f"{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "view")]
    + [f"{action}_{model}" for model in INLINE_MODELS for action in ("add", "change", "view", "delete")],
    "Publishers": ["publish_deal", "delete_deal"],
}


def ensure_groups(group_model, permission_model) -> None:
    """Create or update the groups; takes the models so a data migration can pass its historical ones."""
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set(permission_model.objects.filter(content_type__app_label="deals", codename__in=codenames))
