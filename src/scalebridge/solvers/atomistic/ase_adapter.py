"""ASE interoperability: any ASE calculator as an engine, our engines as an ASE calculator, Atoms <-> arrays.

ASE is optional (``pip install 'scalebridge[atoms]'``) and imported only here, lazily.
ASE's units (eV, Å) and stress sign ((1/V) dE/d(strain), tension positive) are ours,
so results pass through unchanged; ASE's Voigt order is xx, yy, zz, yz, xz, xy.
"""

from __future__ import annotations

import copy

import numpy as np

from ...core.errors import InputError
from ...core.optional import require
from .base import AtomisticResult
from .neighbours import check_configuration

__all__ = ["ASECalculatorEngine", "to_atoms", "from_atoms", "as_ase_calculator"]


def _ase():
    return require("ase", extra="atoms")


def to_atoms(positions, cell, pbc=True, symbols="X"):
    """An ``ase.Atoms`` from arrays (Å); ``symbols`` one symbol for all atoms or one per atom."""
    ase = _ase()
    positions, cell, pbc = check_configuration(positions, cell, pbc)
    if isinstance(symbols, str):
        symbols = [symbols] * len(positions)
    if len(symbols) != len(positions):
        raise InputError(f"symbols: got {len(symbols)} symbols for {len(positions)} atoms, expected one per atom")
    return ase.Atoms(symbols=list(symbols), positions=positions, cell=cell, pbc=pbc)


def from_atoms(atoms):
    """(positions (N, 3) Å, cell (3, 3) Å, pbc (3,)) of an ``ase.Atoms``."""
    return atoms.get_positions(), np.array(atoms.get_cell()[:]), np.array(atoms.get_pbc())


class _Slot:
    """One configuration's ASE Atoms and calculator."""

    def __init__(self, calculator):
        self.calculator, self.atoms = calculator, None


class ASECalculatorEngine:
    """An ASE calculator (EMT, LennardJones, GPAW, ...) behind the engine protocol ``compute``.

    Parameters
    ----------
    calculator : ase.calculators.calculator.Calculator
        Any calculator implementing energy and forces (stress optional: NaN if missing).
    symbols : str or sequence of str
        The chemical symbols (one for all atoms, or one per atom).
    """

    def __init__(self, calculator, symbols):
        if symbols is None:
            raise InputError("symbols: got None, expected the chemical symbol(s) for the ASE calculator, e.g. 'Cu'")
        self.calculator = calculator
        self.symbols = symbols
        self.calls = 0
        self._slot = _Slot(calculator)

    def new_neighbour_list(self):
        """A private slot (own ``Atoms`` and a copy of the calculator) for one configuration of a set,
        e.g. one NEB image, so the calculator's own neighbour list is reused between steps."""
        try:
            calc = copy.deepcopy(self.calculator)
        except Exception:  # a calculator that cannot be copied (external process): share it
            calc = self.calculator
        return _Slot(calc)

    def compute(self, positions, cell, pbc=True, neighbours=None) -> AtomisticResult:
        """Energy (eV), forces (eV/Å) and stress (3, 3) (eV/Å^3, NaN if unavailable) from the calculator.

        The ``Atoms`` object is kept between calls while the cell, pbc and atom count are
        unchanged, so the calculator sees only moved positions (and reuses its neighbour list).
        """
        _ase()
        from ase.calculators.calculator import PropertyNotImplementedError
        slot = neighbours if isinstance(neighbours, _Slot) else self._slot
        positions, cell, pbc = check_configuration(positions, cell, pbc)
        atoms = slot.atoms
        if (atoms is None or len(atoms) != len(positions) or not np.array_equal(atoms.get_pbc(), pbc)
                or not np.array_equal(atoms.get_cell()[:], cell)):
            atoms = slot.atoms = to_atoms(positions, cell, pbc, self.symbols)
            atoms.calc = slot.calculator
        else:
            atoms.set_positions(positions)
        energy = atoms.get_potential_energy()
        forces = atoms.get_forces()
        try:
            stress = atoms.get_stress(voigt=False) if np.all(atoms.pbc) else np.full((3, 3), np.nan)
        except (PropertyNotImplementedError, NotImplementedError, ValueError):
            stress = np.full((3, 3), np.nan)
        self.calls += 1
        return AtomisticResult(float(energy), np.array(forces), np.array(stress), None)

    def compute_atoms(self, atoms) -> AtomisticResult:
        return self.compute(*from_atoms(atoms))


def as_ase_calculator(engine):
    """An ASE ``Calculator`` whose energy, forces and stress come from our ``engine``.

    Lets ASE's optimisers, NEB and MD drive our potentials (and our results be compared
    with ASE's tools on the same footing).
    """
    _ase()
    from ase.calculators.calculator import Calculator, all_changes

    class ScalebridgeCalculator(Calculator):
        implemented_properties = ["energy", "free_energy", "forces", "stress", "energies"]

        def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
            super().calculate(atoms, properties, system_changes)
            res = engine.compute(*from_atoms(self.atoms))
            s = res.stress
            self.results = {"energy": res.energy, "free_energy": res.energy, "forces": res.forces,
                            "stress": np.array([s[0, 0], s[1, 1], s[2, 2], s[1, 2], s[0, 2], s[0, 1]])}
            if res.energies is not None:
                self.results["energies"] = res.energies

    return ScalebridgeCalculator()
