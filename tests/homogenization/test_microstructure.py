"""Voxel phase maps: volume fractions, periodicity, reproducibility, non-overlap, loading."""

import matplotlib
import matplotlib.image
import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.homogenization.microstructure import (checkerboard, laminate, load_phase_map, periodic_inclusion,
                                                       random_inclusions, volume_fractions, voronoi_polycrystal)

matplotlib.use("Agg")


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("axis", [0, 1])
def test_laminate_thickness_and_orientation(dim, axis):
    phases = laminate(20, 0.3, dim=dim, axis=axis)
    assert phases.shape == (20,) * dim
    assert volume_fractions(phases)[1] == pytest.approx(6 / 20)
    # constant along every axis but the layer normal
    for other in set(range(dim)) - {axis}:
        assert np.all(np.diff(phases, axis=other) == 0)


@pytest.mark.parametrize("dim", [2, 3])
def test_checkerboard_parity_and_halves(dim):
    phases = checkerboard(8, dim)
    assert volume_fractions(phases) == pytest.approx([0.5, 0.5])
    # shifting by half a period in any one direction swaps the phases
    for axis in range(dim):
        assert np.all(np.roll(phases, 4, axis=axis) == 1 - phases)


def test_periodic_inclusion_fraction_converges():
    """Voxelised disc/sphere of radius from f: fraction within 1 % at n = 128 (2-D) / 64 (3-D)."""
    assert volume_fractions(periodic_inclusion(128, 0.3))[1] == pytest.approx(0.3, rel=0.01)
    assert volume_fractions(periodic_inclusion(64, 0.2, dim=3))[1] == pytest.approx(0.2, rel=0.01)
    phases = periodic_inclusion(32, 0.3)
    assert np.all(phases == phases[::-1]) and np.all(phases == phases.T)  # centred, symmetric


@pytest.mark.parametrize("dim,n,f,r", [(2, 128, 0.4, 0.05), (3, 48, 0.2, 0.12)])
def test_random_inclusions_fraction_non_overlap_and_seed(dim, n, f, r):
    phases, centres = random_inclusions(n, f, r, dim=dim, seed=7, return_centres=True)
    volume = np.pi * r**2 if dim == 2 else 4 / 3 * np.pi * r**3
    assert len(centres) == round(f / volume)
    # voxel fraction within the voxelisation error of the continuum fraction (3 % here)
    assert volume_fractions(phases)[1] == pytest.approx(len(centres) * volume, rel=0.03)
    d = np.abs(centres[:, None] - centres[None])
    d = np.linalg.norm(np.minimum(d, 1 - d), axis=-1) + 2 * np.eye(len(centres))
    assert d.min() >= 2 * r  # minimum-image distance: no overlap across the periodic faces either
    assert np.array_equal(phases, random_inclusions(n, f, r, dim=dim, seed=7))
    assert not np.array_equal(phases, random_inclusions(n, f, r, dim=dim, seed=8))


def test_random_inclusions_min_gap_and_periodicity():
    phases, centres = random_inclusions(96, 0.3, 0.06, seed=3, min_gap=0.02, return_centres=True)
    d = np.abs(centres[:, None] - centres[None])
    d = np.linalg.norm(np.minimum(d, 1 - d), axis=-1) + np.eye(len(centres))
    assert d.min() >= 0.14
    # brute force, minimum image: discs cut by a face reappear on the opposite face
    x = (np.arange(96) + 0.5) / 96
    points = np.stack(np.meshgrid(x, x, indexing="ij"), -1)[:, :, None, :]
    gap = np.abs(points - centres)
    inside = (np.linalg.norm(np.minimum(gap, 1 - gap), axis=-1) <= 0.06).any(-1)
    assert np.array_equal(phases, inside.astype(int))
    assert np.any(phases[0] & phases[-1])  # some disc straddles the face x = 0


def test_random_inclusions_jamming_names_fraction_reached():
    """RSA of equal discs jams near f = 0.547 (Feder 1980): a target of 0.7 is unreachable."""
    with pytest.raises(InputError, match=r"jamming.*fraction reached 0\.\d+"):
        random_inclusions(64, 0.7, 0.1, seed=0, max_attempts=20_000)


def test_voronoi_polycrystal_ids_seed_and_periodicity():
    grains = voronoi_polycrystal(64, 12, seed=4)
    assert grains.min() == 0 and grains.max() == 11 and grains.dtype.kind == "i"
    assert np.array_equal(grains, voronoi_polycrystal(64, 12, seed=4))
    # periodic tessellation: grains touching one face continue on the opposite face
    assert np.mean(grains[0] == grains[-1]) > 0.8
    assert voronoi_polycrystal(16, 5, dim=3, seed=1).shape == (16, 16, 16)


def test_volume_fractions_counts_and_padding():
    phases = np.array([[0, 1], [1, 2]])
    assert volume_fractions(phases) == pytest.approx([0.25, 0.5, 0.25])
    assert volume_fractions(phases, n_phases=4) == pytest.approx([0.25, 0.5, 0.25, 0.0])
    with pytest.raises(InputError, match="n_phases"):
        volume_fractions(phases, n_phases=2)
    with pytest.raises(InputError, match="phases"):
        volume_fractions(np.array([[0.5, 1.0]]))


@pytest.mark.parametrize("call,match", [
    (lambda: laminate(10, 1.2), "volume_fraction"),
    (lambda: laminate(10, 0.01), "layer of 0"),
    (lambda: laminate(10, 0.5, dim=4), "dim"),
    (lambda: laminate(10, 0.5, axis=2), "axis"),
    (lambda: checkerboard(7), "even"),
    (lambda: checkerboard(1), "n"),
    (lambda: periodic_inclusion(32, 0.9), "volume_fraction"),
    (lambda: random_inclusions(8, 0.3, 0.05), "n"),
    (lambda: random_inclusions(64, 0.3, 0.6), "radius"),
    (lambda: voronoi_polycrystal(16, 0), "n_grains"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_load_phase_map_npy_and_png(tmp_path):
    phases = checkerboard(8)
    np.save(tmp_path / "map.npy", phases)
    assert np.array_equal(load_phase_map(tmp_path / "map.npy"), phases)
    grey = np.where(laminate(8, 0.5) == 1, 0.8, 0.2)
    grey[0, 0] = 0.5  # a third grey level
    matplotlib.image.imsave(tmp_path / "map.png", grey, cmap="gray", vmin=0, vmax=1)
    loaded = load_phase_map(tmp_path / "map.png")
    expected = np.where(laminate(8, 0.5) == 1, 2, 0)
    expected[0, 0] = 1
    assert np.array_equal(loaded, expected)  # distinct greys -> 0..P-1 by increasing grey
    assert np.array_equal(load_phase_map(tmp_path / "map.png", levels=2), laminate(8, 0.5) | (expected == 1))


def test_load_phase_map_errors(tmp_path):
    (tmp_path / "bad.png").write_text("not an image")
    with pytest.raises(InputError, match="cannot read"):
        load_phase_map(tmp_path / "bad.png")
    with pytest.raises(InputError, match="cannot read"):
        load_phase_map(tmp_path / "missing.npy")
    np.save(tmp_path / "float.npy", np.zeros((4, 4)))
    with pytest.raises(InputError, match="integer"):
        load_phase_map(tmp_path / "float.npy")
    np.save(tmp_path / "rect.npy", np.zeros((4, 6), dtype=int))
    with pytest.raises(InputError, match="shape"):
        load_phase_map(tmp_path / "rect.npy")
