"""Exception classes: each names what went wrong and what the caller can do about it."""


class DigestNLPError(Exception):
    """Base class for every error raised by digestnlp."""


class ModelFormatError(DigestNLPError):
    """A model file is not in the expected format (corrupt, truncated or a different version)."""


class ModelChecksumError(DigestNLPError):
    """A model source file's SHA-256 differs from the pinned value."""


class ModelNotFoundError(DigestNLPError):
    """A model spec names nothing that can be loaded here (no bundled name, folder or reachable hub id)."""


class UnsafeWeightsError(DigestNLPError):
    """A checkpoint only offers pickle-based weights; digestnlp loads safetensors only."""


class InputError(DigestNLPError):
    """An input cannot be processed (binary, empty, too large, wrong type)."""
