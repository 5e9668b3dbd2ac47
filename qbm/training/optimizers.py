"""Optimisers: each turns one parameter's gradient into the direction of its step, and keeps its own state.

>>> import numpy as np
>>> adam = make_optimizer("adam")
>>> adam.direction("weights", np.array([2.0]), step=1)   # Adam's first step is the gradient's sign
array([1.])
"""
from __future__ import annotations

import numpy as np

from ..backend import like, namespace, to_host
from .._validation import check_unit_fraction

__all__ = ["Optimizer", "SGD", "Adam", "OPTIMIZER_NAMES", "make_optimizer"]


class Optimizer:
    """Base class: plain gradient ascent, no state.

    ``direction(name, grad, step)`` may return ``grad`` itself (the caller then scales it in
    place); ``state_dict`` / ``load_state_dict`` carry the moments through a checkpoint.

    Examples
    --------
    >>> import numpy as np
    >>> grad = np.array([0.5])
    >>> Optimizer().direction("weights", grad, step=1) is grad
    True
    """

    def direction(self, name: str, grad: np.ndarray, step: int) -> np.ndarray:
        """The direction of parameter ``name``'s step at training step ``step``.

        Parameters
        ----------
        name : str
            The parameter.
        grad : ndarray
            Its gradient (a fresh array the optimiser may return or change).
        step : int
            The training step, counted from 1.

        Returns
        -------
        ndarray

        Examples
        --------
        See the class.
        """
        return grad

    def state_dict(self) -> dict[str, np.ndarray]:
        """The moment arrays by name (none here)."""
        return {}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Restore what :meth:`state_dict` returned."""

    def _moment(self, moments: dict, key: str, grad):
        """The moment ``key``, zeros at first, on ``grad``'s backend (a restored one is moved there once)."""
        value = moments.get(key)
        if value is None or type(value) is not type(grad):
            value = namespace(grad).zeros_like(grad) if value is None else like(value, grad)
            moments[key] = value
        return value


class SGD(Optimizer):
    """Stochastic gradient ascent with optional momentum.

    Parameters
    ----------
    momentum : float
        In [0, 1); 0 is plain SGD.

    Examples
    --------
    >>> import numpy as np
    >>> sgd = SGD(momentum=0.5)
    >>> [sgd.direction("w", np.array([1.0]), step).item() for step in (1, 2)]
    [1.0, 1.5]
    """

    def __init__(self, momentum: float = 0.0) -> None:
        self.momentum = check_unit_fraction(momentum, "momentum")
        self._moments: dict[str, np.ndarray] = {}

    def direction(self, name: str, grad: np.ndarray, step: int) -> np.ndarray:
        """``grad`` itself without momentum; the running sum ``m ← momentum · m + grad`` with it."""
        if not self.momentum:
            return grad
        first = self._moment(self._moments, name, grad)
        first *= self.momentum
        first += grad
        return first

    def state_dict(self) -> dict[str, np.ndarray]:
        """The momentum of every parameter seen so far."""
        return {f"m_{name}": np.array(to_host(value)) for name, value in self._moments.items()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Restore what :meth:`state_dict` returned."""
        self._moments = {name[2:]: np.array(value, dtype=np.float64) for name, value in state.items()
                         if name.startswith("m_")}

    def __repr__(self) -> str:
        return f"SGD(momentum={self.momentum:g})"


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with the usual moments (0.9, 0.999) and ε = 1e-8.

    Examples
    --------
    >>> import numpy as np
    >>> Adam().direction("w", np.array([-3.0]), step=1).round(6)
    array([-1.])
    """

    betas = (0.9, 0.999)
    epsilon = 1e-8

    def __init__(self) -> None:
        self._moments: dict[str, np.ndarray] = {}

    def direction(self, name: str, grad: np.ndarray, step: int) -> np.ndarray:
        """The bias-corrected first moment over the root of the bias-corrected second."""
        first = self._moment(self._moments, f"m_{name}", grad)
        second = self._moment(self._moments, f"v_{name}", grad)
        beta1, beta2 = self.betas
        first *= beta1
        first += (1 - beta1) * grad
        second *= beta2
        second += (1 - beta2) * grad * grad
        corrected_first = first / (1 - beta1 ** step)
        corrected_second = second / (1 - beta2 ** step)
        return corrected_first / (namespace(grad).sqrt(corrected_second) + self.epsilon)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Both moments of every parameter seen so far."""
        return {name: np.array(to_host(value)) for name, value in self._moments.items()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Restore what :meth:`state_dict` returned."""
        self._moments = {name: np.array(value, dtype=np.float64) for name, value in state.items()}

    def __repr__(self) -> str:
        return "Adam()"


OPTIMIZER_NAMES = ("sgd", "adam")


def make_optimizer(name: str, momentum: float = 0.0) -> Optimizer:
    """The optimiser called ``name``.

    Parameters
    ----------
    name : {"sgd", "adam"}
        Which optimiser.
    momentum : float
        SGD's momentum (Adam keeps its own moments: a non-zero value is an error).

    Returns
    -------
    Optimizer

    Examples
    --------
    >>> make_optimizer("sgd", momentum=0.9)
    SGD(momentum=0.9)
    """
    if name == "sgd":
        return SGD(momentum)
    if name == "adam":
        if momentum:
            raise ValueError("momentum is an SGD setting; Adam keeps its own moments")
        return Adam()
    raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZER_NAMES)}, got {name!r}")
