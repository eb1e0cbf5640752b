"""The clinic pages' permission matrix (issue 3), read by tests/test_permission_matrix.py.

Format, as that URL-conf-generated test reads it:

    PAGES_MATRIX = {"<route as in the URL conf>": {"<METHOD>": (anonymous, clinic_staff,
                                                                physician, quality, superuser)}}

- The key is the route pattern exactly as `get_resolver()` spells it ("episodes/<int:pk>/");
  the test fills each `<int:pk>` with the id of a record named by the path segment before
  it: patients/, episodes/ or procedures/ (one of each exists in its `world` fixture).
- Each status tuple lists the answer per role in that order. Unsafe methods are sent with
  an empty form body: a role allowed to write gets past the role check and sees the form
  again with its errors (200), or a 400 for a decision; a refused role gets 403.
- Anonymous visitors are redirected to /accounts/login/ (302); "/" redirects every role to
  its home (staff /today/, physicians and superusers /worklist/, quality /reports/).
- PAGE_NAMES gives the URL name of each route, for reverse().
"""

SIGN_IN_FIRST = 302
READ = (SIGN_IN_FIRST, 200, 200, 200, 200)  # every clinical role reads
WRITE = (SIGN_IN_FIRST, 200, 200, 403, 200)  # quality writes nothing clinical
PHYSICIAN_ONLY = (SIGN_IN_FIRST, 403, 200, 403, 200)

PAGES_MATRIX = {
    "": {"GET": (302, 302, 302, 302, 302)},
    "accounts/login/": {
        "GET": (200, 200, 200, 200, 200),
        "POST": (200, 200, 200, 200, 200),  # an empty sign-in form comes back with errors
        "PUT": (200, 200, 200, 200, 200),  # Django's FormView treats PUT as POST
    },
    "accounts/logout/": {
        "GET": (405, 405, 405, 405, 405),  # signing out takes a POST (Django 5)
        "POST": (302, 302, 302, 302, 302),
    },
    "accounts/keep-alive/": {
        "GET": (405, 405, 405, 405, 405),
        "POST": (401, 204, 204, 204, 204),  # signed in: the session is kept alive
    },
    "profile/": {
        "GET": (SIGN_IN_FIRST, 405, 405, 405, 405),
        "POST": (SIGN_IN_FIRST, 302, 302, 302, 302),  # back to the page, profile unchanged
    },
    "patients/": {"GET": READ},
    "patients/new/": {"GET": WRITE, "POST": WRITE},
    "patients/<int:pk>/": {"GET": READ},
    "patients/<int:pk>/episodes/new/": {"GET": WRITE, "POST": WRITE},
    "episodes/<int:pk>/": {"GET": READ},
    # The printable summary and its PDF (blocks/sharing): whoever reads the episode page.
    "episodes/<int:pk>/summary/": {"GET": READ},
    "episodes/<int:pk>/summary.pdf": {"GET": READ},
    "episodes/<int:pk>/procedures/new/": {"GET": WRITE, "POST": WRITE},
    "episodes/<int:pk>/decisions/": {
        "GET": PHYSICIAN_ONLY,
        "POST": (SIGN_IN_FIRST, 403, 400, 403, 400),  # an empty decision is refused
    },
    "procedures/<int:pk>/pain-scores/new/": {"GET": WRITE, "POST": WRITE},
    "procedures/<int:pk>/complications/new/": {"GET": WRITE, "POST": WRITE},
    # The diary grid: an empty form is refused (400) for a role that may write.
    "procedures/<int:pk>/diary/": {"GET": WRITE, "POST": (SIGN_IN_FIRST, 400, 400, 403, 400)},
    "diaries/": {"GET": WRITE},
    "worklist/": {"GET": PHYSICIAN_ONLY},
    "rules/": {"GET": READ},
    # The diary card: GET is the card without a link; POST makes the link (the world's block is
    # long past, its diary closed: 409 with the card to print by hand). Withdrawing answers with
    # the diary grid.
    "procedures/<int:pk>/diary/card/": {"GET": WRITE, "POST": (SIGN_IN_FIRST, 409, 409, 403, 409)},
    "procedures/<int:pk>/diary/link/revoke/": {"POST": (SIGN_IN_FIRST, 302, 302, 403, 302)},
    # The patient's diary (no sign-in, the link is the key). The world's link has expired: its
    # page says so (410) to anyone. The token-free page without its cookie reloads itself
    # once (200), whoever asks; it never shows a diary without the cookie.
    "diary/<str:token>/": {"GET": (410,) * 5},
    "diary/my/<str:handle>/": {"GET": (200,) * 5, "POST": (200,) * 5},
    # One episode: on to its procedure form (302); none or several: a page or a redirect.
    "patients/<int:pk>/log-procedure/": {"GET": (SIGN_IN_FIRST, 302, 302, 403, 302)},
    "today/": {"GET": WRITE},  # staff's home (issue 11)
    # The follow-up grid of the world's procedure, a diagnostic block: 404 for a writer.
    "procedures/<int:pk>/follow-ups/": {
        "GET": (SIGN_IN_FIRST, 404, 404, 403, 404),
        "POST": (SIGN_IN_FIRST, 404, 404, 403, 404),
    },
    # The patient's follow-up page needs no account; without a link cookie it says so (404).
    "follow-up/": {"GET": (404,) * 5, "POST": (404,) * 5},
    "follow-up/<str:token>/": {"GET": (302,) * 5},  # the token moves into a cookie
    # A physician records a hard stop's override; an empty form is refused (400).
    "procedures/<int:pk>/override/": {
        "GET": PHYSICIAN_ONLY,
        "POST": (SIGN_IN_FIRST, 403, 400, 403, 400),
    },
}

PAGE_NAMES = {
    "": "home",
    "accounts/login/": "login",
    "accounts/logout/": "logout",
    "accounts/keep-alive/": "keep-alive",
    "profile/": "profile-switch",
    "patients/": "patient-list",
    "patients/new/": "patient-create",
    "patients/<int:pk>/": "patient-detail",
    "patients/<int:pk>/episodes/new/": "episode-create",
    "episodes/<int:pk>/": "episode-detail",
    "episodes/<int:pk>/summary/": "episode-summary",
    "episodes/<int:pk>/summary.pdf": "episode-summary-pdf",
    "episodes/<int:pk>/procedures/new/": "procedure-create",
    "episodes/<int:pk>/decisions/": "episode-decisions",
    "procedures/<int:pk>/pain-scores/new/": "pain-score-create",
    "procedures/<int:pk>/diary/card/": "procedure-diary-card",
    "procedures/<int:pk>/diary/link/revoke/": "procedure-diary-link-revoke",
    "diary/<str:token>/": "patient-diary",
    "diary/my/<str:handle>/": "patient-diary-page",
    "procedures/<int:pk>/complications/new/": "complication-create",
    "procedures/<int:pk>/diary/": "procedure-diary",
    "diaries/": "diary-list",
    "worklist/": "worklist",
    "rules/": "rules",
    "patients/<int:pk>/log-procedure/": "patient-log-procedure",
    "today/": "today",
    "procedures/<int:pk>/follow-ups/": "procedure-follow-ups",
    "follow-up/": "follow-up-form",
    "follow-up/<str:token>/": "follow-up-patient",
    "procedures/<int:pk>/override/": "procedure-override",
}
