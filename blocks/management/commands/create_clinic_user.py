"""Create (or update) a clinic user in one role, optionally with an API token."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blocks.policy import ROLES
from tracker.auth import tokens


class Command(BaseCommand):
    help = (
        "Create a user in one clinic role (clinic_staff, physician, quality). "
        "The user signs in through a password set with `changepassword`, or the API token."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--token",
            action="store_true",
            help="Print an API token and its expiry (a new one if missing or expired).",
        )

    @transaction.atomic
    def handle(self, *args, username, role, email, token, **options):
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist:
            raise CommandError(f"Group {role!r} is missing: run `manage.py migrate`.") from None
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email}
        )
        if created:
            user.set_unusable_password()
            user.save()
        # One role per user: the role decides what the API lets them do.
        user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(pk=group.pk))
        user.groups.add(group)
        self.stdout.write(f"{'Created' if created else 'Updated'} {username} as {role}.")
        if token:
            issued = tokens.usable_token(user)
            # The key comes last, on its own line: scripts read it with `sed -n 's/^Token: //p'`.
            self.stdout.write(tokens.describe_expiry(issued))
            self.stdout.write(f"Token: {issued.key}")
