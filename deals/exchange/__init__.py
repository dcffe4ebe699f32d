"""Data in and out: the seed, CSV import and export, generated demo data."""
