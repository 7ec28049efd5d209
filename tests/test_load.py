import time
from pathlib import Path

import pytest
from helpers import Write

from distro_builder.core import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, InputError, load, read_source


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as raised:
        load(path, path.name)
    return [d.format() for d in raised.value.diagnostics]


def test_every_node_knows_its_position(write: Write):
    path = write(
        "b.yaml",
        """
        applications:
          nbi:
            options:
              log-level: DEBUG
        relations:
          - [nbi:kafka, kafka:kafka]
        """,
    )
    (document,) = load(path, "b.yaml")
    assert document.value["applications"]["nbi"]["options"]["log-level"] == "DEBUG"
    assert str(document.origin(("applications", "nbi", "options", "log-level"))) == "b.yaml:4:7"
    assert str(document.value_origin(("applications", "nbi", "options", "log-level"))) == (
        "b.yaml:4:18"
    )
    assert str(document.origin(("relations", 0, 1))) == "b.yaml:6:17"
    assert str(document.origin(("relations", 0, 7))) == "b.yaml:6:5"


def test_scalars_keep_their_text_and_types(write: Write):
    path = write("s.yaml", "channel: 3.10\nscale: 3\ntrust: yes\nnothing: ~\nstamp: 2001-12-14\n")
    (document,) = load(path)
    assert document.value == {
        "channel": 3.1,
        "scale": 3,
        "trust": True,
        "nothing": None,
        "stamp": "2001-12-14",
    }
    assert document.text(("channel",), 3.1) == "3.10"


def test_multiple_documents(write: Write):
    path = write("m.yaml", "a: 1\n---\nb: 2\n--- # overlay\n")
    assert [d.value for d in load(path)] == [{"a": 1}, {"b": 2}, None]


def test_yaml_syntax_error_has_a_position(write: Write):
    path = write("bad.yaml", "applications:\n  nbi: [unclosed\n")
    error, note = errors_of(path)
    assert error.startswith("bad.yaml:3:1: error: ")
    assert "flow sequence" in error
    assert note == 'bad.yaml:2:8: note: the flow sequence ("[") starts here'


def test_duplicate_keys_are_errors(write: Write):
    path = write("dup.yaml", "applications:\n  nbi: {}\n  ro: {}\n  nbi: {}\n")
    assert errors_of(path) == [
        'dup.yaml:4:3: error: duplicate key "nbi" (first defined at dup.yaml:2:3)'
    ]


def test_all_duplicates_of_a_file_are_reported(write: Write):
    path = write("dup.yaml", "a: 1\na: 2\nb: {c: 1, c: 2}\n")
    assert len(errors_of(path)) == 2


def test_merge_keys_expand_and_own_keys_win(write: Write):
    path = write(
        "merge.yaml",
        """
        common: &common {charm: osm-nbi, scale: 1}
        applications:
          nbi:
            <<: *common
            scale: 3
        """,
    )
    (document,) = load(path)
    assert document.value["applications"]["nbi"] == {"scale": 3, "charm": "osm-nbi"}


def test_alias_bomb_fails_fast(write: Write):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = write("bomb.yaml", "\n".join(lines) + "\n")
    started = time.perf_counter()
    (error,) = errors_of(path)
    assert time.perf_counter() - started < 2
    assert f"document expands to more than {MAX_NODES} nodes (alias bomb?)" in error


def test_merge_key_bomb_fails_fast(write: Write):
    lines = ["m0: &m0 {k: v}"]
    lines += [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 10)}]}}" for i in range(1, 9)]
    path = write("merges.yaml", "\n".join(lines) + "\n")
    started = time.perf_counter()
    (error,) = errors_of(path)
    assert time.perf_counter() - started < 2
    assert "alias bomb" in error


def test_absurd_nesting_is_refused(write: Write):
    path = write("deep.yaml", "x: " + "[" * 200 + "]" * 200 + "\n")
    (error,) = errors_of(path)
    # The root mapping is level 0 and x's list level 1 at column 4: level 65 is column 68.
    assert error == f"deep.yaml:1:{MAX_DEPTH + 4}: error: nesting deeper than {MAX_DEPTH} levels"


def test_libyaml_nesting_limit_is_reported_too(write: Write):
    path = write("deeper.yaml", "[" * 5000 + "]" * 5000 + "\n")
    (error,) = errors_of(path)
    assert error.startswith("deeper.yaml:1:") and "nesting" in error


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 10))
    with pytest.raises(InputError) as raised:
        read_source(path, "big.yaml")
    assert raised.value.diagnostics[0].format() == (
        f"big.yaml: error: file is larger than the {MAX_FILE_BYTES} bytes an input may have"
    )


def test_non_utf8_and_missing_files(tmp_path: Path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_source(path)
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "absent.yaml")


def test_unknown_tags_and_complex_keys_are_errors(write: Write):
    path = write("tags.yaml", "a: !!python/object:os.system x\n? [k]\n: v\n")
    messages = errors_of(path)
    assert any("unsupported YAML tag" in m for m in messages)
    assert any("a mapping key must be a scalar" in m for m in messages)
