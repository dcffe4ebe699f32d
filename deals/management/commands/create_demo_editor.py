from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

DEMO_USERNAME = "editor"
DEMO_PASSWORD = "dealsite-demo"


class Command(BaseCommand):
    help = "With DEBUG on, create a local demo editor (Editors and Publishers groups) and print its credentials."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write(
                "DEBUG is off, so no demo account is made. Create an editor with\n"
                "  python manage.py createsuperuser\n"
                "then, in /admin/, give staff users the Editors group (and Publishers to publish)."
            )
            return
        user, created = User.objects.get_or_create(username=DEMO_USERNAME, defaults={"is_staff": True})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo editor for local use: http://127.0.0.1:8000/admin/  user {DEMO_USERNAME!r}  "
                f"password {DEMO_PASSWORD!r}"
                + ("" if created else " (already existed; its password was left as it was)")
            )
        )
