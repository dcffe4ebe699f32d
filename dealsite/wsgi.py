import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
# Web requests take milliseconds: one of 30 s is stuck, and PostgreSQL cancels it (commands keep no limit).
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "30")

application = get_wsgi_application()
