"""patch_test (scalebridge.core.checks): the duck-typed protocol, on a hand-made spring chain."""

import numpy as np
import pytest

from scalebridge.core.checks import CheckResult, patch_test
from scalebridge.core.errors import InputError


class SpringChain:
    """Nearest-neighbour springs k on a 1-D chain; ``ghost`` adds a spurious force k*ghost*strain on node 3."""

    def __init__(self, n=8, k=2.0, ghost=0.0):
        self.reference_positions = np.arange(n, dtype=float)[:, None]
        self.fixed_nodes = np.array([0, n - 1])
        self.k, self.ghost = k, ghost

    def forces(self, u):
        t = self.k * np.diff(u[:, 0])                 # bond tensions
        f = np.zeros(len(u))
        f[:-1] += t
        f[1:] -= t
        f[3] += self.ghost * self.k * (u[1, 0] - u[0, 0])
        return f[:, None]


def test_consistent_chain_passes_and_reports_scale():
    """A uniform strain e is an equilibrium of a spring chain (Miller & Tadmor 2009, sec. 3): no ghost force."""
    r = patch_test(SpringChain())
    assert isinstance(r, CheckResult) and r.passed
    assert r.data["force_scale"] == pytest.approx([0.02, 0.02])     # reaction k e on the held ends
    assert r.data["max_ghost_force"] < 1e-15


def test_spurious_force_is_reported_in_tension_and_compression():
    r = patch_test(SpringChain(ghost=0.5), strains=(0.01, -0.02))
    assert not r.passed
    assert r.data["ghost_force"] == pytest.approx([0.01, 0.02])
    assert r.data["node"] == [3, 3]
    assert "fails" in r.message and "SpringChain" in r.message


def test_protocol_errors():
    with pytest.raises(InputError, match="forces"):
        patch_test(object())
    chain = SpringChain()
    with pytest.raises(InputError, match="strain"):
        patch_test(chain, strains=(np.eye(2),))
    chain.fixed_nodes = np.arange(8)
    with pytest.raises(InputError, match="every node is fixed"):
        patch_test(chain)
