"""The command line's help and usage errors: built from the registries and the French catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import accessmap.cli as cli_package
from accessmap import professions
from accessmap.cli import main
from accessmap.cli._app import LAZY_IMPORTS
from accessmap.indicators import registry as measures
from accessmap.messages import CATALOGUE
from accessmap.siting import registry as models
from accessmap.territory import PRESETS

CLI = Path(cli_package.__file__).parent
APP = CLI.parent / "app"

COMMANDS = ("territory", "fetch", "traveltimes", "indicators", "outlook", "site", "compare",
            "diagnose", "check")  # fmt: skip


def _help(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main([*args, "--help"]) == 0
    return " ".join(capsys.readouterr().out.split())


def test_help_lists_every_registered_key(capsys):
    site = _help(capsys, "site")
    for name in models.MODELS:
        assert name in site, name
    indicators = _help(capsys, "indicators")
    for name in measures.MEASURES:
        assert name in indicators, name
    for command in ("indicators", "outlook", "site"):
        text = _help(capsys, command)
        for key in professions.PROFESSIONS:
            assert key in text, (command, key)
    for command in COMMANDS:
        text = _help(capsys, command)
        if "--territory" in text:
            assert all(preset in text for preset in PRESETS), command


def test_a_new_registry_entry_appears_in_the_help(monkeypatch, capsys):
    spec = models.ModelSpec(
        "modele_factice", "modèle factice", "un modèle d'essai", models.get_model("mclp").function,
        models.get_model("mclp").parameters,
    )  # fmt: skip
    measure = measures.Measure(
        "mesure_factice", "mesure factice", "une mesure d'essai", "médecins",
        higher_is_better=True, function=measures.MEASURES["nearest"].function,
        runner=measures.MEASURES["nearest"].runner,
    )  # fmt: skip
    herbalists = professions.Profession(
        "herboriste", "Herboristes", "herboriste", "herboristes", "m", "D998", "nearest",
        "minutes jusqu'à l'herboriste la plus proche",
    )  # fmt: skip
    monkeypatch.setitem(PRESETS, "plateau-factice", PRESETS["montagne-limousine"])
    professions.register_profession(herbalists)
    try:
        with models.registered_model(spec), measures.registered_measure(measure):
            assert "modele_factice (modèle factice)" in _help(capsys, "site")
            indicators = _help(capsys, "indicators")
            assert "mesure_factice (mesure factice)" in indicators
            assert "herboriste (Herboristes)" in indicators
            assert "plateau-factice" in _help(capsys, "traveltimes")
    finally:
        professions.unregister_profession("herboriste")
    assert "herboriste" not in _help(capsys, "indicators")


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_screens_are_french(command, capsys):
    text = _help(capsys, *([command] if command else []))
    for english in ("Usage:", "Options:", "Show this message", "[default:", "Commands:",
                    "<float", "<int", "<str>", "<path>", "[required]", "[env var"):  # fmt: skip
        assert english not in text, (command, english)
    assert "Utilisation :" in text
    assert "Afficher cette aide et quitter." in text


def test_no_command_shows_the_help(capsys):
    assert main([]) == 0
    assert "Commandes :" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["site", "--bogus"], "option inconnue : --bogus (options proches"),
        (["territory", "--zzz"], "option inconnue : --zzz."),
        (["zzz"], "commande inconnue : zzz."),
        (["site", "--bogus"], "option inconnue : --bogus"),
        (["site", "--modl", "x"], "options proches : --model"),
        (["sitx"], "commande inconnue : sitx (commandes proches : site"),
        (["site", "--p", "0"], "--p : valeur invalide : elle doit être supérieure ou égale à 1"),
        (["site", "--p", "abc"], "--p : valeur invalide : ce n'est pas un nombre"),
        (["site", "--buffer-km", "500"], "inférieure ou égale à 200"),
        (["compare"], "option obligatoire manquante : --options"),
        (["territory", "extra"], "argument en trop"),
        (["site", "--p"], "l'option --p attend une valeur"),
    ],
)
def test_usage_errors_are_one_french_line(args, needle, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = " ".join(lines[0].split())
    assert line.startswith("erreur "), line
    assert needle in line, line
    assert "Correctif : voir « accessmap --help »" in line
    for english in ("Invalid value", "No such", "Missing option", "Got unexpected", "Input should"):
        assert english not in line


def _codes(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.glob("*.py"):
        found |= set(re.findall(r"[\"']((?:cli|app)\.[a-z0-9_]+)[\"']", path.read_text("utf-8")))
    return found


def test_every_message_code_of_the_cli_and_app_is_in_the_catalogue():
    codes = _codes(CLI) | _codes(APP)
    codes |= {f"cli.help_{kind}s" for kind in ("argument", "option")}
    assert len(codes) > 50
    missing = sorted(c for c in codes if c not in CATALOGUE and "{" not in c)
    assert not missing, missing


def _local_imports(path: Path) -> list[str]:
    """Package modules imported inside functions of ``path``."""
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.FunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("accessmap"):
                out.append(inner.module or "")
            elif isinstance(inner, ast.Import):
                out += [a.name for a in inner.names if a.name.startswith("accessmap")]
    return out


def test_lazy_imports_of_the_cli_are_the_listed_ones():
    listed = tuple(LAZY_IMPORTS)
    offending = {
        f"{path.name}: {module}"
        for path in CLI.glob("*.py")
        for module in _local_imports(path)
        if not (module in listed or module.startswith(tuple(f"{m}." for m in listed)))
    }
    assert not offending, sorted(offending)
    assert all(reason for reason in LAZY_IMPORTS.values())


def test_the_app_layer_imports_at_module_top():
    inside = {f"{p.name}: {m}" for p in APP.glob("*.py") for m in _local_imports(p)}
    assert not inside, sorted(inside)
