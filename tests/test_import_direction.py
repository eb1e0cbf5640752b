"""Imports run one way: rules ← blocks ← store ← report chain (edge → frames → tables → formats).

A module importing against the arrow makes the layers one tangle again; this reads every
module's imports (also those inside functions) and names the ones that point backwards.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def modules(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


def offenders(folder: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list:
    found = []
    for path in modules(folder):
        for name in sorted(imports_of(path)):
            if name.startswith(forbidden) and not name.startswith(allowed):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_the_rules_engine_imports_no_django_and_no_other_layer():
    assert (
        offenders("blocks/rules", ("django", "blocks.models", "blocks.services", "reports")) == []
    )


def test_blocks_reach_the_reports_only_through_the_store():
    # blocks.services.readings refreshes the store inside each write's transaction.
    assert offenders("blocks", ("reports",), allowed=("reports.store",)) == []


def test_the_store_never_imports_the_report_chain():
    chain = tuple(
        f"reports.{name}"
        for name in (
            "filters",
            "data",
            "frames",
            "freshness",
            "outcomes",
            "tables",
            "charts",
            "exports",
            "dictionary",
            "rowdoc",
            "deid",
            "views",
            "api",
            "decisions",
            "audit",
        )
    )
    assert offenders("reports/store", chain) == []


def test_tables_do_not_import_the_orm_edge_or_the_formats():
    edge_and_formats = ("reports.data", "reports.exports", "reports.charts", "reports.views")
    assert offenders("reports/tables", edge_and_formats + ("blocks.models", "django.db")) == []


def test_the_orm_edge_does_not_import_tables():
    assert [
        o
        for o in offenders("reports", ("reports.tables",))
        if o.startswith(
            ("reports/data.py", "reports/freshness.py", "reports/frames.py", "reports/filters.py")
        )
    ] == []


def test_only_the_policy_module_reads_a_users_roles():
    readers = [
        str(path.relative_to(ROOT))
        for folder in ("blocks", "reports", "tracker")
        for path in modules(folder)
        if "clinical_roles(" in path.read_text() and path.name != "policy.py"
    ]
    assert readers == []
