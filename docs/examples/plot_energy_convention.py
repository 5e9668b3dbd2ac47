"""
One distribution, four forms
============================

The two-variable QUBO of D-Wave's documentation, ``Q = [[-1, 2], [0, -1]]``, as a
Boltzmann machine's energy, as Ising ``(h, J)`` and as a :class:`dimod.BinaryQuadraticModel`:
every form gives the same Boltzmann distribution ``p(s) ∝ exp(-E(s))``, and every sampler
that draws from ``exp(-E_bqm)`` draws from it.
"""
import matplotlib.pyplot as plt
import neal
import numpy as np

import qbm

Q = np.array([[-1.0, 2.0], [0.0, -1.0]])
states, energies, probabilities = qbm.distribution(Q)
print("states     ", states.tolist())
print("energies   ", energies.tolist())
print("p(s)       ", np.round(probabilities, 4).tolist(), " log Z =", round(qbm.log_partition(Q), 4))

# %%
# The Ising form keeps the offset, so its energies are the QUBO's, state by state
# (spins ``σ = 2s − 1``); the Hamiltonian's diagonal is the same list in the σᶻ basis.
h, J, offset = qbm.qubo_to_ising(Q)
spins = qbm.bits_to_spins(states)
ising = spins @ h + np.einsum("ki,ij,kj->k", spins, J, spins) + offset
print("h =", h.tolist(), " J =", J.tolist(), " offset =", offset)
print("Ising energies", ising.tolist(), " diagonal", qbm.hamiltonian_diagonal(h, J, offset).tolist())

# %%
# Three samplers on the BQM: exact draws, qbm's block-Gibbs chains and neal annealed to the
# BQM's own β = 1 (``qbm.sampling.boltzmann_samples`` passes that schedule).
bqm = qbm.as_bqm(Q)
reads = 20_000
draws = {
    "ExactSampler": qbm.ExactSampler().sample(bqm, num_reads=reads, seed=0),
    "GibbsSampler": qbm.GibbsSampler().sample(bqm, num_reads=reads, num_sweeps=50, seed=0),
    "neal, β 0.05 → 1": neal.SimulatedAnnealingSampler().sample(bqm, num_reads=reads, beta_range=(0.05, 1.0),
                                                                  num_sweeps=100, seed=0),
}
codes = np.array([2, 1])   # state (s0, s1) -> its row in the table above
figure, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
width = 0.8 / (len(draws) + 1)
ax.bar(np.arange(4) - 1.5 * width, probabilities, width, label="exact p(s)", color="black")
for offset_index, (name, sampleset) in enumerate(draws.items()):
    rows, counts = qbm.states_from_sampleset(sampleset, 2)
    frequencies = np.bincount(rows.astype(int) @ codes, weights=counts, minlength=4) / counts.sum()
    print(f"{name:18s} frequencies {np.round(frequencies, 4).tolist()}")
    ax.bar(np.arange(4) + (offset_index - 0.5) * width, frequencies, width, label=name)
ax.set_xticks(range(4), [f"s = {tuple(map(int, s))}" for s in states])
ax.set_ylabel("probability")
ax.set_title(f"Q = [[-1, 2], [0, -1]]: exact distribution and {reads:,} samples each", fontsize=10)
ax.legend(fontsize=8)
