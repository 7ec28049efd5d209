from pathlib import Path

import pytest
from helpers import Write

from distro_builder.core import MAX_FILE_BYTES, InputError, read_source
from distro_builder.load import SourceTemplate


def template(path: Path) -> SourceTemplate:
    return SourceTemplate(read_source(path, path.name))


def render_errors(path: Path, variables: dict[str, object]) -> list[str]:
    with pytest.raises(InputError) as raised:
        template(path).render(variables)
    return [d.format() for d in raised.value.diagnostics]


def test_variables_render_and_positions_stay_when_lines_do_not_change(write: Write):
    path = write("o.yaml", 'applications:\n  nbi:\n    channel: "{{ channel }}"\n')
    rendered = template(path).render({"channel": "3/stable"})
    assert rendered.line_map is None
    (document,) = rendered.documents(read_source(path, "o.yaml"))
    assert document.value == {"applications": {"nbi": {"channel": "3/stable"}}}
    assert str(document.origin(("applications", "nbi", "channel"))) == "o.yaml:3:5"


def test_positions_map_back_when_the_template_adds_or_removes_lines(write: Write):
    path = write(
        "o.yaml",
        """
        {% set units = 3 %}
        applications:
        {% for app in apps %}
          {{ app }}:
            scale: {{ units }}
        {% endfor %}
        relations:
          - [a:x, b:y]
        """,
    )
    source = read_source(path, "o.yaml")
    rendered = template(path).render({"apps": ["a", "b", "c"]})
    assert rendered.line_map is not None
    (document,) = rendered.documents(source)
    assert document.value["applications"] == {name: {"scale": 3} for name in "abc"}
    assert str(document.origin(("relations",))) == "o.yaml:7:1"
    assert str(document.origin(("relations", 0, 1))) == "o.yaml:8:11"
    # Lines a loop produced point into the loop body, never past it.
    assert str(document.origin(("applications", "c"))) == "o.yaml:4:3"
    assert str(document.origin(("applications", "c", "scale"))) == "o.yaml:5:5"


def test_undefined_variable_is_an_error_at_its_use(write: Write):
    path = write("o.yaml", "a: 1\nb: '{{ registry }}/nbi'\n")
    assert render_errors(path, {}) == ["o.yaml:2:8: error: undefined variable 'registry'"]


def test_undefined_renders_empty_in_the_lenient_pass(write: Write):
    path = write("o.yaml", "b: '{{ registry }}/nbi'\n")
    assert template(path).render({}, lenient=True).text == "b: '/nbi'\n"


def test_sandbox_refuses_python_internals(write: Write):
    path = write("o.yaml", "a: 1\nb: {{ ''.__class__.__mro__ }}\n")
    (error,) = render_errors(path, {})
    assert error.startswith("o.yaml:2:1: error: template sandbox violation: ")
    assert "__class__" in error


def test_templates_cannot_modify_their_variables(write: Write):
    path = write("o.yaml", "{{ items.append(1) }}\n")
    (error,) = render_errors(path, {"items": []})
    assert "sandbox violation" in error


def test_template_syntax_error(write: Write):
    path = write("o.yaml", "a: 1\nb: {{ x\n")
    with pytest.raises(InputError) as raised:
        template(path)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.format().startswith("o.yaml:2:1: error: template syntax: ")


def test_include_and_import_have_nothing_to_load(write: Write):
    path = write("o.yaml", "{% include '/etc/passwd' %}\n")
    (error,) = render_errors(path, {})
    assert error.startswith("o.yaml:1:1: error: template error: ")


def test_rendered_output_is_bounded(write: Write):
    path = write("o.yaml", "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}\n")
    (error,) = render_errors(path, {})
    assert f"rendered output is larger than {MAX_FILE_BYTES} characters" in error


def test_a_file_without_template_tags_renders_as_it_is(write: Write):
    path = write("o.yaml", "a: '{ not a tag }'\nb: 1\n")
    rendered = template(path).render({})
    assert rendered.text == "a: '{ not a tag }'\nb: 1\n"
    assert rendered.line_map is None
