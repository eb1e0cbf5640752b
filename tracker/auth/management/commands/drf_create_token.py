"""DRF's drf_create_token, saying when the token expires and never handing out a dead one."""

from rest_framework.authtoken.management.commands import drf_create_token

from tracker.auth import tokens


class Command(drf_create_token.Command):
    help = "Create (or show) a user's API token and say when it expires; -r makes a new one."

    def create_user_token(self, username, reset_token):
        user = drf_create_token.UserModel._default_manager.get_by_natural_key(username)
        self.token = tokens.rotate(user) if reset_token else tokens.usable_token(user)
        return self.token

    def handle(self, *args, **options):
        super().handle(*args, **options)  # "Generated token KEY for user NAME", as DRF's
        self.stdout.write(tokens.describe_expiry(self.token))
