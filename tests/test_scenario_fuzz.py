"""Fuzzing the scenario loader: malformed scenarios always give one clear error and exit code 2.

Each shipped scenario is mutated at a random place by hypothesis in a way that makes it
invalid by construction: a quantity in a unit of the wrong dimension, a value of the
wrong type, a missing required section, an unknown key. ``scalebridge check`` must
answer every one with exit code 2 and one ``error:`` message naming the place, never a
traceback and never a run. 4 x 100 generated cases per run.
"""

import copy
import re

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scalebridge.apps import APPS, load_app
from scalebridge.cli import EXIT_BAD_INPUT, main
from scalebridge.core.units import ureg

SHIPPED = {f"{app}/{key}": (load_app(app), yaml.safe_load(path.read_text()))
           for app in APPS for key, path in load_app(app).SCENARIOS.items()}
QUANTITY = re.compile(r"^\s*-?[\d.]+(?:[eE][-+]?\d+)?\s+(\S.*)$")
UNITS = ["K", "Pa", "m", "s", "eV", "mol/m^3", "m^2/s", "1/s", "kg", "W/(m*K)", "m/s", "J/mol", "m^2"]
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _family(unit):
    """Dimension of a unit, with molar energies counted as energies (energies per particle accept both) and a
    bare ``A`` read as the ångström (the fracture app's atomistic fields, as in ASE)."""
    dim = ureg(re.sub(r"(?<![A-Za-z])A(?![A-Za-z])", "angstrom", unit)).dimensionality
    return ureg("J").dimensionality if dim == ureg("J/mol").dimensionality else dim


def _leaves(node, path=()):
    """(path, value) of every scalar leaf of a scenario."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, path + (i,))
    else:
        yield path, node


def _dicts(node, path=()):
    if isinstance(node, dict):
        yield path
        for k, v in node.items():
            yield from _dicts(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _dicts(v, path + (i,))


def _set(data, path, value):
    out = copy.deepcopy(data)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def _check_fails_cleanly(data, tmp_path, capsys):
    path = tmp_path / "fuzzed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    capsys.readouterr()
    code = main(["check", str(path)])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT, (code, err)
    assert err.startswith("error: ") and "Traceback" not in err, err
    return err


scenarios = st.sampled_from(sorted(SHIPPED))


@FUZZ
@given(name=scenarios, data=st.data())
def test_quantity_in_a_unit_of_the_wrong_dimension(name, data, tmp_path, capsys):
    _, raw = SHIPPED[name]
    quantities = [(p, v) for p, v in _leaves(raw) if isinstance(v, str) and QUANTITY.match(v)]
    path, value = data.draw(st.sampled_from(quantities))
    number, unit = value.split(None, 1)
    new = data.draw(st.sampled_from(UNITS))
    assume(_family(unit) != _family(new))
    _check_fails_cleanly(_set(raw, path, f"{number} {new}"), tmp_path, capsys)


@FUZZ
@given(name=scenarios, data=st.data())
def test_value_of_the_wrong_type(name, data, tmp_path, capsys):
    _, raw = SHIPPED[name]
    targets = [(p, v) for p, v in _leaves(raw)
               if (isinstance(v, (int, float)) and not isinstance(v, bool)) or (isinstance(v, str) and QUANTITY.match(v))]
    path, _ = data.draw(st.sampled_from(targets))
    # (null is left out: it is the documented "use the default" of optional keys)
    wrong = data.draw(st.sampled_from([True, [1, 2], {"a": 1}, "not a number", "1 furlong_per_fortnight_x"]))
    _check_fails_cleanly(_set(raw, path, wrong), tmp_path, capsys)


@FUZZ
@given(name=scenarios, data=st.data())
def test_missing_required_section(name, data, tmp_path, capsys):
    app, raw = SHIPPED[name]
    required = [k for k, f in app.Scenario.model_fields.items() if f.is_required() and k != "app"]
    assume(required)                                   # an app whose every section has a default has none to drop
    key = data.draw(st.sampled_from(required))
    broken = {k: v for k, v in raw.items() if k != key}
    err = _check_fails_cleanly(broken, tmp_path, capsys)
    assert key in err


@FUZZ
@given(name=scenarios, data=st.data(), key=st.from_regex(r"zz[a-z_]{1,12}", fullmatch=True))
def test_unknown_key_anywhere(name, data, key, tmp_path, capsys):
    _, raw = SHIPPED[name]
    where = data.draw(st.sampled_from(list(_dicts(raw))))
    broken = copy.deepcopy(raw)
    node = broken
    for k in where:
        node = node[k]
    node[key] = 1.0
    err = _check_fails_cleanly(broken, tmp_path, capsys)
    assert key in err


def test_the_fuzzer_reaches_every_shipped_scenario():
    assert len(SHIPPED) >= 3 and all(list(_leaves(raw)) for _, raw in SHIPPED.values())


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "app: nosuchapp\n", "app: [1]\n", ": : :\n"])
def test_not_a_scenario_at_all(text, tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    assert main(["check", str(path)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.startswith("error: ")
