r"""Boundary data of the macro finite-element engine: selectors, Dirichlet values, Neumann loads.

A *selector* names a part of the boundary, either

* a callable ``x -> mask`` evaluated on the coordinates ``x`` (shape (d, n)) of the
  boundary nodes, e.g. ``lambda x: np.isclose(x[0], 0.0)``; a boundary facet belongs to
  the selection when all of its nodes do; or
* the name of a tagged boundary of the mesh (``mesh.boundaries``, e.g. from
  ``mesh.with_defaults()``).

Dirichlet data :math:`u = \lambda\,\bar u(x)` and Neumann data
:math:`q\cdot n = \lambda\,\bar h` (conduction) or :math:`\sigma n = \lambda\,\bar t`
(mechanics) are scaled by the load factor :math:`\lambda`. The Neumann load vector
is :math:`f_{ext} = \lambda \int_{\Gamma_N} N^T \bar t\,dS`, integrated with a
:class:`skfem.FacetBasis` on the selected facets (Wriggers 2008, *Nonlinear Finite
Element Methods*, Springer, sec. 4.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import skfem

from ...core.errors import InputError

__all__ = ["BoundaryData", "boundary_data", "selector_nodes"]

_AXES = {"x": 0, "y": 1, "z": 2}


@dataclass(frozen=True)
class BoundaryData:
    """Constrained dofs, their reference values :math:`\\bar u_D` and the reference Neumann load.

    Attributes
    ----------
    dofs : ndarray of int
        Constrained dofs (sorted, unique).
    values : ndarray, shape (n_dofs,)
        Reference Dirichlet values on all dofs (zero off ``dofs``), multiplied by the load factor.
    load : ndarray, shape (n_dofs,)
        Reference external load vector (Neumann), multiplied by the load factor.
    groups : dict
        Dirichlet selector -> ndarray (n_components, n_nodes) of dofs, -1 where a
        component is not constrained by that selector (for the reactions).
    """

    dofs: np.ndarray
    values: np.ndarray
    load: np.ndarray
    groups: dict


def selector_nodes(mesh: skfem.Mesh, selector, what: str = "selector") -> np.ndarray:
    """Indices of the boundary nodes picked by a selector (callable on coordinates, or boundary name)."""
    if isinstance(selector, str):
        facets = _named_facets(mesh, selector, what)
        return np.unique(mesh.facets[:, facets])
    nodes = mesh.boundary_nodes()
    return nodes[_mask(selector, mesh.p[:, nodes], what)]


def _named_facets(mesh: skfem.Mesh, name: str, what: str) -> np.ndarray:
    named = mesh.boundaries or {}
    if name not in named:
        raise InputError(f"{what}: unknown boundary name {name!r}; the mesh has {sorted(named) or 'no named boundaries'}"
                         " (use mesh.with_boundaries(...) or a callable x -> mask)")
    return np.asarray(named[name], dtype=int)


def _mask(selector, x: np.ndarray, what: str) -> np.ndarray:
    if not callable(selector):
        raise InputError(f"{what}: expected a callable x -> bool mask or a boundary name, got {type(selector).__name__}")
    mask = np.asarray(selector(x))
    if mask.shape != (x.shape[1],) or mask.dtype != bool:
        raise InputError(f"{what}: the selector must return a boolean mask of shape ({x.shape[1]},) on the boundary "
                         f"node coordinates (shape {x.shape}), got dtype {mask.dtype} and shape {mask.shape}")
    if not mask.any():
        raise InputError(f"{what}: the selector picks no boundary node")
    return mask


def _selector_facets(mesh: skfem.Mesh, selector, what: str) -> np.ndarray:
    if isinstance(selector, str):
        return _named_facets(mesh, selector, what)
    facets = mesh.boundary_facets()
    nodes = mesh.facets[:, facets]                                 # (nodes per facet, n_boundary_facets)
    inside = np.zeros(mesh.p.shape[1], dtype=bool)
    inside[selector_nodes(mesh, selector, what)] = True
    chosen = facets[inside[nodes].all(axis=0)]
    if chosen.size == 0:
        raise InputError(f"{what}: the selector picks no whole boundary facet")
    return chosen


def _component_values(spec, n_comp: int, what: str) -> list:
    """Per-component Dirichlet specs (float, callable or None) from a float, a mapping or a sequence."""
    if callable(spec) and n_comp > 1:  # x -> (n_comp, n) values of all components
        return [lambda x, c=c: np.asarray(spec(x), dtype=float)[c] for c in range(n_comp)]
    if callable(spec) or np.isscalar(spec):
        return [spec] * n_comp
    if n_comp == 1:
        raise InputError(f"{what}: expected a float or a callable x -> values for a scalar field, got {spec!r}")
    if isinstance(spec, dict):
        out = [None] * n_comp
        for key, value in spec.items():
            index = _AXES.get(key, key) if isinstance(key, str) else key
            if not isinstance(index, (int, np.integer)) or not 0 <= index < n_comp:
                raise InputError(f"{what}: unknown component {key!r}; expected one of "
                                 f"{list(_AXES)[:n_comp]} or 0..{n_comp - 1}")
            out[int(index)] = value
        return out
    if isinstance(spec, (tuple, list)) and len(spec) == n_comp:
        return list(spec)
    raise InputError(f"{what}: expected a float, a dict {{'x': value, ...}} or a sequence of {n_comp} values "
                     f"(None = free), got {spec!r}")


def _evaluate(value, x: np.ndarray, what: str) -> np.ndarray:
    out = np.asarray(value(x) if callable(value) else value, dtype=float)
    out = np.broadcast_to(out, (x.shape[1],)) if out.ndim == 0 else out
    if out.shape != (x.shape[1],) or not np.all(np.isfinite(out)):
        raise InputError(f"{what}: expected finite values of shape ({x.shape[1]},) on the selected nodes, "
                         f"got shape {out.shape}")
    return out


def boundary_data(basis: skfem.Basis, dirichlet, neumann) -> BoundaryData:
    """Collect Dirichlet dofs/values and the Neumann load vector of a nodal (scalar or vector) basis.

    A dof named by several Dirichlet selectors takes the value of the last one.
    """
    mesh = basis.mesh
    nodal = basis.nodal_dofs                                        # (n_comp, n_nodes)
    n_comp = nodal.shape[0]
    values = np.zeros(basis.N)
    constrained = np.zeros(basis.N, dtype=bool)
    groups = {}
    for selector, spec in _items(dirichlet, "dirichlet"):
        what = f"dirichlet[{selector!r}]"
        nodes = selector_nodes(mesh, selector, what)
        dofs = np.full((n_comp, nodes.size), -1)
        for c, value in enumerate(_component_values(spec, n_comp, what)):
            if value is None:
                continue
            dofs[c] = nodal[c, nodes]
            values[dofs[c]] = _evaluate(value, mesh.p[:, nodes], what)
            constrained[dofs[c]] = True
        groups[selector] = dofs
    load = np.zeros(basis.N)
    for selector, spec in _items(neumann, "neumann"):
        what = f"neumann[{selector!r}]"
        traction = np.atleast_1d(np.asarray(spec, dtype=float))
        if traction.shape != (n_comp,) or not np.all(np.isfinite(traction)):
            raise InputError(f"{what}: expected {'a float (normal flux)' if n_comp == 1 else f'a traction of {n_comp} floats'}"
                             f", got {spec!r}")
        facet_basis = skfem.FacetBasis(mesh, basis.elem, facets=_selector_facets(mesh, selector, what),
                                       intorder=2)
        load += _unit_loads(facet_basis, n_comp) @ traction
    return BoundaryData(np.flatnonzero(constrained), values, load, groups)


def _items(mapping, name: str):
    if mapping is None:
        return []
    if not isinstance(mapping, dict):
        raise InputError(f"{name}: expected a mapping selector -> value, got {type(mapping).__name__}")
    return list(mapping.items())


def _unit_loads(facet_basis: skfem.FacetBasis, n_comp: int) -> np.ndarray:
    r"""Columns :math:`\int_{\Gamma} N_i^T e_c\,dS` of a unit flux/traction in every component c."""
    columns = []
    for c in range(n_comp):
        @skfem.LinearForm
        def unit(v, w, c=c):
            return np.asarray(v) if n_comp == 1 else np.asarray(v)[c]
        columns.append(unit.assemble(facet_basis))
    return np.stack(columns, axis=1)
