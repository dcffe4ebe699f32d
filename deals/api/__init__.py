"""The JSON and CSV API (Django REST Framework) over the lists, the figures and the rules."""
