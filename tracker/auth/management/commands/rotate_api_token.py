"""Give a user a new API token: the old key stops working at once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracker.auth import tokens


class Command(BaseCommand):
    help = (
        "Replace a user's API token with a new one (the old key is refused from now on) "
        "and print the new key and when it expires."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model()._default_manager.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        token = tokens.rotate(user)
        self.stdout.write(f"New token for {username}; the old one no longer works.")
        self.stdout.write(tokens.describe_expiry(token))
        self.stdout.write(f"Token: {token.key}")
