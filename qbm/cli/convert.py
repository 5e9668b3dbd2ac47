"""``qbm convert``: QUBO ↔ Ising between JSON and COO files (0/1 ↔ ±1 with ``s = 2x - 1``).

File formats (integer variable labels):

- JSON QUBO: ``{"Q": [[i, j, value], ...], "offset": c}`` (``i == j``: a linear term);
- JSON Ising: ``{"h": [[i, value], ...], "J": [[i, j, value], ...], "offset": c}``;
- COO text: one ``i j value`` line per term (``i == j``: linear), with dimod's
  ``# vartype=BINARY|SPIN`` header and a ``# offset=c`` line; values at full precision.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import dimod
import numpy as np

from ..convert import as_bqm, qubo_to_ising
from ..exact import distribution
from .._files import atomic_write_text, unique_keys
from .._validation import counted

EXAMPLE_QUBO = np.array([[-1.0, 2.0], [0.0, -1.0]])


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "convert", help="QUBO ↔ Ising between JSON and COO files",
        description="Convert a QUBO to an Ising model or back (the offset is kept). Input and output are "
                    "JSON ({'Q': [[i, j, v], ...], 'offset': c} or {'h': [[i, v], ...], 'J': [[i, j, v], "
                    "...], 'offset': c}) or COO text ('i j v' lines with '# vartype=...' and '# offset=...' "
                    "headers). --example prints the energies of the two-variable example instead.")
    parser.add_argument("input", nargs="?", help="a .json or .coo/.txt file")
    parser.add_argument("--to", choices=("ising", "qubo"), help="the form to write")
    parser.add_argument("--output", help="write to this .json or .coo/.txt file (default: JSON on stdout)")
    parser.add_argument("--example", action="store_true",
                        help="print every state of Q = [[-1, 2], [0, -1]] with its QUBO and Ising energy; "
                             "with --output, also write that QUBO there, to convert it")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    if args.example:
        print(example_table())
        if args.output is not None:
            output = _output_path(args.output)
            example = as_bqm(EXAMPLE_QUBO)
            atomic_write_text(output, json.dumps(to_json(example)) if output.suffix == ".json" else to_coo(example))
            print(f"qbm convert: the example QUBO written to {args.output}")
        return
    if args.input is None or args.to is None:
        raise ValueError("convert needs an INPUT file and --to ising|qubo (or --example)")
    output = None if args.output is None else _output_path(args.output)
    bqm = read_model(Path(args.input))
    converted = bqm.change_vartype(dimod.SPIN if args.to == "ising" else dimod.BINARY, inplace=False)
    if output is None:
        _check_finite_result(converted, args.input)
        print(json.dumps(to_json(converted)))
        return
    _check_finite_result(converted, args.input)
    text = json.dumps(to_json(converted)) if output.suffix == ".json" else to_coo(converted)
    atomic_write_text(output, text)
    print(f"qbm convert: {counted(converted.num_variables, 'variable')}, {counted(converted.num_interactions, 'coupling')} "
          f"written to {args.output} ({args.to})")


def _output_path(name: str) -> Path:
    output = Path(name)
    if output.suffix not in (".json", ".coo", ".txt"):
        raise ValueError(f"output file {name!r} must end in .json, .coo or .txt")
    return output


def example_table() -> str:
    """Every state of the two-variable example: bits, QUBO energy, spins, Ising energy, probability."""
    states, qubo_energies, probabilities = distribution(EXAMPLE_QUBO)
    h, J, offset = qubo_to_ising(EXAMPLE_QUBO)
    spins = 2 * states.astype(int) - 1
    ising_energies = spins @ h + np.einsum("ni,ij,nj->n", spins, J, spins) + offset
    lines = [f"Q = {EXAMPLE_QUBO.tolist()}   h = {h.tolist()}   J = {J.tolist()}   offset = {offset:g}",
             "x0 x1 | E_QUBO | s0 s1 | E_Ising | p (β = 1)"]
    for bits, e_qubo, s, e_ising, p in zip(states, qubo_energies, spins, ising_energies, probabilities):
        lines.append(f"{bits[0]:>2} {bits[1]:>2} | {e_qubo:>6g} | {s[0]:>2} {s[1]:>2} | {e_ising:>7g} | {p:.4f}")
    return "\n".join(lines)


def read_model(path: Path) -> dimod.BinaryQuadraticModel:
    """A BQM from a JSON (QUBO or Ising) or COO file."""
    if not path.is_file():
        raise FileNotFoundError(f"no input file {str(path)!r}")
    if path.suffix == ".json":
        try:
            return from_json(json.loads(path.read_text(), object_pairs_hook=unique_keys))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{str(path)!r} is not a QUBO or Ising JSON file ({exc})") from exc
    if path.suffix in (".coo", ".txt"):
        return from_coo(path.read_text(), str(path))
    raise ValueError(f"input file {str(path)!r} must end in .json, .coo or .txt")


def from_json(document: dict) -> dimod.BinaryQuadraticModel:
    if not isinstance(document, dict):
        raise ValueError(f"expected a JSON object with 'Q' or 'h'/'J' keys, got a JSON {type(document).__name__}")
    if "Q" in document and ("h" in document or "J" in document):
        raise ValueError("the file holds both a QUBO ('Q') and an Ising model ('h'/'J'); keep one")
    offset = _finite_offset(document.get("offset", 0.0))
    if "Q" in document:
        return _from_terms(document["Q"], offset, dimod.BINARY)
    if "h" in document or "J" in document:
        linear = [(i, i, value) for i, value in document.get("h", [])]
        return _from_terms(linear + list(document.get("J", [])), offset, dimod.SPIN)
    raise ValueError("expected a 'Q' key (QUBO) or 'h' / 'J' keys (Ising)")


def to_json(bqm: dimod.BinaryQuadraticModel) -> dict:
    labels = sorted(bqm.variables)
    linear, (rows, cols, values), offset = bqm.to_numpy_vectors(labels)
    label = np.asarray(labels)
    first, second = np.minimum(label[rows], label[cols]), np.maximum(label[rows], label[cols])
    couplings = [[int(i), int(j), float(v)] for i, j, v in zip(first, second, values)]
    if bqm.vartype is dimod.BINARY:
        return {"Q": [[int(i), int(i), float(b)] for i, b in zip(label, linear)] + couplings, "offset": float(offset)}
    return {"h": [[int(i), float(b)] for i, b in zip(label, linear)], "J": couplings, "offset": float(offset)}


def from_coo(text: str, name: str = "COO") -> dimod.BinaryQuadraticModel:
    vartype, offset, terms = None, 0.0, []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line.startswith("#"):
            key, _, value = line.lstrip("# ").partition("=")
            if key.strip() == "vartype":
                given = _coo_vartype(value.strip(), name, number)
                if vartype is not None and given is not vartype:
                    raise ValueError(f"{name} line {number}: a second '# vartype' header ({given.name}) contradicts "
                                     f"the first ({vartype.name})")
                vartype = given
            elif key.strip() == "offset":
                offset = _finite_offset(value)
        elif line:
            fields = line.split()
            if len(fields) != 3:
                raise ValueError(f"{name} line {number}: expected 'i j value', got {line!r}")
            terms.append((_coo_label(fields[0], name, number), _coo_label(fields[1], name, number),
                          _coo_value(fields[2], name, number)))
    if vartype is None:
        raise ValueError(f"{name} has no '# vartype=BINARY' or '# vartype=SPIN' header line")
    return _from_terms(terms, offset, vartype)


def _coo_vartype(text: str, name: str, number: int):
    try:
        return dimod.as_vartype(text)
    except (TypeError, ValueError):
        raise ValueError(f"{name} line {number}: vartype must be BINARY or SPIN, got {text!r}") from None


def _coo_label(text: str, name: str, number: int) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} line {number}: a variable label must be an integer, got {text!r}") from None


def _coo_value(text: str, name: str, number: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{name} line {number}: a bias must be a number, got {text!r}") from None


def _check_finite_result(bqm: dimod.BinaryQuadraticModel, source: str) -> None:
    """The conversion of ``source`` overflowed if any bias or the offset is no longer finite: refuse to write it."""
    linear, (_, _, values), offset = bqm.to_numpy_vectors()
    if not (np.all(np.isfinite(linear)) and np.all(np.isfinite(values)) and np.isfinite(offset)):
        raise ValueError(f"converting {source!r} overflows (a bias or the offset is beyond the float range); "
                         "rescale the model")


def _finite_offset(value) -> float:
    offset = float(value)
    if not np.isfinite(offset):
        raise ValueError(f"offset must be a finite number, got {value!r}")
    return offset


def to_coo(bqm: dimod.BinaryQuadraticModel) -> str:
    document = to_json(bqm)
    terms = document["Q"] if "Q" in document else [[i, i, b] for i, b in document["h"]] + document["J"]
    lines = [f"# vartype={bqm.vartype.name}", f"# offset={document['offset']!r}"]
    lines += [f"{i} {j} {value!r}" for i, j, value in terms]
    return "\n".join(lines) + "\n"


def _from_terms(terms, offset: float, vartype) -> dimod.BinaryQuadraticModel:
    """A BQM from ``(i, j, value)`` triples (``i == j``: linear); repeated terms add up."""
    table = np.asarray(terms, dtype=float).reshape(-1, 3)
    ends = table[:, :2]
    if not np.all(np.isfinite(table)) or np.any(ends != np.round(ends)):
        raise ValueError("variable labels must be integers and values finite numbers")
    if np.any(np.abs(ends) >= 2 ** 53):  # beyond this a float no longer holds every integer
        raise ValueError("variable labels must be integers of magnitude below 2**53")
    labels, index = np.unique(ends.astype(np.int64), return_inverse=True)
    index = index.reshape(-1, 2)
    diagonal = index[:, 0] == index[:, 1]
    linear = np.bincount(index[diagonal, 0], table[diagonal, 2], minlength=len(labels))
    rows, cols, values = index[~diagonal, 0], index[~diagonal, 1], table[~diagonal, 2]
    return dimod.BinaryQuadraticModel.from_numpy_vectors(linear, (rows, cols, values), offset, vartype,
                                                        variable_order=labels.tolist())
