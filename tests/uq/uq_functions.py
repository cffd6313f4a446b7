"""Analytic test functions of global sensitivity analysis, with their exact moments and Sobol' indices."""

import numpy as np

from scalebridge.core import FunctionModel, Port, Scale
from scalebridge.uq import Uncertain, Uniform

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(x1, x2, x3):
    """Ishigami & Homma (1990), Proc. ISUMA '90, 398: sin x1 + a sin^2 x2 + b x3^4 sin x1."""
    return {"y": np.sin(x1) + ISHIGAMI_A * np.sin(x2) ** 2 + ISHIGAMI_B * x3**4 * np.sin(x1)}


ISHIGAMI = FunctionModel(ishigami, {k: Port("") for k in ("x1", "x2", "x3")}, {"y": Port("")},
                         Scale(1.0, 1.0), "ishigami")
ISHIGAMI_INPUTS = [Uncertain(k, Uniform(-np.pi, np.pi)) for k in ("x1", "x2", "x3")]


def ishigami_exact(a=ISHIGAMI_A, b=ISHIGAMI_B):
    """Mean, variance, first-order and total indices of the Ishigami function, x_i ~ U(-pi, pi).

    Closed forms of Sobol' & Levitan (1999), Comput. Phys. Commun. 117, 52 (also Saltelli
    et al. 2008, Global Sensitivity Analysis: The Primer, sec. 4.9):
    V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V3 = 0, V13 = 8 b^2 pi^8/225,
    V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2; E[y] = a/2.
    """
    v1, v2, v13 = 0.5 * (1 + b * np.pi**4 / 5) ** 2, a**2 / 8, 8 * b**2 * np.pi**8 / 225
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    first = {"x1": v1 / v, "x2": v2 / v, "x3": 0.0}
    total = {"x1": (v1 + v13) / v, "x2": v2 / v, "x3": v13 / v}
    return a / 2, v, first, total


G_A = (0.0, 1.0, 4.5, 9.0, 99.0)
G_NAMES = [f"x{i + 1}" for i in range(len(G_A))]


def g_function(**x):
    """Sobol' G-function, Saltelli & Sobol' (1995), Reliab. Eng. Syst. Saf. 50, 225: prod (|4x-2| + a)/(1 + a)."""
    return {"y": np.prod([(np.abs(4 * x[k] - 2) + a) / (1 + a) for k, a in zip(G_NAMES, G_A)], axis=0)}


G_MODEL = FunctionModel(g_function, {k: Port("") for k in G_NAMES}, {"y": Port("")}, Scale(1.0, 1.0), "g")
G_INPUTS = [Uncertain(k, Uniform(0.0, 1.0)) for k in G_NAMES]


def g_exact():
    """First-order and total indices of the G-function, x_i ~ U(0, 1) (Saltelli & Sobol' 1995):
    V_i = 1/(3 (1 + a_i)^2), V = prod(1 + V_i) - 1, S_Ti = V_i prod_{j != i}(1 + V_j) / V."""
    vi = np.array([1 / (3 * (1 + a) ** 2) for a in G_A])
    v = np.prod(1 + vi) - 1
    total = vi * np.prod(1 + vi) / (1 + vi) / v
    return dict(zip(G_NAMES, vi / v)), dict(zip(G_NAMES, total))
