"""The layers, enforced over the import graph (read with ast: nothing is imported, nothing new installed).

The rules, as they hold today:
1. `services/` and `models/` never import streamlit, nor the UI (`pages`, `app`, `asgi`, `web_routes`); `models/`
   never imports `services/` either.
2. The pure modules (the scoring core, the Thai helpers, geography, the questionnaire's parsing and the small
   helpers they stand on: safe_text, text_limits, errors; and the 2564 reference data) import only the standard
   library and each other. Two named exceptions: the questionnaire declares its answers' shape with pydantic
   (validation only, no I/O, no database), and the scoring core does its bulk arithmetic with NumPy (arrays only).
3. Pages (`pages/`, `app.py`, and the web routes `web_routes.py`, `asgi.py`) reach the database only through
   services. From sqlmodel/sqlalchemy a page may import
   only the handles it passes on to services (`sqlmodel.Session`, `sqlalchemy.engine.Engine`, for type hints) and
   the `sqlalchemy.exc` errors that the one guard in pages/_ui.py turns into messages; never a query builder
   (`select`, `col`, `func`, `text`, ...) or the top-level modules. A page never calls `session.exec/add/commit/...`
   itself. From `models` a page imports only the enums (the domain codes: Role, Phase, ...), never a table class:
   a row reaches a page as a service's read model.

4. `services/` holds only packages, one per aggregate, each `__init__.py` a one-line docstring and nothing else.

Imports inside functions count; `if TYPE_CHECKING:` blocks count too (none exist today, and a type-only import of a
forbidden module is still a dependency a reader has to follow). `tests/` and `bench/` are not checked.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

UI = ("streamlit", "pages", "app", "asgi", "web_routes")
UI_ENTRY = ("app", "asgi", "web_routes")  # the UI's own top-level modules: held to the pages' rule
PURE = frozenset(
    {
        "services.results.scoring",
        "services.results.fsums",
        "services.thai.dates",
        "services.thai.collation",
        "services.thai.geo",
        "services.intake.questionnaire",
        "services.platform.safe_text",
        "services.platform.text_limits",
        "services.platform.errors",
        "services.contest.reference_2564",
        "services.judging.sheet_rules",
        # The labels of every code, one module per aggregate: data any layer may read, so they import nothing.
        "services.platform.phrases",
        "services.contest.phrases",
        "services.intake.phrases",
        "services.judging.phrases",
        "services.pitching.phrases",
        "services.results.phrases",
    }
)
PURE_THIRD_PARTY = {
    "services.intake.questionnaire": frozenset({"pydantic"}),
    # Arithmetic on arrays, no I/O: the ranking's exactly rounded sums (services/results/fsums.py).
    "services.results.scoring": frozenset({"numpy"}),
    "services.results.fsums": frozenset({"numpy"}),
}
DB_PACKAGES = ("sqlmodel", "sqlalchemy")
PAGE_DB_ALLOWED = {"sqlmodel": frozenset({"Session"}), "sqlalchemy.engine": frozenset({"Engine"})}
PAGE_DB_ERRORS = "sqlalchemy.exc"
SESSION_WORK = frozenset(
    {
        "exec",
        "execute",
        "add",
        "add_all",
        "commit",
        "flush",
        "delete",
        "merge",
        "query",
        "get",
        "scalar",
        "scalars",
        "refresh",
        "rollback",
    }
)


@dataclass(frozen=True)
class Import:
    line: int
    module: str  # the module imported from, absolute: "sqlmodel", "services.thai"
    names: tuple[str, ...]  # the names taken from it (`from m import a, b`); () for `import m`


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _imports(tree: ast.AST, module: str) -> Iterator[Import]:
    package = module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield Import(node.lineno, base, tuple(a.name for a in node.names))


def _is_package(module: str) -> bool:
    return (ROOT.joinpath(*module.split(".")) / "__init__.py").is_file() or module == "pages"


def _targets(imp: Import) -> list[str]:
    """The modules an import depends on: `from services.thai import dates` depends on services.thai.dates."""
    if imp.names and _is_package(imp.module):
        return [f"{imp.module}.{name}" for name in imp.names]
    return [imp.module]


def model_enums() -> frozenset[str]:
    """The enum classes declared in models/ (read from the source): the codes a page may import."""
    enums: set[str] = set()
    for path in (ROOT / "models").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                (isinstance(b, ast.Name) and b.id.endswith("Enum"))
                or (isinstance(b, ast.Attribute) and b.attr.endswith("Enum"))
                for b in node.bases
            ):
                enums.add(node.name)
    return frozenset(enums)


def violations(module: str, source: str, enums: frozenset[str] = frozenset()) -> list[str]:
    """Every layer rule the module `module` (dotted name, e.g. "services.results.scoring") breaks, one line each."""
    tree = ast.parse(source)
    found: list[str] = []
    imports = list(_imports(tree, module))
    top = module.split(".")[0]

    if top in ("services", "models"):
        for imp in imports:
            for target in _targets(imp):
                if any(_under(target, ui) for ui in UI):
                    found.append(f"{module}:{imp.line} imports {target} (the UI) — services and models never do")
                if top == "models" and _under(target, "services"):
                    found.append(f"{module}:{imp.line} imports {target} — models never import services")

    if module in PURE:
        allowed = PURE_THIRD_PARTY.get(module, frozenset())
        for imp in imports:
            for target in _targets(imp):
                root = target.split(".")[0]
                if root in sys.stdlib_module_names or root == "__future__" or target in PURE or root in allowed:
                    continue
                found.append(
                    f"{module}:{imp.line} imports {target} — a pure module imports only the standard "
                    "library and the other pure modules"
                )

    if top == "pages" or module in UI_ENTRY:
        for imp in imports:
            if any(_under(imp.module, db) for db in DB_PACKAGES):
                if imp.module == PAGE_DB_ERRORS and imp.names:
                    continue
                allowed_names = PAGE_DB_ALLOWED.get(imp.module, frozenset())
                bad = [f"{imp.module}.{n}" for n in imp.names if n not in allowed_names] if imp.names else [imp.module]
                if bad:
                    found.append(
                        f"{module}:{imp.line} imports {', '.join(bad)} — pages reach the database only through services"
                    )
            elif imp.module == "models" or _under(imp.module, "models"):
                tables = [n for n in imp.names if n not in enums] or ([] if imp.names else [imp.module])
                if tables:
                    found.append(
                        f"{module}:{imp.line} imports {', '.join(tables)} from models — a page takes the "
                        "domain codes (enums) only; rows come as services' read models"
                    )
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SESSION_WORK
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "session"
            ):
                found.append(
                    f"{module}:{node.lineno} calls session.{node.func.attr}() — a page never queries or "
                    "commits; a service does"
                )
    return found


def _project_modules() -> Iterator[tuple[str, Path]]:
    for package in ("services", "models", "pages"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            yield ".".join(parts), path
    for name in UI_ENTRY:
        yield name, ROOT / f"{name}.py"


def test_the_project_keeps_its_layers() -> None:
    enums = model_enums()
    found = [
        v for module, path in _project_modules() for v in violations(module, path.read_text(encoding="utf-8"), enums)
    ]
    assert found == []


def test_every_pure_module_exists() -> None:
    # A pure module renamed or moved must be renamed here too, or the rule would silently check nothing.
    assert {m for m, _ in _project_modules()} >= PURE


def test_services_has_only_packages_each_with_a_one_line_docstring() -> None:
    # The aggregate is where a newcomer looks first, so no module sits loose at the top of services/, and each
    # package says in one line what it holds; an __init__ holds nothing else (no re-exports: a call site names the
    # module it uses, and there is one path to each function).
    services = ROOT / "services"
    assert sorted(p.name for p in services.glob("*.py")) == ["__init__.py"]
    packages = sorted(p for p in services.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert {p.name for p in packages} >= {"contest", "intake", "judging", "pitching", "platform", "results", "thai"}
    for package in packages:
        init = package / "__init__.py"
        assert init.is_file(), f"{package.name}/ has no __init__.py"
        body = ast.parse(init.read_text(encoding="utf-8")).body
        doc = ast.get_docstring(ast.Module(body=body[:1], type_ignores=[])) if body else None
        assert doc is not None and "\n" not in doc.strip(), f"{package.name}/__init__.py: one-line docstring"
        assert len(body) == 1, f"{package.name}/__init__.py holds only its docstring"


def test_the_page_rule_knows_the_codes_pages_use() -> None:
    assert {"Role", "Phase", "SubmissionStatus"} <= model_enums()
    assert "Submission" not in model_enums()


# The checker itself can fail: each rule fed a module that breaks it.


def test_a_service_importing_streamlit_is_caught() -> None:
    assert violations("services.fake", "import streamlit as st\n") != []
    assert violations("services.fake", "def f():\n    from streamlit import session_state\n") != []
    assert violations("services.fake", "from pages import _ui\n") != []
    assert violations("models.fake", "from services import db\n") != []


def test_a_pure_module_importing_the_database_or_a_service_is_caught() -> None:
    assert violations("services.results.scoring", "from sqlmodel import Session\n") != []
    assert violations("services.thai.dates", "from services.platform import db\n") != []
    assert violations("services.thai.dates", "from services.platform.db import get_engine\n") != []
    assert violations("services.thai.geo", "import pydantic\n") != []  # pydantic is the questionnaire's exception only
    assert violations("services.thai.geo", "from services.thai.collation import thai_sorted\nimport re\n") == []
    assert violations("services.thai.geo", "from services.thai import collation\n") == []
    assert violations("services.intake.questionnaire", "from pydantic import BaseModel\n") == []


def test_a_page_building_a_query_is_caught() -> None:
    assert violations("pages.fake", "from sqlmodel import Session, select\n") != []
    assert violations("pages.fake", "import sqlalchemy as sa\n") != []
    assert violations("pages.fake", "def f(session):\n    session.commit()\n") != []
    assert violations("pages.fake", "from sqlmodel import Session\nfrom sqlalchemy.exc import OperationalError\n") == []
    assert violations("web_routes", "from sqlmodel import Session, select\n") != []
    assert violations("web_routes", "def f(session):\n    session.exec(q)\n") != []


def test_a_page_importing_a_table_class_is_caught() -> None:
    enums = frozenset({"Role"})
    assert violations("pages.fake", "from models import Role, Submission\n", enums) != []
    assert violations("pages.fake", "import models\n", enums) != []
    assert violations("pages.fake", "from models import Role\n", enums) == []
