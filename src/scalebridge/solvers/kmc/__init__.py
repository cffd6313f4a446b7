"""Lattice kinetic Monte Carlo engine (numba, optional extra ``kmc``).

``lattice``: periodic square / hexagonal neighbour tables; ``engine``: the BKL
simulation (:class:`LatticeKMC`, :class:`SiteProcess`, :class:`PairProcess`) with
lateral interactions and checkpoints; ``sampling``: warm-up detection and block
averages; ``zgb``: the Ziff–Gulari–Barshad CO-oxidation model. numba is imported
only when a kernel first runs.
"""

from .dynamics import LatticeDynamics
from .engine import EMPTY, LatticeKMC, PairProcess, SiteProcess
from .lattice import Lattice, chain_lattice, hexagonal_lattice, square_lattice
from .sampling import (SteadyStateSample, block_average, mser_truncation, sample_steady_state,
                       sample_steady_state_events)
from .zgb import ZGB_Y1, ZGB_Y2, ZGBResult, mean_field_zgb, run_zgb

__all__ = ["EMPTY", "LatticeKMC", "LatticeDynamics", "PairProcess", "SiteProcess", "Lattice", "chain_lattice", "hexagonal_lattice",
           "square_lattice", "SteadyStateSample", "block_average", "mser_truncation", "sample_steady_state",
           "sample_steady_state_events", "ZGB_Y1", "ZGB_Y2", "ZGBResult", "mean_field_zgb", "run_zgb"]
