"""Training: the loop (:mod:`~qbm.training.trainer`), its optimisers, schedules, checkpoints, history and progress.

>>> import qbm
>>> history = train(qbm.RBM(4, 2, random_state=0), [[1, 0, 1, 0]], qbm.CD(), epochs=2, progress=False)
>>> len(history.epochs)
2
"""
from .history import History
from .optimizers import OPTIMIZER_NAMES, Adam, Optimizer, SGD, make_optimizer
from .schedules import SCHEDULE_NAMES, schedule_factor
from .trainer import Trainer, train

__all__ = ["History", "Trainer", "train", "Optimizer", "SGD", "Adam", "OPTIMIZER_NAMES", "make_optimizer",
           "SCHEDULE_NAMES", "schedule_factor"]
