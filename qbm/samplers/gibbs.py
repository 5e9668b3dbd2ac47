"""Vectorised block-Gibbs sampling of any binary quadratic model.

All chains live in one ``float32`` array of shape ``(n_variables, num_reads)``.  The
variables are split into colour classes (the two layers of an RBM, or a graph
colouring), and each class is updated at once from one matrix product: dense BLAS
for dense couplings, ``scipy.sparse`` for sparse graphs.

>>> import qbm
>>> bqm = qbm.RBM(6, 4, random_state=0).to_bqm()
>>> GibbsSampler().sample(bqm, num_reads=3, num_sweeps=10, seed=0).record.sample.shape
(3, 10)
"""
from __future__ import annotations

from dataclasses import dataclass

import dimod
import numpy as np
import scipy.sparse

from ..backend import Backend, get_backend, sigmoid, to_host
from ..convert import check_finite_bqm
from ..graphs import colour_classes, symmetric_matrix
from .._numerics import FLOAT32_FIELDS
from ..sampling.boundary import check_bqm
from ..typing import RandomLike
from .._validation import check_beta, check_bool, check_count
from .._random import check_random_state

__all__ = ["GibbsSampler", "beta_schedule"]

_DENSE_FRACTION = 0.05
_THRESHOLD_SCALE = np.float32(2.0 ** 32 - 256)   # the largest float32 below 2³², so thresholds fit a uint32




def beta_schedule(num_sweeps: int, beta: float | None = None, beta_range=None,
                  beta_schedule_type: str = "geometric") -> np.ndarray:
    """Inverse temperature of each sweep, with dwave-samplers' parameter meanings.

    A fixed ``beta`` gives a constant schedule; ``beta_range=(hot, cold)`` anneals from
    ``hot`` to ``cold`` with ``"geometric"`` or ``"linear"`` spacing.

    Parameters
    ----------
    num_sweeps : int
        Length of the schedule.
    beta : float, optional
        A fixed inverse temperature (1 if neither is given).
    beta_range : pair of float, optional
        ``(hot, cold)`` ends of an anneal.
    beta_schedule_type : {"geometric", "linear"}
        Spacing of an anneal.

    Returns
    -------
    ndarray of shape (num_sweeps,)

    Examples
    --------
    >>> beta_schedule(3, beta_range=(0.1, 1.0), beta_schedule_type="linear")
    array([0.1 , 0.55, 1.  ])
    """
    num_sweeps = check_count(num_sweeps, "num_sweeps")
    if beta is not None and beta_range is not None:
        raise ValueError("give either beta (fixed temperature) or beta_range (annealing), not both")
    if beta_range is None:
        return np.full(num_sweeps, check_beta(1.0 if beta is None else beta))
    try:
        hot, cold = (check_beta(b, "beta_range") for b in beta_range)
    except TypeError as exc:
        raise TypeError("beta_range must be a pair (hot, cold) of positive numbers") from exc
    if beta_schedule_type == "geometric":
        return np.geomspace(hot, cold, num_sweeps)
    if beta_schedule_type == "linear":
        return np.linspace(hot, cold, num_sweeps)
    raise ValueError(f"beta_schedule_type must be 'geometric' or 'linear', got {beta_schedule_type!r}")


@dataclass(frozen=True)
class _ColourBlock:
    """One colour class: rows ``target`` of the state array, updated from rows ``source``."""

    target: slice
    source: slice
    couplings: object  # dense ndarray or sparse csr, shape (target rows, source rows)


@dataclass(frozen=True)
class _UpdatePlan:
    order: np.ndarray  # variable positions, grouped by colour class
    blocks: tuple[_ColourBlock, ...]
    pair_blocks: tuple[_ColourBlock, ...]  # the first blocks in float64: every coupling once (one side of a
    pair_weight: float                     # bipartite graph, weight 1) or twice (every colour, weight ½)

    @property
    def reordered(self) -> bool:
        """Whether colour order differs from the BQM's variable order (not for an RBM's two layers)."""
        return not np.array_equal(self.order, np.arange(len(self.order)))


class GibbsSampler(dimod.Sampler):
    """Block-Gibbs chains on any BQM, all chains advanced as one array.

    Samples ``exp(-β E_bqm)``: at a fixed ``beta`` (default 1, the BQM's own
    temperature: Boltzmann sampling) or annealed over ``beta_range`` as in
    :class:`dwave.samplers.SimulatedAnnealingSampler`.  An RBM's two layers are
    updated alternately by two matrix products; other graphs by colour classes.

    Parameters of :meth:`sample`: ``num_reads`` (chains), ``num_sweeps``, ``beta`` or
    ``beta_range`` + ``beta_schedule_type``, ``initial_states`` (samples-like, one row
    per chain), ``seed``, ``importance_weights``.

    An annealed chain stops short of equilibrium wherever the landscape has several
    modes: their weights freeze at the temperature where the chains stop crossing.
    ``importance_weights=True`` (with an anneal, ``beta_range``) records each chain's
    annealed-importance-sampling log-weight (Neal 2001) in the SampleSet's
    ``log_weight`` field; weighting the samples by ``exp(log_weight)`` corrects the
    freeze-out, and :class:`qbm.phases.SamplerPhase` does so whenever the field is present.
    The chains are taken to start from exact samples at the schedule's first β:
    uniformly random states (β = 0) by default, or ``initial_states`` drawn at
    ``beta_range[0]`` (e.g. hardware samples at their effective β).

    ``backend`` (:mod:`qbm.backend`, e.g. ``"torch:cuda"``) runs the chains on a device: the
    couplings dense in float32 there, uniforms drawn there, the energies in float64 there, and
    one transfer of the final states back for the SampleSet.  NumPy (the default) is the CPU path.

    Parameters
    ----------
    backend : str or qbm.backend.Backend, optional
        Where the chains compute.

    Examples
    --------
    >>> import dimod
    >>> bqm = dimod.BinaryQuadraticModel({"a": 0.5}, {("a", "b"): -1.0}, 0.0, "SPIN")
    >>> sampleset = GibbsSampler().sample(bqm, num_reads=4, num_sweeps=5, seed=1)
    >>> sampleset.vartype is dimod.SPIN, len(sampleset)
    (True, 4)
    """

    parameters = None  # per instance, as dimod's reference samplers
    properties = None

    def __init__(self, backend: str | Backend | None = None) -> None:
        self.backend = get_backend(backend)
        self.parameters = {"num_reads": [], "num_sweeps": [], "beta": [], "beta_range": [],
                           "beta_schedule_type": ["beta_schedule_options"], "initial_states": [], "seed": [],
                           "importance_weights": []}
        self.properties = {"beta_schedule_options": ("geometric", "linear")}

    def sample(self, bqm: dimod.BinaryQuadraticModel, num_reads: int | None = None,
               num_sweeps: int = 1000, beta: float | None = None, beta_range=None,
               beta_schedule_type: str = "geometric", initial_states=None,
               seed: RandomLike = None, importance_weights: bool = False, **kwargs) -> dimod.SampleSet:
        """Run ``num_reads`` chains for ``num_sweeps`` sweeps and return their last states.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The problem, BINARY or SPIN.
        num_reads : int, optional
            Chains (10, or the rows of ``initial_states``).
        num_sweeps : int
            Sweeps of every chain.
        beta : float or array-like of shape (num_reads,), optional
            A fixed inverse temperature (1 by default), or one per chain (parallel tempering's
            replicas in one call).  A β so large that β times the largest bias leaves the float32
            chains' range (1e30) is taken at the coldest they hold, where every update is already
            greedy: a zero-temperature request gives ground-state-seeking chains.
        beta_range : pair of float, optional
            ``(hot, cold)``: anneal instead.
        beta_schedule_type : {"geometric", "linear"}
            Spacing of the anneal.
        initial_states : samples-like, optional
            One row per chain, labelled like ``bqm``.
        seed : int, numpy.random.Generator or None
            The random stream.
        importance_weights : bool
            Record annealed-importance-sampling log-weights in ``log_weight``.
        **kwargs
            Unknown names are warned about and ignored.

        Returns
        -------
        dimod.SampleSet
            The last state of every chain, with energies (and ``log_weight``).

        Examples
        --------
        >>> import qbm
        >>> bqm = qbm.RBM(3, 2, random_state=0).to_bqm()
        >>> answer = GibbsSampler().sample(bqm, num_reads=4, num_sweeps=20, beta_range=(0.1, 1.0), seed=0)
        >>> answer.record.sample.shape
        (4, 5)
        """
        self.remove_unknown_kwargs(**kwargs)  # warns about each, as dimod's reference samplers do
        bqm = check_bqm(bqm)
        importance_weights = check_bool(importance_weights, "importance_weights")
        chain_betas = None
        if beta is not None and np.ndim(beta) == 1:   # one inverse temperature per chain
            chain_betas = _chain_betas(beta).astype(np.float32)
            if not np.isfinite(chain_betas).all():
                raise ValueError(f"beta must fit the float32 chains (at most {np.finfo(np.float32).max:.3g})")
            if importance_weights:
                raise ValueError("importance_weights needs an anneal (beta_range), not a beta per chain")
            if num_reads is not None and check_count(num_reads, "num_reads") != len(chain_betas):
                raise ValueError(f"beta has {len(chain_betas)} entries but num_reads is {num_reads}")
            num_reads, beta = len(chain_betas), 1.0
        betas = beta_schedule(num_sweeps, beta, beta_range, beta_schedule_type)
        if betas.max() > np.finfo(np.float32).max:
            raise ValueError(f"beta must fit the float32 chains (at most {np.finfo(np.float32).max:.3g}), "
                             f"got {betas.max():.3g}")
        if importance_weights and beta_range is None:
            raise ValueError("importance_weights needs an anneal (beta_range)")
        rng = check_random_state(seed, "seed")
        labels = list(bqm.variables)
        binary = bqm.change_vartype(dimod.BINARY, inplace=False) if bqm.vartype is dimod.SPIN else bqm
        linear, (rows, cols, values), offset = binary.to_numpy_vectors(labels)
        if not (np.isfinite(linear).all() and np.isfinite(values).all() and np.isfinite(offset)):
            check_finite_bqm(bqm)   # names the first bad bias
        largest = max(np.abs(linear).max(initial=0.0), np.abs(values).max(initial=0.0))
        if largest > FLOAT32_FIELDS:
            raise ValueError(f"the BQM's biases (largest magnitude {largest:.3g}) do not fit the float32 chains (at "
                             f"most {FLOAT32_FIELDS:.3g}): the model has diverged or needs rescaling")
        coldest = float(np.max(betas)) * (1.0 if chain_betas is None else float(chain_betas.max()))
        if largest * coldest > FLOAT32_FIELDS:   # colder than the fields hold: the updates are greedy already there
            ceiling = FLOAT32_FIELDS / largest
            if chain_betas is None:
                betas = np.minimum(betas, ceiling)
            else:
                chain_betas = np.minimum(chain_betas, np.float32(ceiling))
        plan = _build_plan(colour_classes(len(labels), rows, cols), rows, cols, values)
        given = None if initial_states is None else self._given_states(initial_states, num_reads, labels, bqm.vartype)
        reads = len(given) if given is not None else 10 if num_reads is None else check_count(num_reads, "num_reads")
        state_rows, energies, log_weight = _chains(plan, linear, offset, given, reads, betas, chain_betas,
                                                   importance_weights, rng, self.backend)
        samples = np.empty((state_rows.shape[1], len(labels)), dtype=np.int8)
        samples[:, plan.order if plan.reordered else slice(None)] = state_rows.T
        if bqm.vartype is dimod.SPIN:
            samples = 2 * samples - 1
        info = {"beta_schedule": betas}
        vectors = {} if log_weight is None else {"log_weight": log_weight}
        return dimod.SampleSet.from_samples((samples, labels), bqm.vartype, energies, info=info, **vectors)

    @staticmethod
    def _given_states(initial_states, num_reads, labels, vartype) -> np.ndarray:
        array, given_labels = dimod.as_samples(initial_states, labels_type=dimod.variables.Variables)
        if set(given_labels) != set(labels):
            raise ValueError("initial_states must have one column per BQM variable, with the same labels")
        array = array[:, [given_labels.index(v) for v in labels]]
        if num_reads is not None and check_count(num_reads, "num_reads") != len(array):
            raise ValueError(f"initial_states has {len(array)} rows but num_reads is {num_reads}")
        allowed = (-1, 1) if vartype is dimod.SPIN else (0, 1)
        if not np.all(np.isin(array, allowed)):
            raise ValueError(f"initial_states must contain only {allowed[0]} and {allowed[1]} for a {vartype.name} BQM")
        return ((array + 1) // 2 if vartype is dimod.SPIN else array).astype(np.int8)


def _chains(plan: _UpdatePlan, linear: np.ndarray, offset: float, given: np.ndarray | None, reads: int,
            betas: np.ndarray, chain_betas: np.ndarray | None, importance_weights: bool,
            rng: np.random.Generator, backend: Backend) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Every chain through the schedule, on any backend: one loop over the sweeps, its annealing weights and
    its colour blocks; the backend's draws (:class:`_NumpyDraws`, :class:`_DeviceDraws`) hold the states.

    Returns the final states (shape (n, reads), colour order), the BQM's energies of them (float64) and the
    log-weights (or None).
    """
    draws = _NumpyDraws(plan, linear, rng) if backend.is_numpy else _DeviceDraws(plan, linear, rng, backend)
    state = draws.start(given, reads)
    log_weight = draws.zeros(reads) if importance_weights else None
    # uniformly random states are exact samples at β = 0; given ones are taken as samples at the first β
    previous_beta = 0.0 if given is None else float(betas[0])
    last = len(betas) - 1
    with np.errstate(over="ignore"):  # NumPy's exp(-β·field) = inf means the unit is off, as intended
        for sweep, sweep_beta in enumerate(betas.astype(np.float32)):
            if log_weight is not None:
                log_weight -= (float(sweep_beta) - previous_beta) * draws.energies(state)
                previous_beta = float(sweep_beta)
            draws.sweep(state, sweep_beta, chain_betas, last=sweep == last)
    state, energies = draws.finish(state, offset)
    return state, energies, None if log_weight is None else to_host(log_weight)


class _NumpyDraws:
    """The chains on the CPU: float32 fields, thresholds ``2³² σ(βf)`` compared with raw 32-bit words (SFC64, the
    fastest numpy stream, two words per 64-bit draw); a bipartite graph's last half-sweep takes its fields in
    float64, and the energies follow from them exactly."""

    def __init__(self, plan: _UpdatePlan, linear: np.ndarray, rng: np.random.Generator) -> None:
        self.plan, self.linear = plan, linear
        self.words = np.random.SFC64(rng.integers(2 ** 63))
        self.biases = (-linear[plan.order]).astype(np.float32)[:, None]
        self.pairs = plan.blocks[:len(plan.pair_blocks)]   # the same couplings in the chains' float32
        self.exact_last = plan.pair_weight == 1.0
        self.final_fields = None

    @staticmethod
    def zeros(reads: int) -> np.ndarray:
        """The annealing log-weights' start."""
        return np.zeros(reads)

    def start(self, given: np.ndarray | None, reads: int) -> np.ndarray:
        """Uniformly random states (one raw bit each, straight into the chains' layout) or the given ones."""
        n = len(self.plan.order)
        if given is None:
            bits = np.unpackbits(self.words.random_raw(-(-n * reads // 64)).view(np.uint8))
            state_rows = bits[:n * reads].reshape(n, reads).astype(np.float32)
        else:
            state_rows = np.ascontiguousarray(given[:, self.plan.order].T, dtype=np.float32)
        self.thresholds = [np.empty((block.target.stop - block.target.start, state_rows.shape[1]), np.uint32)
                           for block in self.plan.blocks]
        return state_rows

    def energies(self, state_rows: np.ndarray) -> np.ndarray:
        """The chains' energies in their float32 couplings, for the annealing weights."""
        return _energies(state_rows, self.biases, self.pairs, self.plan.pair_weight)

    def sweep(self, state_rows: np.ndarray, sweep_beta: np.float32, chain_betas: np.ndarray | None,
              last: bool) -> None:
        """Every colour block once: ``x_i = 1`` with probability ``σ(β f_i)`` ⟺ ``u < 2³² σ(β f_i)``."""
        plan, biases, words = self.plan, self.biases, self.words
        exact_last = self.exact_last and last
        for block, threshold in zip(plan.blocks, self.thresholds):
            if exact_last and block is plan.blocks[-1]:
                self.final_fields = plan.pair_blocks[0].couplings.T @ state_rows[block.source]
                odds = self.final_fields.astype(np.float32)
            else:
                odds = block.couplings @ state_rows[block.source]
            odds += biases[block.target]
            odds *= -sweep_beta if chain_betas is None else -chain_betas
            np.exp(odds, out=odds)
            odds += 1.0
            np.divide(_THRESHOLD_SCALE, odds, out=odds)
            np.copyto(threshold, odds, casting="unsafe")
            np.less(_uniform_words(words, threshold.shape), threshold, out=state_rows[block.target], casting="unsafe")

    def finish(self, state_rows: np.ndarray, offset: float) -> tuple[np.ndarray, np.ndarray]:
        """The states and the BQM's energies from its own float64 biases, one matrix product (dimod's generic path
        is 50× slower)."""
        plan, linear = self.plan, self.linear
        if self.final_fields is None:
            energies = offset + _energies(state_rows, -linear[plan.order][:, None], plan.pair_blocks, plan.pair_weight)
        else:
            last = plan.blocks[-1].target
            energies = offset + linear[plan.order] @ state_rows - np.einsum("ij,ij->j", state_rows[last],
                                                                            self.final_fields)
        return state_rows, energies


class _DeviceDraws:
    """The chains on a device backend: the same sweeps in its namespace, every draw on the device from the
    caller's seed (uniforms against ``σ(βf)``), the energies in float64 there."""

    def __init__(self, plan: _UpdatePlan, linear: np.ndarray, rng: np.random.Generator, backend: Backend) -> None:
        self.plan, self.backend, self.xp, self.random = plan, backend, backend.xp, backend.random(rng)
        self.blocks = [(block.target, block.source, backend.asarray(_dense(block.couplings))) for block in plan.blocks]
        self.fields = -linear[plan.order][:, None]   # a unit's field is minus its BQM bias
        self.biases = backend.asarray(self.fields)
        self.pairs = self.blocks[:len(plan.pair_blocks)]
        self.column = None   # one β per chain, as a row on the device, once given

    def zeros(self, reads: int):
        """The annealing log-weights' start, in float64 on the device."""
        return self.backend.asarray(np.zeros(reads), dtype=self.xp.float64)

    def start(self, given: np.ndarray | None, reads: int):
        """Uniformly random states, or the given ones, on the device."""
        if given is None:
            return self.random.integers01((len(self.plan.order), reads))
        return self.backend.asarray(np.ascontiguousarray(given[:, self.plan.order].T))

    def energies(self, state):
        """The chains' energies on the device, for the annealing weights (float64)."""
        return _device_energies(self.xp, state, self.biases, self.pairs, self.plan.pair_weight)

    def sweep(self, state, sweep_beta: np.float32, chain_betas: np.ndarray | None, last: bool) -> None:
        """Every colour block once, from the device's uniforms."""
        xp, beta = self.xp, float(sweep_beta)
        if chain_betas is not None and self.column is None:
            self.column = self.backend.asarray(chain_betas[None, :])
        for target, source, couplings in self.blocks:
            field = self.backend.matmul(couplings, state[source, :]) + self.biases[target, :]
            field *= beta if self.column is None else self.column * beta
            state[target, :] = xp.astype(self.random.random(tuple(field.shape)) < sigmoid(field), xp.float32)

    def finish(self, state, offset: float) -> tuple[np.ndarray, np.ndarray]:
        """The states (host int8) and the BQM's energies from its float64 biases, on the device."""
        xp, backend = self.xp, self.backend
        exact = [(block.target, block.source, backend.asarray(_dense(block.couplings), dtype=xp.float64))
                 for block in self.plan.pair_blocks]
        energies = offset + to_host(_device_energies(xp, xp.astype(state, xp.float64),
                                                     backend.asarray(self.fields, dtype=xp.float64), exact,
                                                     self.plan.pair_weight))
        return to_host(xp.astype(state, xp.uint8), np.int8), energies


def _device_energies(xp, state, biases, pair_blocks, pair_weight: float):
    """:func:`_energies` on a device backend, in the precision of ``state`` and the couplings."""
    energy = -xp.sum(biases * state, axis=0)
    for target, source, couplings in pair_blocks:
        energy -= pair_weight * xp.sum(state[target, :] * (couplings @ state[source, :]), axis=0)
    return xp.astype(energy, xp.float64)


def _dense(couplings) -> np.ndarray:
    return couplings.toarray() if scipy.sparse.issparse(couplings) else couplings


def _chain_betas(beta) -> np.ndarray:
    """One inverse temperature per chain, each a finite positive number (checked at once)."""
    try:
        betas = np.asarray(beta, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"beta must be a positive number per chain, got {beta!r}") from exc
    bad = ~(np.isfinite(betas) & (betas > 0))
    if bad.any():
        raise ValueError(f"beta must be a finite positive number, got {float(betas[bad][0])!r}")
    return betas


def _uniform_words(words: np.random.BitGenerator, shape: tuple[int, int]) -> np.ndarray:
    """Uniform 32-bit integers, two from each raw 64-bit output (half the cost of float32 draws)."""
    size = shape[0] * shape[1]
    return words.random_raw(-(-size // 2)).view(np.uint32)[:size].reshape(shape)


def _energies(state_rows: np.ndarray, biases: np.ndarray, pair_blocks: tuple[_ColourBlock, ...],
              pair_weight: float) -> np.ndarray:
    """Energy of every chain (BINARY form, without offset): ``-b·x - w Σ_blocks x_T·(C_T x_S)``.

    ``biases`` and the blocks' couplings hold fields (``-`` the BQM's biases), in the
    precision the caller chose: float32 for annealing weights, float64 for the SampleSet.
    """
    energy = -(biases[:, 0] @ state_rows).astype(np.float64)
    for block in pair_blocks:
        energy -= pair_weight * np.einsum("ij,ij->j", state_rows[block.target], block.couplings @ state_rows[block.source],
                                          dtype=np.float64)
    return energy


def _build_plan(colours: np.ndarray, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> _UpdatePlan:
    n = len(colours)
    order = np.argsort(colours, kind="stable")
    position = np.empty(n, dtype=np.int32 if n * n < 2 ** 31 else np.int64)   # flat indices fit its type
    position[order] = np.arange(n)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(colours))])
    # a unit's field is -Σ_j q_ij x_j: couplings hold -q, symmetric, in colour order; float64, then float32 copies
    r, c = (rows, cols) if np.array_equal(order, np.arange(n)) else (position[rows], position[cols])
    if len(bounds) == 3:
        exact = _bipartite_block(r, c, values, int(bounds[1]), n)
        return _UpdatePlan(order, _float32_blocks(exact), (exact,), 1.0)
    q = -values
    couplings = symmetric_matrix(n, r, c, q)
    dense = couplings.nnz > _DENSE_FRACTION * n * n
    exact = []
    for start, stop in zip(bounds[:-1], bounds[1:]):
        block = couplings[int(start):int(stop)]
        exact.append(_ColourBlock(slice(int(start), int(stop)), slice(0, n), block.toarray() if dense else block))
    blocks = tuple(_ColourBlock(b.target, b.source, b.couplings.astype(np.float32)) for b in exact)
    return _UpdatePlan(order, blocks, tuple(exact), 0.5)


def _bipartite_block(r, c, values, split: int, n: int) -> _ColourBlock:
    """The couplings (``-values``) from side ``[split, n)`` to side ``[0, split)``, each once, in float64."""
    first, second = np.minimum(r, c), np.maximum(r, c) - split
    shape = (split, n - split)
    if len(values) > _DENSE_FRACTION * shape[0] * shape[1]:
        flat = first * shape[1] + second     # flat indices: a third of 2-D fancy indexing's time
        if len(values) == shape[0] * shape[1] and flat[0] == 0 and np.all(np.diff(flat) == 1):
            block = np.negative(values).reshape(shape)   # complete and row by row: an RBM's own order
        else:
            block = np.zeros(shape)
            block.ravel()[flat] = values
            np.negative(block, out=block)
    else:
        block = scipy.sparse.csr_array((-values, (first, second)), shape=shape)
    return _ColourBlock(slice(0, split), slice(split, n), block)


def _float32_blocks(block: _ColourBlock) -> tuple[_ColourBlock, _ColourBlock]:
    """Both update blocks of a bipartite graph, in float32: each side from the other."""
    couplings = block.couplings.astype(np.float32)
    transposed = np.ascontiguousarray(couplings.T) if isinstance(couplings, np.ndarray) else couplings.T.tocsr()
    return (_ColourBlock(block.target, block.source, couplings),
            _ColourBlock(block.source, block.target, transposed))
