"""The rules about deals over the tables: saving and publishing, what visitors may see, the content version."""
