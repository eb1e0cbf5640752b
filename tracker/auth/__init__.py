"""Who may sign in, and how: two-factor sign-in for the pages, expiring API tokens.

- two_factor.py: which users must confirm their sign-in with a one-time code, and the
  middleware that holds an unconfirmed session on the two-factor pages (django-otp).
- views.py / forms.py / urls.py: the verify and enrolment pages (TOTP + recovery codes).
- tokens.py: when an API token expires, issuing and rotating one.
- authentication.py: DRF token authentication that refuses expired keys and throttles
  failed attempts per client address; schema.py documents the 429 that throttle answers.
"""
