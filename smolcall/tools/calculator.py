"""The `calculate` tool: arithmetic on a parsed syntax tree, never `eval`.

Only numbers, + - * / // % **, unary signs, parentheses and a fixed set of math functions and
constants get through; anything else (names, attributes, strings, subscripts, lambdas) is refused
before any evaluation happens.
"""

import ast
import math
import operator
from collections.abc import Callable
from typing import Annotated

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from typing_extensions import TypedDict  # pydantic can nest only these below Python 3.12

MAX_EXPRESSION_CHARS = 500
# Integers are exact and unbounded in Python, so a tiny expression like 9**9**9 could run for
# minutes; cap the size of any integer the evaluation may create. Below Python's 4300-digit limit
# on int-to-str conversion, so every result can still be written out as JSON.
MAX_RESULT_DIGITS = 4_000
MAX_FACTORIAL = 1_000

Number = int | float


def _check_int_size(value: Number) -> Number:
    if isinstance(value, int) and value.bit_length() > MAX_RESULT_DIGITS * math.log2(10):
        raise ToolError(f"result has more than {MAX_RESULT_DIGITS} digits; use smaller numbers or floats like 2.0**500")
    return value


def _power(base: Number, exponent: Number) -> Number:
    # Refuse before computing: the estimate costs nothing, the power could cost minutes.
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        digits = exponent * math.log10(abs(base))
        if digits > MAX_RESULT_DIGITS:
            raise ToolError(
                f"the power would have about {digits:.3g} digits, above the limit of {MAX_RESULT_DIGITS}; "
                "use a float base (e.g. 2.0**500) or a smaller exponent"
            )
    result = base**exponent
    if isinstance(result, complex):
        raise ToolError(f"{base}**{exponent} is not a real number; a negative base needs an integer exponent")
    return result


def _factorial(n: Number) -> int:
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if not isinstance(n, int) or n < 0:
        raise ToolError(f"factorial needs a whole number >= 0, got {n}")
    if n > MAX_FACTORIAL:
        raise ToolError(f"factorial({n}) is above the limit of factorial({MAX_FACTORIAL})")
    return math.factorial(n)


def _log(x: Number, base: Number = math.e) -> float:
    return math.log(x, base)


def _round(x: Number, digits: int = 0) -> Number:
    if not isinstance(digits, int):
        raise ToolError(f"round's second argument is a whole number of digits, got {digits}")
    # round(x) with no digits gives an int, the familiar result for "round 2.5".
    return round(x) if digits == 0 else round(x, digits)


FUNCTIONS: dict[str, Callable[..., Number]] = {
    "abs": abs,
    "round": _round,
    "min": min,
    "max": max,
    "sqrt": math.sqrt,
    "cbrt": math.cbrt,
    "exp": math.exp,
    "log": _log,
    "ln": math.log,
    "log10": math.log10,
    "log2": math.log2,
    "pow": _power,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "atan2": math.atan2,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "degrees": math.degrees,
    "radians": math.radians,
    "hypot": math.hypot,
    "floor": math.floor,
    "ceil": math.ceil,
    "factorial": _factorial,
}

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "tau": math.tau}

_BINARY: dict[type[ast.operator], Callable[[Number, Number], Number]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: _power,
}

_UNARY: dict[type[ast.unaryop], Callable[[Number], Number]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}

_ALLOWED = (
    f"numbers, + - * / // % **, parentheses, functions {', '.join(FUNCTIONS)} and constants {', '.join(CONSTANTS)}"
)


class Calculation(TypedDict):
    expression: str
    result: int | float


def _evaluate(node: ast.AST) -> Number:
    match node:
        case ast.Expression(body=body):
            return _evaluate(body)
        # bool is an int subclass: refuse True/False like any other name.
        case ast.Constant(value=value) if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        case ast.BinOp(op=ast.BitXor()):
            raise ToolError("'^' is not a power here; write powers with '**', e.g. 2**10")
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _BINARY:
            return _check_int_size(_BINARY[type(op)](_evaluate(left), _evaluate(right)))
        case ast.UnaryOp(op=op, operand=operand) if type(op) in _UNARY:
            return _UNARY[type(op)](_evaluate(operand))
        case ast.Name(id=name):
            if name in CONSTANTS:
                return CONSTANTS[name]
            if name in FUNCTIONS:
                raise ToolError(f"'{name}' is a function; call it with parentheses, e.g. {name}(2)")
            raise ToolError(f"unknown name '{name}'; allowed: {_ALLOWED}")
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in FUNCTIONS:
            if any(isinstance(arg, ast.Starred) for arg in args):
                raise ToolError(f"'*' unpacking is not allowed in {name}(...); pass the numbers one by one")
            values = [_evaluate(arg) for arg in args]
            try:
                return _check_int_size(FUNCTIONS[name](*values))
            except TypeError as e:
                raise ToolError(f"wrong arguments for {name}(): {e}") from e
        case ast.Call(func=ast.Name(id=name), keywords=[]):
            raise ToolError(f"unknown function '{name}'; allowed: {_ALLOWED}")
        case ast.Call():
            raise ToolError(f"only plain calls like sqrt(2) are allowed, without keywords; allowed: {_ALLOWED}")
        case ast.Attribute():
            raise ToolError(f"attribute access ('.name') is not allowed; allowed: {_ALLOWED}")
        case _:
            raise ToolError(f"unsupported syntax ({type(node).__name__}); allowed: {_ALLOWED}")


def calculate(
    expression: Annotated[
        str,
        Field(description="Arithmetic expression, e.g. '2 * (3 + 4)', 'sqrt(2) / 3' or '15 % 4'. Powers use '**'."),
    ],
) -> Calculation:
    """Evaluate an arithmetic expression exactly and return its numeric result.

    Supports + - * / // % **, parentheses, math functions (sqrt, cbrt, exp, log, ln, log10, log2,
    sin, cos, tan and their inverses, sinh, cosh, tanh, degrees, radians, hypot, floor, ceil,
    factorial, abs, round, min, max, pow) and the constants pi, e and tau. Angles are in radians.
    """
    text = expression.strip()
    if not text:
        raise ToolError("expression is empty; pass arithmetic like '2 * (3 + 4)'")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ToolError(
            f"expression has {len(text)} characters, above the limit of {MAX_EXPRESSION_CHARS}; split it up"
        )
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        raise ToolError(
            f"cannot parse {text!r}: {e.msg} at column {e.offset}; write arithmetic like '2 * (3 + 4)'"
        ) from e
    try:
        result = _evaluate(tree)
    except ZeroDivisionError as e:
        raise ToolError(f"division by zero in {text!r}") from e
    except OverflowError as e:
        raise ToolError(f"result of {text!r} is too large for a float ({e})") from e
    except ValueError as e:
        # math raises ValueError for arguments outside a function's domain, e.g. sqrt(-1), log(0).
        raise ToolError(f"math domain error in {text!r}: {e}; check the arguments of the functions") from e
    if isinstance(result, float) and not math.isfinite(result):
        raise ToolError(f"result of {text!r} is {result}, not a finite number")
    return {"expression": text, "result": result}
