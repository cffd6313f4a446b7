"""RVE-size study on random discs: boundary-condition ordering, gap closing, statistics."""

import numpy as np
import pytest

from scalebridge.core import InputError
from scalebridge.homogenization.bounds import hashin_shtrikman_conductivity
from scalebridge.homogenization.microstructure import random_inclusions, volume_fractions
from scalebridge.homogenization.rve_size import rve_size_study

K = np.array([1.0, 10.0])
F = 0.3


def discs(size, rng):
    """Window of `size` disc diameters, 10 voxels per diameter, discs at 30 %."""
    return random_inclusions(int(round(10 * size)), F, 0.5 / size, dim=2, seed=int(rng.integers(2**31)))


@pytest.fixture(scope="module")
def study():
    return rve_size_study(discs, K, sizes=[2.0, 4.0, 8.0, 16.0], tolerance=0.06, realisations=(3, 8), seed=4)


def test_bounding_conditions_order_every_window(study):
    """Huet (1990): traction <= periodic <= affine for each realisation."""
    for w in study.windows:
        assert np.all(w["traction"].values <= w["periodic"].values + 1e-12)
        assert np.all(w["periodic"].values <= w["affine"].values + 1e-12)


def test_gap_closes_with_window_size_and_rve_is_found(study):
    gaps = [study.gap(i) for i in range(len(study.windows))]
    assert all(b < a for a, b in zip(gaps, gaps[1:]))
    assert study.converged and study.rve_size == 16.0
    last = study.windows[-1]
    assert last["periodic"].relative_error <= 0.06 and study.gap(len(study.windows) - 1) <= 0.06
    assert study.variance_exponent is not None and study.variance_exponent > 0


def test_periodic_means_lie_inside_hashin_shtrikman(study):
    """Hashin & Shtrikman (1962), 2-D form, at the nominal fraction (tolerance: voxelised fraction)."""
    lo, hi = hashin_shtrikman_conductivity(np.array([1 - F, F]), K, dim=2)
    for w in study.windows:
        assert lo * 0.97 <= w["periodic"].mean <= hi * 1.03


def test_study_is_reproducible_and_validates_input():
    a = rve_size_study(discs, K, sizes=[2.0, 3.0], tolerance=0.5, realisations=(2, 2), seed=1)
    b = rve_size_study(discs, K, sizes=[2.0, 3.0], tolerance=0.5, realisations=(2, 2), seed=1)
    np.testing.assert_array_equal(a.windows[0]["periodic"].values, b.windows[0]["periodic"].values)
    with pytest.raises(InputError, match="sizes"):
        rve_size_study(discs, K, sizes=[2.0, 1.0])
    with pytest.raises(InputError, match="realisations"):
        rve_size_study(discs, K, sizes=[1.0], realisations=(1, 5))
