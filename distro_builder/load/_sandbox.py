"""The template sandbox: Jinja2's immutable sandbox, bounded in time and memory.

Jinja2's sandbox keeps templates away from Python internals; it does not bound what they
cost. Here every value a template makes is bounded in size before it is made, and rendering
is bounded in time, without threads or signals:

- size: a value's *weight* is about the number of characters it prints as (items of lists
  and mappings counted one by one, a number by its digits). Whatever can grow a value past
  its inputs (``*``, ``**``, ``%``, ``+``, ``~``, the methods and filters that pad, repeat,
  join or replace) is refused when the value it would make weighs more than
  :data:`MAX_WEIGHT`; integers are refused past the digits Python prints. The text a macro,
  a call block or a ``{% set %}`` block collects is bounded the same way, as is each
  value printed. Memory then stays within a few times the bound per live value.
- time: the hooks every operation goes through (calls, attribute and item lookups, the
  intercepted operators, filters, each iteration of a ``for`` loop, each piece of output)
  check a deadline of :data:`RENDER_SECONDS` per render; calls nest at most
  :data:`MAX_CALL_DEPTH` deep.
- compile time: Jinja2's optimizer folds constant expressions while compiling, unbounded;
  it is off. Constant expressions are evaluated here instead, with the same bounds, so that
  ``{{ 10**5000 }}`` is an error where it is written, even in a branch that never runs.

A bound exceeded raises :class:`TemplateLimitError`, reported at the template line.
"""

from __future__ import annotations

import functools
import math
import operator
import re
import string
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from jinja2 import ChainableUndefined, StrictUndefined, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import TemplateRuntimeError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, generate_lorem_ipsum

from distro_builder.core import MAX_FILE_BYTES

MAX_WEIGHT = MAX_FILE_BYTES
MAX_DIGITS = 4300  # what Python converts between int and str by default
RENDER_SECONDS = 1.0
MAX_CALL_DEPTH = 100
MAX_LIPSUM_WORDS = 20_000
ITERATE = "bounded_iteration"  # the filter every for loop's iterable goes through
CONCAT = "bounded_concat"  # the filter every ~ expression goes through
_LOG2_10 = math.log2(10)
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?.")
_OPTIONS: dict[str, Any] = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "autoescape": False,
    "optimized": False,
}


class TemplateLimitError(TemplateRuntimeError):
    """A template exceeded a bound of the sandbox (time, size, digits, depth)."""


class _Budget:
    """What one render may still spend: its deadline and how deep its calls are."""

    __slots__ = ("deadline", "depth")

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.depth = 0


class _Renders(threading.local):
    """The budget of the render under way in this thread (None outside a render)."""

    budget: _Budget | None = None


_RENDERS = _Renders()


def rendering(seconds: float = RENDER_SECONDS) -> _Budget | None:
    """Start the budget of one render; pass the result to :func:`rendered` when it ends."""
    outer, _RENDERS.budget = _RENDERS.budget, _Budget(seconds)
    return outer


def rendered(outer: _Budget | None) -> None:
    """End the budget started by :func:`rendering` (the outer render's, if any, goes on)."""
    _RENDERS.budget = outer


def tick() -> None:
    """Check the render's deadline (a no-op outside a render)."""
    budget = _RENDERS.budget
    if budget is not None and time.monotonic() > budget.deadline:
        raise TemplateLimitError(
            f"rendering takes longer than {RENDER_SECONDS:g} s (a loop or a recursion too long?)"
        )


# Weights.


def weight(value: object, limit: int = MAX_WEIGHT, per_level: int = 0) -> int:
    """About how many characters `value` prints as; counting stops once past `limit`.

    `per_level` adds that many characters per nesting level to each item (the indentation
    of ``tojson(indent=...)`` and ``pprint``).
    """
    total = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack and total <= limit:
        item, depth = stack.pop()
        total += per_level * depth
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, bool) or item is None or isinstance(item, float):
            total += 5
        elif isinstance(item, int):
            total += _digits(item) + 1
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + len(item)
            stack.extend((inner, depth + 1) for inner in _first(item, limit))
        elif isinstance(item, Mapping):
            total += 2 + 2 * len(item)
            for key, inner in _first(item.items(), limit):
                stack.extend(((key, depth + 1), (inner, depth + 1)))
        elif isinstance(item, Namespace):
            stack.append((getattr(item, "_Namespace__attrs", {}), depth))
        else:
            total += 16
    return total


def _first(items: Iterable[Any], limit: int) -> Iterator[Any]:
    for count, item in enumerate(items):
        if count > limit:
            return
        yield item


def _digits(number: int) -> int:
    return int(abs(number).bit_length() / _LOG2_10) + 1


def _bounded(what: str, size: int) -> None:
    if size > MAX_WEIGHT:
        raise TemplateLimitError(
            f"{what} would make a value of about {size} characters (at most {MAX_WEIGHT})"
        )


def _checked(what: str, value: Any) -> Any:
    """`value`, once its weight is within the bound."""
    if isinstance(value, int) and not isinstance(value, bool) and _digits(value) > MAX_DIGITS:
        raise TemplateLimitError(f"{what} makes an integer of more than {MAX_DIGITS} digits")
    _bounded(what, weight(value))
    return value


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# Operators.


def _multiply(left: Any, right: Any) -> Any:
    tick()
    for sequence, count in ((left, right), (right, left)):
        times = _integer(count)
        if isinstance(sequence, (str, bytes, list, tuple)) and times is not None:
            _bounded("repetition", weight(sequence) * max(times, 0))
    left_int, right_int = _integer(left), _integer(right)
    if (
        left_int is not None
        and right_int is not None
        and _digits(left_int) + _digits(right_int) > MAX_DIGITS + 1
    ):
        raise TemplateLimitError(f"a product of more than {MAX_DIGITS} digits")
    return _checked("multiplication", left * right)


def _power(base: Any, exponent: Any) -> Any:
    tick()
    base_int, exponent_int = _integer(base), _integer(exponent)
    if (
        base_int is not None
        and exponent_int is not None
        and exponent_int > 0
        and abs(base_int) > 1
        and exponent_int * math.log10(abs(base_int)) > MAX_DIGITS
    ):
        raise TemplateLimitError(f"a power of more than {MAX_DIGITS} digits")
    return _checked("a power", base**exponent)


def _add(left: Any, right: Any) -> Any:
    tick()
    if isinstance(left, (str, bytes, list, tuple)):
        _bounded("concatenation", weight(left) + weight(right))
    return _checked("addition", left + right)


def _modulo(left: Any, right: Any) -> Any:
    tick()
    if isinstance(left, (str, bytes)):
        text = left.decode("latin-1") if isinstance(left, bytes) else left
        _bounded("formatting", _percent_size(text, right))
    return _checked("formatting", left % right)


def _percent_size(text: str, arguments: object) -> int:
    """An upper bound of the length of ``text % arguments``."""
    values = list(arguments) if isinstance(arguments, tuple) else [arguments]
    size = len(text) + 4 * weight(arguments)
    for match in _PERCENT.finditer(text):
        for field in match.groups():
            if field == "*":
                size += sum(abs(number) for v in values if (number := _integer(v)) is not None)
            elif field:
                size += _number(field)
    return size


def _number(digits: str) -> int:
    return int(digits) if len(digits) < 12 else MAX_WEIGHT * 1000


def _format_size(text: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """An upper bound of the length of ``text.format(*args, **kwargs)``."""
    size = len(text) + 4 * (weight(args) + weight(kwargs))
    for _, _, spec, _ in string.Formatter().parse(text):
        if spec and "{" in spec:
            numbers = [abs(v) for v in (*args, *kwargs.values()) if _integer(v) is not None]
            size += sum(numbers)
        for field in re.findall(r"\d+", spec or ""):
            size += _number(field)
    return size


def _bounded_concat(parts: Iterable[Any]) -> str:
    """The ``~`` operator (Jinja2's ``str_join``), bounded."""
    tick()
    pieces = list(parts)
    _bounded("concatenation", sum(weight(piece) for piece in pieces))
    return "".join(map(str, pieces))


def _bounded_iteration(iterable: Any) -> Iterator[Any]:
    """Every ``for`` loop iterates through here: one deadline check per item."""
    for item in iterable:
        tick()
        yield item


def _finalize(value: Any) -> Any:
    """Every printed value: bounded before it is turned into text."""
    tick()
    if not isinstance(value, str):
        _bounded("printing a value", weight(value))
    return value


class _Buffer(list):  # type: ignore[type-arg]
    """The text a macro, a call block or a ``{% set %}`` block collects, bounded."""

    __slots__ = ("size",)

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def append(self, piece: Any) -> None:
        tick()
        self.size += len(piece)
        if self.size > MAX_WEIGHT:
            raise TemplateLimitError(f"a block collects more than {MAX_WEIGHT} characters")
        super().append(piece)

    def extend(self, pieces: Iterable[Any]) -> None:
        for piece in pieces:
            self.append(piece)


class _Generator(CodeGenerator):
    """Jinja2's code generator, with block buffers that count what they collect."""

    def buffer(self, frame: Frame) -> None:
        """See CodeGenerator.buffer (Jinja2 3.1): the buffer is a :class:`_Buffer`."""
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.output_buffer()")


# Methods and filters: what can grow a value past its inputs is predicted before it runs.


def _width(value: object) -> int:
    number = _integer(value)
    if number is not None:
        return max(number, 0)
    return len(value) if isinstance(value, str) else 0


def _text_method_size(text: str | bytes, name: str, args: tuple[Any, ...]) -> int | None:
    """An upper bound of the size of ``text.<name>(*args)``; None when it cannot grow."""
    if name in ("center", "ljust", "rjust", "zfill") and args:
        return max(len(text), _width(args[0]))
    if name == "expandtabs":
        return len(text) * max(_width(args[0]) if args else 8, 1)
    if name == "replace" and len(args) >= 2:
        old, new = args[0], args[1]
        if isinstance(old, type(text)) and isinstance(new, type(text)):
            count = text.count(old) if old else len(text) + 1  # type: ignore[arg-type]
            limit = _integer(args[2]) if len(args) > 2 else None
            if limit is not None and limit >= 0:
                count = min(count, limit)
            return len(text) + count * len(new)
    if name == "join" and args:
        items = list(args[0])
        return sum(weight(item) for item in items) + len(text) * len(items)
    if name == "translate" and args and isinstance(args[0], Mapping):
        longest = max((weight(v) for v in args[0].values()), default=1)
        return len(text) * max(longest, 1)
    return None


def _is_text_method(obj: Any, name: str) -> bool:
    owner = getattr(obj, "__self__", None)
    return isinstance(owner, (str, bytes)) and getattr(obj, "__name__", "") == name


def _call_size(obj: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int | None:
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, (str, bytes)):
        return _text_method_size(owner, name, (*args, *kwargs.values()))
    if _integer(owner) is not None and name == "to_bytes":
        return _width(args[0] if args else kwargs.get("length", 1))
    return None


def _filter_size(name: str, value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """An upper bound of the size a filter makes (0: nothing past its input to predict)."""
    params = (*args, *kwargs.values())
    first = params[0] if params else None
    if name == "center":
        return max(weight(value), _width(first if params else 80))
    if name == "indent":
        lines = str(value).count("\n") + 2
        return weight(value) + lines * _width(first if params else 4)
    if name == "format":
        return _percent_size(str(value), args or dict(kwargs))
    if name == "replace" and len(params) >= 2:
        return _text_method_size(str(value), "replace", tuple(map(str, params[:2]))) or 0
    if name == "wordwrap":
        width = max(_width(first if params else 79), 1)
        wrap = kwargs.get("wrapstring", params[3] if len(params) > 3 else None)
        lines = len(str(value)) // width + str(value).count("\n") + 1
        return weight(value) + lines * len(str(wrap or "\n"))
    if name == "urlize":
        extra = sum(len(str(v)) for v in params if isinstance(v, str))
        return 3 * weight(value) + len(str(value).split()) * (extra + 64)
    if name in ("batch", "slice"):
        return _width(first)
    if name == "tojson":
        indent = kwargs.get("indent", first)
        return weight(value, per_level=_width(indent) + 1)
    if name == "pprint":
        return weight(value, per_level=2)
    return 0


def _listed(name: str, value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """Sizes of the filters that combine the items of an iterable (`value` is a list)."""
    if name == "join":
        separator = str(args[0]) if args else str(kwargs.get("d", ""))
        return sum(weight(item) for item in value) + len(separator) * len(value)
    if name == "sum":
        start = kwargs.get("start", args[1] if len(args) > 1 else 0)
        if isinstance(start, (str, bytes, list, tuple)) or any(
            isinstance(item, (str, bytes, list, tuple)) for item in value
        ):
            return weight(start) + sum(weight(item) for item in value)
    return 0


_LISTED = ("join", "sum")


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    passes = getattr(function, "jinja_pass_arg", None) is not None

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        tick()
        head, (value, *rest) = (args[:1], args[1:]) if passes else ((), args)
        if name in _LISTED and not isinstance(value, Undefined):
            value = list(_bounded_iteration(value))
            _bounded(f"the {name} filter", _listed(name, value, tuple(rest), kwargs))
        else:
            _bounded(f"the {name} filter", _filter_size(name, value, tuple(rest), kwargs))
        result = function(*head, value, *rest, **kwargs)
        if isinstance(result, Iterator):
            return _bounded_iteration(result)
        return _checked(f"the {name} filter", result)

    return bounded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja2's ``lipsum``, refused past :data:`MAX_LIPSUM_WORDS` words."""
    words = _width(n) * _width(max)
    if words > MAX_LIPSUM_WORDS:
        raise TemplateLimitError(f"lipsum of up to {words} words (at most {MAX_LIPSUM_WORDS})")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, bounded in time and memory (see the module)."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, undefined: type[Undefined]) -> None:
        super().__init__(undefined=undefined, finalize=_finalize, **_OPTIONS)
        self.binop_table.update({"*": _multiply, "**": _power, "%": _modulo, "+": _add})
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters[ITERATE] = _bounded_iteration
        self.filters[CONCAT] = _bounded_concat
        self.globals["lipsum"] = _lipsum

    @staticmethod
    def output_buffer() -> _Buffer:
        """A new bounded buffer (the generated code of blocks calls this)."""
        return _Buffer()

    def call(
        __self,  # noqa: N805 (Jinja2's own signature)
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Call from a template: within the deadline and the depth, its result bounded."""
        tick()
        if _is_text_method(__obj, "join") and args:
            args = (list(_bounded_iteration(args[0])), *args[1:])
        size = _call_size(__obj, args, kwargs)
        if size is not None:
            _bounded(f"{getattr(__obj, '__name__', 'a call')}()", size)
        budget = _RENDERS.budget
        if budget is not None:
            budget.depth += 1
            if budget.depth > MAX_CALL_DEPTH:
                budget.depth -= 1
                raise TemplateLimitError(f"calls nest deeper than {MAX_CALL_DEPTH} levels")
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            if budget is not None:
                budget.depth -= 1
        return _checked(f"{getattr(__obj, '__name__', 'a call')}()", result)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Attribute lookup from a template, within the deadline."""
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Item lookup from a template, within the deadline."""
        tick()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map``, bounded like ``%``."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__
        is_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            tick()
            mapping = args[0] if is_map and args and isinstance(args[0], Mapping) else kwargs
            _bounded("str.format", _format_size(text, () if is_map else args, mapping))
            return _checked("str.format", wrapped(*args, **kwargs))

        return bounded


@cache
def environment(lenient: bool) -> BoundedSandbox:
    """The sandbox (lenient: undefined variables render empty)."""
    return BoundedSandbox(ChainableUndefined if lenient else StrictUndefined)


# Compile time: bound the template's constant expressions, and route loops and ~ through the
# bounded filters.

_CONSTANT_OPERATORS: dict[type[nodes.BinExpr], Callable[[Any, Any], Any]] = {
    nodes.Mul: _multiply,
    nodes.Pow: _power,
    nodes.Mod: _modulo,
    nodes.Add: _add,
    nodes.Sub: operator.sub,
    nodes.FloorDiv: operator.floordiv,
    nodes.Div: operator.truediv,
}
_UNKNOWN = object()


def prepare(tree: nodes.Template) -> None:
    """Route loops and ``~`` through the bounded filters; evaluate constant expressions.

    Raises:
        TemplateLimitError: a constant expression exceeds a bound (its `lineno` is set).
    """
    constants: dict[int, object] = {}
    for node in list(tree.find_all((nodes.Expr, nodes.For))):
        if isinstance(node, nodes.For):
            node.iter = nodes.Filter(node.iter, ITERATE, [], [], None, None, lineno=node.lineno)
        elif isinstance(node, nodes.Concat):
            parts = nodes.Tuple(node.nodes, "load", lineno=node.lineno)
            node.nodes = [nodes.Filter(parts, CONCAT, [], [], None, None, lineno=node.lineno)]
        elif isinstance(node, (nodes.BinExpr, nodes.Const)):
            try:
                _constant(node, constants)
            except TemplateLimitError as error:
                error.lineno = node.lineno  # type: ignore[attr-defined]
                raise


def _constant(node: nodes.Node, known: dict[int, object]) -> object:
    """The value of a constant expression, bounded; _UNKNOWN when it is not constant."""
    if id(node) in known:
        return known[id(node)]
    value: object = _UNKNOWN
    if isinstance(node, nodes.Const):
        value = _checked("a constant", node.value)
    elif isinstance(node, nodes.Neg):
        inner = _constant(node.node, known)
        value = _UNKNOWN if inner is _UNKNOWN else _safely(operator.neg, inner)
    elif isinstance(node, nodes.BinExpr) and type(node) in _CONSTANT_OPERATORS:
        left, right = _constant(node.left, known), _constant(node.right, known)
        if left is not _UNKNOWN and right is not _UNKNOWN:
            value = _safely(_CONSTANT_OPERATORS[type(node)], left, right)
    known[id(node)] = value
    return value


def _safely(function: Callable[..., Any], *args: Any) -> object:
    """`function(*args)`; an error other than a bound is for render time (_UNKNOWN now)."""
    try:
        return function(*args)
    except TemplateLimitError:
        raise
    except Exception:  # 1/0 in a dead branch is no error
        return _UNKNOWN
