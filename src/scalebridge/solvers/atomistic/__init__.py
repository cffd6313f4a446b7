"""Atomistic engines: potentials, neighbour lists, minimisers, NEB (plain arrays in eV and Å).

``neighbours``: Verlet lists in triclinic periodic cells (cKDTree); ``potentials``:
Lennard-Jones and Morse pair potentials with truncated / shifted / shifted-force
cut-offs; ``eam``: embedded-atom and Finnis–Sinclair (published V, Cr, Mo, W sets);
``ase_adapter``: any ASE calculator as an engine and our engines as ASE calculators
(ASE optional, ``pip install 'scalebridge[atoms]'``); ``minimise``: FIRE and L-BFGS
with masks and optional cell relaxation; ``neb``: climbing-image NEB with the
improved tangent; ``lattice``: primitive cells, supercells and fcc slabs.
An engine is any object with ``compute(positions, cell, pbc) -> AtomisticResult``.
"""

from .ase_adapter import ASECalculatorEngine, as_ase_calculator, from_atoms, to_atoms
from .base import EV, EV_PER_A2_TO_J_PER_M2, EV_PER_A3_TO_PA, AtomisticResult, Potential, as_engine, configuration
from .eam import EAM, FINNIS_SINCLAIR_1984, FinnisSinclair
from .lattice import FCC_SURFACES, Crystal, bcc, cubic_supercell, diamond, fcc, fcc_slab, hcp
from .minimise import Relaxation, fire, lbfgs, relax
from .neb import NEBResult, improved_tangents, interpolate_images, nudged_elastic_band
from .neighbours import NeighbourList, check_configuration
from .potentials import LennardJones, Morse, PairPotential

__all__ = ["ASECalculatorEngine", "as_ase_calculator", "from_atoms", "to_atoms", "EV", "EV_PER_A2_TO_J_PER_M2",
           "EV_PER_A3_TO_PA", "AtomisticResult", "Potential", "as_engine", "configuration", "EAM",
           "FINNIS_SINCLAIR_1984", "FinnisSinclair", "FCC_SURFACES", "Crystal", "bcc", "cubic_supercell", "diamond",
           "fcc", "fcc_slab", "hcp", "Relaxation", "fire", "lbfgs", "relax", "NEBResult", "improved_tangents",
           "interpolate_images", "nudged_elastic_band", "NeighbourList", "check_configuration", "LennardJones",
           "Morse", "PairPotential"]
