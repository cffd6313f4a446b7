r"""Finite-element cell (RVE) solver on scikit-fem: periodic, affine and uniform-traction conditions.

* :mod:`.mesh`: voxel meshes (one quad/hex per voxel) and conforming inclusion meshes;
* :mod:`.constraints`: the boundary conditions as sparse matrices (periodic
  condensation, affine lift, mean-gradient constraint) and the constrained direct
  solve, reusable by a macro (FE²) solver;
* :mod:`.cell`: :func:`solve_conductivity_fe`, :func:`solve_elasticity_fe`, returning
  :class:`~scalebridge.solvers.cell.CellSolution`;
* :mod:`.macro`: :func:`solve_macro`, the macro (FE²/HMM) engine with a batched
  material callback, Newton–Raphson, line search and load-step cut-back.
"""

from .cell import BOUNDARY_CONDITIONS, solve_conductivity_fe, solve_elasticity_fe
from .constraints import (ConstrainedSolution, affine_lift, boundary_dofs, condensation_matrix,
                          dirichlet_condensation, mean_gradient_constraint, periodic_condensation,
                          periodic_node_map, solve_constrained)
from .macro import MacroSolution, MacroStep, solve_macro
from .mesh import cell_mesh, circular_inclusion_mesh, element_volumes, lagrange_element, voxel_mesh
from .nonlinear_cell import (CellDiscretisation, NonlinearCellResult, discretise_cell, initial_cell_state,
                             solve_nonlinear_cell)

__all__ = ["BOUNDARY_CONDITIONS", "solve_conductivity_fe", "solve_elasticity_fe", "ConstrainedSolution",
           "affine_lift", "boundary_dofs", "condensation_matrix", "dirichlet_condensation",
           "mean_gradient_constraint", "periodic_condensation", "periodic_node_map", "solve_constrained",
           "cell_mesh", "circular_inclusion_mesh", "element_volumes", "lagrange_element", "voxel_mesh",
           "MacroSolution", "MacroStep", "solve_macro",
           "CellDiscretisation", "NonlinearCellResult", "discretise_cell", "initial_cell_state", "solve_nonlinear_cell"]
