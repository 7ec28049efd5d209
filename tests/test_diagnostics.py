import pytest

from distro_builder.core import (
    WARNING,
    Diagnostic,
    InputError,
    Origin,
    promote_warnings,
    raise_if_errors,
)


def test_origin_prints_path_line_col():
    assert str(Origin("overlays/ha/overlay.yaml", 3, 7)) == "overlays/ha/overlay.yaml:3:7"


def test_diagnostic_format_with_and_without_position():
    origin = Origin("a.yaml", 1, 2)
    assert Diagnostic("bad", origin).format() == "a.yaml:1:2: error: bad"
    assert Diagnostic("too big", path="a.yaml").format() == "a.yaml: error: too big"
    assert Diagnostic("unknown overlay").format() == "error: unknown overlay"
    assert Diagnostic("odd", origin, severity=WARNING).format() == "a.yaml:1:2: warning: odd"


def test_input_error_carries_every_diagnostic():
    diagnostics = [Diagnostic("one"), Diagnostic("two")]
    error = InputError(diagnostics)
    assert error.diagnostics == diagnostics
    assert str(error) == "error: one\nerror: two"


def test_raise_if_errors_ignores_warnings_and_strict_promotes_them():
    warning = Diagnostic("w", severity=WARNING)
    raise_if_errors([warning])
    (promoted,) = promote_warnings([warning])
    assert promoted.is_error
    with pytest.raises(InputError) as raised:
        raise_if_errors([promoted])
    assert raised.value.diagnostics == [promoted]
