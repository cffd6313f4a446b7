"""Homogenization of heterogeneous media: from a microstructure to effective tensors.

* :mod:`.microstructure`: voxel phase maps (laminates, checkerboards, inclusions, random
  inclusions, Voronoi polycrystals, images);
* :mod:`.bounds`, :mod:`.effective_medium`: Voigt/Reuss/Hashin–Shtrikman bounds,
  Maxwell Garnett / Mori–Tanaka, self-consistent / Bruggeman;
* :mod:`.cell`: ``homogenize`` (FFT or finite-element cell problems), the RVE as a ``Model``;
* :mod:`.rve_size`: apparent properties vs window size and the RVE size;
* :mod:`.resolution`: observed order and Richardson extrapolation in the grid size, corner exponents;
* :mod:`.texture`: orientation averages of single-crystal stiffness.
"""

from .cell import CellModel, effective_tensor, homogenize, rve_model
from .rve_size import rve_size_study

__all__ = ["CellModel", "effective_tensor", "homogenize", "rve_model", "rve_size_study"]
