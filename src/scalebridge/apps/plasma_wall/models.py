r"""The two scales of the plasma-facing wall: a resolved near-surface conduction model and the component.

:class:`NearSurfaceConduction` (fine) solves 1-D conduction through the armour on a mesh
graded from a sub-micrometre first cell at the plasma-facing surface, so the steep
near-surface gradient of a millisecond heat pulse is resolved. The finite-volume
semi-discretisation

.. math:: C\,\dot u = -K u + q\,e_0, \qquad u = T - T_c,

(:math:`C` cell heat capacities, :math:`K` the conductance matrix with a film
coefficient :math:`h` to the coolant on the back face) is integrated *exactly* in time
through the generalised eigenproblem :math:`K v_j = \lambda_j C v_j`
(:math:`V^\mathsf{T} C V = I`): for a flux :math:`q` switched on at :math:`t = 0`,

.. math:: T_s - T_c = q\left[\sum_j V_{0j}^2\,\frac{1 - e^{-\lambda_j t}}{\lambda_j}
          + \frac{x_0}{k}\right],

with :math:`x_0` the depth of the first cell centre (the surface value is extrapolated
through the half cell). Only the spatial discretisation errs; every batch item is a
dot product, so the model is batched and cheap.

:class:`WallComponent` (coarse) is the component model: it follows the surface
temperature through the load history and asks a bridge for it, either a table of the
steady law :math:`T_s(q)` (hierarchical) or the fine model on the fly (concurrent).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from scipy.linalg import eigh_tridiagonal
from scipy.optimize import brentq

from ...core.errors import InputError
from ...core.model import Evaluation, Port, Scale
from ...laws.heat_conduction import diffusion_time

__all__ = ["graded_mesh", "NearSurfaceConduction", "WallComponent"]


def graded_mesh(thickness: float, cells: int, first_cell: float) -> np.ndarray:
    """Face positions (cells + 1,) from 0 to ``thickness``, cell widths growing geometrically from ``first_cell``."""
    if first_cell * cells >= thickness:
        return np.linspace(0.0, thickness, cells + 1)
    ratio = brentq(lambda r: first_cell * (r**cells - 1) / (r - 1) - thickness, 1 + 1e-12, 10.0)
    widths = first_cell * ratio ** np.arange(cells)
    faces = np.concatenate([[0.0], np.cumsum(widths)])
    faces[-1] = thickness
    return faces


class NearSurfaceConduction:
    r"""Resolved 1-D conduction through the armour: surface temperature rise under a flux step (fine model).

    Parameters
    ----------
    thickness : float
        Armour thickness from the plasma-facing surface to the cooled face, m.
    conductivity, density, heat_capacity : float
        W/(m K), kg/m^3, J/(kg K) (constant: linear conduction).
    heat_transfer_coefficient : float
        Film coefficient to the coolant on the back face, W/(m^2 K).
    surface_zone : float
        Depth of the near-surface zone the model is built to resolve, m: its
        characteristic length; its relaxation time is :math:`\delta^2/\alpha`.
    cells : int
        Finite-volume cells; first_cell : float, width of the surface cell, m.

    Notes
    -----
    Inputs ``heat_flux`` (W/m^2, switched on at t = 0 on a wall at the coolant
    temperature) and ``exposure_time`` (s, >= 0); output ``surface_temperature_rise``
    (K above the coolant). Tangent d(rise)/d(heat_flux) is exact (the model is linear).
    """

    card = {
        "role": "solver",
        "physics": "1-D transient heat conduction rho c dT/dt = k d2T/dx2 through the armour, flux q on the "
                   "surface, film coefficient h to the coolant; finite volumes, exact exponential time integration",
        "assumptions": ["constant material properties (linear conduction)", "1-D: heated depth << component size",
                        "flux switched on at t = 0 on a wall at the coolant temperature (superpose for histories)"],
        "references": ["Carslaw & Jaeger (1959), Conduction of Heat in Solids, secs. 2.9, 3.3"],
        "validation": [{"test": "tests/apps/test_plasma_wall.py",
                        "reference": "semi-infinite surface rise 2q sqrt(t/(pi k rho c)) and steady slab "
                                     "T_c + q(L/k + 1/h) (Carslaw & Jaeger 1959; Incropera & DeWitt sec. 3.1)",
                        "status": "passing"}],
    }

    def __init__(self, thickness: float, conductivity: float, density: float, heat_capacity: float,
                 heat_transfer_coefficient: float, surface_zone: float, cells: int = 200, first_cell: float = 1e-7,
                 name: str = "near-surface conduction"):
        values = {"thickness": thickness, "conductivity": conductivity, "density": density,
                  "heat_capacity": heat_capacity, "heat_transfer_coefficient": heat_transfer_coefficient,
                  "surface_zone": surface_zone, "first_cell": first_cell}
        for key, v in values.items():
            if not (np.isfinite(v) and v > 0):
                raise InputError(f"NearSurfaceConduction: {key} must be positive and finite, got {v!r}")
        if int(cells) < 3:
            raise InputError(f"NearSurfaceConduction: cells must be >= 3, got {cells!r}")
        self.thickness, self.conductivity = float(thickness), float(conductivity)
        self.density, self.heat_capacity = float(density), float(heat_capacity)
        self.heat_transfer_coefficient, self.surface_zone = float(heat_transfer_coefficient), float(surface_zone)
        self.diffusivity = self.conductivity / (self.density * self.heat_capacity)
        self.name = name
        self.inputs = {"heat_flux": Port("W/m^2", description="absorbed surface heat flux, on at t = 0"),
                       "exposure_time": Port("s", description="time since the flux was switched on")}
        self.outputs = {"surface_temperature_rise": Port("K", description="surface temperature above the coolant")}
        self.scale = Scale(self.surface_zone, float(diffusion_time(self.surface_zone, self.diffusivity)),
                           "near-surface zone")
        self.faces = graded_mesh(self.thickness, int(cells), float(first_cell))
        self._assemble()

    def _assemble(self) -> None:
        k, x = self.conductivity, self.faces
        widths = np.diff(x)
        centres = 0.5 * (x[1:] + x[:-1])
        n = widths.size
        g = k / np.diff(centres)                                  # conductances between cell centres
        g_back = 1.0 / ((x[-1] - centres[-1]) / k + 1.0 / self.heat_transfer_coefficient)
        diagonal = np.zeros(n)
        diagonal[:-1] += g
        diagonal[1:] += g
        diagonal[-1] += g_back
        capacity = self.density * self.heat_capacity * widths
        # symmetric scaling C^-1/2 K C^-1/2 keeps the matrix tridiagonal: V = C^-1/2 W, V^T C V = I
        root = np.sqrt(capacity)
        lam, W = eigh_tridiagonal(diagonal / capacity, -g / (root[:-1] * root[1:]))
        V0 = W[0] / root[0]
        self.eigenvalues = lam                                    # 1/s
        self.weights = V0**2                                  # surface-cell projection, K m^2 s / J
        self.surface_resistance = centres[0] / k                  # half first cell, m^2 K / W
        self.relaxation_time = 1.0 / lam[0]                       # slowest mode, s

    def unit_response(self, time: np.ndarray) -> np.ndarray:
        """Surface rise per unit flux (m^2 K/W) at ``time`` (s) after a unit flux step."""
        t = np.asarray(time, dtype=float)[..., None]
        return np.sum(self.weights * -np.expm1(-self.eigenvalues * t) / self.eigenvalues, axis=-1) \
            + self.surface_resistance

    def steady_resistance(self) -> float:
        """Steady surface rise per unit flux, m^2 K/W (:math:`L/k + 1/h` for the exact solution)."""
        return float(np.sum(self.weights / self.eigenvalues) + self.surface_resistance)

    def ramp_response(self, heat_flux: float, ramp_time: float, time: np.ndarray) -> np.ndarray:
        r"""Surface rise (K) under a flux ramped linearly from 0 to ``heat_flux`` over ``ramp_time``, for t <= ramp_time.

        Duhamel: :math:`\Delta T(t) = (q/\tau)\int_0^t R(u)\,du` with the unit step response :math:`R`.
        """
        t = np.asarray(time, dtype=float)[..., None]
        lam = self.eigenvalues
        integral = np.sum(self.weights * (t / lam + np.expm1(-lam * t) / lam**2), axis=-1)
        return heat_flux / ramp_time * (integral + self.surface_resistance * t[..., 0])

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        q = np.asarray(inputs["heat_flux"], dtype=float)
        t = np.asarray(inputs["exposure_time"], dtype=float)
        if np.any(q < 0) or np.any(t < 0):
            raise InputError(f"{self.name}: heat_flux and exposure_time must be >= 0 "
                             f"(got min {q.min(initial=0):g} W/m^2, {t.min(initial=0):g} s)")
        response = self.unit_response(t)
        return Evaluation(outputs={"surface_temperature_rise": q * response},
                          tangents={("surface_temperature_rise", "heat_flux"): response})

    def parameters(self) -> dict[str, Any]:
        return {"thickness_m": self.thickness, "cells": int(self.faces.size - 1),
                "first_cell_m": float(self.faces[1]), "diffusivity_m2_s": self.diffusivity,
                "slowest_relaxation_time_s": self.relaxation_time}


class WallComponent:
    r"""The component model: surface temperature through a load history, from a bridge (coarse model).

    Parameters
    ----------
    bridge : Model
        ``Tabulated`` steady law of ``heat_flux`` (hierarchical) or ``OnTheFly`` of
        :class:`NearSurfaceConduction` (concurrent).
    loading : object
        ``kind`` ("steady": flux ramped linearly to ``heat_flux`` over ``duration``;
        "elm": ``heat_flux`` for ``duration`` on a steady ``background_heat_flux``, then off).
    coolant_temperature : float
        K.
    scale : Scale
        Component length and the load time scale (``duration``).
    relaxed_time : float
        Exposure time (s) after which the fine model is at steady state (background load).

    Notes
    -----
    Input ``time`` (s, from the start of the load); outputs ``surface_temperature`` (K)
    and ``heat_flux`` (W/m^2). With a table the surface follows the instantaneous flux
    (quasi-steady); on the fly the pulse is superposed on the steady background
    (linear conduction): :math:`T_s = T_c + \Delta T(q_b, \infty) + \Delta T(q, t) - \Delta T(q, t - \tau)`
    (the last term for :math:`t > \tau`).
    """

    card = {
        "role": "coarse model",
        "physics": "surface temperature of the plasma-facing component through the load history",
        "assumptions": ["the bridge answers the near-surface conduction problem"],
        "references": ["Loarte et al. (2007), Nucl. Fusion 47, S203 (ELM loads on ITER PFCs)"],
    }

    def __init__(self, bridge, loading, coolant_temperature: float, scale: Scale, relaxed_time: float,
                 name: str = "component"):
        self.fine, self.children, self.loading = bridge, [bridge], loading
        self.coupling = getattr(bridge, "coupling", None)
        self.coolant_temperature, self.relaxed_time = float(coolant_temperature), float(relaxed_time)
        self.name, self.scale = name, scale
        self.inputs = {"time": Port("s", description="time since the start of the load")}
        self.outputs = {"surface_temperature": Port("K", description="plasma-facing surface temperature"),
                        "heat_flux": Port("W/m^2", description="total absorbed heat flux")}

    def heat_flux(self, time: np.ndarray) -> np.ndarray:
        """The load history q(t), W/m^2."""
        L, t = self.loading, np.asarray(time, dtype=float)
        if L.kind == "steady":
            return L.heat_flux * np.clip(t / L.duration, 0.0, 1.0)
        return L.background_heat_flux + np.where((t >= 0) & (t <= L.duration), L.heat_flux, 0.0)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        t = np.asarray(inputs["time"], dtype=float)
        q = self.heat_flux(t)
        if "exposure_time" not in self.fine.inputs:                       # a steady law T_s(q): quasi-steady
            rise = self.fine.evaluate({"heat_flux": q})["surface_temperature_rise"]
        elif self.loading.kind == "steady":
            raise InputError(f"{self.name}: a steady ramp through the fine model needs its ramp response; "
                             "use the tabulated (hierarchical) bridge")
        else:
            L = self.loading
            n = t.size
            ev = self.fine.evaluate({
                "heat_flux": np.concatenate([np.full(n, L.background_heat_flux), np.full(2 * n, L.heat_flux)]),
                "exposure_time": np.concatenate([np.full(n, self.relaxed_time), np.clip(t, 0.0, None),
                                                 np.clip(t - L.duration, 0.0, None)])})
            r = ev["surface_temperature_rise"]
            rise = r[:n] + r[n:2 * n] - r[2 * n:]             # background + pulse on - pulse off (superposition)
        return Evaluation(outputs={"surface_temperature": self.coolant_temperature + rise, "heat_flux": q})
