"""After a load run: is every diary score the server confirmed in the database?

    python benchmarks/check_load.py confirmed.json   -> prints "lost_records=N"

`confirmed.json` (written by benchmarks/locustfile.py) lists each diary score a save
confirmed (the grid's redirect after "Diary saved") as [procedure id, minutes after the
block, score]. A score is lost when its procedure holds no standing score at that time
point with that value.
"""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from blocks.models import PainScore  # noqa: E402


def lost_records(confirmed: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    stored = set(
        PainScore.objects.filter(
            procedure_id__in={procedure for procedure, _, _ in confirmed},
            entered_in_error=False,
            source="staff",
        ).values_list("procedure_id", "minutes_after", "score")
    )
    return sorted(score for score in confirmed if score not in stored)


def main(path: str) -> int:
    confirmed = [tuple(score) for score in json.loads(Path(path).read_text())["scores"]]
    lost = lost_records(confirmed)
    print(
        f"diary scores confirmed by the server: {len(confirmed)}, "
        f"found in the database: {len(confirmed) - len(lost)}; lost: {lost or 'none'}"
    )
    print(f"lost_records={len(lost)}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
