"""After a load run: is every procedure the API confirmed in the database, with its scores?

    python benchmarks/check_load.py created.json   -> prints "lost_records=N"

`created.json` (written by benchmarks/locustfile.py) maps each procedure id that got a
201 to the number of diary scores that got a 201 for it. A procedure is lost when it
is missing, or holds fewer scores than were confirmed.
"""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from django.db.models import Count  # noqa: E402

from blocks.models import Procedure  # noqa: E402


def lost_records(confirmed: dict[int, int]) -> list[int]:
    stored = dict(
        Procedure.objects.filter(pk__in=confirmed)
        .annotate(scores=Count("pain_scores"))
        .values_list("pk", "scores")
    )
    return sorted(pk for pk, scores in confirmed.items() if stored.get(pk, -1) < scores)


def main(path: str) -> int:
    confirmed = {int(pk): count for pk, count in json.loads(Path(path).read_text()).items()}
    lost = lost_records(confirmed)
    scores = sum(confirmed.values())
    print(f"checked {len(confirmed)} procedures and {scores} diary scores; lost: {lost or 'none'}")
    print(f"lost_records={len(lost)}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
